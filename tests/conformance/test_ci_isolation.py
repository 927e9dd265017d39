"""The suites inside someone else's CI: a caller's hostile pytest settings and
conftest.py do not reach ``nabat conformance``, missing report folders are
created, and plain pytest works on the installed package with ``-p
nabat.conformance.plugin --pyargs``. Each runs a subprocess from a temp dir."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

NABAT = Path(sys.executable).with_name("nabat")
HOSTILE_PYPROJECT = """\
[tool.pytest.ini_options]
addopts = "-m unit -x --strict-markers"
filterwarnings = ["error"]
"""


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={**os.environ, **env})


def _hostile_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(HOSTILE_PYPROJECT, encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\naddopts = -m unit\n", encoding="utf-8")
    (root / "conftest.py").write_text(
        'raise RuntimeError("the caller\'s conftest must not be loaded")\n', encoding="utf-8")
    return root


def test_a_hostile_ci_project_still_gets_every_case_and_its_junit(
    sim: Any, tmp_path: Path
) -> None:
    project = _hostile_project(tmp_path)
    done = _run([str(NABAT), "conformance", "ats", "--target", sim.url,
                 "--junit", "reports/ci/x.xml", "--", "-k", "ping"],
                project, PYTEST_ADDOPTS="-m unit")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    root = ET.parse(project / "reports" / "ci" / "x.xml").getroot()
    # "-m unit" would have deselected every case (exit 5, empty JUnit)
    assert int(root.get("tests") or 0) >= 2 and root.get("failures") == "0"
    assert f"{root.get('tests')} passed" in done.stdout


def test_plain_pytest_on_the_installed_package(sim: Any, tmp_path: Path) -> None:
    done = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                 "-p", "nabat.conformance.plugin", "--pyargs", "nabat.conformance.ats",
                 "--target", sim.url, "-k", "ping_post"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout and "conformance ats: PASS" in done.stdout
