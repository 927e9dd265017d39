"""One GSM modem as a channel: the supervisor task that owns the port, and the facade.

How it works. ``GsmModem.start()`` starts one asyncio task, the supervisor,
that runs the ``ModemMachine`` (state.py) through the modem's life:

    open the port (executor) -> initialise (initialise.py) -> watch:
    every ``health_interval`` the SIM and network checks, until the link
    fails -> tear down -> wait the backoff (doubling from ``reopen_initial``
    to ``reopen_max``, reset by a successful start) -> open again.

The link fails when the reader thread reports the port gone (``PortLost``),
when any command gets no final result code in time (``ModemTimeout``: the
modem stopped answering; the part that saw it calls ``link_failed``), or
when the modem announces a restart (``RDY``: its settings are gone). The
command waiting at that moment fails at once; a call in progress ends as
"link lost"; an SMS submission whose body was written is reported UNKNOWN
(sms_out.py); stored incoming SMS are read again by the next
initialisation's sweep (sms_in.py), so nothing is lost or handed over twice.

Everything the engine uses is here: ``call`` (voice.py), ``send_sms``
(sms_out.py), ``subscribe`` for events (incoming calls and SMS, delivery
reports, status changes) and ``status()`` for GETCHANNELS, computed from the
machine state and what the modem is doing (dialing, in call, ringing,
sending). URCs are routed by ``_on_urc``: calls and DTMF to the voice
part, +CMTI/+CMT/+CDS/+CDSI to the inbox, reboot markers to the
supervisor. All time is the injected clock's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    CallResult,
    ChannelStatus,
    EventHandler,
    SmsSubmission,
    StatusChanged,
)
from nabat.system.channels.clock import Clock, LoopClock, within
from nabat.system.channels.events import EventHub
from nabat.system.channels.gsm import initialise
from nabat.system.channels.gsm.calls import CallPhase
from nabat.system.channels.gsm.commander import AtCommander, Response
from nabat.system.channels.gsm.dialects import DIALECTS, GENERIC, REBOOT_URCS, Dialect, detect
from nabat.system.channels.gsm.errors import (
    LinkError,
    ModemNotReady,
    ModemRestarted,
    PortLost,
    PortUnavailable,
)
from nabat.system.channels.gsm.initialise import Identity, NetworkStatus, SimCheck, SimVerdict
from nabat.system.channels.gsm.link import Opener, SerialLink, open_serial
from nabat.system.channels.gsm.settings import GsmModemSettings
from nabat.system.channels.gsm.sms_in import Inbox
from nabat.system.channels.gsm.sms_out import SmsSender
from nabat.system.channels.gsm.state import ModemEvent, ModemMachine, ModemState
from nabat.system.channels.gsm.voice import VoiceControl
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.wire.at import Urc

log = logging.getLogger("nabat.channels.gsm")

UNSETTLED_HEALTH_INTERVAL = 5.0  # health checks while not READY come at least this often
JOIN_TIMEOUT = 2.0
_SIM_EVENTS = {
    SimVerdict.ABSENT: ModemEvent.SIM_MISSING,
    SimVerdict.PIN_NEEDED: ModemEvent.PIN_NEEDED,
    SimVerdict.LOCKED: ModemEvent.SIM_LOCKED,
}
_CALL_ACTIVITY = {
    CallPhase.DIALING: Activity.DIALING,
    CallPhase.ALERTING: Activity.DIALING,
    CallPhase.RINGING: Activity.RINGING,
    CallPhase.ACTIVE: Activity.IN_CALL,
    CallPhase.ENDED: Activity.IN_CALL,
}


class GsmModem:
    """A modem on a serial port: ``VoiceChannel``, ``SmsRoute`` and ``EventSource``."""

    def __init__(
        self,
        settings: GsmModemSettings,
        *,
        clock: Clock | None = None,
        opener: Opener = open_serial,
    ) -> None:
        self._settings = settings
        self._clock: Clock = clock or LoopClock()
        self._opener = opener
        self._machine = ModemMachine()
        self._hub = EventHub(settings.name)
        self._commander = AtCommander(self._clock, self._on_urc, settings.name)
        self._dialect = DIALECTS.get(settings.dialect, GENERIC)
        self.voice = VoiceControl(self)
        self.sender = SmsSender(self)
        self.inbox = Inbox(self)
        self.identity = Identity()
        self.sim_number: str | None = None  # read with AT+CNUM at initialisation
        self.network_status: NetworkStatus | None = None
        self.dtmf_detection = False
        self.reconnects = 0
        self._text = "not started"
        self._since = 0.0
        self._pin_refused = False
        self._link: SerialLink | None = None
        self._lost: asyncio.Future[LinkError] | None = None
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._last: ChannelStatus | None = None
        self._waiting = False  # the supervisor waits on the clock (backoff, health interval)

    # --- ModemCore ---------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._settings.name

    @property
    def settings(self) -> GsmModemSettings:
        return self._settings

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def own_number(self) -> str | None:
        """The number calls come from (digits, no +): ``number=`` or else the SIM's."""
        return self._settings.number or self.sim_number

    @property
    def commander(self) -> AtCommander:
        return self._commander

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    @property
    def hub(self) -> EventHub:
        return self._hub

    @property
    def state(self) -> ModemState:
        return self._machine.state

    def ensure_ready(self) -> None:
        if self._machine.state is not ModemState.READY:
            raise ModemNotReady(f"{self.name}: {self._text}")

    def link_failed(self, error: LinkError) -> None:
        lost = self._lost
        if lost is not None and not lost.done():
            lost.set_result(error)

    def changed(self) -> None:
        status = self.status()
        last = self._last
        if last is not None and (last.activity, last.text) == (status.activity, status.text):
            return
        if last is None or last.activity is not status.activity:
            self._since = self._clock.now()
            status = self.status()
        self._last = status
        self._changed.set()
        if self._hub.has_subscribers:
            self._hub.publish(StatusChanged(status))

    # --- the channel interfaces ---------------------------------------------------------------
    def status(self) -> ChannelStatus:
        state = self._machine.state
        call = self.voice.call
        if call is not None and state in (ModemState.READY, ModemState.NO_NETWORK):
            who = call.number or "a hidden number"
            activity = _CALL_ACTIVITY[call.phase]
            return ChannelStatus(self.name, activity, f"{activity.value}: {who}", self._since)
        if state is ModemState.READY and self.sender.sending:
            return ChannelStatus(self.name, Activity.SENDING, "sending an SMS", self._since)
        return ChannelStatus(self.name, self._machine.activity, self._text, self._since)

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        return self._hub.subscribe(handler)

    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
    ) -> CallResult:
        return await self.voice.place_call(
            number,
            confirm=confirm,
            on_answer=on_answer,
            dtmf_timeout=dtmf_timeout,
            ring_timeout=ring_timeout,
        )

    async def send_sms(
        self, number: str, text: str, *, status_report: bool | None = None
    ) -> SmsSubmission:
        wanted = self._settings.status_reports if status_report is None else status_report
        return await self.sender.send(number, text, status_report=wanted)

    async def command(self, line: str, timeout: float | None = None) -> Response:
        """A raw AT command for diagnostics (the driver's own commands wait their turn)."""
        if not self._commander.attached:
            raise ModemNotReady(f"{self.name}: {self._text}")
        try:
            return await self._commander.run(
                line, timeout=timeout or self._settings.command_timeout
            )
        except LinkError as error:
            self.link_failed(error)
            raise

    async def wait_until(
        self, condition: Callable[[ChannelStatus], bool], timeout: float | None = None
    ) -> ChannelStatus:
        """The status once ``condition(status)`` holds (``TimeoutError`` on the clock)."""

        async def until() -> ChannelStatus:
            while not condition(status := self.status()):
                self._changed.clear()
                await self._changed.wait()
            return status

        return await within(self._clock, until(), timeout)

    async def wait_ready(self, timeout: float | None = None) -> ChannelStatus:
        return await self.wait_until(lambda status: self.state is ModemState.READY, timeout)

    @property
    def quiescent(self) -> bool:
        """The supervisor waits on the clock and no command is in flight (tests, benchmarks)."""
        return self._waiting and not self._commander.busy

    async def _pause(self, awaitable: Awaitable[object]) -> None:
        self._waiting = True
        try:
            await awaitable
        finally:
            self._waiting = False

    def info(self) -> dict[str, object]:
        network = self.network_status
        return {
            "name": self.name,
            "port": self._settings.port,
            "state": self._machine.state.value,
            "dialect": self._dialect.name,
            "manufacturer": self.identity.manufacturer,
            "model": self.identity.model,
            "imei": self.identity.imei,
            "own_number": self.own_number,
            "dtmf_detection": self.dtmf_detection,
            "registered": None if network is None else network.registered,
            "signal": None if network is None else network.rssi,
            "reconnects": self.reconnects,
            "sms_submitted": self.sender.submitted,
            "sms_received": self.inbox.received,
            "status_reports": self.inbox.reports,
            "commands": self._commander.commands,
            "urcs": self._commander.urcs,
        }

    # --- life ------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._fire(ModemEvent.START, f"opening {self._settings.port}")
            self._task = asyncio.get_running_loop().create_task(
                self._supervise(), name=f"{self.name} supervisor"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait(task)
        self.voice.close()
        self._hub.close()
        if self._machine.state is not ModemState.STOPPED:
            self._fire(ModemEvent.STOP, "stopped")

    async def __aenter__(self) -> GsmModem:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _fire(self, event: ModemEvent, text: str) -> None:
        self._machine.fire(event)
        self._text = text
        self.changed()

    # --- the supervisor ------------------------------------------------------------------------
    async def _supervise(self) -> None:
        settings = self._settings
        backoff = settings.reopen_initial
        while True:
            try:
                link = await self._connect()
            except PortUnavailable as error:
                self._fire(ModemEvent.OPEN_FAILED, f"{error}; retrying in {backoff:g} s")
                await self._pause(self._clock.sleep(backoff))
                backoff = min(backoff * 2, settings.reopen_max)
                self._fire(ModemEvent.RETRY, f"opening {settings.port}")
                continue
            try:
                why, came_up = await self._session()
            finally:
                await self._teardown(link)
            if came_up:
                backoff = settings.reopen_initial
            self.reconnects += 1
            log.warning("%s: %s; reconnecting in %g s", self.name, why, backoff)
            self._fire(ModemEvent.LINK_LOST, f"{why}; reconnecting in {backoff:g} s")
            await self._pause(self._clock.sleep(backoff))
            backoff = min(backoff * 2, settings.reopen_max)
            self._fire(ModemEvent.RETRY, f"opening {settings.port}")

    async def _connect(self) -> SerialLink:
        loop = asyncio.get_running_loop()
        try:
            port = await loop.run_in_executor(None, self._opener, self._settings)
        except PortUnavailable:
            raise
        except Exception as error:
            raise PortUnavailable(f"{self._settings.port}: {error}") from error
        self._lost = loop.create_future()
        holder: list[SerialLink] = []

        def on_data(data: bytes) -> None:
            if holder and holder[0] is self._link:
                self._commander.feed(data)

        def on_lost(error: Exception) -> None:
            if holder and holder[0] is self._link:
                lost = error if isinstance(error, LinkError) else PortLost(str(error))
                self._commander.detach(lost)
                self.link_failed(lost)

        settings = self._settings
        link = SerialLink(
            port, loop, on_data, on_lost, self.name, settings.read_poll, settings.write_timeout
        )
        holder.append(link)
        self._link = link
        self._commander.attach(link.write)
        self.inbox.reset()
        link.start()
        self._fire(ModemEvent.OPENED, "initialising")
        return link

    async def _teardown(self, link: SerialLink) -> None:
        self._link = None
        self._commander.detach(PortLost("the link was closed"))
        self.voice.link_lost()
        link.close()
        await asyncio.get_running_loop().run_in_executor(None, link.join, JOIN_TIMEOUT)

    def _check_lost(self) -> None:
        lost = self._lost
        if lost is not None and lost.done():
            raise lost.result()

    async def _session(self) -> tuple[LinkError, bool]:
        """Initialise and watch until the link fails; (why, whether the modem came up)."""
        worker: asyncio.Task[None] | None = None
        came_up = False
        try:
            await initialise.synchronise(self)
            self.identity = await initialise.configure_line(self)
            if self._settings.dialect == "auto":
                self._dialect = detect(self.identity.manufacturer, self.identity.model)
            self._check_lost()
            await self._bring_up()
            came_up = True
            worker = asyncio.get_running_loop().create_task(
                self.inbox.run(), name=f"{self.name} inbox"
            )
            await self._watch()
        except LinkError as error:
            return error, came_up
        finally:
            if worker is not None:
                await cancel_and_wait(worker)
        raise AssertionError("the watch ends only by a link error")  # pragma: no cover

    async def _bring_up(self) -> None:
        """From the SIM check on: SIM, SMS and voice setup, network, stored messages."""
        sim = await self._check_sim()
        self._check_lost()
        if sim.verdict is not SimVerdict.READY:
            self._fire(_SIM_EVENTS[sim.verdict], sim.text)
            return
        if await initialise.configure_sms(self):
            self.inbox.selected(self._settings.storage)
        self.dtmf_detection = await initialise.configure_voice(self, self._dialect)
        self.sim_number = await initialise.own_number(self)
        self._check_lost()
        await self._network()
        await self.inbox.sweep()
        self._check_lost()

    async def _check_sim(self) -> SimCheck:
        """+CPIN?, entering the PIN unless the SIM refused it once (never twice: PUK)."""
        pin = None if self._pin_refused else self._settings.pin
        sim = await initialise.check_sim(self, pin)
        self._pin_refused = self._pin_refused or sim.pin_refused
        if self._pin_refused and sim.verdict is SimVerdict.PIN_NEEDED:
            text = "the configured PIN was refused: not sent again (fix it and restart)"
            return SimCheck(SimVerdict.LOCKED, text)
        return sim

    async def _network(self) -> None:
        status = await initialise.network(self)
        self.network_status = status
        event = ModemEvent.READY if status.registered else ModemEvent.NETWORK_LOST
        text = f"idle, {status.text}" if status.registered else status.text
        self._fire(event, text)

    async def _watch(self) -> None:
        assert self._lost is not None
        while True:
            self._check_lost()
            interval = self._settings.health_interval
            if self._machine.state is not ModemState.READY:
                interval = min(interval, UNSETTLED_HEALTH_INTERVAL)
            with contextlib.suppress(TimeoutError):
                await self._pause(within(self._clock, asyncio.shield(self._lost), interval))
            self._check_lost()
            await self._health()

    async def _health(self) -> None:
        state = self._machine.state
        if state in (ModemState.NO_SIM, ModemState.PIN_REQUIRED, ModemState.FAILED):
            self._fire(ModemEvent.RECHECK, "checking the SIM again")
            await self._bring_up()
            return
        sim = await self._check_sim()
        if sim.verdict is not SimVerdict.READY:
            self._fire(_SIM_EVENTS[sim.verdict], sim.text)
            return
        await self._network()
        if self.inbox.leftovers:
            await self.inbox.sweep()

    # --- unsolicited result codes -------------------------------------------------------------
    def _on_urc(self, urc: Urc) -> None:
        if self.voice.on_urc(urc) or self.inbox.on_urc(urc):
            return
        if urc.name in REBOOT_URCS:
            self.link_failed(ModemRestarted(f"the modem restarted ({urc.line})"))
            return
        log.debug("%s: unsolicited %r", self.name, urc.line)
