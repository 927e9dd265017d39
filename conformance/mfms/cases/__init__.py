"""All MFMS cases; importing this package registers them into SUITE, module by
module in the order below (from the wire to the delivery lifecycle)."""

from __future__ import annotations

import importlib

from nabat.conformance.mfms.suite import SUITE

CASE_MODULES = (
    "send",
    "status",
    "errors",
    "auth",
    "lifecycle",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
