"""Every message the server can answer with, read from its source: the text given to
each error it raises (DomainError's kinds, RuleError, a model's ValueError, worded(...),
a batch row's refusal), as a template whose values are `{}` ("There is no {} class with
this id."). Constants, f-strings, concatenations, conditional texts, names bound to a
text in the same function or module (or imported from another), and small functions
that return a text are followed; a message that only passes another one on (str(error))
is not a message of its own."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "shared" / "dualcredit"
#: Not the API's words: the emails speak their own catalogs (dualcredit.mail).
SKIPPED = ("mail",)
#: The calls whose argument is a message, and which argument (position, keyword; a
#: route's Message answer is a message too, by keyword only, and what a route says in
#: the request's language, dualcredit.http.context.in_request_language).
MESSAGE_CALLS = {
    name: (0, "message")
    for name in (
        "DomainError",
        "InvalidInput",
        "NotFound",
        "UnknownReference",
        "Forbidden",
        "Conflict",
        "TooManyRequests",
        "UnsupportedMediaType",
        "Unavailable",
        "RuleError",
        "worded",
    )
} | {
    "refuse": (2, "problem"),
    "_cognito": (0, "action"),
    "Message": (-1, "message"),
    "in_request_language": (1, "text"),
}
#: Calls whose keyword's text goes into a message: a roster row's label ("Line 4"), what
#: a roster batch changes ("grades").
FRAGMENT_KEYWORDS = {"Row": "label", "against_roster": "what"}
#: A model validator's ValueError becomes the field's message (pydantic's value_error).
VALUE_ERROR_PACKAGES = ("models",)
#: Functions that write a date into a message ("June 15, 2027").
DATE_FUNCTIONS = ("long_date", "_long")
#: A placeholder for a value inside a message.
VALUE = "{}"


@dataclass(frozen=True)
class Found:
    template: str
    where: str  # "logic/accounts.py:93"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED:
            continue
        yield str(relative), ast.parse(path.read_text(encoding="utf-8"))


def _module_name(relative: str) -> str:
    return "dualcredit." + relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


class _Module:
    def __init__(self, relative: str, tree: ast.Module, modules: dict[str, _Module]):
        self.relative = relative
        self.tree = tree
        self.modules = modules
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.fragments: list[str] = []
        self.imports: dict[str, tuple[str, str]] = {}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)

    def _scopes(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
                yield node

    def bound(self, name: str, at: ast.AST, depth: int) -> list[str] | None:
        """The texts `name` is bound to where it is used, or None if not a text."""
        for scope in self._scopes(at):
            values = [
                node.value
                for node in ast.walk(scope)
                if isinstance(node, (ast.Assign, ast.AnnAssign))
                and node.value is not None
                and any(
                    isinstance(t, ast.Name) and t.id == name
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                )
            ]
            if values:
                texts = [t for v in values for t in self.texts(v, depth + 1) or []]
                return texts or None
        if name in self.imports:
            module, original = self.imports[name]
            other = self.modules.get(module)
            if other is not None:
                return (
                    other.bound(original, other.tree.body[0], depth + 1)
                    if other.tree.body
                    else None
                )
        return None

    def function(self, name: str) -> ast.FunctionDef | None:
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
        return None

    def texts(self, node: ast.expr, depth: int = 0) -> list[str] | None:
        """The templates an expression may evaluate to; None when it is not a text of
        its own (a value, another error's words)."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            parts: list[list[str]] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append([str(value.value)])
                else:
                    parts.append([VALUE])
                    # A value that is a text of its own ("since batch 3") is said too.
                    assert isinstance(value, ast.FormattedValue)
                    self.fragments += self.texts(value.value, depth + 1) or []
            return ["".join(p) for p in itertools.product(*parts)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._part(node.left, depth + 1)
            right = self._part(node.right, depth + 1)
            if left is None and right is None:
                return None
            return [a + b for a in left or [VALUE] for b in right or [VALUE]]
        if isinstance(node, ast.IfExp):
            body = self.texts(node.body, depth + 1) or []
            orelse = self.texts(node.orelse, depth + 1) or []
            return [*body, *orelse] or None
        if isinstance(node, ast.Name):
            return self.bound(node.id, node, depth)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in DATE_FUNCTIONS:
                return None  # a date: the catalog says it in its language
            function = self.function(node.func.id)
            if function is not None:
                returned = [
                    t
                    for r in ast.walk(function)
                    if isinstance(r, ast.Return) and r.value is not None
                    for t in self.texts(r.value, depth + 1) or []
                ]
                return returned or None
        return None

    def _part(self, node: ast.expr, depth: int) -> list[str] | None:
        """A part of a concatenation: a name bound to a text (RECOVERY_HINT) is a value
        of the message, said on its own (a fragment), as in an f-string."""
        if isinstance(node, (ast.Name, ast.Call)):
            self.fragments += self.texts(node, depth) or []
            return [VALUE]
        return self.texts(node, depth)

    def found(self) -> Iterator[Found]:
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", None)
            arguments: list[ast.expr] = []
            if name in MESSAGE_CALLS:
                position, keyword = MESSAGE_CALLS[name]
                if 0 <= position < len(node.args):
                    arguments.append(node.args[position])
                arguments += [k.value for k in node.keywords if k.arg == keyword]
            elif name == "ValueError" and self.relative.startswith(VALUE_ERROR_PACKAGES):
                arguments += node.args[:1]
            if name in MESSAGE_CALLS:
                # errors=[(field, message), ...]: each row's message
                for keyword in node.keywords:
                    if keyword.arg == "errors":
                        arguments += [
                            element.elts[1]
                            for element in ast.walk(keyword.value)
                            if isinstance(element, ast.Tuple) and len(element.elts) == 2
                        ]
            arguments += [k.value for k in node.keywords if k.arg == FRAGMENT_KEYWORDS.get(name)]
            for argument in arguments:
                self.fragments = []
                for template in [*(self.texts(argument) or []), *self.fragments]:
                    if template.strip(VALUE + " ") and template != VALUE:
                        yield Found(template, f"{self.relative}:{node.lineno}")


def server_messages() -> list[Found]:
    """Every message template the server's code raises, where it raises it."""
    modules: dict[str, _Module] = {}
    for relative, tree in _modules():
        modules[_module_name(relative)] = _Module(relative, tree, modules)
    return [found for module in modules.values() for found in module.found()]
