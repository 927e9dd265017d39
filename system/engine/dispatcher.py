"""Keeps every permitted channel busy: hands each free channel the best work it may do.

How it works: the dispatcher knows the runs (``TaskRun``) and, through a
``ChannelSource``, the channels by number: voice channels (GSM modems,
Oktell lines), GSM modems as SMS routes, SMS platforms (MFMS, FTP) and
e-mail routes (SMTP). Each pass (``_assign``) goes over the channels that
are free (no job of ours on them, status IDLE — platforms and mail routes
also SENDING — and not resting) and gives each one job: from the runs whose
kind the channel serves, whose channel mask allows its number and that have
a due target, the one with the highest task priority, then the one served
longest ago (so equal tasks share channels). A job frees its channel
(``Job.release``) as soon as the channel's part is done, so the next job
starts while the previous one's results are being written. A voice or GSM SMS job is one
target; a platform job is up to ``bulk_batch`` targets, an e-mail job up to
``email_batch``. Jobs run as their own asyncio tasks, so one slow or dead
channel never holds up another.

A pass runs when something changed (``wake``: a job ended, a run was added,
the channel set changed) or when the earliest waiting target falls due, and
at least every ``POLL`` seconds (channels come back on their own). A
channel whose jobs fail ``max_failures`` times in a row rests for
``rest`` seconds, doubling up to ``rest_max`` (one success resets it): it is
taken out and retried later, and GETCHANNELS still shows the driver's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from nabat.system.channels.base import (
    Activity,
    BulkSmsRoute,
    EmailRoute,
    EventSource,
    SmsRoute,
    VoiceChannel,
)
from nabat.system.channels.clock import within
from nabat.system.engine.clock import EngineClock
from nabat.system.engine.records import AttemptKind
from nabat.system.engine.run import TaskRun
from nabat.system.engine.targets import Target
from nabat.system.runtime.tasks import cancel_and_wait

log = logging.getLogger("nabat.engine")

POLL = 1.0  # engine seconds between passes when nothing happens


class ChannelSource(Protocol):
    """The server's channels by number, as the engine uses them."""

    def voice(self) -> Mapping[int, VoiceChannel]: ...

    def sms(self) -> Mapping[int, SmsRoute]: ...

    def bulk_sms(self) -> Mapping[int, BulkSmsRoute]: ...

    def email(self) -> Mapping[int, EmailRoute]: ...

    def sources(self) -> Mapping[int, EventSource]: ...

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]: ...


class JobKind:
    VOICE = "voice"
    SMS = "sms"  # one SMS through a GSM modem
    BULK = "bulk"  # a batch through an SMS platform
    EMAIL = "email"  # a batch through an e-mail route


@dataclass(eq=False, slots=True)
class Job:
    run: TaskRun
    number: int  # the channel's number
    kind: str
    channel: object  # VoiceChannel / SmsRoute / BulkSmsRoute / EmailRoute
    targets: tuple[Target, ...]
    release: Callable[[], None] = lambda: None  # the channel is free (its part is done)


Execute = Callable[[Job], Awaitable[bool]]  # True: the channel did its part


@dataclass(slots=True)
class _Health:
    failures: int = 0
    resting_until: float = 0.0
    rest: float = 0.0


@dataclass
class Dispatcher:
    channels: ChannelSource
    clock: EngineClock
    execute: Execute
    bulk_batch: int = 500
    email_batch: int = 50
    max_failures: int = 3
    rest: float = 30.0
    rest_max: float = 600.0
    runs: dict[int, TaskRun] = field(default_factory=dict)
    _busy: dict[int, Job] = field(default_factory=dict)  # channel -> the job holding it
    _health: dict[int, _Health] = field(default_factory=dict)
    _jobs: set[asyncio.Task[None]] = field(default_factory=set)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _ticks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _loop_task: asyncio.Task[None] | None = None
    _unsubscribe: Callable[[], None] | None = None
    on_pass: Callable[[], None] | None = None  # after each pass (the engine ends done runs)

    # --- life -------------------------------------------------------------------------
    def start(self) -> None:
        if self._loop_task is None:
            self._unsubscribe = self.channels.subscribe(self.wake)
            self._loop_task = asyncio.get_running_loop().create_task(
                self._forever(), name="nabat engine dispatcher"
            )

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        tasks = [t for t in (self._loop_task, *self._jobs) if t is not None]
        self._loop_task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            await cancel_and_wait(task, errors="ignore")

    def wake(self) -> None:
        self._wake.set()

    def add(self, run: TaskRun) -> None:
        self.runs[run.id] = run
        self.wake()

    def remove(self, task_id: int) -> TaskRun | None:
        run = self.runs.pop(task_id, None)
        self.wake()
        return run

    @property
    def busy_channels(self) -> frozenset[int]:
        return frozenset(self._busy)

    def resting(self, number: int) -> bool:
        health = self._health.get(number)
        return health is not None and health.resting_until > self.clock.now()

    # --- the loop ---------------------------------------------------------------------
    async def _forever(self) -> None:
        while True:
            self._wake.clear()
            try:
                self._assign()
                if self.on_pass is not None:
                    self.on_pass()
            except Exception:
                log.exception("the dispatcher's pass failed")
            delay = POLL
            now = self.clock.now()
            for run in self.runs.values():
                due = run.next_due()
                if due is not None:
                    delay = min(delay, max(0.0, due - now))
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await within(self.clock, self._wake.wait(), delay)
            else:
                await asyncio.sleep(0)

    def _usable(self, number: int, channel: object, shared: bool) -> bool:
        if number in self._busy or self.resting(number):
            return False
        status = getattr(channel, "status", None)
        if status is None:
            return True
        activity = status().activity
        return activity is Activity.IDLE or (shared and activity is Activity.SENDING)

    def _assign(self) -> None:
        if not self.runs:
            return
        now = self.clock.now()
        active = [run for run in self.runs.values() if run.active]
        if not active:
            return
        voice = self.channels.voice()
        sms = self.channels.sms()
        offers: list[tuple[int, str, object, bool]] = []
        for number in sorted(set(voice) | set(sms)):
            phone: object = voice.get(number) or sms.get(number)
            offers.append((number, "phone", phone, False))
        for number, bulk in sorted(self.channels.bulk_sms().items()):
            offers.append((number, JobKind.BULK, bulk, True))
        for number, mail in sorted(self.channels.email().items()):
            offers.append((number, JobKind.EMAIL, mail, True))
        for number, family, channel, shared in offers:
            if not self._usable(number, channel, shared):
                continue
            job = self._job_for(number, family, voice, sms, active, now)
            if job is not None:
                self._launch(job)

    def _job_for(
        self,
        number: int,
        family: str,
        voice: Mapping[int, VoiceChannel],
        sms: Mapping[int, SmsRoute],
        runs: list[TaskRun],
        now: float,
    ) -> Job | None:
        candidates: list[tuple[TaskRun, str, object]] = []
        for run in runs:
            if not run.plan.mask.allows(number):
                continue
            kind = run.kind
            if family == "phone":  # a GSM modem serves voice and SMS tasks
                if kind is AttemptKind.VOICE and number in voice:
                    candidates.append((run, JobKind.VOICE, voice[number]))
                elif kind is AttemptKind.SMS and number in sms:
                    candidates.append((run, JobKind.SMS, sms[number]))
            elif family == JobKind.BULK and kind is AttemptKind.SMS:
                candidates.append((run, JobKind.BULK, self.channels.bulk_sms()[number]))
            elif family == JobKind.EMAIL and kind is AttemptKind.EMAIL:
                candidates.append((run, JobKind.EMAIL, self.channels.email()[number]))
        candidates.sort(key=lambda item: (-item[0].plan.priority, item[0].last_served))
        limits = {JobKind.BULK: self.bulk_batch, JobKind.EMAIL: self.email_batch}
        for run, job_kind, channel in candidates:
            targets = run.take_many(now, limits.get(job_kind, 1))
            if targets:
                run.last_served = next(self._ticks)
                job = Job(run, number, job_kind, channel, tuple(targets))
                job.release = functools.partial(self._free, job)
                return job
        return None

    def _launch(self, job: Job) -> None:
        self._busy[job.number] = job
        job.run.in_flight += 1
        task = asyncio.get_running_loop().create_task(
            self._run_job(job), name=f"nabat job {job.kind} on channel {job.number}"
        )
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def _run_job(self, job: Job) -> None:
        ok = False
        try:
            ok = await self.execute(job)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a %s job on channel %d failed", job.kind, job.number)
        finally:
            self._free(job)
            job.run.in_flight -= 1
            self._record(job.number, ok)
            self.wake()

    def _free(self, job: Job) -> None:
        """The job's channel may take the next job (called when the channel's part is
        done, and again when the job ends: only the job holding the channel frees it)."""
        if self._busy.get(job.number) is job:
            del self._busy[job.number]
            self.wake()

    def _record(self, number: int, ok: bool) -> None:
        health = self._health.setdefault(number, _Health())
        if ok:
            health.failures = 0
            health.rest = 0.0
            return
        health.failures += 1
        if health.failures >= self.max_failures:
            health.rest = min(self.rest_max, health.rest * 2 if health.rest else self.rest)
            health.resting_until = self.clock.now() + health.rest
            health.failures = 0
            log.warning("channel %d failed %d times in a row: resting %g s", number,
                        self.max_failures, health.rest)  # fmt: skip
