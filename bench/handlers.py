"""The handlers under measurement, as built (bench/artifact.py): every function of the
template with the precompiled layer (what ships), and the three reference rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.artifact import Built

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / "shared"
CHILD = Path(__file__).resolve().with_name("child.py")

SHIPPED = "@as-sam-ships"
#: The reference rows (bench/references/), each with how it is shipped.
MINIMAL, PEER, FLOOR = "minimal", "peer", "floor"
REFERENCE_LABELS = {
    MINIMAL: "minimal Powertools handler, as SAM ships it",
    PEER: "peer: cookbook-style CRUD handler, as SAM ships it",
    FLOOR: "floor: a botocore client and one GetItem, precompiled",
}


@dataclass(frozen=True)
class Handler:
    name: str  # api, stripe_webhook, ... or a reference's name
    label: str
    function: Path  # Lambda's /var/task
    layer: Path  # Lambda's /opt/python
    runtime: Path  # what the Lambda runtime adds (snapshot_restore_py)
    is_reference: bool = False
    snapstart: bool = False  # the template turns SnapStart on for it
    as_sam_ships: bool = False  # the "before" row: no bytecode anywhere, not held to targets

    @property
    def request_name(self) -> str:
        """Whose representative request it answers (a "before" row answers its function's)."""
        return self.name.removesuffix(SHIPPED)

    def spec(self) -> dict[str, str]:
        return {
            "function": str(self.function),
            "layer": str(self.layer),
            "runtime": str(self.runtime),
        }


def discover(built: Built, snapstart: frozenset[str] = frozenset()) -> list[Handler]:
    """The references first, then every function the template builds (future ones
    included), each with the precompiled layer."""
    from bench.artifact import functions

    found = [
        Handler(
            name,
            REFERENCE_LABELS[name],
            built.reference(name),
            built.layer if name == FLOOR else built.layer_as_sam_ships,
            built.runtime,
            is_reference=True,
        )
        for name in (MINIMAL, PEER, FLOOR)
    ]
    for function in functions():
        found.append(
            Handler(
                function.name,
                f"{function.logical_id} (functions/{function.name})",
                built.function(function.logical_id),
                built.layer,
                built.runtime,
                snapstart=function.logical_id in snapstart,
            )
        )
    for function in functions():
        found.append(
            Handler(
                function.name + SHIPPED,
                f"before: {function.logical_id}, as SAM ships it (no bytecode)",
                built.function_as_sam_ships(function.logical_id),
                built.layer_as_sam_ships,
                built.runtime,
                as_sam_ships=True,
            )
        )
    return found
