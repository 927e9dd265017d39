"""All ATS cases; importing this package registers them into SUITE, module by
module in the order below (so runs and reports read from the basics to
failover)."""

from __future__ import annotations

import importlib

from nabat.conformance.ats.suite import SUITE

CASE_MODULES = (
    "service",
    "number_info",
    "register",
    "numbers",
    "check",
    "encoding",
    "debug",
    "universal_call",
    "call_update",
    "simulator_profiles",
    "failover",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
