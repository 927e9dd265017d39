"""Calls of the simulated PBX on the simulated clock, decided by the world.

``CallEngine`` places calls (wp_autocallstart, the notify script), takes
scripted incoming calls (the world's events for system ``oktell``, target
port a line number) and moves lines and users through the tables of
states.py. Every timed step is a ``Scheduler`` timer on the ``SimClock``, so
a frozen clock holds a call still and ``advance`` plays it out.

A call out to ``number``: the world decides what the person does
(``WorldRuntime.voice``: outcome, ring time, listen time, DTMF keys and when).
With sequence ``direct`` the number rings first and the line is rung back
when it answers; with ``back`` the line is rung first (its user answers after
``LINE_ANSWER_SECONDS``) and then dials. City calls take a free external
trunk line and, with an anti-fraud link (``--ats-url``), are checked first: a
call the world's operator blocks ends ``blocked`` before anything rings.
Keys pressed after the answer land in ``Call.keys`` (and wake the notify
script). Each call's phases form a table too (``CALL_TABLE``).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import itertools
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from nabat.simulators.control.scheduler import Scheduler, Timer
from nabat.simulators.oktell.directory import Directory, Line
from nabat.simulators.oktell.recordings import Recorder
from nabat.simulators.oktell.states import (
    IllegalTransition,
    LineEvent,
    LineState,
    UserEvent,
    UserState,
    line_step,
    step,
    user_step,
)
from nabat.simulators.world.antifraud import AntiFraudLink
from nabat.simulators.world.decisions import VoiceDecision
from nabat.simulators.world.events import EventKind, ScriptedEvent
from nabat.simulators.world.rules import VoiceOutcome
from nabat.simulators.world.runtime import WorldRuntime

SYSTEM = "oktell"
LINE_ANSWER_SECONDS = 1.0  # an internal line's user picks up a callback
USER_ANSWER_SECONDS = 2.0  # a ready user picks up an incoming call
DEFAULT_CALL_JOURNAL = 1000
MAX_KEYS_PER_CALL = 256


class CallRefused(Exception):
    """The call cannot start: ``status`` and ``text`` for the HTTP answer."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class CallPhase(enum.Enum):
    CHECKING = "checking"  # the anti-fraud check runs
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    ENDED = "ended"


class CallEvent(enum.Enum):
    CHECKED = "checked"
    ANSWER = "answer"
    FLASH = "flash"
    END = "end"


_P, _CE = CallPhase, CallEvent
CALL_TABLE: dict[tuple[CallPhase, CallEvent], CallPhase] = {
    (_P.CHECKING, _CE.CHECKED): _P.RINGING,
    (_P.CHECKING, _CE.END): _P.ENDED,
    (_P.RINGING, _CE.ANSWER): _P.TALKING,
    (_P.RINGING, _CE.END): _P.ENDED,
    (_P.TALKING, _CE.FLASH): _P.HELD,
    (_P.TALKING, _CE.END): _P.ENDED,
    (_P.HELD, _CE.FLASH): _P.TALKING,
    (_P.HELD, _CE.END): _P.ENDED,
}


@dataclass(slots=True)
class Call:
    id: str
    chain_id: str
    commutation_id: str
    incoming: bool
    line_id: str  # the internal line (or the trunk, for an incoming call to the IVR)
    trunk_id: str | None
    number: str  # the other party
    direction: str  # "pbx" | "city"
    sequence: str  # "direct" | "back"
    created: float  # simulated clock
    phase: CallPhase = CallPhase.CHECKING
    decision: VoiceDecision | None = None
    answered: float | None = None
    ended: float | None = None
    result: str = ""
    keys: list[str] = field(default_factory=list)
    timers: list[Timer] = field(default_factory=list)
    changed: asyncio.Event | None = None
    script: str = ""
    record_link: str | None = None
    target_id: str | None = None  # the internal line a pbx call rings

    def move(self, event: CallEvent) -> None:
        self.phase = step(CALL_TABLE, self.phase, event)
        if self.changed is not None:
            self.changed.set()

    @property
    def active(self) -> bool:
        return self.phase is not CallPhase.ENDED

    def to_json(self, wall_of: Callable[[float], float]) -> dict[str, object]:
        return {
            "id": self.id,
            "chainid": self.chain_id,
            "commutationid": self.commutation_id,
            "incoming": self.incoming,
            "line": self.line_id,
            "trunk": self.trunk_id,
            "target": self.target_id,
            "number": self.number,
            "direction": self.direction,
            "sequence": self.sequence,
            "phase": self.phase.value,
            "result": self.result,
            "keys": "".join(self.keys),
            "script": self.script,
            "record": self.commutation_id if self.record_link else None,
            "recordlink": self.record_link,
            "created": wall_of(self.created),
            "answered": None if self.answered is None else wall_of(self.answered),
            "ended": None if self.ended is None else wall_of(self.ended),
            "decision": None if self.decision is None else self.decision.fields(),
            "rule": None if self.decision is None else self.decision.rule,
        }


class CallEngine:
    def __init__(
        self,
        directory: Directory,
        runtime: WorldRuntime,
        scheduler: Scheduler,
        antifraud: AntiFraudLink | None = None,
        journal_size: int = DEFAULT_CALL_JOURNAL,
        recorder: Recorder | None = None,
    ) -> None:
        self.directory = directory
        self.runtime = runtime
        self.scheduler = scheduler
        self.antifraud = antifraud
        self.recorder = recorder
        self.calls: dict[str, Call] = {}
        self.journal: deque[Call] = deque(maxlen=journal_size)
        self._ids = itertools.count(1)
        self._event_timer: Timer | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # --- lines and users ------------------------------------------------------
    def _line_event(self, line: Line, event: LineEvent, call: Call | None) -> None:
        line.state = line_step(line.state, event)
        line.call_id = call.id if line.state is not LineState.FREE and call else None
        user = self.directory.user_on(line.id)
        if user is None:
            return
        if event in (LineEvent.DIAL, LineEvent.RING) and user.state is not UserState.BUSY:
            self._user_event(user.id, UserEvent.CALL_START)
        elif line.state is LineState.FREE and user.state is UserState.BUSY:
            self._user_event(user.id, UserEvent.FREED_ON_LUNCH if user.lunch else UserEvent.FREED)

    def _user_event(self, user_id: str, event: UserEvent) -> None:
        user = self.directory.users[user_id]
        # a user in a service state keeps it whatever the line does
        with contextlib.suppress(IllegalTransition):
            user.state = user_step(user.state, event)

    def talking(self, line: Line) -> bool:
        return line.state is not LineState.FREE and line.state is not LineState.BLOCKED

    def call_of(self, line: Line) -> Call | None:
        return self.calls.get(line.call_id) if line.call_id else None

    # --- calls out ------------------------------------------------------------
    def start(
        self,
        line: Line | None,
        number: str,
        direction: str | None,
        sequence: str,
        confirm_key: str | None = None,
        script: str = "",
    ) -> Call:
        """Start a call to ``number`` from ``line`` (None: the notify script's trunk call)."""
        if direction is None:
            direction = "pbx" if self.directory.is_internal_number(number) else "city"
        if line is not None and line.state is not LineState.FREE:
            raise CallRefused(409, f"line {line.number} is not free ({line.state.label})")
        trunk = None
        if direction == "city":
            trunk = next(
                (t for t in self.directory.external_lines() if t.state is LineState.FREE), None
            )
            if trunk is None:
                raise CallRefused(503, "no free external line")
        now = self.scheduler.now()
        call = Call(
            id=str(next(self._ids)),
            chain_id=str(uuid.uuid4()),
            commutation_id=str(uuid.uuid4()),
            incoming=False,
            line_id=line.id if line is not None else (trunk.id if trunk else ""),
            trunk_id=trunk.id if trunk is not None else None,
            number=number,
            direction=direction,
            sequence=sequence,
            created=now,
            changed=asyncio.Event() if _loop_running() else None,
            script=script,
        )
        self.calls[call.id] = call
        self.journal.append(call)
        if trunk is not None:
            self._line_event(trunk, LineEvent.DIAL, call)
        if line is not None:
            first = LineEvent.RING if sequence == "back" else LineEvent.DIAL
            self._line_event(line, first, call)
        if direction == "city" and self.antifraud is not None and self.antifraud.enabled:
            caller = trunk.shown_number if trunk is not None else ""
            task = asyncio.get_running_loop().create_task(self._check(call, caller, confirm_key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            self._ring(call, confirm_key)
        return call

    async def _check(self, call: Call, caller: str, confirm_key: str | None) -> None:
        assert self.antifraud is not None
        allowed = await self.antifraud.check_outgoing(caller, call.number)
        if not call.active:
            return
        if not allowed:
            self._end(call, "blocked")
            return
        self._ring(call, confirm_key)

    def _ring(self, call: Call, confirm_key: str | None) -> None:
        call.move(CallEvent.CHECKED)
        if call.sequence == "back" and not call.incoming:
            # the line was rung first; its user picks up, then the number is dialled
            self._after(call, LINE_ANSWER_SECONDS, lambda: self._line_answered(call, confirm_key))
            return
        self._dial(call, confirm_key)

    def _line_answered(self, call: Call, confirm_key: str | None) -> None:
        line = self.directory.lines[call.line_id]
        self._line_event(line, LineEvent.ANSWER, call)
        self._dial(call, confirm_key)

    def _dial(self, call: Call, confirm_key: str | None) -> None:
        if call.direction == "pbx":
            target = self._internal_target(call.number)
            if target is not None and call.number in self.directory.groups:
                member = self.directory.user_on(target.id)
                if member is None or member.state is not UserState.READY:
                    self._end(call, "busy")  # no ready member: the group is busy
                    return
            if target is None or target.state is not LineState.FREE:
                self._end(call, "busy" if target is not None else "unreachable")
                return
            call.target_id = target.id
            self._line_event(target, LineEvent.RING, call)
        decision = self.runtime.voice(call.number, confirm_key)
        call.decision = decision
        if decision.outcome is VoiceOutcome.ANSWERED:
            self._after(call, decision.ring, lambda: self._answered(call, decision))
        else:
            self._after(call, decision.ring, lambda: self._end(call, _RESULTS[decision.outcome]))

    def _internal_target(self, number: str) -> Line | None:
        """The line a pbx call to ``number`` rings: a user's, a group member's
        (the first ready one on a free line, else the first: busy), or the line
        with that number."""
        user = self.directory.user_by_number(number)
        if user is not None:
            return self.directory.lines[user.line_id]
        group = self.directory.groups.get(number)
        if group is not None and group.members:
            members = [self.directory.users[member] for member in group.members]
            lines = [self.directory.lines[member.line_id] for member in members]
            for member, line in zip(members, lines, strict=True):
                if member.state is UserState.READY and line.state is LineState.FREE:
                    return line
            return lines[0]
        return self.directory.line_by_number(number)

    def _answered(self, call: Call, decision: VoiceDecision) -> None:
        call.answered = self.scheduler.now()
        call.move(CallEvent.ANSWER)
        for line_id in (call.line_id, call.trunk_id, call.target_id):
            line = self.directory.lines.get(line_id or "")
            ringing = line is not None and line.state in (LineState.DIALING, LineState.RINGING)
            if line is not None and ringing and line.call_id == call.id:
                self._line_event(line, LineEvent.ANSWER, call)
        for press in decision.keys:
            self._after(call, press.at, functools.partial(self._key, call, press.key))
        self._after(call, decision.listen, lambda: self._end(call, "hungup"))

    def _key(self, call: Call, key: str) -> None:
        if len(call.keys) < MAX_KEYS_PER_CALL:
            call.keys.append(key)
        if call.changed is not None:
            call.changed.set()

    def _after(self, call: Call, seconds: float, action: Callable[[], object]) -> None:
        def run() -> None:
            if call.active:
                action()

        call.timers.append(self.scheduler.call_later(seconds, run, f"oktell call {call.id}"))

    def _end(self, call: Call, result: str) -> None:
        if not call.active:
            return
        call.result = call.result or result
        call.ended = self.scheduler.now()
        call.move(CallEvent.END)
        if self.recorder is not None and call.answered is not None:
            call.record_link, _ = self.recorder.record(
                call.commutation_id, call.ended - call.answered
            )
        for timer in call.timers:
            timer.cancel()
        call.timers.clear()
        for line_id in (call.line_id, call.trunk_id, call.target_id):
            line = self.directory.lines.get(line_id or "")
            if line is not None and line.call_id == call.id:
                event = LineEvent.DECLINE if result == "declined" else LineEvent.HANGUP
                self._line_event(line, event, None)
        self.calls.pop(call.id, None)

    # --- requests on a line ---------------------------------------------------
    def hang_up(self, call: Call, result: str = "stopped") -> None:
        self._end(call, result)

    def flash(self, line: Line) -> None:
        call = self.call_of(line)
        if call is None or line.state not in (LineState.COMMUTATED, LineState.HOLD):
            raise CallRefused(409, f"line {line.number} has no commutation to flash")
        call.move(CallEvent.FLASH)
        self._line_event(line, LineEvent.FLASH, call)

    def decline(self, line: Line) -> None:
        call = self.call_of(line)
        if call is None or line.state is not LineState.RINGING or not call.incoming:
            raise CallRefused(409, f"no incoming call rings on line {line.number}")
        self._end(call, "declined")

    # --- incoming calls (the world's timeline) ------------------------------------
    def watch_events(self) -> None:
        """(Re)arm the timer for the next scripted event of system oktell."""
        if self._event_timer is not None:
            self._event_timer.cancel()
            self._event_timer = None
        at = self.runtime.next_event_at(SYSTEM)
        if at is None:
            return
        delay = max(0.0, at - self.runtime.elapsed())
        self._event_timer = self.scheduler.call_later(delay, self._fire_events, "oktell events")

    def _fire_events(self) -> None:
        self._event_timer = None
        for event in self.runtime.due(SYSTEM):
            if event.kind is EventKind.CALL:
                self.incoming(event)
        self.watch_events()

    def incoming(self, event: ScriptedEvent) -> Call | None:
        line = self.directory.line_by_number(event.target.port)
        if line is None or line.state is not LineState.FREE:
            self.runtime.record(
                "voice_in", event.source, {"to": event.target.port, "result": "busy"}, SYSTEM
            )
            return None
        now = self.scheduler.now()
        call = Call(
            id=str(next(self._ids)),
            chain_id=str(uuid.uuid4()),
            commutation_id=str(uuid.uuid4()),
            incoming=True,
            line_id=line.id,
            trunk_id=None,
            number=event.source,
            direction="city",
            sequence="direct",
            created=now,
            phase=CallPhase.RINGING,
            changed=asyncio.Event() if _loop_running() else None,
        )
        self.calls[call.id] = call
        self.journal.append(call)
        self._line_event(line, LineEvent.RING, call)
        user = self.directory.user_on(line.id)
        if line.kind == "external":
            answer_after = 0.0  # the PBX's IVR answers a trunk at once
        elif user is not None and user.state in (UserState.READY, UserState.BUSY):
            answer_after = USER_ANSWER_SECONDS
        else:
            answer_after = None
        if answer_after is not None and answer_after < event.ring_for:
            self._after(call, answer_after, lambda: self._incoming_answered(call, event))
        self._after(call, event.ring_for, lambda: self._end(call, "missed"))
        return call

    def _incoming_answered(self, call: Call, event: ScriptedEvent) -> None:
        call.answered = self.scheduler.now()
        call.move(CallEvent.ANSWER)
        self._line_event(self.directory.lines[call.line_id], LineEvent.ANSWER, call)
        for timer in call.timers:
            timer.cancel()
        call.timers.clear()
        for press in event.keys:
            self._after(call, press.at, functools.partial(self._key, call, press.key))
        self._after(call, event.talk_for, lambda: self._end(call, "hungup"))

    def reset(self) -> None:
        for call in list(self.calls.values()):
            self._end(call, "reset")
        self.journal.clear()
        for task in self._tasks:
            task.cancel()
        self.watch_events()

    def journal_json(
        self, limit: int, wall_of: Callable[[float], float]
    ) -> list[dict[str, object]]:
        tail = list(self.journal)[-limit:] if limit > 0 else []
        return [call.to_json(wall_of) for call in tail]


_RESULTS = {
    VoiceOutcome.NO_ANSWER: "noanswer",
    VoiceOutcome.BUSY: "busy",
    VoiceOutcome.UNREACHABLE: "unreachable",
    VoiceOutcome.REJECTED: "rejected",
    VoiceOutcome.ANSWERED: "hungup",
}


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
