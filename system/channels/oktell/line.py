"""``OktellLine``: one line of an Oktell PBX as a ``VoiceChannel`` and ``EventSource``.

How it works (docs/oktell-channel.md tells the why):

* ``call(number, ...)`` uploads the message audio once per distinct WAV
  (``AudioUploads``), then runs the PBX's notification service script
  synchronously: ``execsvcscript?name=<script>&startparam1=<number>
  &startparam2=<uploaded file>&startparam3=<confirm keys>&startparam4=<DTMF
  window>&startparam5=<direction>&async=0&timeout=<T>``, T = ring timeout +
  message length + DTMF window + ``call_margin``. The script's return value
  (``outcomes.read_outcome``) becomes the ``CallResult``. One request per
  call: nothing to poll, and the result arrives the moment the script ends.
* Every exit after the script run was requested but without its final word
  (its timeout passed, an error, our cancellation) hangs up: ``stop_script``
  (default ``stop``; the simulator's ends the notify calls to the number)
  with the number, then ``wp_autocallstop`` on the line; shielded from
  cancellation. Nothing is hung up when the script was never asked for (the
  message could not be made or uploaded).
* Health: a supervisor task polls ``wp_getabonentinfo`` on the line every
  ``poll_interval`` while no call runs. The line's state at the PBX gives
  the ``Activity`` (free IDLE, ringing RINGING, in a call IN_CALL, out of
  service NO_NETWORK); a 403 or 404 makes it FAILED (probed again only every
  ``failed_interval``: no retry storm); no connection, a timeout or a 5xx
  RECOVERING, probed with bounded jittered backoff. A call is taken only
  while IDLE (else ``ChannelUnavailable``); a call that meets 403/404 makes
  the line FAILED, one that meets an unreachable PBX makes it RECOVERING.
* Incoming calls: a ringing line (``lsRinging``) with a caller is announced
  once per commutation as ``IncomingCall``; its control rejects with
  ``wp_declinecall``; answering is not in the HTTP interface (the line's
  user or the PBX's IVR answers), so ``answer`` raises ``ChannelError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    CallOutcome,
    CallResult,
    CallSession,
    ChannelError,
    ChannelStatus,
    ChannelUnavailable,
    EventHandler,
    IncomingCall,
)
from nabat.system.channels.clock import Clock, LoopClock, within
from nabat.system.channels.events import EventHub
from nabat.system.channels.oktell.audio import Message, message_audio
from nabat.system.channels.oktell.outcomes import is_confirmed, read_outcome
from nabat.system.channels.oktell.pbx import (
    OktellPbx,
    PbxError,
    PbxNotFound,
    PbxRefused,
)
from nabat.system.channels.oktell.session import FinishedSession
from nabat.system.channels.oktell.settings import OktellLineSettings
from nabat.system.channels.route_health import RouteHealth, backoff_delay
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.speech.synthesiser import Synthesiser, SynthesisError
from nabat.system.wire.oktell import AbonentInfoReply

log = logging.getLogger("nabat.channels.oktell")

LINE_FREE, LINE_RINGING, LINE_DISCONNECTED = 1, 8, 0


class LineFailed(ChannelUnavailable):
    """The line needs an operator (password refused, no such line or script)."""


class OktellLine:
    def __init__(
        self,
        settings: OktellLineSettings,
        pbx: OktellPbx,
        *,
        clock: Clock | None = None,
        synthesiser: Synthesiser | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.pbx = pbx
        self._clock: Clock = clock or LoopClock()
        self._synthesiser = synthesiser
        self._rng = rng
        self._hub = EventHub(settings.name)
        self._health = RouteHealth(settings.name, self._clock, self._hub)
        self._calling = False
        self._supervisor: asyncio.Task[None] | None = None
        self._cleanups: set[asyncio.Task[None]] = set()
        self._announced: str | None = None  # commutation id of the last incoming call
        self._wake = asyncio.Event()
        self.message: Message = None  # the default message of ``call``

    # --- what the engine sees ------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def own_number(self) -> str | None:
        """The line's outgoing number (``number=``; digits, no +), None when not configured."""
        return self.settings.number

    def status(self) -> ChannelStatus:
        return self._health.status()

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        return self._hub.subscribe(handler)

    # --- life ----------------------------------------------------------------------------
    async def start(self) -> None:
        if self._supervisor is None:
            self._health.set(Activity.STARTING, "checking the line at the PBX")
            self._supervisor = asyncio.get_running_loop().create_task(
                self._supervise(), name=f"{self.name} supervisor"
            )

    async def stop(self) -> None:
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            await cancel_and_wait(supervisor)
        if self._cleanups:
            await asyncio.wait(set(self._cleanups), timeout=self.settings.timeout)
        self._hub.close()
        self._health.set(Activity.STOPPED, "stopped")

    async def check(self) -> None:
        """One health probe now (the supervisor does this every ``poll_interval``)."""
        await self._probe()

    # --- calls ---------------------------------------------------------------------------
    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
        message: Message = None,
    ) -> CallResult:
        """Place one notification call through the PBX's script (module doc)."""
        if self._calling:
            raise ChannelUnavailable(f"{self.name}: a call is already running")
        status = self._health.status()
        if status.activity is Activity.FAILED:
            raise LineFailed(f"{self.name}: {status.text}")
        if status.activity is not Activity.IDLE:
            raise ChannelUnavailable(f"{self.name}: {status.text}")
        self._calling = True
        self._health.set(Activity.DIALING, "calling")
        dialled = False  # the script run was requested: a call may be up at the PBX
        settled = False  # the script ended the call itself: nothing to hang up
        try:
            audio = await message_audio(
                message if message is not None else self.message,
                self._synthesiser,
                self.settings.voice,
            )
            file_name, seconds = "", 0.0
            if audio is not None:
                file_name, seconds = await self.pbx.uploads.ensure(audio[0]), audio[1]
            ring = ring_timeout if ring_timeout is not None else self.settings.ring_timeout
            limit = ring + seconds + dtmf_timeout + self.settings.call_margin
            params = [number, file_name, confirm or "", f"{dtmf_timeout:g}",
                      self.settings.direction]  # fmt: skip
            started = self._clock.now()
            dialled = True
            reply = await within(
                self._clock,
                self.pbx.run_script(self.settings.script, params, limit),
                limit + self.settings.call_margin,
            )
            elapsed = max(0.0, self._clock.now() - started)
            if not reply.started:
                self._health.set(Activity.FAILED, f"the PBX has no script {self.settings.script}")
                return self._failed(number, f"script {self.settings.script} not started")
            if reply.startresult != 0:
                return self._failed(number, f"the script failed (startresult {reply.startresult})")
            if reply.returnvalue is None:
                return self._failed(number, f"no result from the script within {limit:g} s")
            outcome = read_outcome(reply.returnvalue)
            if outcome is None:
                return self._failed(number, f"unexpected script result {reply.returnvalue[:80]!r}")
            settled = True
            if outcome.outcome is None:
                raise ChannelUnavailable(f"{self.name}: {outcome.detail}")
            answered = outcome.outcome is CallOutcome.ANSWERED
            talk = outcome.talk
            if talk is None:  # estimated: the message, plus the window when no key came
                window = dtmf_timeout if outcome.word == "nokey" else 0.0
                talk = min(elapsed, seconds + window) if answered else 0.0
            ring_seconds = outcome.ring if outcome.ring is not None else max(0.0, elapsed - talk)
            result = CallResult(self.name, number, outcome.outcome, ring_seconds, talk,
                                outcome.keys, is_confirmed(outcome.keys, confirm),
                                outcome.detail)  # fmt: skip
            if answered and on_answer is not None:
                session: CallSession = FinishedSession(number, outcome.keys)
                await on_answer(session)
            return result
        except PbxRefused as error:
            self._health.set(Activity.FAILED, "the PBX refused the password (403)")
            return self._failed(number, str(error))
        except PbxNotFound as error:
            self._health.set(Activity.FAILED, f"the PBX does not know it: {error}")
            return self._failed(number, str(error))
        except (PbxError, TimeoutError) as error:
            self._health.set(Activity.RECOVERING, f"PBX trouble: {error}")
            self._wake.set()
            return self._failed(number, str(error) or "no answer from the PBX in time")
        except (SynthesisError, ChannelError) as error:
            if isinstance(error, ChannelUnavailable):
                raise
            return self._failed(number, f"no message audio: {error}")
        finally:
            if dialled and not settled:
                await self._hang_up_shielded(number)
            self._calling = False
            if self._health.activity is Activity.DIALING:
                self._health.set(Activity.IDLE, "idle")

    def _failed(self, number: str, detail: str) -> CallResult:
        log.info("%s: call failed: %s", self.name, detail)
        return CallResult(self.name, number, CallOutcome.FAILED, 0.0, 0.0, detail=detail)

    async def _hang_up_shielded(self, number: str) -> None:
        task = asyncio.get_running_loop().create_task(self._hang_up(number))
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)
        # A cancellation of the caller stands; the hang-up goes on in _cleanups.
        await asyncio.shield(task)

    async def _hang_up(self, number: str) -> None:
        if self.settings.stop_script is not None:
            try:
                await self.pbx.start_script(self.settings.stop_script, [number])
            except PbxError as error:
                log.warning("%s: the stop script failed: %s", self.name, error)
        try:
            stopped = await self.pbx.stop_call(self.settings.line)
        except PbxError as error:
            log.warning("%s: could not hang up: %s", self.name, error)
        else:
            log.debug("%s: hang-up %s", self.name, "done" if stopped else "found nothing up")

    # --- health and incoming calls ---------------------------------------------------------
    async def _supervise(self) -> None:
        attempt = 0
        while True:
            wait = self.settings.poll_interval
            if not self._calling:
                activity = await self._probe()
                if activity is Activity.FAILED:
                    wait = self.settings.failed_interval
                elif activity is Activity.RECOVERING:
                    wait = backoff_delay(
                        attempt,
                        initial=self.settings.backoff_initial,
                        maximum=self.settings.backoff_max,
                        rng=self._rng,
                    )
                    attempt += 1
                else:
                    attempt = 0
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await within(self._clock, self._wake.wait(), wait)

    async def _probe(self) -> Activity:
        try:
            info = await self.pbx.abonent_info(self.settings.line)
        except PbxRefused:
            self._set_idle_state(Activity.FAILED, "the PBX refused the password (403)")
        except PbxNotFound:
            self._set_idle_state(Activity.FAILED, f"the PBX has no line {self.settings.line}")
        except PbxError as error:
            self._set_idle_state(Activity.RECOVERING, f"PBX trouble: {error}")
        else:
            self._line_state(info)
        return self._health.activity

    def _set_idle_state(self, activity: Activity, text: str) -> None:
        if not self._calling:
            self._health.set(activity, text)

    def _line_state(self, info: AbonentInfoReply) -> None:
        code, label = info.currentlinestate, info.currentlinestatestr
        if code == LINE_FREE:
            self._set_idle_state(Activity.IDLE, "idle")
        elif code == LINE_DISCONNECTED:
            self._set_idle_state(Activity.NO_NETWORK, f"the line is out of service ({label})")
        elif code == LINE_RINGING:
            self._set_idle_state(Activity.RINGING, "an incoming call rings")
        else:
            self._set_idle_state(Activity.IN_CALL, f"the line is busy at the PBX ({label})")
        caller = info.abonentinfo
        if code == LINE_RINGING and caller is not None and self.settings.incoming:
            if caller.commutationid != self._announced:
                self._announced = caller.commutationid
                control = _IncomingControl(self)
                self._hub.publish(IncomingCall(self.name, caller.callerid or None, control))
        elif code != LINE_RINGING:
            self._announced = None


class _IncomingControl:
    def __init__(self, line: OktellLine) -> None:
        self._line = line

    async def answer(self) -> CallSession:
        raise ChannelError(
            "Oktell's server HTTP interface has no command to answer a call: "
            "the line's user or the PBX's IVR answers it"
        )

    async def reject(self) -> None:
        try:
            await self._line.pbx.decline(self._line.settings.line)
        except PbxError as error:
            raise ChannelError(f"{self._line.name}: could not decline: {error}") from None
