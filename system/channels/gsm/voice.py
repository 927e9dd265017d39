"""Voice calls on one modem: call-out with DTMF collection, and incoming calls with caller id.

How it works. ``VoiceControl`` owns at most one ``CallTracker`` (calls.py)
and feeds it from three sources: the call URCs (``on_urc``: result codes,
RING/+CLIP, SIMCom +CLCC, Huawei ^ORIG/^CONF/^CONN/^CEND, every vendor's
DTMF URC), the final result code of ATD itself, and for dialects without
call URCs a ``AT+CLCC`` poll every ``call_poll_interval`` while a call is up.

Call-out (``place_call``): ``ATD<number>;`` -> wait (on the clock) until the
call is answered, ends, or ``ring_timeout`` passes (then hang up: no
answer). Answered: the ``on_answer`` hook gets a ``GsmCallSession`` and keys
are collected until the wanted ``confirm`` sequence, ``dtmf_timeout`` or the
far end hanging up; then the dialect's hang-up command. A provisional end is
settled (``end_grace``) so the result code can say why. The link failing
mid-call ends the call as ``link lost`` (FAILED if unanswered).

Incoming: RING (or SIMCom's +CLCC stat 4) starts a RINGING tracker; the
``IncomingCall`` event goes out when +CLIP gives the caller, or after
``clip_wait`` without one. Its control answers (ATA) or rejects (hang-up).
Nobody subscribed: the call is rejected at once. A call that stops ringing
without a NO CARRIER (lost URC) is ended after three silent ring periods.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from nabat.system.channels.base import (
    AnswerHook,
    CallResult,
    CallSession,
    IncomingCall,
)
from nabat.system.channels.gsm import call_reports
from nabat.system.channels.gsm.call_reports import CallReport, EndReason, ReportKind
from nabat.system.channels.gsm.calls import CallMove, CallPhase, CallTracker
from nabat.system.channels.gsm.core import ModemCore
from nabat.system.channels.gsm.dialects import CallTracking, dtmf_key
from nabat.system.channels.gsm.errors import (
    CommandRejected,
    LinkError,
    ModemNotReady,
)
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.wire.at import FinalKind, FinalResult, Urc

log = logging.getLogger("nabat.channels.gsm.voice")

RING_SILENCE = 15.0  # seconds without RING before a ringing call is taken as gone


def dial_number(number: str) -> str:
    """What goes after ATD: digits, * # +; an 11+ digit number without + is international."""
    cleaned = "".join(char for char in number if char not in " -()")
    if not cleaned or any(char not in "0123456789*#+" for char in cleaned) or "+" in cleaned[1:]:
        raise ValueError(f"{number!r} is not a number to dial")
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) >= 11:
        return "+" + cleaned
    return cleaned


class GsmCallSession:
    """``CallSession`` over a tracker: keys, waiting for keys, tones, hang-up."""

    def __init__(self, voice: VoiceControl, tracker: CallTracker) -> None:
        self._voice = voice
        self._tracker = tracker
        self._first_key = len(tracker.keys)

    @property
    def tracker(self) -> CallTracker:
        return self._tracker

    @property
    def number(self) -> str | None:
        return self._tracker.number

    @property
    def keys(self) -> str:
        return "".join(self._tracker.keys[self._first_key :])

    @property
    def ended(self) -> bool:
        return self._tracker.ended

    async def wait_for_keys(self, wanted: str, timeout: float) -> bool:
        tracker = self._tracker
        clock = self._voice.core.clock
        await tracker.wait_until(lambda: wanted in self.keys or tracker.ended, clock, timeout)
        return bool(wanted) and wanted in self.keys

    async def next_key(self, timeout: float) -> str | None:
        tracker = self._tracker
        seen = len(tracker.keys)
        await tracker.wait_until(
            lambda: len(tracker.keys) > seen or tracker.ended, self._voice.core.clock, timeout
        )
        return tracker.keys[seen] if len(tracker.keys) > seen else None

    async def send_tones(self, tones: str) -> None:
        for tone in tones:
            await self._voice.command(f"AT+VTS={tone}")

    async def hang_up(self) -> None:
        await self._voice.hang_up(self._tracker, EndReason.LOCAL)


class IncomingControl:
    """Answer or reject one incoming call (``IncomingCallControl``)."""

    def __init__(self, voice: VoiceControl, tracker: CallTracker) -> None:
        self._voice = voice
        self._tracker = tracker

    async def answer(self) -> CallSession:
        return await self._voice.answer(self._tracker)

    async def reject(self) -> None:
        await self._voice.hang_up(self._tracker, EndReason.LOCAL)


class VoiceControl:
    def __init__(self, core: ModemCore) -> None:
        self.core = core
        self.call: CallTracker | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._announced: set[int] = set()

    # --- helpers ---------------------------------------------------------------
    def _spawn(self, coroutine: object, label: str) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(
            coroutine,  # type: ignore[arg-type]
            name=f"{self.core.name} {label}",
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def command(
        self,
        line: str,
        *,
        expect_ok: bool = True,
        on_final: Callable[[FinalResult], None] | None = None,
    ) -> FinalKind:
        """Run a call command; a broken link is reported to the supervisor and re-raised."""
        settings = self.core.settings
        try:
            response = await self.core.commander.run(
                line, timeout=settings.command_timeout, expect_ok=expect_ok, on_final=on_final
            )
        except LinkError as error:
            self.core.link_failed(error)
            if self.call is not None:
                self.call.end(EndReason.LINK_LOST, self.core.clock.now())
            raise
        return response.final.kind

    def link_lost(self) -> None:
        """The supervisor lost the link: the call in progress is over."""
        if self.call is not None:
            self.call.end(EndReason.LINK_LOST, self.core.clock.now())

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    # --- unsolicited reports ------------------------------------------------------
    def on_urc(self, urc: Urc) -> bool:
        """Handle a call or DTMF URC; False when it is not one."""
        key = dtmf_key(urc)
        if key is not None:
            if self.call is not None:
                self.call.add_key(key)
            return True
        report = call_reports.from_urc(urc)
        if report is None:
            return False
        self._report(report)
        return True

    def _report(self, report: CallReport) -> None:
        now = self.core.clock.now()
        call = self.call
        if call is None:
            if report.kind in (ReportKind.RING, ReportKind.INCOMING) or (
                report.kind is ReportKind.CALLER
            ):
                self._incoming(report)
            return
        if not call.listening or (report.kind is ReportKind.INCOMING and not call.incoming):
            return  # before ATD returned, or a waiting call during ours: not about this call
        phase = call.phase
        call.observe(report, now)
        if call.phase is not phase:
            self.core.changed()
        if call.incoming and report.kind is ReportKind.CALLER:
            self._announce(call)

    # --- call-out --------------------------------------------------------------------
    async def place_call(
        self,
        number: str,
        *,
        confirm: str | None,
        on_answer: AnswerHook | None,
        dtmf_timeout: float,
        ring_timeout: float | None,
    ) -> CallResult:
        core = self.core
        dialled = dial_number(number)
        core.ensure_ready()
        if self.call is not None:
            raise ModemNotReady(f"{core.name}: a call is in progress")
        tracker = CallTracker(dialled, incoming=False, started=core.clock.now())
        self.call = tracker
        core.changed()
        poller: asyncio.Task[None] | None = None
        confirmed = False
        try:
            try:
                final = await self.command(
                    f"ATD{dialled};", expect_ok=False, on_final=tracker.listen
                )
            except CommandRejected as error:
                tracker.end(EndReason.FAILED, core.clock.now())
                return self._finish(tracker, str(error))
            if final is not FinalKind.OK:
                tracker.observe(
                    CallReport(ReportKind.ENDED, reason=call_reports.FINAL_REASONS[final]),
                    core.clock.now(),
                )
            poller = self._start_poller(tracker)
            limit = ring_timeout if ring_timeout is not None else core.settings.ring_timeout
            answered_or_over = await tracker.wait_until(
                lambda: tracker.phase in (CallPhase.ACTIVE, CallPhase.ENDED), core.clock, limit
            )
            if not answered_or_over:
                await self.hang_up(tracker, EndReason.TIMEOUT)
            if tracker.phase is CallPhase.ACTIVE:
                session = GsmCallSession(self, tracker)
                confirmed = await self._converse(session, confirm, on_answer, dtmf_timeout)
                if not tracker.ended:
                    await self.hang_up(tracker, EndReason.LOCAL)
            await tracker.settle(core.clock, core.settings.end_grace)
        except LinkError as error:
            tracker.end(EndReason.LINK_LOST, core.clock.now())
            return self._finish(tracker, f"link lost: {error}", confirmed=confirmed)
        except asyncio.CancelledError:
            if self.call is tracker:
                self.call = None
                core.changed()
                if not tracker.ended:
                    self._spawn(self.hang_up(tracker, EndReason.LOCAL), "hang up a cancelled call")
            raise
        finally:
            if poller is not None:
                poller.cancel()
        return self._finish(tracker, confirmed=confirmed)

    def _finish(
        self, tracker: CallTracker, detail: str = "", *, confirmed: bool = False
    ) -> CallResult:
        result = tracker.result(self.core.name, self.core.clock.now(), confirmed=confirmed)
        if self.call is tracker:
            self.call = None
            self.core.changed()
        if detail:
            result = replace(result, detail=detail)
        return result

    async def _converse(
        self,
        session: GsmCallSession,
        confirm: str | None,
        on_answer: AnswerHook | None,
        dtmf_timeout: float,
    ) -> bool:
        hook: asyncio.Task[None] | None = None
        if on_answer is not None:
            hook = asyncio.get_running_loop().create_task(
                _guarded(on_answer, session), name=f"{self.core.name} message"
            )
        try:
            if confirm:
                return await session.wait_for_keys(confirm, dtmf_timeout)
            if hook is not None:
                tracker = session.tracker
                await tracker.wait_until(
                    lambda: hook.done() or tracker.ended, self.core.clock, dtmf_timeout
                )
            return False
        finally:
            if hook is not None and not hook.done():
                await cancel_and_wait(hook)

    async def hang_up(self, tracker: CallTracker, reason: EndReason) -> None:
        if tracker.ended:
            return
        tracker.hanging_up = reason
        try:
            await self.command(self.core.dialect.hangup)
        except CommandRejected as error:
            log.warning("%s: hang-up refused: %s", self.core.name, error)
        finally:
            tracker.hanging_up = None
        tracker.end(reason, self.core.clock.now())

    # --- polling +CLCC -----------------------------------------------------------------
    def _start_poller(self, tracker: CallTracker) -> asyncio.Task[None] | None:
        if self.core.dialect.tracking is not CallTracking.POLL or tracker.ended:
            return None
        return asyncio.get_running_loop().create_task(
            self._poll(tracker), name=f"{self.core.name} +CLCC poll"
        )

    async def _poll(self, tracker: CallTracker) -> None:
        core = self.core
        while not tracker.ended:
            await core.clock.sleep(core.settings.call_poll_interval)
            if tracker.ended:
                return
            try:
                response = await core.commander.run(
                    "AT+CLCC", timeout=core.settings.command_timeout
                )
            except CommandRejected:
                continue
            except LinkError as error:
                core.link_failed(error)
                tracker.end(EndReason.LINK_LOST, core.clock.now())
                return
            entries = [call_reports.parse_clcc(value) for value in response.values("+CLCC")]
            ours = [
                entry
                for entry in entries
                if entry is not None and entry.direction == (1 if tracker.incoming else 0)
            ]
            now = core.clock.now()
            if not ours:
                tracker.observe(
                    CallReport(ReportKind.ENDED, reason=EndReason.NORMAL, authoritative=False), now
                )
                continue
            report = call_reports.clcc_report(ours[0])
            if report is not None and tracker.observe(report, now):
                core.changed()

    # --- incoming ------------------------------------------------------------------------
    def _incoming(self, report: CallReport) -> None:
        core = self.core
        tracker = CallTracker(report.number, incoming=True, started=core.clock.now())
        tracker.index = report.index
        self.call = tracker
        core.changed()
        self._spawn(self._watch_incoming(tracker), "incoming call")
        if report.kind is ReportKind.CALLER:
            self._announce(tracker)

    def _announce(self, tracker: CallTracker) -> None:
        if id(tracker) in self._announced or tracker.ended:
            return
        self._announced.add(id(tracker))
        if not self.core.hub.has_subscribers:
            self._spawn(self.hang_up(tracker, EndReason.LOCAL), "reject unwanted call")
            return
        event = IncomingCall(self.core.name, tracker.number, IncomingControl(self, tracker))
        self.core.hub.publish(event)

    async def _watch_incoming(self, tracker: CallTracker) -> None:
        core = self.core
        poller: asyncio.Task[None] | None = None
        try:
            clip_wait = core.settings.clip_wait
            await tracker.wait_until(lambda: tracker.number is not None, core.clock, clip_wait)
            self._announce(tracker)
            while tracker.phase is CallPhase.RINGING:
                if not await self._rings_again(tracker):
                    tracker.end(EndReason.NORMAL, core.clock.now())
            if tracker.phase is CallPhase.ACTIVE:
                poller = self._start_poller(tracker)
                await tracker.wait_until(lambda: tracker.ended, core.clock, None)
            await tracker.settle(core.clock, core.settings.end_grace)
        except LinkError:
            tracker.end(EndReason.LINK_LOST, core.clock.now())
        finally:
            if poller is not None:
                poller.cancel()
            self._announced.discard(id(tracker))
            if self.call is tracker:
                self.call = None
                core.changed()

    async def _rings_again(self, tracker: CallTracker) -> bool:
        """Whether another RING (or the answer, or the end) comes within RING_SILENCE."""
        seen = tracker.rings
        return await tracker.wait_until(
            lambda: tracker.rings != seen or tracker.phase is not CallPhase.RINGING,
            self.core.clock,
            RING_SILENCE,
        )

    async def answer(self, tracker: CallTracker) -> CallSession:
        if tracker.phase is not CallPhase.RINGING:
            raise ModemNotReady(f"{self.core.name}: the call is {tracker.phase.value}")
        final = await self.command("ATA", expect_ok=False)
        if final is not FinalKind.OK:
            reason = call_reports.FINAL_REASONS.get(final, EndReason.NORMAL)
            tracker.end(reason, self.core.clock.now())
            raise ModemNotReady(f"{self.core.name}: the call ended before it was answered")
        if tracker.phase is CallPhase.RINGING:
            tracker.move(CallMove.CONNECT, self.core.clock.now())
        self.core.changed()
        return GsmCallSession(self, tracker)


async def _guarded(hook: AnswerHook, session: CallSession) -> None:
    try:
        await hook(session)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("the answer hook failed")
