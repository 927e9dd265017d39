"""`nabat sim ats` as a user runs it: start-up, ready file, clean stop, bad input."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.simulators.ats.plan import default_plan, load_plan_file

REPO = Path(__file__).resolve().parents[2]
NABAT = [sys.executable, "-m", "nabat.system.cli.main"]


def test_example_plan_file_equals_the_default_plan() -> None:
    assert (
        load_plan_file(REPO / "docs" / "example-numbers.csv").to_json() == default_plan().to_json()
    )


def test_sim_starts_writes_ready_file_and_stops_on_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [
            *NABAT,
            "sim",
            "ats",
            "--port",
            "0",
            "--reserve-port",
            "0",
            "--window",
            "5",
            "--numbers",
            str(REPO / "docs" / "example-numbers.csv"),
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert process.poll() is None, "simulator exited early"
            assert time.monotonic() < deadline, "simulator did not start"
            time.sleep(0.05)
        urls = json.loads(ready.read_text())
        assert httpx.get(urls["primary"] + "/ping").status_code == 200
        assert httpx.get(urls["reserve"] + "/ping").status_code == 200
        with AtsControlClient(urls["primary"]) as control:
            assert control.config()["window"] == 5.0
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "ATS simulator primary at http://127.0.0.1:" in output


def test_bad_numbering_plan_is_refused_with_its_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("first,last,id_src\n1,2,1\n9,x,2\n")
    result = subprocess.run(
        [*NABAT, "sim", "ats", "--numbers", str(plan)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert f"{plan}:3: last must be 1 to 15 digits" in result.stderr


def test_bad_arguments_are_refused() -> None:
    result = subprocess.run(
        [*NABAT, "sim", "ats", "--window", "-1"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2 and "positive" in result.stderr
    busy = subprocess.run(
        [*NABAT, "sim", "ats", "--host", "127.0.0.1", "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert busy.returncode == 2 and "0..65535" in busy.stderr


def test_help_everywhere() -> None:
    for args in ([], ["sim"], ["sim", "ats"], ["demo", "ats"], ["demo", "server"]):
        result = subprocess.run(
            [*NABAT, *args, "--help"], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0 and "usage: nabat" in result.stdout
