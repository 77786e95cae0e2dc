"""The collector paused while a handler's modules load (dualcredit.coldstart).

Each case runs in a fresh interpreter: the pause belongs to a process's first import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.stack import LAMBDA_ENV

REPO = Path(__file__).resolve().parents[2]
HANDLERS = sorted((REPO / "functions").glob("*/app.py"))


def _fresh(code: str, *path: Path, env: dict[str, str] | None = None) -> dict:
    """Run `code` in a new interpreter with `path` first on sys.path; it prints JSON."""
    prelude = f"import sys; sys.path[:0] = {[str(p) for p in path]!r}\n"
    done = subprocess.run(
        [sys.executable, "-B", "-c", prelude + code],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


STATE = "json.dumps({'on': gc.isenabled(), 'frozen': gc.get_freeze_count() > 0})"


def test_a_process_that_starts_with_a_handler_import_pauses_until_loaded():
    # Given a fresh interpreter whose first dualcredit module is coldstart
    code = f"""
import gc, json
from dualcredit import coldstart
during = {STATE}
coldstart.loaded()
after = {STATE}
coldstart.loaded()
print(json.dumps({{"during": json.loads(during), "after": json.loads(after),
                  "again": json.loads({STATE}), "paused": coldstart.paused()}}))
"""
    # When it imports coldstart, and the handler's last line calls loaded() (twice here)
    state = _fresh(code, REPO / "shared")
    # Then the collector was off while loading, and is on afterwards with what the
    # import made frozen; a second call changes nothing
    assert state["during"] == {"on": False, "frozen": False}
    assert state["after"] == {"on": True, "frozen": True}
    assert state["again"] == {"on": True, "frozen": True}
    assert state["paused"] is False


def test_a_process_already_holding_dualcredit_modules_is_left_alone():
    # Given a process that imported a dualcredit module before coldstart (a test run)
    code = f"""
import gc, json
import dualcredit.clock
from dualcredit import coldstart
during = {STATE}
coldstart.loaded()
print(json.dumps({{"during": json.loads(during), "after": json.loads({STATE})}}))
"""
    # When coldstart is imported and loaded() called
    state = _fresh(code, REPO / "shared")
    # Then the collector never stopped and nothing was frozen
    assert state["during"] == {"on": True, "frozen": False}
    assert state["after"] == {"on": True, "frozen": False}


@pytest.mark.parametrize("handler", HANDLERS, ids=lambda p: p.parent.name)
def test_every_handler_imports_coldstart_first_and_calls_loaded_last(handler):
    # Given a handler module of functions/
    body = ast.parse(handler.read_text()).body
    statements = [s for s in body if not (isinstance(s, ast.Expr) and s is body[0])]
    # When its first and last statements are read
    first, last = statements[0], statements[-1]
    # Then it imports coldstart before anything else and calls loaded() at the end
    assert isinstance(first, ast.ImportFrom)
    assert (first.module, [a.name for a in first.names]) == ("dualcredit", ["coldstart"])
    assert ast.unparse(last) == "coldstart.loaded()"


def test_a_handler_imported_as_lambda_does_ends_with_the_collector_on():
    # Given the scheduled function imported by a fresh interpreter, as Lambda's first import
    code = f"""
import gc, json, importlib
importlib.import_module("app")
print({STATE})
"""
    env = {"PATH": "/usr/bin:/bin", **LAMBDA_ENV, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    # When the import is done
    state = _fresh(code, REPO / "functions" / "scheduled", REPO / "shared", env=env)
    # Then collecting resumed, with the modules' objects frozen
    assert state == {"on": True, "frozen": True}
