"""Issue 14: no module in shared/ over 400 lines, so each keeps to one job."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(p for p in SHARED.rglob("*.py") if ".aws-sam" not in p.relative_to(SHARED).parts)


def test_the_shared_modules_are_found():
    assert any(p.name == "dynamo.py" for p in _modules())


def test_no_module_in_shared_is_over_400_lines():
    over = {
        str(path.relative_to(SHARED.parent)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not over, f"over {MAX_LINES} lines (split by job): {over}"
