"""``TaskEngine``: the server's engine — starts, stops, resumes and reports tasks.

How it works: STARTTASK (``start``) validates the task's parameters
(``TaskPlan``) and message, writes the run's targets (``restart``: from the
beginning; otherwise only abonents not planned yet are added to the last
run's targets), records the status change and hands a ``TaskRun`` to the
``Dispatcher``, which keeps every permitted channel busy through the
``Executor`` (attempts.py). STOPTASK (``stop``) takes the run away from the
dispatcher at once; attempts already in flight finish and are recorded.
After each dispatcher pass ``_housekeep`` moves runs between RUNNING and
WAITING as their schedule opens and closes, and ends (FINISHED) those with
nothing left to try. Every status change is published to MONITORING
sessions. Delivery reports and incoming calls / SMS arrive from every
channel's events (``_subscribe_events``): reports finish SMS attempts,
incoming traffic goes to remote start (remote.py).

At server start ``resume`` finds the tasks whose run was open (RUNNING, or
WAITING after a run began), reconciles attempts that were in flight when the
server stopped (``Progress.reconcile``) and runs them on. GETTASKINFO
(``progress``) counts from the live run, or from the store when none runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime

from nabat.system.channels.base import (
    Activity,
    ChannelEvent,
    DeliveryReport,
    IncomingCall,
    IncomingSms,
)
from nabat.system.engine.attempts import Executor, gsm_key, platform_key
from nabat.system.engine.clock import EngineClock, WallClock
from nabat.system.engine.dispatcher import ChannelSource, Dispatcher
from nabat.system.engine.params import TaskParamError, TaskPlan
from nabat.system.engine.planning import CannotRun, load_content, plan_targets
from nabat.system.engine.records import ReportData, TargetState
from nabat.system.engine.remote import RemoteStarts
from nabat.system.engine.report import ReportFormat, parse_format, render
from nabat.system.engine.run import Content, SentRef, TaskRun
from nabat.system.engine.status import Event, next_status
from nabat.system.engine.targets import Target
from nabat.system.protocol import Task, TaskProgress, TaskStatus, TaskSummary, TaskType
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.store import Store
from nabat.system.verification.client import VerificationClient

log = logging.getLogger("nabat.engine")

Publish = Callable[[TaskSummary], None]
_OPEN_RUN = (TaskStatus.RUNNING, TaskStatus.WAITING)


def plan_of(task: Task) -> TaskPlan:
    """The task's plan; a public-address (ГГС) task and SMS / e-mail tasks ask no
    confirmation whatever ``confirm`` says (docs/engine.md)."""
    try:
        plan = TaskPlan.from_task(task)
    except TaskParamError as error:
        raise CannotRun(str(error)) from None
    if task.ttype is not TaskType.CALL and plan.confirm is not None:
        plan = dataclasses.replace(plan, confirm=None)
    return plan


def counts_summary(counts: dict[TargetState, int]) -> tuple[int, int, int]:
    """(processed, confirmed, failed) as GETTASKINFO shows them (docs/tasks.md)."""
    processed = sum(n for state, n in counts.items() if state.final or state is TargetState.SENT)
    reached = counts.get(TargetState.CONFIRMED, 0) + counts.get(TargetState.NOTIFIED, 0)
    failed = counts.get(TargetState.EXHAUSTED, 0) + counts.get(TargetState.FAILED, 0)
    return processed, reached, failed


class TaskEngine:
    def __init__(
        self,
        store: Store,
        publish: Publish,
        channels: ChannelSource,
        *,
        clock: EngineClock | None = None,
        verification: Callable[[], VerificationClient | None] = lambda: None,
        read_file: Callable[[str], bytes | None] = lambda name: None,
        gsm_modems: Callable[[], int] = lambda: 0,
        report_format: Callable[[], str] = lambda: "HTML",
    ) -> None:
        self._store = store
        self._publish = publish
        self._channels = channels
        self._clock = clock or WallClock()
        self._verification = verification
        self._read_file = read_file
        self._gsm_modems = gsm_modems
        self._report_format = report_format
        self._lock = asyncio.Lock()  # one status change at a time
        self._executor = Executor(store.progress, self._clock, verification, self._changed)
        self._dispatcher = Dispatcher(channels, self._clock, self._executor.execute)
        self._dispatcher.on_pass = self._after_pass
        self.remote = RemoteStarts(store, self, verification)
        self._housekeeping: asyncio.Task[None] | None = None
        self._event_subscriptions: dict[int, tuple[object, Callable[[], None]]] = {}
        self._unsubscribe_channels: Callable[[], None] | None = None
        self._background: set[asyncio.Task[None]] = set()
        self._started = False
        self._stopped: dict[int, TaskRun] = {}  # stopped with attempts still in flight

    # --- life -------------------------------------------------------------------------
    async def open(self) -> None:
        """Start dispatching, listen to the channels' events, resume open runs."""
        if self._started:
            return
        self._started = True
        self._dispatcher.start()
        self._subscribe_events()
        self._unsubscribe_channels = self._channels.subscribe(self._subscribe_events)
        await self.resume()

    async def close(self) -> None:
        if self._unsubscribe_channels is not None:
            self._unsubscribe_channels()
            self._unsubscribe_channels = None
        for _, cancel in self._event_subscriptions.values():
            cancel()
        self._event_subscriptions.clear()
        await self._dispatcher.stop()
        await self._executor.close()
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            await cancel_and_wait(task, errors="ignore")
        self._started = False

    def available_gsm_modems(self) -> int:
        return self._gsm_modems()

    def available_sms_routes(self) -> int:
        working = (Activity.IDLE, Activity.SENDING)
        routes = self._channels.bulk_sms().values()
        return sum(1 for route in routes if route.status().activity in working)

    # --- STARTTASK / STOPTASK ---------------------------------------------------------
    async def start(self, task_id: int, restart: bool) -> TaskSummary:
        async with self._lock:
            task = await asyncio.to_thread(self._store.tasks.get, task_id)
            plan = plan_of(task)
            next_status(task.status or TaskStatus.STOPPED, Event.START)  # legal?
            content = await asyncio.to_thread(load_content, self._store, task, self._read_file)
            fresh = restart or not await asyncio.to_thread(self._store.progress.has_targets,
                                                           task_id)  # fmt: skip
            now = self._wall()
            await asyncio.to_thread(self._plan, task, fresh, now)
            status = TaskStatus.RUNNING if plan.schedule.is_open(now) else TaskStatus.WAITING
            summary = await asyncio.to_thread(
                self._store.tasks.transition, task_id, status, starts_run=True
            )
            stopped = self._stopped.pop(task_id, None)
            if stopped is not None and stopped.in_flight and not fresh:
                # attempts of the stopped run are still going: go on with that run, so
                # their results land in the targets this run schedules
                run = stopped
                run.task, run.plan, run.content = task, plan, content
                rows = await asyncio.to_thread(self._store.progress.targets, task_id)
                run.adopt(Target.from_row(row) for row in rows)
            else:
                run = await asyncio.to_thread(self._load_run, task, plan, content)
            run.active = status is TaskStatus.RUNNING
            self._dispatcher.add(run)
        log.info("task %d started (%s): %d abonents, %s", task_id,
                 "from the beginning" if fresh else "resumed", run.total, status.name)  # fmt: skip
        self._publish(summary)
        return summary

    def _plan(self, task: Task, fresh: bool, now: datetime) -> None:
        assert task.id is not None
        self._store.progress.plan(task.id, plan_targets(self._store, task, now), restart=fresh)

    def _load_run(self, task: Task, plan: TaskPlan, content: Content) -> TaskRun:
        """The run from the store: its targets and the SMS still waiting for a report."""
        assert task.id is not None
        rows = self._store.progress.targets(task.id)
        run = TaskRun(task, plan, content, {row.abonent_id: Target.from_row(row) for row in rows})
        for ref in self._store.progress.open_references(task.id):
            sent = SentRef(ref.attempt_id, ref.abonent_id)
            last = ref.reference.split(",")[-1]
            if last.isdigit():  # a GSM modem's TP-MRs
                run.remember(gsm_key(ref.channel, ref.address, int(last)), sent)
            run.remember(platform_key(ref.channel, ref.reference), sent)
        return run

    async def stop(self, task_id: int) -> TaskSummary:
        async with self._lock:
            current = await asyncio.to_thread(self._store.tasks.summary, task_id)
            status = next_status(current.status, Event.STOP)
            run = self._dispatcher.remove(task_id)
            if run is not None and run.in_flight:
                self._stopped[task_id] = run  # its attempts in flight finish into it
            summary = await asyncio.to_thread(
                self._store.tasks.transition, task_id, status, starts_run=False
            )
        self._publish(summary)
        return summary

    async def resume(self) -> None:
        """At start: run on every task whose run was open when the server stopped."""
        summaries = await asyncio.to_thread(self._store.tasks.summaries)
        for summary in summaries:
            if summary.status not in _OPEN_RUN or summary.id in self._dispatcher.runs:
                continue
            if not await asyncio.to_thread(self._store.progress.has_targets, summary.id):
                continue  # a client's WAITING (armed for remote start): no run yet
            reconciled = await asyncio.to_thread(
                self._store.progress.reconcile, summary.id, self._clock.now()
            )
            if reconciled.interrupted:
                log.warning(
                    "task %d: %d attempts were in flight when the server stopped: %d voice "
                    "targets will be tried again, %d SMS/e-mail targets marked unknown",
                    summary.id, reconciled.interrupted, reconciled.retried, reconciled.unknown,
                )  # fmt: skip
            try:
                await self._resume_one(summary.id)
            except (CannotRun, TaskParamError) as error:
                log.error("task %d cannot resume: %s", summary.id, error)
                failed = await asyncio.to_thread(
                    self._store.tasks.transition, summary.id, TaskStatus.FAILED, starts_run=False
                )
                self._publish(failed)

    async def _resume_one(self, task_id: int) -> None:
        async with self._lock:
            task = await asyncio.to_thread(self._store.tasks.get, task_id)
            plan = plan_of(task)
            content = await asyncio.to_thread(load_content, self._store, task, self._read_file)
            run = await asyncio.to_thread(self._load_run, task, plan, content)
            run.active = task.status is TaskStatus.RUNNING
            self._dispatcher.add(run)
        log.info("task %d resumed after a restart: %d of %d abonents still open", task_id,
                 run.open_targets(), run.total)  # fmt: skip

    # --- what happens between passes ------------------------------------------------
    def _wall(self) -> datetime:
        return datetime.fromtimestamp(self._clock.now()).replace(microsecond=0)

    def _changed(self, run: TaskRun) -> None:
        """A target of ``run`` moved (hook for live progress)."""

    def _after_pass(self) -> None:
        if self._housekeeping is None or self._housekeeping.done():
            self._housekeeping = asyncio.get_running_loop().create_task(self._housekeep())

    async def _housekeep(self) -> None:
        now = self._wall()
        clock_now = self._clock.now()
        for run in list(self._dispatcher.runs.values()):
            open_now = run.plan.schedule.is_open(now)
            if open_now != run.active:
                await self._set_status(run, Event.RESUME if open_now else Event.PAUSE)
                run.active = open_now
                self._dispatcher.wake()
            if run.done(clock_now):
                await self._finish(run)

    async def _set_status(self, run: TaskRun, event: Event) -> None:
        async with self._lock:
            if self._dispatcher.runs.get(run.id) is not run:
                return
            current = await asyncio.to_thread(self._store.tasks.summary, run.id)
            status = next_status(current.status, event)
            summary = await asyncio.to_thread(
                self._store.tasks.transition, run.id, status, starts_run=False
            )
        self._publish(summary)

    async def _finish(self, run: TaskRun) -> None:
        async with self._lock:
            if self._dispatcher.runs.get(run.id) is not run:
                return
            self._dispatcher.remove(run.id)
            current = await asyncio.to_thread(self._store.tasks.summary, run.id)
            status = next_status(current.status, Event.FINISH)
            summary = await asyncio.to_thread(
                self._store.tasks.transition, run.id, status, starts_run=False
            )
        _, reached, failed = counts_summary(dict(run.counts))
        log.info("task %d finished: %d abonents, %d reached, %d failed", run.id, run.total,
                 reached, failed)  # fmt: skip
        self._publish(summary)

    # --- events from the channels ---------------------------------------------------
    def _subscribe_events(self) -> None:
        sources = dict(self._channels.sources())
        for number in list(self._event_subscriptions):
            source, cancel = self._event_subscriptions[number]
            if sources.get(number) is not source:
                cancel()
                del self._event_subscriptions[number]
        for number, source in sources.items():
            if number not in self._event_subscriptions:
                self._event_subscriptions[number] = (source, source.subscribe(self._on_event))
        self._dispatcher.wake()

    async def _on_event(self, event: ChannelEvent) -> None:
        if isinstance(event, DeliveryReport):
            await self._executor.delivery(list(self._dispatcher.runs.values()), event)
            self._dispatcher.wake()
        elif isinstance(event, IncomingCall):
            self._spawn(self.remote.on_call(event))
        elif isinstance(event, IncomingSms):
            await self.remote.on_sms(event)

    def _spawn(self, coroutine: object) -> None:
        assert asyncio.iscoroutine(coroutine)
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- GETTASKINFO / GETREPORT ------------------------------------------------------
    def running(self, task_id: int) -> TaskRun | None:
        return self._dispatcher.runs.get(task_id)

    async def progress(self, task_id: int) -> TaskProgress:
        summary = await asyncio.to_thread(self._store.tasks.summary, task_id)
        run_events = await asyncio.to_thread(self._store.tasks.last_run, task_id)
        live = self._dispatcher.runs.get(task_id)
        if live is not None:
            counts = dict(live.counts)
        else:
            counts = await asyncio.to_thread(self._store.progress.counts, task_id)
        processed, reached, failed = counts_summary(counts)
        ended = bool(run_events) and run_events[-1][1] not in _OPEN_RUN
        return TaskProgress(
            id=task_id, status=summary.status, total=sum(counts.values()), processed=processed,
            confirmed=reached, failed=failed,
            starttime=run_events[0][0] if run_events else None,
            endtime=run_events[-1][0] if ended else None,
        )  # fmt: skip

    def report_format(self, task_id: int, asked: str | None) -> ReportFormat:
        """The format asked for, else the task's ``report=``, else the server's setting."""
        if asked:
            return parse_format(asked)
        task = self._store.tasks.get(task_id)
        try:
            chosen = TaskPlan.from_task(task).report
        except TaskParamError:
            chosen = None
        return parse_format(chosen or self._report_format())

    async def report(self, task_id: int, fmt: str | None = None) -> tuple[str, bytes] | None:
        """(format tag, file) of the task's current or last run; None if it never ran."""
        run_events = await asyncio.to_thread(self._store.tasks.last_run, task_id)
        if not run_events:
            return None
        chosen = await asyncio.to_thread(self.report_format, task_id, fmt)
        data = await asyncio.to_thread(self._report_data, task_id, run_events)
        body = await asyncio.to_thread(render, data, chosen)
        return chosen.value, body

    def _report_data(
        self, task_id: int, run_events: list[tuple[datetime, TaskStatus]]
    ) -> ReportData:
        store = self._store
        task = store.tasks.get(task_id)
        targets = store.progress.report_targets(task_id)
        counts: dict[TargetState, int] = {}
        for target in targets:
            counts[target.state] = counts.get(target.state, 0) + 1
        processed, reached, failed = counts_summary(counts)
        message = store.messages.find(task.messageid)
        dlist = store.lists.find(task.listid)
        ended = run_events[-1][1] not in _OPEN_RUN
        assert task.status is not None
        return ReportData(
            task_id=task_id, task_name=task.name, ttype=int(task.ttype), status=int(task.status),
            message_name=getattr(message, "name", ""), list_name=getattr(dlist, "name", ""),
            started=run_events[0][0], ended=run_events[-1][0] if ended else None,
            generated=store.progress.now(), total=len(targets), processed=processed,
            confirmed=reached, failed=failed, targets=tuple(targets),
            remote_starts=tuple(store.progress.remote_starts(task_id)),
        )  # fmt: skip
