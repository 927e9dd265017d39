"""The ATS suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.ats.cases``) register into :data:`SUITE`; import
``nabat.conformance.ats.cases`` to get a fully populated suite.
"""

from __future__ import annotations

import httpx
from nabat.conformance.ats.binding import AtsBinding, AtsEnv
from nabat.conformance.ats.clauses import ATS
from nabat.conformance.ats.options import OPTIONS
from nabat.conformance.framework.suite import Suite

CAPABILITIES = {
    "control": "the simulator control API under /__sim/ (clock, faults, config, plan); "
               "auto-detected",
    "reserve": "a reserve server (--reserve URL)",
    "dbg": "debug messages in X-Error-Messages (the spec says they may be switched off)",
    "call": "the universal method call (a preliminary version in the spec)",
    "callupdate": "callUpdate (the spec says it is not used yet)",
    "numberinfo": "numberInfo",
    "help": "help",
}

SUITE: Suite[AtsEnv] = Suite("ats", ATS, CAPABILITIES, AtsBinding.from_config, OPTIONS,
                             target_errors=(httpx.HTTPError,))
