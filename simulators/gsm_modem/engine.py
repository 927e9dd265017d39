"""One simulated modem: bytes from the DTE in, bytes out through attached links.

How it works. ``receive(data)`` appends to an input backlog that is drained
while the line is not executing a command (``LineState`` machine): slices up
to the next byte that can end something (S3, ``/``; Ctrl-Z, Esc and CR in an
SMS body) go to ``at.CommandLineReader``, are echoed under ATE1, and its
events drive the line. A command line's commands run one after the other
through the command table (commands/): each handler changes state at once
and returns a ``Reply`` whose text and final result code are written in one
write when the command's simulated time has passed (the scheduler). Input
that arrives meanwhile waits in the backlog, as in a real modem's buffer.

Unsolicited result codes (``urc``) go out at once when the line is idle;
while a command executes or an SMS body is being typed they are queued and
flushed, each group in one write, right after the final result code. Lines
that belong together (RING and +CLIP) are one group.

Timers are bound to the power epoch: a power cycle or an unplugged port
cancels everything that was going to happen. The world (``runtime``) decides
the far ends (calls_flow.py, sms_flow.py); faults are methods of the modem
(faults.py). Writes pass through the output faults (delay, garbling) and the
byte journal, then to every attached link (the pty, the in-process port).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from nabat.simulators.control.scheduler import Scheduler, Timer
from nabat.simulators.gsm_modem import calls_flow, commands, radio, sms_flow
from nabat.simulators.gsm_modem.calls import Call, CallTable
from nabat.simulators.gsm_modem.errors import (
    CommandFailure,
    ModemErrorResult,
    NotSupported,
    PlainError,
)
from nabat.simulators.gsm_modem.faults import FaultHooks
from nabat.simulators.gsm_modem.identity import (
    DeviceIdentity,
    Operator,
    SimCard,
    default_device,
    default_sim,
)
from nabat.simulators.gsm_modem.journal import ByteJournal
from nabat.simulators.gsm_modem.network import Network
from nabat.simulators.gsm_modem.profiles import GENERIC, Profile
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.settings import Settings
from nabat.simulators.gsm_modem.sim import Sim
from nabat.simulators.gsm_modem.sms_store import Storage
from nabat.simulators.gsm_modem.states import (
    LINE_TABLE,
    LineEvent,
    LineState,
    Machine,
)
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.world import (
    AntiFraudLink,
    EventKind,
    ScriptedEvent,
    SmsDecision,
    World,
    WorldRuntime,
)
from nabat.system.wire.at import (
    CTRL_Z,
    ESC,
    PROMPT,
    AtCommand,
    BodyLineBreak,
    BodyOutcome,
    CommandLine,
    CommandLineReader,
    ErrorFamily,
    LineOverflow,
    SmsBody,
    format_error,
    frame_final,
    frame_line,
)

log = logging.getLogger(__name__)

MAX_BACKLOG = 8192
BASIC_RESULTS = frozenset({"OK", "CONNECT", "RING", "NO CARRIER", "ERROR", "BUSY", "NO ANSWER"})


class Link(Protocol):
    """Where a modem's bytes go: a pseudo-terminal, an in-process port."""

    def write(self, data: bytes) -> None: ...


class Modem(FaultHooks):
    def __init__(
        self,
        index: int,
        scheduler: Scheduler,
        *,
        profile: Profile = GENERIC,
        timing: Timing | None = None,
        runtime: WorldRuntime | None = None,
        antifraud: AntiFraudLink | None = None,
        sim_card: SimCard | None = None,
        device: DeviceIdentity | None = None,
        operator: Operator | None = None,
        name: str | None = None,
        confirm_key: str | None = "1",
        journal: ByteJournal | None = None,
    ) -> None:
        self.index = index
        self.name = name or f"modem{index}"
        self.scheduler = scheduler
        self.clock = scheduler.clock
        self.profile = profile
        self.timing = timing or Timing()
        self.runtime = runtime if runtime is not None else WorldRuntime(World(), self.clock)
        self.antifraud = antifraud
        self.confirm_key = confirm_key
        self.device = device or default_device(index)
        self.sim = Sim(sim_card or default_sim(index))
        self.network = Network(operator)
        self.journal = journal or ByteJournal()
        self.settings = Settings()
        self.saved = Settings()
        self.calls = CallTable()
        self.storage = Storage(first_index=0 if profile.name == "quectel" else 1)
        self.reader = CommandLineReader()
        self.line: Machine[LineState, LineEvent] = Machine("line", LINE_TABLE, LineState.COMMAND)
        self.links: list[Link] = []
        self.powered = False
        self.booted = False
        self.functionality = 1  # +CFUN
        self.message_reference = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self._epoch = 0
        self._backlog = bytearray()
        self._draining = False
        self._urcs: list[bytes] = []
        self._body_handler: Callable[[bytes], Reply] | None = None
        self._pending_timer: Timer | None = None
        self._pending_info: list[str] = []
        self.waiting_call: Call | None = None  # ATD under +COLP=1 waits for the answer
        self.last_dialled = ""
        self.sms_groups: OrderedDict[tuple[str, int, int], SmsDecision] = OrderedDict()
        self.sms_waiting: list[ScriptedEvent] = []
        self.sms_concat_reference = 0
        FaultHooks.__init__(self)

    # --- links ---------------------------------------------------------------
    def attach(self, link: Link) -> None:
        self.links.append(link)

    def detach(self, link: Link) -> None:
        if link in self.links:
            self.links.remove(link)

    @property
    def own_number(self) -> str:
        return self.sim.card.msisdn

    def now(self) -> float:
        return self.clock.now()

    # --- time ----------------------------------------------------------------
    def after(self, delay: float, action: Callable[[], None], label: str = "") -> Timer:
        """Run ``action`` in ``delay`` simulated seconds unless the modem is power-cycled."""
        epoch = self._epoch

        def run() -> None:
            if self._epoch == epoch:
                action()

        return self.scheduler.call_later(delay, run, label or action.__name__)

    def spawn(self, coroutine: Callable[[], object], label: str) -> None:
        """Run an async step (the anti-fraud check) on the running loop."""

        async def guarded() -> None:
            try:
                await coroutine()  # type: ignore[misc]
            except Exception:
                log.exception("%s: %s failed", self.name, label)
                self.journal.event(self.now(), f"{label} failed")

        task = asyncio.get_running_loop().create_task(guarded(), name=f"{self.name} {label}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- output ----------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Bytes to the DTE (through the output faults)."""
        if not data or self.silent:
            return
        self.send_out(data)

    def _deliver(self, data: bytes) -> None:
        self.journal.tx(self.now(), data)
        for link in list(self.links):
            link.write(data)

    def frame(self, text: str) -> bytes:
        return frame_line(text, verbose=self.settings.verbose)

    def frame_result(self, text: str) -> bytes:
        """A result code (final or unsolicited basic) as ATV/ATQ want it."""
        if self.settings.quiet and (text in BASIC_RESULTS or text.startswith("+CM")):
            return b""
        return frame_final(text, verbose=self.settings.verbose)

    def urc(self, *lines: str, result: bool = False) -> None:
        """Unsolicited lines, written together; ``result``: the first is a basic result code."""
        if not self.powered or not self.booted:
            return
        parts = []
        for position, line in enumerate(lines):
            if result and position == 0:
                parts.append(self.frame_result(line))
            else:
                parts.append(self.frame(line))
        data = b"".join(parts)
        if not data:
            return
        if self.line.state is LineState.COMMAND:
            self.write(data)
        else:
            self._urcs.append(data)

    def _flush_urcs(self) -> None:
        queued, self._urcs = self._urcs, []
        for data in queued:
            self.write(data)

    # --- input -------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        self.journal.rx(self.now(), data)
        if self.silent or not self.powered or not self.booted:
            return
        room = MAX_BACKLOG - len(self._backlog)
        self._backlog += data[: max(room, 0)]
        self._drain()

    def _boundary(self) -> int:
        """Length of the backlog slice that ends at the next byte that can end something."""
        backlog = self._backlog
        stops: tuple[int, ...]
        if self.line.state is LineState.SMS_BODY:
            stops = (CTRL_Z, ESC, self.reader.s3)
        else:
            stops = (self.reader.s3, ord("/"))
        ends = [i for i in (backlog.find(stop) for stop in stops) if i >= 0]
        return min(ends) + 1 if ends else len(backlog)

    def _drain(self) -> None:
        if self._draining:
            return
        self._draining = True
        try:
            while self._backlog and self.line.state is not LineState.EXECUTING:
                if not self.powered or self.silent:
                    self._backlog.clear()
                    break
                size = self._boundary()
                chunk = bytes(self._backlog[:size])
                del self._backlog[:size]
                self._echo(chunk)
                for event in self.reader.feed(chunk):
                    self._on_event(event)
        finally:
            self._draining = False

    def _echo(self, chunk: bytes) -> None:
        if not self.settings.echo:
            return
        if self.line.state is LineState.SMS_BODY:
            chunk = bytes(b for b in chunk if b not in (CTRL_Z, ESC, self.reader.s3))
        self.write(chunk)

    def _on_event(self, event: object) -> None:
        if isinstance(event, CommandLine):
            self.line.fire(LineEvent.START)
            self._run(list(event.parsed.commands), event.parsed.error is not None, [], 0.0)
        elif isinstance(event, LineOverflow):
            self.line.fire(LineEvent.START)
            self.complete([], "ERROR")
        elif isinstance(event, BodyLineBreak):
            if self.settings.cmgf == 1:  # text mode prompts for each new line of the body
                self.write(PROMPT)
        elif isinstance(event, SmsBody):
            self._on_body(event)

    # --- executing ---------------------------------------------------------------
    def _run(
        self, queue: list[AtCommand], syntax_error: bool, info: list[str], delay: float
    ) -> None:
        while queue:
            command = queue.pop(0)
            try:
                reply = self.dispatch(command)
            except CommandFailure as failure:
                self._finish_after(delay + self.timing.command, info, self.failure_text(failure))
                return
            except Exception:  # a bug of the simulator: the line still gets its answer
                log.exception("%s: AT%s failed unexpectedly", self.name, command.name)
                self._finish_after(delay + self.timing.command, info, "ERROR")
                return
            info.extend(reply.lines)
            delay += self.timing.command if reply.delay is None else reply.delay
            if reply.body is not None:
                self._prompt_after(delay, info, reply.body)
                return
            if reply.wait:
                self._pending_info = info
                return
            if reply.final is not None:
                self._finish_after(delay, info, reply.final)
                return
        self._finish_after(delay, info, "ERROR" if syntax_error else "OK")

    def dispatch(self, command: AtCommand) -> Reply:
        handler = commands.handler_for(self.profile, command.name)
        if handler is None:
            raise NotSupported(command.name)
        return handler(self, command)

    def failure_text(self, failure: CommandFailure) -> str:
        if isinstance(failure, ModemErrorResult):
            return format_error(failure.family, failure.code, self.settings.cmee)
        if isinstance(failure, NotSupported):
            return self.profile.unknown_reply
        assert isinstance(failure, PlainError | CommandFailure)
        return "ERROR"

    def _finish_after(self, delay: float, info: list[str], final: str) -> None:
        if delay <= 0:
            self.complete(info, final)
            return
        self._pending_timer = self.after(delay, lambda: self.complete(info, final), "reply")

    def complete(self, info: list[str], final: str) -> None:
        """Write a command's information text and final result code, and go idle."""
        if self.line.state is not LineState.EXECUTING:
            return
        self._pending_timer = None
        data = b"".join(self.frame(line) for line in info) + self.frame_result(final)
        self.write(data)
        self.line.fire(LineEvent.FINISH)
        self._flush_urcs()
        self._drain()

    def finish_waiting(self, lines: list[str], final: str) -> None:
        """End a command that waited (``Reply.wait``) with ``lines`` and ``final``."""
        info, self._pending_info = self._pending_info, []
        self.complete(info + lines, final)

    @property
    def executing(self) -> bool:
        return self.line.state is not LineState.COMMAND

    def _prompt_after(
        self, delay: float, info: list[str], handler: Callable[[bytes], Reply]
    ) -> None:
        def prompt() -> None:
            if self.line.state is not LineState.EXECUTING:
                return
            self._body_handler = handler
            self.write(b"".join(self.frame(line) for line in info) + PROMPT)
            self.line.fire(LineEvent.PROMPT)
            self.reader.start_sms_body()
            self._drain()

        if delay <= 0:
            prompt()
        else:
            self.after(delay, prompt, "prompt")

    def _on_body(self, body: SmsBody) -> None:
        handler, self._body_handler = self._body_handler, None
        if body.outcome is BodyOutcome.CANCEL or handler is None:
            self.line.fire(LineEvent.CANCEL)
            self.write(self.frame_result("OK"))
            self._flush_urcs()
            return
        self.line.fire(LineEvent.BODY_DONE)
        if body.outcome is BodyOutcome.OVERFLOW:
            code = 305 if self.settings.cmgf == 1 else 304
            self.complete([], format_error(ErrorFamily.CMS, code, self.settings.cmee))
            return
        try:
            reply = handler(body.content)
        except CommandFailure as failure:
            self._finish_after(self.timing.command, [], self.failure_text(failure))
            return
        except Exception:  # a bug of the simulator: the line still gets its answer
            log.exception("%s: SMS body failed unexpectedly", self.name)
            self._finish_after(self.timing.command, [], "ERROR")
            return
        delay = self.timing.command if reply.delay is None else reply.delay
        self._finish_after(delay, reply.lines, reply.final or "OK")

    # --- power -------------------------------------------------------------------
    def _reset_runtime_state(self) -> None:
        self._epoch += 1
        for call in self.calls.listing():
            call.cancel_timers()
        self.calls = CallTable()
        self.settings = self.saved.copy()
        self.reader = CommandLineReader()
        self.line.fire(LineEvent.RESET)
        self._backlog.clear()
        self._urcs.clear()
        self._body_handler = None
        self._pending_info = []
        self.waiting_call = None
        self.storage.reset_selection()
        self.network.radio_off()
        self.functionality = 1

    def power_on(self, boot: bool = True) -> None:
        """Switch on. ``boot=False``: the modem has long been on (no boot URCs, registered)."""
        self._reset_runtime_state()
        self.powered = True
        self.sim.power_on()
        if not boot:
            self.booted = True
            radio.sim_ready_steps(self, immediate=True)
            return
        self.booted = False

        def booted() -> None:
            self.booted = True
            if self.profile.boot_urcs:
                for line in self.profile.boot_urcs:
                    self.urc(line)
            radio.sim_ready_steps(self, immediate=False)

        self.after(self.timing.boot, booted, "boot")

    def power_off(self) -> None:
        self._reset_runtime_state()
        self.powered = False
        self.booted = False

    def reboot(self) -> None:
        self.journal.event(self.now(), "reboot")
        self.power_off()
        self.power_on(boot=True)

    def next_reference(self) -> int:
        reference = self.message_reference
        self.message_reference = (self.message_reference + 1) % 256
        return reference

    # --- the world's timeline -------------------------------------------------------
    def scripted(self, event: ScriptedEvent) -> None:
        """A scripted incoming call or SMS for this modem, due now."""
        if self.unplugged or not self.powered:
            self.journal.event(self.now(), "scripted event missed: modem off", number=event.source)
            if event.kind is EventKind.SMS:
                self.sms_waiting.append(event)
            return
        if event.kind is EventKind.CALL:
            calls_flow.ring_in(self, event)
        else:
            sms_flow.deliver_in(self, event)
