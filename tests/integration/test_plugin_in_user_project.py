"""The pytest plugin in a CI user's own repository: one with its own top-level
``system/``, ``simulators/`` and ``conformance/`` packages and a conftest.

The throwaway project is run by ``python -m pytest`` from its own folder, so
its packages come first on ``sys.path`` and shadow any bare top-level name:
if the plugin or its fixtures imported ``system.*`` or ``simulators.*``
instead of ``nabat.*``, the plugin would fail to load or the fixtures would
fail with ``No module named ...``. The session must pass a test that uses
``ats_simulator`` and ``nabat_server`` and imports the project's own
modules.
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
    assert "1 passed" in output, output
