"""The cyclic garbage collector paused while a handler's modules load (issue 13).

A cold start imports 500 to 700 modules: hundreds of thousands of long-lived objects
(classes, functions, code, dicts) and next to no garbage. CPython's collector runs
every 2,000 allocations and walks the young objects each time, and the older
generations again and again as they grow: about 45 ms of a handler's first answer on
the bench, as much as the floor's own GetItem request (docs/decisions.md, "Where the
first answer's time goes").

Each handler module imports this module first and calls `loaded()` last. Between
the two the collector is off; `loaded()` moves every object the import made into the
permanent generation (`gc.freeze`: a module's objects live as long as the process, so
no collection would ever free them) and turns the collector back on, so requests
collect their own garbage as before and never walk the modules' objects again.

Only a process that starts with a handler's import pauses (Lambda's, the bench's):
one that already holds dualcredit modules when this is first imported (a test run,
the dev stack) is left as it is, so a test importing a handler that fails half way
never leaves the collector off.
"""

from __future__ import annotations

import gc
import sys

#: True from this module's first import, in a process that had loaded no dualcredit
#: module before it and had the collector on, until `loaded()`.
_paused = gc.isenabled() and not any(
    name.startswith("dualcredit.") and name != __name__ for name in sys.modules
)
if _paused:
    gc.disable()


def paused() -> bool:
    """Whether the collector is paused for the handler's import right now."""
    return _paused


def loaded() -> None:
    """The handler's modules are loaded: freeze what they made and resume collecting.
    Does nothing in a process that never paused (or after the first call)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
