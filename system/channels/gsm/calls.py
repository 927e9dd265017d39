"""One voice call as the driver follows it: phases as an Enum with a transition table.

How it works: a ``CallTracker`` starts DIALING (we dialled) or RINGING (it
rings here) and moves on ``CallMove`` events: ALERT (the far end rings),
RING (another RING of an incoming call), CONNECT (answered), END. The table
``TRANSITIONS`` holds every legal move; ``move`` raises ``IllegalCallMove``
for the driver's own moves, while ``observe`` applies what the modem
reported and ignores a report the table forbids (a late +CLCC after the
end), so modem output never crashes the driver.

An end carries an ``EndReason``. A provisional end (SIMCom's +CLCC stat 6,
or the call vanishing from a +CLCC poll) may be refined by the result code
that follows (BUSY, NO ANSWER) until ``settle`` has waited ``grace``
seconds; while the driver's own hang-up runs (``hanging_up``) any end is
the driver's. Keys from the DTMF URCs collect in ``keys``. ``wait_until`` waits
on the injected clock for a condition over the tracker (answered, ended, a
key). ``result`` turns the tracker into the engine's ``CallResult``.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable

from nabat.system.channels.base import CallOutcome, CallResult
from nabat.system.channels.clock import Clock, within
from nabat.system.channels.gsm.call_reports import CallReport, EndReason, ReportKind


class CallPhase(enum.Enum):
    DIALING = "dialing"
    ALERTING = "alerting"
    RINGING = "ringing"  # incoming, not answered yet
    ACTIVE = "active"
    ENDED = "ended"


class CallMove(enum.Enum):
    ALERT = "alert"
    RING = "ring"
    CONNECT = "connect"
    END = "end"


P, M = CallPhase, CallMove
TRANSITIONS: dict[tuple[CallPhase, CallMove], CallPhase] = {
    (P.DIALING, M.ALERT): P.ALERTING,
    (P.DIALING, M.CONNECT): P.ACTIVE,
    (P.DIALING, M.END): P.ENDED,
    (P.ALERTING, M.ALERT): P.ALERTING,
    (P.ALERTING, M.CONNECT): P.ACTIVE,
    (P.ALERTING, M.END): P.ENDED,
    (P.RINGING, M.RING): P.RINGING,
    (P.RINGING, M.CONNECT): P.ACTIVE,
    (P.RINGING, M.END): P.ENDED,
    (P.ACTIVE, M.CONNECT): P.ACTIVE,
    (P.ACTIVE, M.END): P.ENDED,
}
_REPORT_MOVES = {
    ReportKind.ALERTING: M.ALERT,
    ReportKind.ACTIVE: M.CONNECT,
    ReportKind.RING: M.RING,
    ReportKind.INCOMING: M.RING,
    ReportKind.ENDED: M.END,
}
_UNANSWERED = {
    EndReason.BUSY: CallOutcome.BUSY,
    EndReason.NO_ANSWER: CallOutcome.NO_ANSWER,
    EndReason.TIMEOUT: CallOutcome.NO_ANSWER,
    EndReason.REJECTED: CallOutcome.REJECTED,
    EndReason.UNREACHABLE: CallOutcome.UNREACHABLE,
    EndReason.LINK_LOST: CallOutcome.FAILED,
    EndReason.FAILED: CallOutcome.FAILED,
    EndReason.LOCAL: CallOutcome.FAILED,
}


class IllegalCallMove(RuntimeError):
    def __init__(self, phase: CallPhase, move: CallMove) -> None:
        super().__init__(f"{move.value} is not possible while the call is {phase.value}")


class CallTracker:
    def __init__(self, number: str | None, *, incoming: bool, started: float) -> None:
        self.number = number
        self.incoming = incoming
        self.phase = CallPhase.RINGING if incoming else CallPhase.DIALING
        self.index: int | None = None
        self.started = started
        self.alerted_at: float | None = None
        self.answered_at: float | None = None
        self.ended_at: float | None = None
        self.reason: EndReason | None = None
        self.provisional = False
        self.keys: list[str] = []
        self.hanging_up: EndReason | None = None  # set while our hang-up command runs
        # An outgoing call hears the modem's reports only once ATD has returned: a report
        # written before (the previous call's +CLCC stat 6) is not about this call.
        self.listening = incoming
        self.rings = 1 if incoming else 0
        self.last_ring = started
        self._changed = asyncio.Event()

    @property
    def ended(self) -> bool:
        return self.phase is CallPhase.ENDED

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def _notify(self) -> None:
        self._changed.set()

    # --- moves -------------------------------------------------------------------
    def move(self, move: CallMove, now: float, reason: EndReason | None = None) -> None:
        """The driver's own move (ATA answered, we hung up): illegal ones raise."""
        target = TRANSITIONS.get((self.phase, move))
        if target is None:
            raise IllegalCallMove(self.phase, move)
        self._apply(target, move, now, reason, authoritative=True)

    def end(self, reason: EndReason, now: float) -> None:
        """End for a reason the driver knows (link lost, hung up); a no-op once ended."""
        if not self.ended:
            self.move(CallMove.END, now, reason)

    def observe(self, report: CallReport, now: float) -> bool:
        """Apply a modem report; False when the table does not allow it (ignored)."""
        if report.kind is ReportKind.CALLER:
            if report.number and not self.number:
                self.number = report.number
                self._notify()
            return True
        if report.number and not self.number:
            self.number = report.number
        if report.index is not None and self.index is None:
            self.index = report.index
        if report.kind is ReportKind.ENDED and self.ended:
            if self.provisional and report.authoritative and report.reason is not None:
                self.reason = report.reason
                self.provisional = False
                self._notify()
            return True
        move = _REPORT_MOVES.get(report.kind)
        target = None if move is None else TRANSITIONS.get((self.phase, move))
        if move is None or target is None:
            return False
        self._apply(target, move, now, report.reason, report.authoritative)
        return True

    def _apply(
        self,
        target: CallPhase,
        move: CallMove,
        now: float,
        reason: EndReason | None,
        authoritative: bool,
    ) -> None:
        if move is CallMove.ALERT and self.alerted_at is None:
            self.alerted_at = now
        elif move is CallMove.RING:
            self.rings += 1
            self.last_ring = now
        elif move is CallMove.CONNECT and self.answered_at is None:
            self.answered_at = now
        elif move is CallMove.END:
            self.ended_at = now
            if self.hanging_up is not None:  # whatever the modem says, we ended it
                reason, authoritative = self.hanging_up, True
            self.reason = reason or EndReason.NORMAL
            self.provisional = not authoritative
        self.phase = target
        self._notify()

    def listen(self, _: object = None) -> None:
        """From now on the modem's reports are about this call (ATD has returned)."""
        self.listening = True

    def add_key(self, key: str) -> None:
        if self.phase is CallPhase.ACTIVE:
            self.keys.append(key)
            self._notify()

    # --- waiting -----------------------------------------------------------------
    async def wait_until(
        self, condition: Callable[[], bool], clock: Clock, timeout: float | None
    ) -> bool:
        """True once ``condition()`` holds; False if ``timeout`` clock seconds pass first."""
        deadline = None if timeout is None else clock.now() + timeout
        while not condition():
            remaining = None if deadline is None else deadline - clock.now()
            if remaining is not None and remaining <= 0:
                return False
            self._changed.clear()
            try:
                await within(clock, self._changed.wait(), remaining)
            except TimeoutError:
                return condition()
        return True

    async def settle(self, clock: Clock, grace: float) -> None:
        """Give a provisional end ``grace`` seconds for the result code that names it."""
        if self.ended and self.provisional:
            await self.wait_until(lambda: not self.provisional, clock, grace)

    # --- the outcome -------------------------------------------------------------
    def result(self, channel: str, now: float, *, confirmed: bool = False) -> CallResult:
        end = self.ended_at if self.ended_at is not None else now
        number = self.number or ""
        keys = "".join(self.keys)
        reason = self.reason or EndReason.NORMAL
        if self.answered_at is not None:
            return CallResult(
                channel,
                number,
                CallOutcome.ANSWERED,
                ring_seconds=round(self.answered_at - self.started, 3),
                talk_seconds=round(max(0.0, end - self.answered_at), 3),
                keys=keys,
                confirmed=confirmed,
                detail="far end hung up" if reason is EndReason.NORMAL else reason.value,
            )
        if reason is EndReason.NORMAL:
            # NO CARRIER without an answer: it rang and stopped, or never got through.
            rang = self.alerted_at is not None
            outcome = CallOutcome.NO_ANSWER if rang else CallOutcome.UNREACHABLE
        else:
            outcome = _UNANSWERED[reason]
        return CallResult(
            channel,
            number,
            outcome,
            ring_seconds=round(end - self.started, 3),
            talk_seconds=0.0,
            detail=reason.value,
        )
