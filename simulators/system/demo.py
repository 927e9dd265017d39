"""``nabat demo``: the whole system doing its real job, checked against the world.

How it works: ``run_demo(out_dir)`` starts the ``SystemStack`` (the server and
every simulator, in this process) on the embedded defaults with free ports,
a temporary work directory and the simulators and the engine's clock at
``DEMO_SPEED``. Over the product's own client library, as people would: the
administrator adds an operator; the operator adds two groups of employees
(``demo_cast``: Cyrillic names, numbers from the world's plan, e-mails),
three lists, a Russian TTS message (synthesised once into DIR when the
server has a synthesiser) and an SMS text, and three tasks: a call-out with
DTMF confirmation over the GSM modems, an SMS task through MFMS (channel
masks from ``stack.channel_numbers()``), and a call-out left WAITING with
``rkey``/``rpin``. The first two run with a live display (``demo_progress``);
then the dispatcher "calls" modem 0 twice through the world — a spoofed call
first (refused: the hub never heard of it), then a genuine one that starts
the third task. The HTML and XLS report of each task go to DIR; the engine's
rows are checked abonent by abonent against the world's journals
(``demo_check``). Exit 0 when everything agrees, 1 with the mismatches
listed otherwise (or when a task does not end in time), 3 when the system
cannot start. SIGTERM and Ctrl-C stop everything (``ChildProcesses``'s
signal guard; the stack stops in ``finally``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nabat.simulators.processes import ChildProcesses
from nabat.simulators.system.config import SystemConfig, load_config, with_free_ports
from nabat.simulators.system.demo_cast import Cast, Person, make_cast
from nabat.simulators.system.demo_check import (
    AbonentCheck,
    check_remote_starts,
    check_sms,
    check_voice,
    placed,
    summary_line,
)
from nabat.simulators.system.demo_progress import DemoTimeout, TaskBoard, follow
from nabat.simulators.system.stack import SystemStack, SystemStartError, admin_client
from nabat.system.client import NabatClient
from nabat.system.client.errors import ServerError
from nabat.system.engine.records import RemoteStartRecord, TargetRecord
from nabat.system.protocol import (
    Abonent,
    ErrorCode,
    Message,
    MessageType,
    Phone,
    Rights,
    Task,
    TaskStatus,
    TaskType,
    User,
)
from rich.console import Console
from rich.table import Table

DEMO_SPEED: Final = 40.0  # simulated seconds per real second: the demo ends in a minute
PHASE_TIMEOUT: Final = 120.0  # real seconds a phase's tasks may take before the demo gives up
EXIT_OK, EXIT_MISMATCH, EXIT_NO_SYSTEM = 0, 1, 3
OPERATOR: Final = "operator"
CONFIRM: Final = "key=1;repeat=1;wait=5"  # the DTMF window is real time (docs/engine.md)
CALL_ROUNDS: Final = "attempts=2;interval=60"
SMS_ROUNDS: Final = "attempts=2;interval=30;sms_wait=600"
REMOTE_KEY, REMOTE_PIN, REMOTE_MODEM = "5", "1234", 0
TTS_TEXT: Final = (
    "Внимание! Объявлена учебная тревога. Сбор в 10:00 у главного входа. "
    "Для подтверждения нажмите единицу."
)
SMS_TEXT: Final = "Учения: сбор в 10:00 у главного входа. Nabat"


@dataclass(frozen=True, slots=True)
class DemoTask:
    id: int
    name: str
    kind: str  # "voice" or "sms": how its report is checked
    slug: str  # in the report file names


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    task: DemoTask
    checks: tuple[AbonentCheck, ...]
    targets: tuple[TargetRecord, ...]
    reports: tuple[Path, ...]


def demo_config() -> SystemConfig:
    """The embedded defaults, every port free, everything at ``DEMO_SPEED``, modems
    answering AT commands at once (the calls themselves keep the world's timing)."""
    config = with_free_ports(dataclasses.replace(load_config(None), speed=DEMO_SPEED))
    return config.replace_section("gsm", timing="instant")


def mask(numbers: Sequence[int]) -> str:
    """A task's ``channels`` mask allowing exactly ``numbers`` (docs/tasks.md)."""
    if not numbers:
        raise ValueError("no channel of that kind: the task could never run")
    return "".join("1" if n in numbers else "0" for n in range(1, max(numbers) + 1))


# --- data entry, as an operator would -------------------------------------------


async def _abonents(client: NabatClient, gid: int, people: Sequence[Person],
                    position: str) -> list[int]:  # fmt: skip
    ids = []
    for person in people:
        added = await client.add_abonent(Abonent(
            gid=gid, name=person.name, organization="АО «Учебный объект»",
            department=person.region, position=position,
            phones=(Phone(phone="+" + person.phone),), emails=(person.email,),
        ))  # fmt: skip
        assert added.id is not None
        ids.append(added.id)
    return ids


async def _list(client: NabatClient, name: str, description: str, groups: Sequence[int]) -> int:
    made = await client.add_list(name, description)
    assert made.id is not None
    await client.list_add_groups(made.id, groups)
    return int(made.id)


async def _message(client: NabatClient, mtype: MessageType, name: str, text: str) -> int:
    made = await client.add_message(Message(mtype=mtype, name=name, text=text))
    assert made.id is not None
    return int(made.id)


async def populate(client: NabatClient, cast: Cast, channels: dict[str, list[int]],
                   console: Console) -> tuple[DemoTask, DemoTask, DemoTask]:  # fmt: skip
    """Groups, abonents, lists, messages and the three tasks; the tasks."""
    shift = await client.add_group("Дежурная смена", "сотрудники на смене")
    heads = await client.add_group("Руководство", "руководители подразделений")
    assert shift.id is not None and heads.id is not None
    await _abonents(client, shift.id, cast.duty_shift, "дежурный")
    await _abonents(client, heads.id, cast.management, "руководитель")
    on_duty = await _list(client, "Дежурные", "смена", [shift.id])
    everyone = await _list(client, "Все сотрудники", "смена и руководство", [shift.id, heads.id])
    management = await _list(client, "Руководство", "только руководители", [heads.id])
    alarm = await _message(client, MessageType.TTS, "Учебная тревога", TTS_TEXT)
    sms = await _message(client, MessageType.SMS, "Сбор по SMS", SMS_TEXT)
    gsm, mfms = mask(channels["gsm"]), mask(channels["mfms"])
    specs = (
        (TaskType.CALL, TaskStatus.STOPPED, "Учебная тревога", on_duty, alarm, gsm, "", "",
         "voice", "alarm"),
        (TaskType.SMS, TaskStatus.STOPPED, "Сбор по SMS", everyone, sms, mfms, "", "",
         "sms", "sms"),
        (TaskType.CALL, TaskStatus.WAITING, "Сбор руководства", management, alarm, gsm,
         REMOTE_KEY, REMOTE_PIN, "voice", "remote"),
    )  # fmt: skip
    tasks = []
    for ttype, status, name, lid, mid, channel_mask, rkey, rpin, kind, slug in specs:
        voice = ttype is TaskType.CALL
        summary = await client.add_task(Task(
            ttype=ttype, status=status, name=name, listid=lid, messageid=mid,
            channels=channel_mask, rkey=rkey, rpin=rpin, confirm=CONFIRM if voice else "",
            addinfo=CALL_ROUNDS if voice else SMS_ROUNDS,
        ))  # fmt: skip
        tasks.append(DemoTask(summary.id, name, kind, slug))
    console.print(
        f"operator {OPERATOR!r}: groups, {len(cast.everyone)} abonents, 3 lists, "
        f"2 messages, 3 tasks (channels: GSM {gsm}, MFMS {mfms})"
    )
    return tasks[0], tasks[1], tasks[2]


async def _synthesise(client: NabatClient, out_dir: Path, console: Console) -> None:
    """The TTS message spoken by a Russian voice, into DIR (when the server can speak)."""
    try:
        voices = [v for v in await client.get_tts() if v.language.lower().startswith("ru")]
        if not voices:
            raise RuntimeError("no Russian voice")
        audio = await client.tts(voices[0].name, TTS_TEXT)
    except Exception as error:  # the demo goes on: the modems cannot play audio anyway
        console.print(f"[dim]TTS not synthesised ({error}); the calls go on without it[/]")
        return
    path = out_dir / "nabat-demo-message.wav"
    path.write_bytes(audio)
    console.print(f"TTS message spoken by voice {voices[0].name!r}: {path}")


# --- the run --------------------------------------------------------------------


async def _remote_starts(stack: SystemStack, count: int, seconds: float) -> list[RemoteStartRecord]:
    deadline = time.monotonic() + seconds
    while True:
        found: list[RemoteStartRecord] = await asyncio.to_thread(
            stack.server.store.progress.remote_starts
        )
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def remote_start(
    stack: SystemStack, cast: Cast, task: DemoTask, console: Console
) -> list[str]:
    """A spoofed call, then a genuine one, from the dispatcher; the problems seen."""
    caller = cast.dispatcher.phone
    world = stack.gsm.world
    before = len(await asyncio.to_thread(stack.server.store.progress.remote_starts))
    keys = " ".join(REMOTE_KEY + REMOTE_PIN) + " #"
    console.print(f"remote start: a forged call from {caller} to modem {REMOTE_MODEM}, keys {keys}")
    await asyncio.to_thread(world.incoming_call, caller, REMOTE_MODEM, keys, spoofed=True)
    await _remote_starts(stack, before + 1, 30.0)
    console.print(f"remote start: {cast.dispatcher.name} calls from {caller}, keys {keys}")
    await asyncio.to_thread(world.incoming_call, caller, REMOTE_MODEM, keys)
    records = (await _remote_starts(stack, before + 2, 30.0))[before:]
    log = Table(title="Remote start log")
    for column in ("time", "via", "caller", "task", "accepted", "reason"):
        log.add_column(column)
    for record in records:
        log.add_row(record.time.strftime("%H:%M:%S"), record.via, record.caller,
                    str(record.task_id or ""), "yes" if record.accepted else "no",
                    record.reason)  # fmt: skip
    console.print(log)
    problems: list[str] = check_remote_starts(records, caller, task.id)
    return problems


async def _reports(client: NabatClient, task: DemoTask, out_dir: Path) -> tuple[Path, ...]:
    """The task's HTML and XLS reports; none for a task that never ran (a remote start
    that failed: the problem is already listed)."""
    paths = []
    for form, suffix in (("HTML", "html"), ("XLS", "xls")):
        try:
            reply = await client.call("GETREPORT", task.id, form)
        except ServerError as error:
            if error.means(ErrorCode.TASKNOTRUNNING):
                return ()
            raise
        path = out_dir / f"nabat-demo-{task.id}-{task.slug}.{suffix}"
        path.write_bytes(reply.data())
        paths.append(path)
    return tuple(paths)


async def check_task(stack: SystemStack, client: NabatClient, task: DemoTask,
                     out_dir: Path) -> TaskOutcome:  # fmt: skip
    """The task's reports into ``out_dir``, its rows checked against the world."""
    reports = await _reports(client, task, out_dir)
    targets = await asyncio.to_thread(stack.server.store.progress.report_targets, task.id)
    if task.kind == "voice":
        journal = await asyncio.to_thread(stack.gsm.world.journal, 10_000)
        checks = check_voice(task.name, targets, journal)
    else:
        messages = await asyncio.to_thread(stack.mfms.control.messages, 10_000)
        checks = check_sms(task.name, targets, messages)
    return TaskOutcome(task, tuple(checks), tuple(targets), reports)


def summary_table(outcomes: Sequence[TaskOutcome], boards: Sequence[TaskBoard]) -> Table:
    """Per task: abonents, confirmed / delivered, failed, attempts, agreement."""
    progress = {task: info for board in boards for task, info in board.progress.items()}
    table = Table(title="Summary (checked against the world's journal)")
    for column in ("task", "abonents", "confirmed / delivered", "failed", "attempts", "agrees"):
        table.add_column(column, justify="left" if column == "task" else "right")
    for outcome in outcomes:
        info = progress.get(outcome.task.id)
        agreeing = sum(1 for check in outcome.checks if check.agrees)
        table.add_row(
            f"{outcome.task.id} {outcome.task.name}", str(len(outcome.targets)),
            str(info.confirmed if info else "?"), str(info.failed if info else "?"),
            str(sum(len(placed(target)) for target in outcome.targets)),
            f"{agreeing} of {len(outcome.checks)}",
        )  # fmt: skip
    return table


async def scenario(stack: SystemStack, out_dir: Path, console: Console) -> int:
    """Everything after the start (see the module comment); the exit code."""
    cast = make_cast(stack.world)
    admin = await admin_client(stack)
    password = "operator-" + str(time.monotonic_ns())
    await admin.user_add(User(login=OPERATOR, rights=Rights.OPERATOR, name="Оператор смены",
                              password=password))  # fmt: skip
    server = stack.server
    operator = await NabatClient.connect(server.host, server.port, cafile=server.cafile)
    try:
        await operator.login(OPERATOR, password)
        await admin.monitoring(True)
        alarm, sms, remote = await populate(operator, cast, stack.channel_numbers(), console)
        await _synthesise(operator, out_dir, console)
        problems: list[str] = []
        boards = []
        try:
            for task in (alarm, sms):
                await operator.start_task(task.id, restart=True)
            boards.append(await follow(operator, admin, [alarm.id, sms.id],
                                       [alarm.name, sms.name], console, PHASE_TIMEOUT))  # fmt: skip
            problems += await remote_start(stack, cast, remote, console)
            boards.append(await follow(operator, admin, [remote.id], [remote.name], console,
                                       PHASE_TIMEOUT))  # fmt: skip
        except DemoTimeout as error:
            problems.append(str(error))
        outcomes = [await check_task(stack, operator, task, out_dir)
                    for task in (alarm, sms, remote)]  # fmt: skip
    finally:
        await operator.close()
        await admin.close()
    return report(outcomes, boards, problems, console)


def report(outcomes: Sequence[TaskOutcome], boards: Sequence[TaskBoard],
           problems: Sequence[str], console: Console) -> int:  # fmt: skip
    """Print the reports' paths, the summary and any mismatch; the exit code."""
    for outcome in outcomes:
        reports = ", ".join(str(path) for path in outcome.reports) or "none (it never ran)"
        console.print(f"reports of task {outcome.task.id} {outcome.task.name}: {reports}")
    console.print(summary_table(outcomes, boards))
    checks = [check for outcome in outcomes for check in outcome.checks]
    console.print(summary_line(checks))
    mismatches = [check for check in checks if not check.agrees]
    for check in mismatches:
        console.print(f"[red]MISMATCH[/] {check.task} / {check.abonent} ({check.address}): "
                      f"engine {check.engine}; world {check.world}: "
                      + "; ".join(check.problems), soft_wrap=True)  # fmt: skip
    for problem in problems:
        console.print(f"[red]MISMATCH[/] {problem}", soft_wrap=True)
    return EXIT_MISMATCH if mismatches or problems else EXIT_OK


def run_demo(out_dir: Path, console: Console | None = None) -> int:
    """Start the system, run the scenario, stop everything; the exit code."""
    console = console or Console()
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with ChildProcesses(), tempfile.TemporaryDirectory(prefix="nabat-demo-") as workdir:
        stack = SystemStack(demo_config(), Path(workdir))
        try:
            try:
                stack.start()
            except SystemStartError as error:
                console.print(f"[red]the system could not start:[/] {error}", soft_wrap=True)
                return EXIT_NO_SYSTEM
            console.print(f"system up in {time.monotonic() - started:.1f} s "
                          f"(speed {DEMO_SPEED:g}x, work directory {workdir})")  # fmt: skip
            code = asyncio.run(scenario(stack, out_dir, console))
        finally:
            stack.stop()
    console.print(f"demo finished in {time.monotonic() - started:.1f} s")
    return code
