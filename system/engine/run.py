"""One running task: its plan, its message, and its targets queued by priority and time.

How it works: ``TaskRun`` holds the targets of a run (``targets.Target``,
loaded from the store) in two heaps: ``waiting`` by the time they are due,
``ready`` by abonent priority (higher first) then plan order. ``take``
moves what is due from ``waiting`` to ``ready`` and hands out the best one;
an entry whose target has moved on since it was queued is skipped (heaps are
never searched). ``counts`` are kept live for GETTASKINFO. The run is
``done`` when no target can be tried any more and no sent SMS waits for a
delivery report (or ``sms_wait`` seconds passed since the last was sent).
Open references map a sent SMS (channel + number + TP-MR, or a platform's
provider id) to its attempt, so delivery reports find their target.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nabat.system.engine.params import TaskPlan
from nabat.system.engine.records import AttemptKind, TargetState
from nabat.system.engine.targets import Target
from nabat.system.protocol import Task, TaskType

_TRYABLE = frozenset({TargetState.PENDING, TargetState.RETRY})
_OPEN = frozenset({TargetState.PENDING, TargetState.RETRY, TargetState.ACTIVE})

KIND_OF_TYPE = {
    TaskType.CALL: AttemptKind.VOICE,
    TaskType.LOUDSPEAKER: AttemptKind.VOICE,
    TaskType.SMS: AttemptKind.SMS,
    TaskType.EMAIL: AttemptKind.EMAIL,
}


@dataclass(frozen=True, slots=True)
class Content:
    """What the task plays or sends: audio (WAV bytes) or text to speak, SMS/e-mail text."""

    subject: str  # the message's name: the e-mail subject
    text: str
    audio: bytes | None = None


@dataclass(frozen=True, slots=True)
class SentRef:
    attempt_id: int
    abonent_id: int


@dataclass(eq=False)
class TaskRun:
    task: Task
    plan: TaskPlan
    content: Content
    targets: dict[int, Target]
    waiting: list[tuple[float, int, int]] = field(default_factory=list)  # (due, seq, abonent)
    ready: list[tuple[int, int, int]] = field(default_factory=list)  # (-priority, seq, abonent)
    counts: Counter[TargetState] = field(default_factory=Counter)
    references: dict[tuple[str, ...], SentRef] = field(default_factory=dict)
    last_sent: float = 0.0
    last_served: int = 0  # the dispatcher's tick when a channel last took work of this run
    in_flight: int = 0  # jobs running now
    active: bool = False  # RUNNING with its schedule open: channels may take its targets
    _order: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        for target in self.targets.values():
            self.counts[target.state] += 1
            if target.state in _TRYABLE:
                self.queue(target)

    @property
    def id(self) -> int:
        assert self.task.id is not None
        return self.task.id

    @property
    def kind(self) -> AttemptKind:
        return KIND_OF_TYPE[self.task.ttype]

    def adopt(self, targets: Iterable[Target]) -> None:
        """Targets planned since this run was made (abonents added to the list)."""
        for target in targets:
            if target.abonent_id not in self.targets:
                self.targets[target.abonent_id] = target
                self.counts[target.state] += 1
                if target.state in _TRYABLE:
                    self.queue(target)

    # --- queues -----------------------------------------------------------------------
    def queue(self, target: Target) -> None:
        heapq.heappush(self.waiting, (target.next_time, target.seq, target.abonent_id))

    def _promote(self, now: float) -> None:
        while self.waiting and self.waiting[0][0] <= now:
            _, seq, abonent_id = heapq.heappop(self.waiting)
            target = self.targets[abonent_id]
            if target.state in _TRYABLE and target.next_time <= now:
                heapq.heappush(self.ready, (-target.priority, seq, abonent_id))

    def has_ready(self, now: float) -> bool:
        self._promote(now)
        while self.ready:
            target = self.targets[self.ready[0][2]]
            if target.state in _TRYABLE:
                return True
            heapq.heappop(self.ready)
        return False

    def take(self, now: float) -> Target | None:
        """The best due target (it stays in its state until the caller begins it)."""
        if not self.has_ready(now):
            return None
        return self.targets[heapq.heappop(self.ready)[2]]

    def take_many(self, now: float, limit: int) -> list[Target]:
        taken: list[Target] = []
        while len(taken) < limit:
            target = self.take(now)
            if target is None:
                break
            taken.append(target)
        return taken

    def next_due(self) -> float | None:
        """When the earliest waiting target falls due (None: nothing waits)."""
        while self.waiting:
            due, _, abonent_id = self.waiting[0]
            target = self.targets[abonent_id]
            if target.state in _TRYABLE and target.next_time == due:
                return due
            heapq.heappop(self.waiting)
        return None

    # --- bookkeeping ------------------------------------------------------------------
    def moved(self, target: Target, before: TargetState) -> None:
        """After ``target`` changed state: keep the counts, queue it if it may be tried."""
        if before is not target.state:
            self.counts[before] -= 1
            self.counts[target.state] += 1
        if target.state in _TRYABLE:
            self.queue(target)

    def remember(self, key: tuple[str, ...], ref: SentRef) -> None:
        self.references[key] = ref

    def forget_all(self, keys: Iterable[tuple[str, ...]]) -> None:
        for key in keys:
            self.references.pop(key, None)

    def open_targets(self) -> int:
        return sum(self.counts[state] for state in _OPEN)

    def done(self, now: float) -> bool:
        if self.open_targets() or self.in_flight:
            return False
        if self.counts[TargetState.SENT] == 0:
            return True
        return now - self.last_sent >= self.plan.sms_wait

    # --- GETTASKINFO ------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.targets)
