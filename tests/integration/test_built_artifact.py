"""What `sam build` ships: the layer and the functions carry their bytecode.

The artifact is built by the template's own steps (infra/build/Makefile) for this
machine's architecture, the x86-64 twin of the arm64 layer (bench/artifact.py), and
each handler is imported from it as Lambda runs it (bench/child.py: `python -I -B`, the
function's folder and the layer on the path, nothing written)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bench import artifact
from bench.handlers import REPO, Handler
from bench.stack import LAMBDA_ENV
from bench.timing import child_command, python

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> artifact.Built:
    return artifact.build(tmp_path_factory.mktemp("artifact") / "build")


def _import_in_lambda_shape(built: artifact.Built, logical_id: str) -> dict:
    handler = Handler(
        logical_id, logical_id, built.function(logical_id), built.layer, built.runtime
    )
    env = {"PATH": "/usr/bin:/bin", **LAMBDA_ENV, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    done = subprocess.run(
        child_command("import", handler), env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line[len("BENCH ") :])


def test_every_module_of_the_layer_and_the_functions_has_unchecked_hash_bytecode(built):
    # Given the artifact built by the template's steps
    trees = [built.layer, *(built.function(f.logical_id) for f in artifact.functions())]
    # When every .py is checked against its .pyc
    problems = [p for tree in trees for p in artifact.bytecode_problems(tree)]
    # Then each has one: this Python's magic number, hash-based, unchecked, of that source
    assert problems == []
    assert len(list(built.layer.rglob("*.py"))) > 1000  # the dependencies, not only ours
    assert (built.layer / "dualcredit" / "rules" / "__init__.py").exists()


@pytest.mark.parametrize("logical_id", [f.logical_id for f in artifact.functions()])
def test_each_handler_imports_from_the_built_tree_without_compiling(built, logical_id):
    # Given a handler and the layer as Lambda lays them out, bytecode writing off
    # When the handler is imported
    report = _import_in_lambda_shape(built, logical_id)
    # Then no module of the artifact was compiled from source
    assert [path for path in report["compiled"] if str(built.root) in path] == []


def test_the_same_import_without_the_bytecode_compiles_every_module(built, tmp_path):
    # Given the layer as plain `BuildMethod: python3.13` ships it (no .pyc): the likeness
    # of the check above, which must see the difference
    shipped = artifact.Built(tmp_path)
    shutil.copytree(built.layer_as_sam_ships.parent, shipped.layer.parent)
    shutil.copytree(built.function("ApiFunction"), shipped.function("ApiFunction"))
    shutil.copytree(built.runtime, shipped.runtime)
    # When the API handler is imported from it
    report = _import_in_lambda_shape(shipped, "ApiFunction")
    # Then hundreds of the layer's modules are compiled on the way
    assert sum(str(shipped.layer) in path for path in report["compiled"]) > 200
    assert artifact.bytecode_problems(shipped.layer)[0].problem == "no .pyc"


def test_the_check_refuses_timestamp_checked_and_stale_bytecode(tmp_path):
    # Given three modules compiled in the three ways Python can, and one edited after
    for mode, name in (("timestamp", "stamped"), ("checked-hash", "checked")):
        (tmp_path / f"{name}.py").write_text("X = 1\n")
        subprocess.run(
            [python(), "-m", "compileall", "-q", "--invalidation-mode", mode, str(tmp_path)],
            check=True,
        )
        shutil.move(
            tmp_path / "__pycache__" / f"{name}.cpython-313.pyc",
            tmp_path / f"{name}.keep",
        )
    (tmp_path / "stale.py").write_text("X = 1\n")
    subprocess.run(
        [
            python(),
            "-m",
            "compileall",
            "-q",
            "--invalidation-mode",
            "unchecked-hash",
            str(tmp_path),
        ],
        check=True,
    )
    for name in ("stamped", "checked"):
        shutil.move(tmp_path / f"{name}.keep", tmp_path / "__pycache__" / f"{name}.cpython-313.pyc")
    (tmp_path / "stale.py").write_text("X = 2\n")
    # When the tree is checked
    problems = {p.source.name: p.problem for p in artifact.bytecode_problems(tmp_path)}
    # Then each is refused for its own reason
    assert problems == {
        "checked.py": "checked-hash .pyc",
        "stale.py": ".pyc of another version of the source",
        "stamped.py": "timestamp-based .pyc",
    }


def test_the_layer_requirements_are_the_lock_files_hashed_export():
    # Given the requirements the layer's build installs (pip --require-hashes)
    shipped = (REPO / "shared" / "requirements.txt").read_text()
    # When uv exports the lock file's runtime dependencies again
    uv = shutil.which("uv")
    assert uv, "uv is on PATH under make test"
    exported = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    # Then they are the same (the header names the command that wrote them)
    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert body(shipped) == body(exported), "run `make requirements`"
    assert "--hash=sha256:" in shipped


def test_the_template_builds_every_function_and_the_layer_with_the_makefile():
    # Given the template's build metadata and the Makefile's targets
    targets = Path(artifact.BUILD_MAKEFILE).read_text()
    # Then every function and the layer name a target there
    declared = artifact.TEMPLATE.read_text().count("Type: AWS::Serverless::Function\n")
    ids = [f.logical_id for f in artifact.functions()] + [artifact.LAYER_ID]
    assert len(ids) == declared + 1
    for logical_id in ids:
        assert f"build-{logical_id}" in targets
