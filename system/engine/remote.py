"""Remote start: a task started by a verified caller's DTMF code and PIN, or by an SMS with the PIN.

How it works. By call (``on_call``): only when some task has a call code
(``rkey``). The caller's number is checked with the hub first (CheckCall
from the caller to the channel's own number, direction REMOTE_START, whose
policy is fail-closed): a withheld number, no verification client, a 404
or an unreachable hub refuses the call (it is rejected, never answered).
A verified call is answered and its keys collected until ``#``, a pause of
``KEY_PAUSE`` seconds, ``MAX_KEYS`` keys or the caller hanging up; the task
whose ``<rkey><rpin>`` they equal is started (resumed; started over when it
had finished). By SMS (``on_sms``): a text of exactly ``<rsms> <rpin>``
starts that task; a text whose first word is some task's keyword but whose
PIN is wrong is refused; any other SMS is not a remote start. Each SMS is
handled once even if the modem hands it over again (its key is kept).

Every attempt, accepted or refused, is written to the store
(``remote_starts``) and logged; GETREPORT shows those of the task.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from nabat.system.channels.base import ChannelError, IncomingCall, IncomingSms
from nabat.system.engine.params import TaskParamError, TaskPlan
from nabat.system.engine.records import RemoteStartRecord
from nabat.system.engine.voice import e164_digits
from nabat.system.protocol import Task, TaskStatus
from nabat.system.store import Store
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.settings import Direction

if TYPE_CHECKING:
    from nabat.system.protocol import TaskSummary

log = logging.getLogger("nabat.engine.remote")

KEY_PAUSE = 10.0  # seconds without a key that end the caller's input
MAX_KEYS = 40


class Starter(Protocol):
    async def start(self, task_id: int, restart: bool) -> TaskSummary: ...


CheckStart = Callable[[Task], None]  # raises when the licence refuses the task


class RemoteStarts:
    def __init__(
        self,
        store: Store,
        starter: Starter,
        verification: Callable[[], VerificationClient | None],
        *,
        check_start: CheckStart = lambda task: None,
        own_number: Callable[[str], str | None] = lambda channel: None,
    ) -> None:
        self._store = store
        self._starter = starter
        self._verification = verification
        self.check_start = check_start
        self.own_number = own_number

    def _plans(self) -> list[tuple[Task, TaskPlan]]:
        found = []
        for summary in self._store.tasks.summaries():
            task = self._store.tasks.get(summary.id)
            try:
                plan = TaskPlan.from_task(task)
            except TaskParamError:
                continue
            if plan.remote.by_call or plan.remote.by_sms:
                found.append((task, plan))
        return found

    async def _log(self, via: str, channel: str, caller: str, task_id: int | None,
                   accepted: bool, reason: str, key: str = "") -> None:  # fmt: skip
        record = RemoteStartRecord(datetime.now().replace(microsecond=0), via, channel, caller,
                                   task_id, accepted, reason)  # fmt: skip
        await asyncio.to_thread(self._store.progress.log_remote_start, record, key)
        level = logging.INFO if accepted else logging.WARNING
        log.log(level, "remote start by %s from %s on %s: %s%s", via, caller or "(withheld)",
                channel, reason, f" (task {task_id})" if task_id else "")  # fmt: skip

    async def _start(self, task: Task) -> str:
        assert task.id is not None
        if task.status is TaskStatus.RUNNING:
            return "already running"
        self.check_start(task)
        restart = task.status in (TaskStatus.FINISHED, TaskStatus.FAILED)
        summary = await self._starter.start(task.id, restart)
        return f"started ({summary.status.name})"

    # --- by call ----------------------------------------------------------------------
    async def on_call(self, event: IncomingCall) -> None:
        plans = [(t, p) for t, p in await asyncio.to_thread(self._plans) if p.remote.by_call]
        if not plans:
            return  # not a remote start: leave the call alone
        caller = e164_digits(event.caller or "")
        reason = await self._verify(event.channel, caller)
        if reason is not None:
            await self._reject(event)
            await self._log("call", event.channel, caller, None, False, reason)
            return
        try:
            session = await event.control.answer()
        except ChannelError as error:
            await self._log("call", event.channel, caller, None, False,
                            f"the channel cannot answer: {error}")  # fmt: skip
            return
        entered = ""
        try:
            while len(entered) < MAX_KEYS and not entered.endswith("#"):
                key = await session.next_key(KEY_PAUSE)
                if key is None:
                    break
                entered += key
        finally:
            try:
                await session.hang_up()
            except ChannelError as error:
                log.warning("remote start call on %s: hang-up failed: %s", event.channel, error)
        for task, plan in plans:
            if plan.remote.matches_keys(entered):
                await self._accept("call", event.channel, caller, task)
                return
        await self._log("call", event.channel, caller, None, False,
                        "wrong code or PIN" if entered else "no keys entered")  # fmt: skip

    async def _verify(self, channel: str, caller: str) -> str | None:
        """None when the caller is verified, else why not."""
        if not caller:
            return "caller id withheld"
        client = self._verification()
        if client is None:
            return "no verification hub configured: remote start is fail-closed"
        own = self.own_number(channel)
        own = e164_digits(own) if own else own
        # call_id is required without id_src (the API: "needed for callUpdate"); unique per call
        call_id = f"nabat-rs-{uuid.uuid4().hex[:20]}"
        result = await client.check_call(caller, own, call_id=call_id,
                                         direction=Direction.REMOTE_START)  # fmt: skip
        if result.allowed and result.outcome.value == "verified":
            return None
        status = f" (HTTP {result.status})" if result.status else ""
        return f"caller not verified: {result.outcome.value}{status}"

    async def _reject(self, event: IncomingCall) -> None:
        try:
            await event.control.reject()
        except ChannelError as error:
            log.warning("remote start call on %s: reject failed: %s", event.channel, error)

    async def _accept(self, via: str, channel: str, caller: str, task: Task,
                      key: str = "") -> None:  # fmt: skip
        try:
            outcome = await self._start(task)
        except Exception as error:  # licence, parameters, a race: refused, with the reason
            await self._log(via, channel, caller, task.id, False, f"could not start: {error}", key)
            return
        await self._log(via, channel, caller, task.id, True, outcome, key)

    # --- by SMS -----------------------------------------------------------------------
    async def on_sms(self, event: IncomingSms) -> None:
        plans = [(t, p) for t, p in await asyncio.to_thread(self._plans) if p.remote.by_sms]
        if not plans:
            return
        if event.key:
            seen: bool = await asyncio.to_thread(self._store.progress.remote_start_seen, event.key)
            if seen:
                return
        sender = e164_digits(event.sender)
        words = event.text.split()
        for task, plan in plans:
            if plan.remote.matches_sms(event.text):
                await self._accept("sms", event.channel, sender, task, event.key)
                return
        first = words[0].casefold() if words else ""
        for task, plan in plans:
            if first and first == plan.remote.sms_keyword.casefold():
                await self._log("sms", event.channel, sender, task.id, False, "wrong PIN",
                                event.key)  # fmt: skip
                return
