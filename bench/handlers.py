"""The handlers under measurement: the minimal reference and every functions/*/app.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / "shared"
CHILD = Path(__file__).resolve().with_name("child.py")
MINIMAL = "minimal"


@dataclass(frozen=True)
class Handler:
    name: str
    path: Path

    @property
    def is_reference(self) -> bool:
        return self.name == MINIMAL

    @property
    def label(self) -> str:
        return self.path.relative_to(REPO).as_posix()


def discover() -> list[Handler]:
    """The reference first, then every function's handler (future functions included)."""
    found = [Handler(MINIMAL, Path(__file__).resolve().with_name("minimal_handler.py"))]
    for app in sorted((REPO / "functions").glob("*/app.py")):
        found.append(Handler(app.parent.name, app))
    return found
