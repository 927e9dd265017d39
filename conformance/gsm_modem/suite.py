"""The GSM suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.gsm_modem.cases``) register into :data:`SUITE`;
import ``nabat.conformance.gsm_modem.cases`` for the fully populated suite.
Capabilities are what the target declares: a number to text (``--sms-to``), a
number to call (``--call-to``) and what those parties do; ``pin`` is found at
the pre-flight (the SIM asked for its PIN and --pin unlocked it); ``control`` is
the simulator's control API, given with --sim-control and probed once.
"""

from __future__ import annotations

import httpx
from nabat.conformance.framework.suite import Suite
from nabat.conformance.gsm_modem.binding import GsmBinding, GsmEnv
from nabat.conformance.gsm_modem.clauses import GSM
from nabat.conformance.gsm_modem.control import ControlError
from nabat.conformance.gsm_modem.options import OPTIONS
from nabat.conformance.gsm_modem.pdu import PduError

CAPABILITIES = {
    "sms": "--sms-to NUMBER: the suite may send seven test SMS to it (a live network)",
    "status-report": "the network returns SMS status reports for --sms-to (needs sms)",
    "call": "--call-to NUMBER: the suite may call it (voice); it answers within --call-wait",
    "far-dtmf": "the --call-to party presses a DTMF key within --call-wait of answering",
    "pin": "the SIM asked for its PIN and --pin unlocked it (found by the pre-flight)",
    "detach": "the suite may take the modem off the network for a moment (+CFUN=4, +CFUN=1)",
    "storage": "the suite may write a message into the SIM's storage and delete it again",
    "scan": "the suite may run an operator scan (+COPS=?: up to three minutes on a live "
            "network)",
    "control": "the simulator's control API (--sim-control URL): incoming SMS and calls, "
               "faults, far ends that are busy or do not answer",
}

SUITE: Suite[GsmEnv] = Suite("gsm", GSM, CAPABILITIES, GsmBinding.from_config, OPTIONS,
                             target_errors=(PduError, ControlError, httpx.HTTPError))
