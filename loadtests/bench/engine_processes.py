"""A crash rig: the ATS simulator, simulated GSM modems and ``nabat serve``, as real processes.

How it works: ``CrashRig`` runs, under a ``ProcessSupervisor`` (every child
stopped however the run ends), ``nabat sim ats``, ``nabat sim gsm --modems N
--profile simcom --world FILE --speed S --ats URL --link DIR`` (its world
file: the default world with the run's ``seed``) and ``nabat serve`` on a
data directory of its own, whose config names one GSM channel per modem
link, ``clock_speed = S`` and the ATS simulator as its verification server.
``kill_server`` sends SIGKILL to the server's process group (kill -9: no
clean-up of any kind) and ``start_server`` starts it again on the same data
directory. ``create_voice_task`` makes a voice task with DTMF confirmation
over the wire (ADDGROUP, ADDABONENT per abonent, a list of the group,
ADDMESSAGE, ADDTASK); ``JournalWatch`` keeps every voice decision of the
world's journal (polled: the simulator keeps only the newest entries);
``judge`` compares the store's targets and attempts with those decisions:
abonents lost, abonents notified twice, attempts interrupted and reconciled.
The recovery benchmark (``engine_recovery.py``) and the kill -9 test
(``tests/server/test_engine_crash.py``) both use it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import Placement
from nabat.loadtests.bench.processes import (
    ProcessSupervisor,
    ServerProcess,
    python_module_command,
)
from nabat.loadtests.bench.sms_children import Simulator, start_simulator
from nabat.simulators.gsm_modem.control_client import GsmControlClient
from nabat.system.client import ClientError, NabatClient
from nabat.system.engine.records import AttemptState, TargetRecord
from nabat.system.protocol import (
    Abonent,
    ChannelState,
    Message,
    MessageType,
    Phone,
    Task,
    TaskStatus,
    TaskType,
)

ADMIN_PASSWORD = "crash-rig-admin"
CONFIRM = "key=1;repeat=2;wait=10"
RETRIES = "attempts=2;interval=60"
DRIVER_TIMING = "health_interval=0.5;reopen_initial=0.1;reopen_max=0.4;command_timeout=3"
NOT_PLACED = frozenset({"not_attempted", "not_registered"})  # outcomes of calls never dialled
JOURNAL_LIMIT = 10_000  # the GSM control API's most entries per read


def abonent_number(index: int) -> str:
    """Abonent ``index``'s phone: operator 2 of the default plan (79100000001, ...)."""
    return f"791{index + 1:08d}"


def world_text(seed: int) -> str:
    """A world file: the default world with its own seed."""
    return f"seed = {seed}\n"


@dataclass
class CrashRig:
    """The processes of one crash run (see the module comment)."""

    supervisor: ProcessSupervisor
    modems: int
    speed: float
    seed: int = 1
    server: ServerProcess | None = None
    ats: Simulator | None = None
    gsm: Simulator | None = None
    starts: int = 0

    @property
    def data_dir(self) -> Path:
        return Path(self.supervisor.workdir) / "data"

    @property
    def control(self) -> GsmControlClient:
        assert self.gsm is not None, "start_simulators first"
        return GsmControlClient(str(self.gsm.ready["control"]), timeout=30.0)

    def start_simulators(self) -> None:
        workdir = self.supervisor.workdir
        self.ats = start_simulator(
            self.supervisor, "ats", ["--port", "0"], Placement(), needs="primary"
        )
        world = workdir / "world.toml"
        world.write_text(world_text(self.seed), encoding="utf-8")
        self.gsm = start_simulator(
            self.supervisor, "gsm",
            ["--modems", str(self.modems), "--profile", "simcom", "--world", str(world),
             "--speed", str(self.speed), "--timing", "instant", "--control-port", "0",
             "--ats", str(self.ats.ready["primary"]), "--link", str(workdir / "modems")],
            Placement(), needs="control",
        )  # fmt: skip

    def config_text(self) -> str:
        assert self.ats is not None and self.gsm is not None, "start_simulators first"
        lines = [
            'host = "127.0.0.1"',
            "port = 0",
            f'data_dir = "{self.data_dir}"',
            "password_cost = 10",
            f"clock_speed = {self.speed}",
        ]
        for index, link in enumerate(self.gsm.ready["links"]):
            lines += ["", "[[channels]]", 'type = "GSM"', f'name = "Модем {index}"',
                      f'settings = "port={link};{DRIVER_TIMING}"']  # fmt: skip
        lines += ["", "[verification]", f'primary_url = "{self.ats.ready["primary"]}"']
        return "\n".join(lines) + "\n"

    def start_server(self) -> ServerProcess:
        """``nabat serve`` on the rig's data directory (the same one every time)."""
        config = self.supervisor.workdir / "server.toml"
        config.write_text(self.config_text(), encoding="utf-8")
        self.starts += 1
        env = {**os.environ, "NABAT_ADMIN_PASSWORD": ADMIN_PASSWORD}
        command = python_module_command("nabat.system.cli.main", "serve", "--config", str(config))
        self.server = self.supervisor.start_server(
            f"server{self.starts}", command, Placement(), env=env
        )
        return self.server

    def kill_server(self) -> None:
        """kill -9 the server (its whole process group) and reap it."""
        assert self.server is not None
        process = self.server.process
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_server(self) -> None:
        """SIGTERM, so the store is closed cleanly before it is read."""
        assert self.server is not None
        self.supervisor.stop(self.server.process)

    def client(self) -> Any:
        """``async with rig.client() as admin``: logged in as the administrator."""
        assert self.server is not None
        ready = self.server.ready
        return _LoggedIn(str(ready["host"]), int(str(ready["port"])), str(ready["cert"]))

    def attempts_after(self, task_id: int, attempt_id: int) -> int:
        """Attempts of ``task_id`` with an id above ``attempt_id`` (read-only, while it runs)."""
        return self._read("SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND id > ?",
                              (task_id, attempt_id))  # fmt: skip

    def in_flight(self, task_id: int) -> int:
        """Attempts of ``task_id`` written in flight and never finished (after a kill)."""
        return self._read("SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND state = ?",
                              (task_id, AttemptState.IN_FLIGHT.value))  # fmt: skip

    def last_attempt(self, task_id: int) -> int:
        return self._read("SELECT COALESCE(MAX(id), 0) FROM task_attempts WHERE task_id = ?",
                              (task_id,))  # fmt: skip

    def _read(self, query: str, params: tuple[object, ...]) -> int:
        uri = f"file:{self.data_dir / 'nabat.db'}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            return int(conn.execute(query, params).fetchone()[0])
        finally:
            conn.close()


class _LoggedIn:
    def __init__(self, host: str, port: int, cafile: str) -> None:
        self._where = (host, port, cafile)
        self._client: NabatClient | None = None

    async def __aenter__(self) -> NabatClient:
        host, port, cafile = self._where
        client = await NabatClient.connect(host, port, cafile=cafile)
        await client.login("admin", ADMIN_PASSWORD)
        self._client = client
        return client

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError, ClientError):  # the server may be dead by now
                await self._client.close()


async def create_voice_task(
    client: NabatClient, numbers: Iterable[str], confirm: str = CONFIRM, addinfo: str = RETRIES
) -> int:
    """A voice task with DTMF confirmation calling one abonent per number; its id."""
    group = await client.add_group("Смена")
    assert group.id is not None
    for index, number in enumerate(numbers):
        await client.add_abonent(
            Abonent(gid=group.id, name=f"Сотрудник {index}", phones=(Phone(phone=number),))
        )
    dlist = await client.add_list("Учения")
    assert dlist.id is not None
    await client.list_add_groups(dlist.id, [group.id])
    message = await client.add_message(
        Message(mtype=MessageType.SMS, name="Тревога", text="Внимание, учения")
    )
    assert message.id is not None
    task = await client.add_task(
        Task(ttype=TaskType.CALL, status=TaskStatus.STOPPED, name="Учения", listid=dlist.id,
             messageid=message.id, confirm=confirm, addinfo=addinfo)
    )  # fmt: skip
    assert task.id is not None
    return int(task.id)


async def busy_channels(client: NabatClient) -> int:
    return sum(1 for channel in await client.get_channels() if channel.state is ChannelState.BUSY)


@dataclass
class JournalWatch:
    """Every voice decision of the world's journal, by (address, attempt)."""

    control: GsmControlClient
    decisions: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    seen: int = 0  # entries appended by the world when last read
    dropped: bool = False  # some were gone before they were read

    def poll(self) -> None:
        appended = int(self.control.world.state()["state"]["journal"]["appended"])
        entries = self.control.world.journal(JOURNAL_LIMIT)
        if appended - self.seen > JOURNAL_LIMIT:
            self.dropped = True
        self.seen = appended
        for entry in entries:
            if entry["kind"] == "voice":
                self.decisions[(entry["address"], int(entry["attempt"]))] = entry

    def by_address(self) -> dict[str, list[dict[str, Any]]]:
        calls: dict[str, list[dict[str, Any]]] = {}
        for (address, _), entry in sorted(self.decisions.items()):
            calls.setdefault(address, []).append(entry)
        return calls


@dataclass(frozen=True)
class Verdict:
    lost: int  # abonents of the list without a final state (or missing)
    notified_twice: int  # called again after their confirmation, or confirmed twice
    interrupted: int  # attempts in flight at the crash
    unreconciled: int  # of those: still in flight, or neither retried nor accounted
    problems: tuple[str, ...]


def judge(
    targets: list[TargetRecord], decisions: dict[str, list[dict[str, Any]]], abonents: int
) -> Verdict:
    """The store's run against the world's decisions (see the module comment)."""
    problems: list[str] = []
    lost = max(0, abonents - len(targets))
    if lost:
        problems.append(f"{lost} abonents of the list have no target")
    twice = interrupted = unreconciled = 0
    for target in targets:
        number = target.addresses[0]
        if not target.state.final:
            lost += 1
            problems.append(f"{number}: left {target.state.value}")
        attempts = target.attempts
        dialled = [a for a in attempts if a.outcome not in NOT_PLACED]
        done = [a for a in dialled if a.state is AttemptState.DONE]
        called = decisions.get(number, [])
        if not len(done) <= len(called) <= len(dialled):
            problems.append(f"{number}: {len(called)} calls in the world, {len(done)} finished "
                            f"and {len(dialled)} placed attempts in the store")  # fmt: skip
        confirmed = [index for index, a in enumerate(attempts) if a.confirmed]
        again = len(called) > len(dialled) or len(confirmed) > 1
        if confirmed and confirmed[0] != len(attempts) - 1:
            again = True  # an attempt began after the confirmation
        if confirmed and called and called[-1].get("dtmf") != "confirm":
            again = True  # the world's last call of this abonent is not the confirming one
        if again:
            twice += 1
            problems.append(f"{number}: notified again after its confirmation")
        for index, attempt in enumerate(attempts):
            if attempt.state is AttemptState.IN_FLIGHT:
                unreconciled += 1
                problems.append(f"{number}: attempt {attempt.id} still in flight")
            if attempt.state is not AttemptState.INTERRUPTED:
                continue
            interrupted += 1
            later = index < len(attempts) - 1
            if not (attempt.confirmed or later or target.state.final):
                unreconciled += 1
                problems.append(f"{number}: interrupted attempt {attempt.id} not reconciled")
    return Verdict(lost, twice, interrupted, unreconciled, tuple(problems))
