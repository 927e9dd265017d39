"""All Oktell cases; importing this package registers them into SUITE, module by
module in the order below (read-only first, then the cases that change state)."""

from __future__ import annotations

import importlib

from nabat.conformance.oktell.suite import SUITE

CASE_MODULES = (
    "transport",
    "licence",
    "directory",
    "scripts",
    "files",
    "userstate",
    "calls",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
