"""All FTP cases; importing this package registers them into SUITE, module by module
in the order below: the FTP session, explicit FTPS, the poller and archive names,
the template variant, the variant without template, and rejected archives."""

from __future__ import annotations

import importlib

from nabat.conformance.ftp_platform.suite import SUITE

CASE_MODULES = (
    "session",
    "tls",
    "poller",
    "template",
    "plain",
    "rejects",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
