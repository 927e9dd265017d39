"""What the modem says about calls, normalised: URCs and +CLCC lines in, ``CallReport`` out.

How it works: pure functions, one per kind of report, all tolerant of
garbage (they return None rather than raise):

- result codes after ATD or while a call is up: ``NO CARRIER`` (normal
  clearing, or the call could not be set up), ``BUSY``, ``NO ANSWER``;
- ``RING`` / ``+CRING: VOICE`` and ``+CLIP: "<number>",<type>,...``;
- ``+CLCC: <idx>,<dir>,<stat>,<mode>,<mpty>[,"<number>",<type>[,"<alpha>"]]``
  (27.007 §7.18; stat 0 active, 1 held, 2 dialing, 3 alerting, 4 incoming,
  5 waiting; SIMCom's unsolicited +CLCC adds 6 = disconnected, which is a
  provisional end: the result code that follows says why);
- Huawei ``^ORIG:<idx>,<type>``, ``^CONF:<idx>``, ``^CONN:<idx>,<type>`` and
  ``^CEND:<idx>,<duration>,<end status>,<cause>``, the cause being the
  24.008 Annex H value (17 user busy, 19 no answer, 21 call rejected ...).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nabat.system.wire.at import FinalKind, Urc, split_arguments


class ReportKind(enum.Enum):
    DIALING = "dialing"
    ALERTING = "alerting"
    ACTIVE = "active"
    INCOMING = "incoming"
    RING = "ring"
    CALLER = "caller"
    ENDED = "ended"


class EndReason(enum.Enum):
    NORMAL = "normal clearing"  # NO CARRIER: hung up, or could not be connected
    BUSY = "busy"
    NO_ANSWER = "no answer"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    LOCAL = "hung up by the driver"
    TIMEOUT = "ring timeout"
    LINK_LOST = "link to the modem lost"
    FAILED = "network failure"


@dataclass(frozen=True, slots=True)
class CallReport:
    kind: ReportKind
    index: int | None = None
    number: str | None = None
    reason: EndReason | None = None
    authoritative: bool = True  # False: an end whose reason a later result code may refine


# 24.008 Annex H causes as ^CEND reports them.
CAUSES: dict[int, EndReason] = {
    1: EndReason.UNREACHABLE,  # unassigned number
    3: EndReason.UNREACHABLE,  # no route to destination
    16: EndReason.NORMAL,
    17: EndReason.BUSY,
    18: EndReason.UNREACHABLE,  # no user responding
    19: EndReason.NO_ANSWER,  # user alerting, no answer
    20: EndReason.UNREACHABLE,  # subscriber absent
    21: EndReason.REJECTED,
    27: EndReason.UNREACHABLE,  # destination out of order
    28: EndReason.UNREACHABLE,  # invalid number format
    31: EndReason.NORMAL,
    34: EndReason.FAILED,  # no circuit available
    38: EndReason.FAILED,  # network out of order
    41: EndReason.FAILED,  # temporary failure
    42: EndReason.FAILED,  # congestion
    47: EndReason.FAILED,  # resources unavailable
}

FINAL_REASONS: dict[FinalKind, EndReason] = {
    FinalKind.NO_CARRIER: EndReason.NORMAL,
    FinalKind.BUSY: EndReason.BUSY,
    FinalKind.NO_ANSWER: EndReason.NO_ANSWER,
    FinalKind.NO_DIALTONE: EndReason.FAILED,
}
_RESULT_CODES = {kind.value: reason for kind, reason in FINAL_REASONS.items()}
_CLCC_KINDS = {
    0: ReportKind.ACTIVE,
    1: ReportKind.ACTIVE,  # held: still up
    2: ReportKind.DIALING,
    3: ReportKind.ALERTING,
    4: ReportKind.INCOMING,
    5: ReportKind.INCOMING,  # waiting
}
_HUAWEI = {"^ORIG": ReportKind.DIALING, "^CONF": ReportKind.ALERTING, "^CONN": ReportKind.ACTIVE}


@dataclass(frozen=True, slots=True)
class ClccEntry:
    index: int
    direction: int  # 0 mobile originated, 1 mobile terminated
    stat: int
    number: str | None


def _arguments(text: str) -> tuple[str, ...] | None:
    try:
        return split_arguments(text)[0]
    except ValueError:
        return None


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def parse_clcc(value: str) -> ClccEntry | None:
    """One +CLCC line's value (after ``+CLCC:``), or None if it is not one."""
    args = _arguments(value)
    if args is None or len(args) < 5:
        return None
    index, direction, stat = _int(args[0]), _int(args[1]), _int(args[2])
    if index is None or direction not in (0, 1) or stat is None:
        return None
    number = args[5] if len(args) > 5 and args[5] else None
    return ClccEntry(index, direction, stat, number)


def clcc_report(entry: ClccEntry) -> CallReport | None:
    if entry.stat == 6:
        return CallReport(ReportKind.ENDED, entry.index, entry.number, EndReason.NORMAL, False)
    kind = _CLCC_KINDS.get(entry.stat)
    return None if kind is None else CallReport(kind, entry.index, entry.number)


def from_urc(urc: Urc) -> CallReport | None:
    """The call report an unsolicited result code carries, or None."""
    name = urc.name
    if name in _RESULT_CODES:
        return CallReport(ReportKind.ENDED, reason=_RESULT_CODES[name])
    if name == "RING" or (name == "+CRING" and "VOICE" in urc.value.upper()):
        return CallReport(ReportKind.RING)
    if name == "+CLIP":
        args = _arguments(urc.value)
        return CallReport(ReportKind.CALLER, number=args[0]) if args and args[0] else None
    if name == "+CLCC":
        entry = parse_clcc(urc.value)
        return None if entry is None else clcc_report(entry)
    if name in _HUAWEI:
        args = _arguments(urc.value)
        index = _int(args[0]) if args else None
        return CallReport(_HUAWEI[name], index)
    if name == "^CEND":
        args = _arguments(urc.value)
        if not args:
            return None
        cause = _int(args[3]) if len(args) > 3 else None
        reason = CAUSES.get(cause, EndReason.NORMAL) if cause is not None else EndReason.NORMAL
        return CallReport(ReportKind.ENDED, _int(args[0]), reason=reason)
    return None
