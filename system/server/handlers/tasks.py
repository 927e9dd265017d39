"""Tasks: GETTASKS, GETTASK, ADDTASK, UPDATETASK, DELTASK, STARTTASK, STOPTASK,
GETTASKINFO, GETREPORT.

ADDTASK and UPDATETASK refuse text parameters the engine cannot run
(``nabat.system.engine.params``: docs/tasks.md) with their own error code.
Clients may only set STOPPED or WAITING themselves (ADDTASK, UPDATETASK); a
running task can be neither updated nor deleted until it is stopped; running
and stopping go through STARTTASK / STOPTASK, which check the licence and ask
the ``Engine``. Every status change is published to MONITORING sessions.
Store errors and a lost race with the task's state (``IllegalTransition``)
are answered by the dispatcher through ``error_map.py``.
"""

from __future__ import annotations

from nabat.system.engine.params import TaskParamError, TaskPlan
from nabat.system.engine.planning import CannotRun
from nabat.system.protocol import (
    ErrorCode,
    Task,
    TaskStatus,
    file_listing,
    listing,
    ok_line,
    task_status_line,
)
from nabat.system.protocol.records import Form
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.engine import STOPPABLE
from nabat.system.server.errors import CommandFailed

CLIENT_STATUSES = frozenset({TaskStatus.STOPPED, TaskStatus.WAITING})


async def get_tasks(call: Call) -> None:
    summaries = await blocking(call.store.tasks.summaries)
    rows = [summary.to_params() for summary in summaries]
    await call.reply(listing(call.word, rows, (str(len(rows)),)))


async def get_task(call: Call) -> None:
    task = await blocking(call.store.tasks.get, call.args["id"])
    await call.reply([ok_line(call.word, task.to_params(Form.FULL))])


async def add_task(call: Call) -> None:
    task = Task(**call.args)
    if task.status not in CLIENT_STATUSES:
        raise CommandFailed(ErrorCode.ADDTASK, "a new task is STOPPED (0) or WAITING (2)")
    try:
        TaskPlan.from_task(task)  # the engine must be able to run what is stored
    except TaskParamError as error:
        raise CommandFailed(ErrorCode.ADDTASK, str(error)) from None
    saved = await blocking(call.store.tasks.add, task)
    assert saved.id is not None
    summary = await blocking(call.store.tasks.summary, saved.id)
    await call.reply([ok_line(call.word, summary.to_params())])


async def update_task(call: Call) -> None:
    task = Task(**call.args)
    assert task.id is not None
    current = await blocking(call.store.tasks.summary, task.id)
    if current.status is TaskStatus.RUNNING:
        raise CommandFailed(ErrorCode.UPDATETASK, "the task is running: STOPTASK it first")
    if task.status != current.status and task.status not in CLIENT_STATUSES:
        raise CommandFailed(
            ErrorCode.UPDATETASK,
            "status: a client sets only STOPPED (0) or WAITING (2); use STARTTASK to run",
        )
    try:
        TaskPlan.from_task(task)
    except TaskParamError as error:
        raise CommandFailed(ErrorCode.UPDATETASK, str(error)) from None
    await blocking(call.store.tasks.update, task)
    summary = await blocking(call.store.tasks.summary, task.id)
    await call.reply([ok_line(call.word, summary.to_params())])
    if summary.status != current.status:
        call.context.hub.publish(summary)


async def delete_task(call: Call) -> None:
    task_id: int = call.args["id"]
    current = await blocking(call.store.tasks.summary, task_id)
    if current.status is TaskStatus.RUNNING:
        raise CommandFailed(ErrorCode.DELTASK, "не удалось удалить задание: оно выполняется.")
    await blocking(call.store.tasks.delete, task_id)  # an unknown id: ERR_GETTASK (error_map)
    await call.reply([ok_line(call.word, (str(task_id),))])


async def start_task(call: Call) -> None:
    task = await blocking(call.store.tasks.get, call.args["id"])
    assert task.id is not None
    if task.status is TaskStatus.RUNNING:
        summary = await blocking(call.store.tasks.summary, task.id)
        await call.reply([task_status_line(summary)])
        return
    engine = call.context.engine
    call.context.licence.check_start(
        task.ttype, engine.available_gsm_modems(), sms_routes=engine.available_sms_routes()
    )
    try:
        summary = await engine.start(task.id, bool(call.args["restart"]))
    except CannotRun as error:  # its parameters or message: nothing started
        raise CommandFailed(ErrorCode.UPDATETASK, f"the task cannot run: {error}") from None
    await call.reply([task_status_line(summary)])


async def stop_task(call: Call) -> None:
    current = await blocking(call.store.tasks.summary, call.args["id"])
    if current.status not in STOPPABLE:
        raise CommandFailed(ErrorCode.TASKNOTRUNNING)
    summary = await call.context.engine.stop(current.id)
    await call.reply([task_status_line(summary)])


async def get_task_info(call: Call) -> None:
    progress = await call.context.engine.progress(call.args["id"])
    await call.reply([ok_line(call.word, progress.to_params())])


async def get_report(call: Call) -> None:
    task_id: int = call.args["id"]
    if await blocking(call.store.tasks.find, task_id) is None:
        raise CommandFailed(ErrorCode.GETREPORT)
    try:
        report = await call.context.engine.report(task_id, call.args.get("format") or None)
    except ValueError as error:  # an unknown format asked for
        raise CommandFailed(ErrorCode.GETREPORT, str(error)) from None
    if report is None:
        raise CommandFailed(ErrorCode.TASKNOTRUNNING)
    tag, body = report
    await call.reply(file_listing(call.word, body, (tag,)))


HANDLERS: dict[str, Handler] = {
    "GETTASKS": get_tasks,
    "GETTASK": get_task,
    "ADDTASK": add_task,
    "UPDATETASK": update_task,
    "DELTASK": delete_task,
    "STARTTASK": start_task,
    "STOPTASK": stop_task,
    "GETTASKINFO": get_task_info,
    "GETREPORT": get_report,
}
