"""The pytest plugin in a CI user's own repository: one with its own top-level
``system/``, ``simulators/`` and ``conformance/`` packages and a conftest.

The throwaway project is run by ``python -m pytest`` from its own folder, so
its packages come first on ``sys.path`` and shadow any bare top-level name:
if the plugin or its fixtures imported ``system.*`` or ``simulators.*``
instead of ``nabat.*``, the plugin would fail to load or the fixtures would
fail with ``No module named ...``. The session must pass a test that uses
``ats_simulator`` and ``nabat_server`` and imports the project's own
modules, and one that runs an SMS notification task through the whole
system (``nabat_system``: the server wired to every simulator) and checks
it against what the simulated SMS platform took.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TEST_FILE = '''
import asyncio

from conformance.own import WHO as CONFORMANCE
from simulators.own import WHO as SIMULATORS
from system.own import WHO as SYSTEM


def test_own_packages_and_nabat_fixtures(ats_simulator, nabat_server, own_marker):
    assert SYSTEM == "user system" and CONFORMANCE == "user conformance"
    assert SIMULATORS == "user simulators"
    assert own_marker == "from the user's conftest"
    assert ats_simulator.control.state()["server"] == "primary"

    async def who_am_i():
        client = await nabat_server.connect()
        try:
            await client.ping()
            return (await client.user()).login
        finally:
            await client.close()

    assert asyncio.run(who_am_i()) == nabat_server.admin_login


def test_a_notification_task_through_the_whole_system(nabat_system):
    from nabat.simulators.system.stack import admin_client
    from nabat.system.protocol import (
        Abonent, Message, MessageType, Phone, Task, TaskStatus, TaskType,
    )

    numbers = ["79100000021", "79100000022"]
    nabat_system.mfms.control.add_override(
        range=numbers, sms={"outcomes": {"delivered": 1}, "delivery": 1})
    channels = nabat_system.channel_numbers()
    total = sum(len(found) for found in channels.values())
    mask = "".join("1" if n in channels["mfms"] else "0" for n in range(1, total + 1))

    async def notify():
        client = await admin_client(nabat_system)
        try:
            group = await client.add_group("Shift")
            people = [await client.add_abonent(Abonent(gid=group.id, name=f"Worker {n}",
                                                       phones=(Phone(phone=n),)))
                      for n in numbers]
            roster = await client.add_list("Drill")
            await client.list_add_abonents(roster.id, [p.id for p in people])
            message = await client.add_message(
                Message(mtype=MessageType.SMS, name="Drill", text="Drill at 10:00"))
            task = await client.add_task(Task(
                ttype=TaskType.SMS, status=TaskStatus.WAITING, name="Drill",
                listid=roster.id, messageid=message.id, channels=mask,
                addinfo="attempts=1;sms_wait=60"))
            await client.start_task(task.id)
            for _ in range(300):
                info = await client.get_task_info(task.id)
                if info.status == TaskStatus.FINISHED:
                    return info
                await asyncio.sleep(0.1)
            raise AssertionError(f"the task did not finish: {info}")
        finally:
            await client.close()

    info = asyncio.run(notify())
    assert (info.total, info.processed, info.confirmed) == (2, 2, 2)
    taken = {m["address"]: m["status"] for m in nabat_system.mfms.control.messages(10)}
    assert taken == {number: "delivered" for number in numbers}
'''

CONFTEST = '''
import pytest

from simulators.own import WHO


@pytest.fixture
def own_marker():
    assert WHO == "user simulators"
    return "from the user's conftest"
'''


def _write_project(root: Path) -> None:
    for package in ("system", "simulators", "conformance"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("", encoding="utf-8")
        (root / package / "own.py").write_text(f'WHO = "user {package}"\n', encoding="utf-8")
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (root / "test_user.py").write_text(TEST_FILE, encoding="utf-8")


def test_plugin_fixtures_work_in_a_project_with_its_own_system_and_simulators(
    tmp_path: Path,
) -> None:
    project = tmp_path / "user-project"
    project.mkdir()
    _write_project(project)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "2 passed" in output, output
