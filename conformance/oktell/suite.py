"""The Oktell suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.oktell.cases``) register into :data:`SUITE`;
import ``nabat.conformance.oktell.cases`` to get a fully populated suite.
"""

from __future__ import annotations

import httpx
from nabat.conformance.framework.suite import Suite
from nabat.conformance.oktell.binding import OktellBinding, OktellEnv
from nabat.conformance.oktell.clauses import OKTELL
from nabat.conformance.oktell.control import ControlError
from nabat.conformance.oktell.options import OPTIONS

CAPABILITIES = {
    "state": "--allow-state-changes: the suite may place calls from --line to --number, change "
    "--user's state and modes and upload files (off by default: a real PBX)",
    "internal": "an internal number to call inside the PBX (--internal-number; with "
    "--sim-control the simulator's line 17006)",
    "password": "a --password (the PBX has QueryWebServerPassword set)",
    "scripts": "two harmless service scripts on the PBX (--echo-script, --sleep-script)",
    "control": "the Oktell simulator's control API (--sim-control URL): the clock, the called "
    "party's answer, incoming calls; a real PBX has none",
}

SUITE: Suite[OktellEnv] = Suite(
    "oktell",
    OKTELL,
    CAPABILITIES,
    OktellBinding.from_config,
    OPTIONS,
    target_errors=(httpx.HTTPError, ControlError),
)
