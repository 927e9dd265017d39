"""All server cases; importing this package registers them into SUITE, module
by module in the order below (wire and session first, project commands last)."""

from __future__ import annotations

import importlib

from nabat.conformance.server.suite import SUITE

CASE_MODULES = (
    "wire",
    "session",
    "tasks",
    "groups",
    "lists",
    "abonents",
    "messages",
    "users",
    "monitoring",
    "appendix",
    "timestamps",
    "fields",
    "rights",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
