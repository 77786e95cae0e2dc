"""What Lambda runs, built here: the layer and every function by the template's own
build steps (infra/build/Makefile, the targets `sam build` runs), for this machine's
architecture, and checks of the bytecode in it.

The deployed layer is arm64; its x86-64 twin differs only in the wheels' platform
(`LAYER_ARCH`), so the bench can import and time it here. The tree it builds:

    <root>/layer/python/...          the layer, precompiled (what ships)
    <root>/layer-as-sam-ships/python the same files without bytecode (what plain
                                     `BuildMethod: python3.13` ships)
    <root>/functions/<LogicalId>/    each function's modules, precompiled
    <root>/functions-as-sam-ships/   the same without bytecode (the "before" rows)
    <root>/references/<name>/        the bench's reference handlers
    <root>/runtime/                  what the Lambda runtime adds to the path
                                     (snapshot_restore_py)
"""

from __future__ import annotations

import _imp
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench.handlers import REPO

TEMPLATE = REPO / "infra" / "template.yaml"
BUILD_MAKEFILE = REPO / "infra" / "build" / "Makefile"
REFERENCES = Path(__file__).resolve().with_name("references")
LAYER_ID = "SharedLayer"
#: PEP 552 flags: bit 0 hash-based, bit 1 check the source.
HASH_BASED, CHECK_SOURCE = 0b01, 0b10
#: The key importlib hashes sources with (its _RAW_MAGIC_NUMBER).
_SOURCE_HASH_KEY = int.from_bytes(importlib.util.MAGIC_NUMBER, "little")


class BuildError(RuntimeError):
    """A build step failed."""


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: Path  # the source folder
    handler: str  # "app.lambda_handler"

    @property
    def name(self) -> str:
        """The folder's name: api, stripe_webhook, ..."""
        return self.code_uri.name


def functions() -> list[Function]:
    """Every function of the template that infra/build/Makefile builds."""
    from devstack.template import resources as template_resources

    resources = template_resources(TEMPLATE)
    found = []
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        if (resource.get("Metadata") or {}).get("BuildMethod") != "makefile":
            continue
        props = resource["Properties"]
        code_uri = (TEMPLATE.parent / props["CodeUri"]).resolve()
        found.append(Function(logical_id, code_uri, props["Handler"]))
    return sorted(found, key=lambda f: f.name)


def layer_arch() -> str:
    """The wheels' architecture for this machine (Lambda's names: x86_64, aarch64)."""
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def runtime_python() -> str:
    """The Python 3.13 that builds (`PY313`, as the Makefile sets it, else the one under
    this virtual environment: it has pip, the environment does not)."""
    return str(os.environ.get("PY313") or getattr(sys, "_base_executable", sys.executable))


def _make(target: str, source: Path, artifacts: Path, python: str, arch: str) -> None:
    artifacts.mkdir(parents=True, exist_ok=True)
    command = [
        "make",
        "--no-print-directory",
        "-C",
        str(source),
        "-f",
        str(BUILD_MAKEFILE),
        target,
        f"ARTIFACTS_DIR={artifacts}",
        f"PYTHON={python}",
        f"LAYER_ARCH={arch}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def _without_bytecode(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _compile(folder: Path, python: str) -> None:
    command = [python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash"]
    subprocess.run([*command, str(folder)], check=True, capture_output=True)


@dataclass(frozen=True)
class Built:
    root: Path

    @property
    def layer(self) -> Path:
        return self.root / "layer" / "python"

    @property
    def layer_as_sam_ships(self) -> Path:
        return self.root / "layer-as-sam-ships" / "python"

    @property
    def runtime(self) -> Path:
        return self.root / "runtime"

    def function(self, logical_id: str) -> Path:
        return self.root / "functions" / logical_id

    def function_as_sam_ships(self, logical_id: str) -> Path:
        return self.root / "functions-as-sam-ships" / logical_id

    def reference(self, name: str) -> Path:
        return self.root / "references" / name


def build(
    root: Path, python: str | None = None, arch: str | None = None, source: Path = REPO
) -> Built:
    """Build the layer and every function into `root` (emptied first) by the template's
    Makefile targets, then the bench's references and a runtime folder beside them.

    `source` is the tree whose `shared/` and `functions/` are built (another commit's,
    for `python -m bench.compare`); the steps, the template and the requirements are
    this checkout's. A function the source tree lacks is not built."""
    python = python or runtime_python()
    arch = arch or layer_arch()
    if root.exists():
        shutil.rmtree(root)
    built = Built(root)
    _make(f"build-{LAYER_ID}", source / "shared", built.layer.parent, python, arch)
    present = []
    for function in functions():
        code = source / function.code_uri.relative_to(REPO)
        if not code.is_dir():
            continue
        present.append(function)
        _make(
            f"build-{function.logical_id}", code, built.function(function.logical_id), python, arch
        )
    _without_bytecode(built.layer, built.layer_as_sam_ships)
    for function in present:
        _without_bytecode(
            built.function(function.logical_id), built.function_as_sam_ships(function.logical_id)
        )
    for reference in sorted(REFERENCES.glob("*.py")):
        folder = built.reference(reference.stem)
        folder.mkdir(parents=True)
        shutil.copy(reference, folder / "app.py")
        if reference.stem == "floor":  # the floor is precompiled; the others ship as SAM ships
            _compile(folder, python)
    # The Lambda runtime provides snapshot_restore_py (the SnapStart hooks' registry);
    # the layer does not ship it. Taken from this environment, as the tests use it.
    import snapshot_restore_py

    built.runtime.mkdir(parents=True)
    shutil.copy(str(snapshot_restore_py.__file__), built.runtime)
    _compile(built.runtime, python)
    return built


# ------------------------------------------------------------------ checks


@dataclass(frozen=True)
class BytecodeProblem:
    source: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


def bytecode_problems(tree: Path, magic: bytes | None = None) -> list[BytecodeProblem]:
    """Every .py under `tree` must have its .pyc (PEP 3147 name, this interpreter's tag)
    with the runtime's magic number, hash-based and unchecked (PEP 552), holding the
    hash of the source beside it. Returns what is wrong; empty when all holds."""
    magic = magic or importlib.util.MAGIC_NUMBER
    problems = []
    for source in sorted(tree.rglob("*.py")):
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists():
            problems.append(BytecodeProblem(source, "no .pyc"))
            continue
        header = cached.read_bytes()[:16]
        flags = int.from_bytes(header[4:8], "little")
        if header[:4] != magic:
            problems.append(BytecodeProblem(source, f"magic {header[:4]!r}, not {magic!r}"))
        elif not flags & HASH_BASED:
            problems.append(BytecodeProblem(source, "timestamp-based .pyc"))
        elif flags & CHECK_SOURCE:
            problems.append(BytecodeProblem(source, "checked-hash .pyc"))
        elif header[8:16] != _imp.source_hash(_SOURCE_HASH_KEY, source.read_bytes()):
            problems.append(BytecodeProblem(source, ".pyc of another version of the source"))
    return problems


def sizes(folder: Path) -> dict[str, int]:
    """Unzipped bytes, and zipped bytes as `sam build`'s zip would hold them (deflate)."""
    unzipped = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    zipped = folder.with_suffix(".zip")
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder.parent))
    size = zipped.stat().st_size
    os.unlink(zipped)
    return {"unzipped_bytes": unzipped, "zipped_bytes": size}


def main(argv: list[str]) -> int:
    """`python -m bench.artifact check DIR...`: the bytecode check on a built tree (the
    arm64 one `sam build` wrote, say). Exit status 1 with the problems listed."""
    if len(argv) < 2 or argv[0] != "check":
        print("usage: python -m bench.artifact check DIR...", file=sys.stderr)
        return 2
    problems = [p for folder in argv[1:] for p in bytecode_problems(Path(folder))]
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} modules without valid bytecode", file=sys.stderr)
        return 1
    modules = sum(len(list(Path(f).rglob("*.py"))) for f in argv[1:])
    print(f"bytecode: {modules} modules, each with its unchecked-hash .pyc")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
