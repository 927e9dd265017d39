"""Runs the dispatcher's jobs: every attempt written before it is made, and after.

How it works: for each job ``Executor.execute`` begins the targets
(``Target.begin``) and writes their attempts in flight in one transaction,
asks the channel, then writes each attempt's end together with its target's
next state (``targets.py``) in one transaction, and keeps the run's counts.

* voice: ``voice.VoiceAttempt`` (RegisterCall, call, confirmation written
  the moment it arrives, callUpdate). Answered and confirmed -> CONFIRMED;
  answered with no confirmation asked -> NOTIFIED; anything else -> the next
  address / round (``fail``).
* SMS through a GSM modem: ``send_sms`` with a status report asked; the
  target is SENT and its TP-MR remembered, so ``delivery`` can finish it.
* SMS through a platform: one ``send_batch`` for the whole job; provider ids
  remembered. Rejected -> ``fail``; UNKNOWN (it may have gone) -> never sent
  again, the target's fate is unknown.
* e-mail: one ``send_emails`` for the job: sent -> NOTIFIED, rejected or
  deferred -> ``fail``, unknown -> unknown.

``ChannelUnavailable`` means nothing was attempted: the targets go back to
the queue (``release``) and the attempt is recorded as ``not_attempted``.
The result tells the dispatcher whether the channel did its part (a
channel failure counts towards resting it; a busy abonent does not).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from nabat.system.channels.base import (
    BulkSmsRoute,
    CallOutcome,
    ChannelError,
    ChannelUnavailable,
    DeliveryReport,
    DeliveryStatus,
    EmailOutcome,
    EmailRoute,
    OutgoingEmail,
    OutgoingSms,
    SmsRoute,
    SubmitOutcome,
    VoiceChannel,
)
from nabat.system.engine.clock import EngineClock
from nabat.system.engine.dispatcher import Job, JobKind
from nabat.system.engine.records import AttemptKind, TargetState
from nabat.system.engine.run import SentRef, TaskRun
from nabat.system.engine.targets import Target
from nabat.system.engine.voice import VoiceAttempt, e164_digits
from nabat.system.store.progress import AttemptEnd, AttemptStart, Progress, TargetUpdate
from nabat.system.verification.client import VerificationClient

log = logging.getLogger("nabat.engine.attempts")

Changed = Callable[[TaskRun], None]


def gsm_key(channel: str, number: str, reference: int) -> tuple[str, ...]:
    return ("gsm", channel, e164_digits(number), str(reference))


def platform_key(channel: str, provider_id: str) -> tuple[str, ...]:
    return ("platform", channel, provider_id)


class Executor:
    def __init__(
        self,
        progress: Progress,
        clock: EngineClock,
        verification: Callable[[], VerificationClient | None],
        changed: Changed,
    ) -> None:
        self._progress = progress
        self._clock = clock
        self._verification = verification
        self._changed = changed
        self._background: set[asyncio.Task[None]] = set()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        """Let the callUpdates still on their way finish (briefly), then cancel them."""
        if self._background:
            await asyncio.wait(list(self._background), timeout=2)
        for task in list(self._background):
            task.cancel()

    # --- common -----------------------------------------------------------------------
    async def _begin(self, job: Job, kind: AttemptKind) -> list[int]:
        run = job.run
        starts = []
        for target in job.targets:
            before = target.state
            update = target.begin()
            run.moved(target, before)
            starts.append(AttemptStart(target.abonent_id, target.rounds, kind, target.address,
                                       _name(job.channel), update))  # fmt: skip
        try:
            ids = await asyncio.to_thread(self._progress.begin_attempts, run.id, starts)
        except BaseException:
            for target in job.targets:  # not written: as if never taken
                before = target.state
                target.release()
                run.moved(target, before)
            raise
        self._changed(run)
        return ids

    async def _finish(
        self, run: TaskRun, ends: Sequence[tuple[int, Target, AttemptEnd, TargetUpdate | None]]
    ) -> None:
        rows = [(attempt_id, target.abonent_id, end, update)
                for attempt_id, target, end, update in ends]  # fmt: skip
        await asyncio.shield(asyncio.to_thread(self._progress.finish_attempts, run.id, rows))
        self._changed(run)

    def _fail(self, run: TaskRun, target: Target) -> TargetUpdate:
        before = target.state
        update = target.fail(self._clock.now(), run.plan.attempts, run.plan.interval)
        run.moved(target, before)
        return update

    def _step(self, run: TaskRun, target: Target, step: Callable[[], TargetUpdate]) -> TargetUpdate:
        before = target.state
        update = step()
        run.moved(target, before)
        return update

    def _release(self, run: TaskRun, target: Target) -> TargetUpdate:
        return self._step(run, target, target.release)

    def _give_up(self, run: TaskRun, target: Target) -> TargetUpdate:
        return self._give_up(run, target)

    async def _end_all(
        self,
        job: Job,
        ids: Sequence[int],
        outcome: str,
        detail: str,
        move: Callable[[TaskRun, Target], TargetUpdate],
    ) -> None:
        """Every attempt of ``job`` ended the same way (nothing attempted, a route error)."""
        run = job.run
        ends = [(attempt_id, target, AttemptEnd(outcome, detail=detail), move(run, target))
                for attempt_id, target in zip(ids, job.targets, strict=True)]  # fmt: skip
        await self._finish(run, ends)

    async def execute(self, job: Job) -> bool:
        if job.kind == JobKind.VOICE:
            return await self._voice(job)
        if job.kind == JobKind.SMS:
            return await self._sms(job)
        if job.kind == JobKind.BULK:
            return await self._bulk(job)
        return await self._email(job)

    # --- voice ------------------------------------------------------------------------
    async def _voice(self, job: Job) -> bool:
        run, (target,) = job.run, job.targets
        channel = job.channel
        assert isinstance(channel, VoiceChannel)
        (attempt_id,) = await self._begin(job, AttemptKind.VOICE)
        number = target.address

        async def confirmed(keys: str) -> None:
            if target.state is TargetState.CONFIRMED:
                return
            await asyncio.to_thread(self._progress.confirm, run.id, attempt_id,
                                    target.abonent_id, keys)  # fmt: skip
            self._step(run, target, lambda: target.confirm(keys))
            self._changed(run)

        attempt = VoiceAttempt(
            channel, number, attempt_id=attempt_id, confirm=run.plan.confirm,
            ring=float(run.plan.ring), message=run.content.audio or run.content.text or None,
            verification=self._verification(), on_confirmed=confirmed,
        )  # fmt: skip
        try:
            outcome = await attempt.run()
        except ChannelUnavailable as error:
            job.release()
            await self._end_all(job, [attempt_id], "not_attempted", str(error), self._release)
            return True
        except (ChannelError, OSError) as error:
            await self._end_all(job, [attempt_id], "failed", f"channel error: {error}", self._fail)
            return False
        job.release()
        result = outcome.result
        if result is not None and outcome.registered:
            self._spawn(attempt.update(result))
        if result is None:  # verification refused: not placed
            end = AttemptEnd("not_registered", verification=outcome.verification,
                             detail="the call was not placed")  # fmt: skip
            await self._finish(run, [(attempt_id, target, end, self._fail(run, target))])
            return True
        confirmed_now = bool(outcome.confirmed_keys)
        if target.state is TargetState.CONFIRMED:
            update = target.update()
        elif result.outcome is CallOutcome.ANSWERED and run.plan.confirm is None:
            update = self._step(run, target, target.succeed)
        else:
            update = self._fail(run, target)
        end = AttemptEnd(
            result.outcome.value, ring_seconds=result.ring_seconds,
            talk_seconds=result.talk_seconds, keys=result.keys, confirmed=confirmed_now,
            verification=outcome.verification, detail=result.detail,
        )  # fmt: skip
        await self._finish(run, [(attempt_id, target, end, update)])
        return result.outcome is not CallOutcome.FAILED

    # --- SMS through a modem ----------------------------------------------------------
    async def _sms(self, job: Job) -> bool:
        run, (target,) = job.run, job.targets
        route = job.channel
        assert isinstance(route, SmsRoute)
        (attempt_id,) = await self._begin(job, AttemptKind.SMS)
        try:
            submission = await route.send_sms(target.address, run.content.text)
        except ChannelUnavailable as error:
            job.release()
            await self._end_all(job, [attempt_id], "not_attempted", str(error), self._release)
            return True
        except (ChannelError, OSError) as error:  # nothing reached the network
            await self._end_all(job, [attempt_id], "failed", f"channel error: {error}", self._fail)
            return False
        job.release()
        reference = ",".join(str(ref) for ref in submission.references)
        if submission.outcome is SubmitOutcome.SUBMITTED:
            update = self._step(run, target, target.send)
            run.last_sent = self._clock.now()
            if submission.references:
                key = gsm_key(route.name, target.address, submission.references[-1])
                run.remember(key, SentRef(attempt_id, target.abonent_id))
            end = AttemptEnd("sent", detail=submission.detail, reference=reference)
        elif submission.outcome is SubmitOutcome.REJECTED:
            update = self._fail(run, target)
            end = AttemptEnd("rejected", detail=submission.detail, reference=reference)
        else:
            update = self._give_up(run, target)
            end = AttemptEnd("unknown", detail=submission.detail or "the link died while sending")
        await self._finish(run, [(attempt_id, target, end, update)])
        return submission.outcome is not SubmitOutcome.UNKNOWN

    # --- SMS through a platform -------------------------------------------------------
    async def _bulk(self, job: Job) -> bool:
        run = job.run
        route = job.channel
        assert isinstance(route, BulkSmsRoute)
        ids = await self._begin(job, AttemptKind.SMS)
        messages = [OutgoingSms(target.address, run.content.text, key=str(attempt_id))
                    for target, attempt_id in zip(job.targets, ids, strict=True)]  # fmt: skip
        try:
            submissions = await route.send_batch(messages)
        except ChannelUnavailable as error:
            await self._end_all(job, ids, "not_attempted", str(error), self._release)
            return True
        except (ChannelError, OSError) as error:  # it may have reached the platform
            await self._end_all(job, ids, "unknown", f"route error: {error}", self._give_up)
            return False
        ends = []
        now = self._clock.now()
        healthy = True
        for attempt_id, target, submission in zip(ids, job.targets, submissions, strict=True):
            if submission.outcome is SubmitOutcome.SUBMITTED:
                update = self._step(run, target, target.send)
                run.last_sent = now
                key = platform_key(route.name, submission.provider_id)
                run.remember(key, SentRef(attempt_id, target.abonent_id))
                end = AttemptEnd("sent", detail=submission.code or submission.detail,
                                 reference=submission.provider_id)  # fmt: skip
            elif submission.outcome is SubmitOutcome.REJECTED:
                update = self._fail(run, target)
                end = AttemptEnd("rejected", detail=submission.code or submission.detail)
            else:
                healthy = False
                update = self._give_up(run, target)
                end = AttemptEnd("unknown", detail=submission.detail or "it may have been sent")
            ends.append((attempt_id, target, end, update))
        await self._finish(run, ends)
        return healthy

    # --- e-mail -----------------------------------------------------------------------
    async def _email(self, job: Job) -> bool:
        run = job.run
        route = job.channel
        assert isinstance(route, EmailRoute)
        ids = await self._begin(job, AttemptKind.EMAIL)
        messages = [OutgoingEmail((target.address,), run.content.subject, run.content.text,
                                  key=str(attempt_id))
                    for target, attempt_id in zip(job.targets, ids, strict=True)]  # fmt: skip
        try:
            results = await route.send_emails(messages)
        except ChannelUnavailable as error:
            await self._end_all(job, ids, "not_attempted", str(error), self._release)
            return True
        except (ChannelError, OSError) as error:  # the data may have gone out
            await self._end_all(job, ids, "unknown", f"route error: {error}", self._give_up)
            return False
        by_key = {result.key: result for result in results}
        ends = []
        healthy = True
        for attempt_id, target in zip(ids, job.targets, strict=True):
            result = by_key.get(str(attempt_id))
            if result is None or result.outcome is EmailOutcome.UNKNOWN:
                healthy = False
                update = self._give_up(run, target)
                detail = result.reply if result else "no answer about this recipient"
                end = AttemptEnd("unknown", detail=detail)
            elif result.outcome is EmailOutcome.SENT:
                update = self._step(run, target, target.succeed)
                end = AttemptEnd("sent", detail=result.reply)
            else:
                update = self._fail(run, target)
                end = AttemptEnd(result.outcome.value, detail=result.reply)
            ends.append((attempt_id, target, end, update))
        await self._finish(run, ends)
        return healthy

    # --- delivery reports -------------------------------------------------------------
    async def delivery(self, runs: Sequence[TaskRun], report: DeliveryReport) -> None:
        """A delivery report from any channel: finish the SMS attempt it is about."""
        if report.provider_id:
            key = platform_key(report.channel, report.provider_id)
        else:
            key = gsm_key(report.channel, report.number, report.reference)
        for run in runs:
            ref = run.references.get(key)
            if ref is None:
                continue
            target = run.targets.get(ref.abonent_id)
            if target is None or target.state is not TargetState.SENT:
                return
            status = report.status
            word = report.platform_status or status.value
            detail = report.reason or word
            if status is DeliveryStatus.PENDING:  # on its way: the platform's word, kept
                end = AttemptEnd("sent", detail=detail)
                await self._finish(run, [(ref.attempt_id, target, end, None)])
                return
            run.forget_all([key])
            if status is DeliveryStatus.DELIVERED:
                update = self._step(run, target, target.succeed)
                outcome = "delivered"
            elif status is DeliveryStatus.UNKNOWN:
                update = self._give_up(run, target)
                outcome = "unknown"
            else:
                update = self._fail(run, target)
                outcome = "undelivered"
            end = AttemptEnd(outcome, detail=detail)
            await self._finish(run, [(ref.attempt_id, target, end, update)])
            return


def _name(channel: object) -> str:
    name = getattr(channel, "name", "")
    return name if isinstance(name, str) else ""
