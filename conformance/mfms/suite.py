"""The MFMS suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.mfms.cases``) register into :data:`SUITE`;
import ``nabat.conformance.mfms.cases`` to get a fully populated suite.
"""

from __future__ import annotations

import httpx
from nabat.conformance.framework.suite import Suite
from nabat.conformance.mfms.binding import MfmsBinding, MfmsEnv
from nabat.conformance.mfms.clauses import MFMS
from nabat.conformance.mfms.control import ControlError
from nabat.conformance.mfms.options import OPTIONS

CAPABILITIES = {
    "control": "the MFMS simulator's control API (--sim-control URL): clock, cancellation, "
    "platform failures, world overrides, connectors; a real platform has none",
    "https": "an https:// --target (the HTTPS cases)",
}

SUITE: Suite[MfmsEnv] = Suite(
    "mfms",
    MFMS,
    CAPABILITIES,
    MfmsBinding.from_config,
    OPTIONS,
    target_errors=(httpx.HTTPError, ControlError),
)
