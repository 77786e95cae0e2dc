"""The packages that re-export their modules' names load each module on first use
(dualcredit.lazy), and export exactly what they name for the type checker."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys

import pytest

from dualcredit import lazy

LAZY_PACKAGES = ["dualcredit.dal.records", "dualcredit.dal.payments"]


def _type_checking_imports(package: str) -> dict[str, tuple[str, ...]]:
    """What the package imports under `if TYPE_CHECKING:`, by module."""
    tree = ast.parse(inspect.getsource(importlib.import_module(package)))
    [block] = [
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]
    found: dict[str, tuple[str, ...]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        module = node.module.removeprefix(f"{package}.")
        found[module] = found.get(module, ()) + tuple(a.name for a in node.names)
    return found


def _python(code: str) -> str:
    """What a fresh interpreter, on this one's path, prints running `code`."""
    path = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": path},
    ).stdout


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_a_lazy_package_exports_what_it_names_for_the_type_checker(package):
    # Given a package whose names load on first use
    module = importlib.import_module(package)
    # Then the names it exports are the names the type checker sees
    assert module.EXPORTS == _type_checking_imports(package)
    # And each is the very object its own module defines
    for submodule, names in module.EXPORTS.items():
        defining = importlib.import_module(f"{package}.{submodule}")
        for name in names:
            assert getattr(module, name) is getattr(defining, name), name
    flat = [name for names in module.EXPORTS.values() for name in names]
    assert sorted(module.__all__) == sorted(flat)
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_importing_a_lazy_package_loads_none_of_its_modules(package):
    # Given a fresh interpreter, When it imports the package and one name from it
    first_module, names = next(iter(importlib.import_module(package).EXPORTS.items()))
    code = (
        f"import sys, {package} as p; before = sorted(m for m in sys.modules "
        f"if m.startswith('{package}.')); getattr(p, {names[0]!r}); "
        f"after = sorted(m for m in sys.modules if m.startswith('{package}.')); "
        "print(before, after)"
    )
    out = _python(code)
    before, after = out.strip().split("] [")
    # Then the package alone loaded none of its modules, and the name loaded its own
    assert before == "["
    assert f"'{package}.{first_module}'" in after


def test_load_all_imports_every_module_of_every_lazy_package():
    # Given a fresh interpreter with the lazy packages imported, none of their modules
    code = (
        "import sys; from dualcredit import lazy; "
        + "; ".join(f"import {p}" for p in LAZY_PACKAGES)
        + "; lazy.load_all(); print(sorted(m for m in sys.modules if m.startswith("
        + repr(tuple(f"{p}." for p in LAZY_PACKAGES))
        + ")))"
    )
    # When load_all runs
    out = _python(code)
    # Then every module each package names is loaded
    for package in LAZY_PACKAGES:
        for module in importlib.import_module(package).EXPORTS:
            assert f"'{package}.{module}'" in out


def test_an_unknown_name_is_an_attribute_error():
    # Given a lazy package, When a name it does not export is asked for
    # Then it is an AttributeError, as for any module
    records = importlib.import_module("dualcredit.dal.records")
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        records.Nothing  # noqa: B018


def test_a_name_exported_by_two_modules_is_refused():
    # Given two modules claiming one name, Then the exports cannot be built
    with pytest.raises(ValueError, match="exported by two modules"):
        lazy.exports("pkg", {"a": ("X",), "b": ("X",)})
