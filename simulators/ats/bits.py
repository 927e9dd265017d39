"""The ATS simulator's own error and warning bits, and the texts it sends for them.

The spec leaves error bits 15..22 FREE and defines no warning bits; the
simulator uses a few for failures the spec does not name (docs/ats-simulator.md).
They are the simulator's detail, not the protocol's: the shared codec
(``nabat.system.wire.ats``) knows only Appendix 1, decodes these as ``BIT_n``,
and writes their texts from ``SIM_MESSAGES``, which the simulator passes in.
"""

from __future__ import annotations

import enum

from nabat.system.wire.ats import SPEC_ERROR_MESSAGES, MessageTables


class SimErrorBit(enum.IntFlag):
    """Error bits in the spec's FREE range, used only by this simulator."""

    SIM_CALL_ID_TOO_LONG = 1 << 15
    SIM_CALL_ID_REQUIRED = 1 << 16
    SIM_NOT_B_OWNER = 1 << 17
    SIM_PARAM_NOT_INT = 1 << 18


class SimWarningBit(enum.IntFlag):
    SIM_CALL_ID_DUPLICATE = 1 << 0


SIM_ERROR_MESSAGES: dict[int, str] = {
    SimErrorBit.SIM_CALL_ID_TOO_LONG: "call_id is longer than 100 characters",
    SimErrorBit.SIM_CALL_ID_REQUIRED: "call_id is required (CheckCall without id_src, callUpdate)",
    SimErrorBit.SIM_NOT_B_OWNER: 'You are not owner of the "b" number',
    SimErrorBit.SIM_PARAM_NOT_INT: "A numeric callUpdate parameter can not be converted to int",
}

SIM_WARNING_MESSAGES: dict[int, str] = {
    SimWarningBit.SIM_CALL_ID_DUPLICATE: (
        "call_id was already used by this operator within 12 hours"
    ),
}

SIM_MESSAGES = MessageTables(
    errors={**SPEC_ERROR_MESSAGES, **SIM_ERROR_MESSAGES},
    warnings=SIM_WARNING_MESSAGES,
)
