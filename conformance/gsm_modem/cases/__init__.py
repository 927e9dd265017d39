"""All GSM cases; importing this package registers them into SUITE, module by module
in the order below: the command line first, then errors, identity, SIM and network,
call settings, SMS settings, stored messages, sending, voice calls, and last what
needs the simulator's control API (incoming traffic, faults, far ends)."""

from __future__ import annotations

import importlib

from nabat.conformance.gsm_modem.suite import SUITE

CASE_MODULES = (
    "line",
    "errors",
    "identity",
    "network",
    "call_settings",
    "sms_settings",
    "sms_store",
    "sms_send",
    "voice",
    "incoming",
    "trouble",
)

for _module in CASE_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["CASE_MODULES", "SUITE"]
