"""Re-exports that load their module on first use (PEP 562).

A package that re-exports its modules' names (`dal.records`, `dal.payments`) would
otherwise import every one of its modules as soon as any one name is wanted, and a
Lambda's cold start would pay for the modules its routes never call (the grade import
has no use for the card-payment or review-flag code). Such a package names the module
each of its names lives in, imports them for the type checker only, and ends with

    EXPORTS = {"student_year": ("StudentYear", "fee_facts"), "payment": ("PaymentRecord",)}
    __all__ = [name for names in EXPORTS.values() for name in names]
    __getattr__, __dir__ = lazy.exports(__name__, EXPORTS)

`from dualcredit.dal.records import StudentYear` then imports `student_year` alone.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping

#: Every lazy package and its modules, for `load_all`.
_PACKAGES: dict[str, tuple[str, ...]] = {}


def exports(
    package: str, modules: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The package's `__getattr__` and `__dir__`: `modules` maps each of its submodules
    (relative to `package`) to the names it exports."""
    where = {name: module for module, names in modules.items() for name in names}
    if len(where) != sum(len(tuple(names)) for names in modules.values()):
        raise ValueError(f"{package}: a name is exported by two modules")
    _PACKAGES[package] = tuple(modules)

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__


def load_all() -> None:
    """Import every lazy package's every module now: before a SnapStart snapshot, so a
    restored environment finds them loaded instead of paying for them on a request."""
    for package, modules in _PACKAGES.items():
        for module in modules:
            importlib.import_module(f"{package}.{module}")
