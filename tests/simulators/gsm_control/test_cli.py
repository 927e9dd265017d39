"""`nabat sim gsm` as a new user runs it: a subprocess, its printed paths, pyserial, SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import serial
from nabat.simulators.gsm_modem import PROFILES
from nabat.simulators.processes import ChildProcesses
from nabat.simulators.sim_cli import GSM_PROFILES
from nabat.system.runtime.ready import wait_for_ready_file

NABAT = [sys.executable, "-m", "nabat.system.cli.main"]
PRINTED_MODEM = re.compile(r"^modem(\d+) (\S+)(?: \(link (\S+)\))? number \+(\d+)$")


@dataclass
class Running:
    process: subprocess.Popen[Any]
    ready: dict[str, Any]
    printed: list[str]


def printed_lines(process: subprocess.Popen[Any], count: int, timeout: float = 30) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while len(lines) < count and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
    return lines


@pytest.fixture
def children() -> Iterator[ChildProcesses]:
    with ChildProcesses(grace=5) as owned:
        yield owned


def start(children: ChildProcesses, tmp_path: Path, *arguments: str, modems: int = 2) -> Running:
    ready_path = tmp_path / "ready.json"
    process = children.start(
        [*NABAT, "sim", "gsm", "--modems", str(modems), "--control-port", "0",
         "--ready-file", str(ready_path), *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    ready = wait_for_ready_file(ready_path, process, timeout=30)
    return Running(process, ready, printed_lines(process, modems + 2))


def exchange(port: serial.Serial, command: bytes) -> bytes:
    port.write(command)
    deadline = time.monotonic() + 5
    received = b""
    while not received.endswith((b"OK\r\n", b"ERROR\r\n")) and time.monotonic() < deadline:
        received += port.read(port.in_waiting or 1)
    return received


@pytest.mark.parametrize("rtscts", [True, False])
def test_a_new_user_opens_the_printed_path(
    children: ChildProcesses, tmp_path: Path, rtscts: bool
) -> None:
    links = tmp_path / "dev"
    running = start(children, tmp_path, "--link", str(links), "--profile", "simcom")
    modems = [PRINTED_MODEM.match(line) for line in running.printed[1:3]]
    assert all(modems), running.printed
    paths = [m.group(2) for m in modems if m]
    assert paths == running.ready["paths"]
    assert [m.group(3) for m in modems if m] == [str(links / "modem0"), str(links / "modem1")]
    assert running.printed[3].startswith(f"control API at {running.ready['control']}/__sim/")
    for path in (paths[1], str(links / "modem0")):
        with serial.Serial(path, 115200, rtscts=rtscts, timeout=0.2) as port:
            assert exchange(port, b"AT\r") == b"AT\r\r\nOK\r\n"
            assert exchange(port, b"ATE0\r").endswith(b"\r\nOK\r\n")
            assert exchange(port, b"AT+CGMI\r") == b"\r\nSIMCOM_Ltd\r\n\r\nOK\r\n"
            answer = exchange(port, b"ATI\r")
            assert b"SIM800" in answer and answer.endswith(b"\r\nOK\r\n")
            exchange(port, b"ATE1\r")
    state = httpx.get(running.ready["control"] + "/__sim/state", timeout=5).json()
    assert [m["path"] for m in state["modems"]] == paths
    assert running.ready["pid"] == running.process.pid
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(10) == 0
    assert not links.exists()  # links and the directory it made are gone
    assert not os.path.exists(str(links / "modem0"))


def test_ctrl_c_stops_cleanly(children: ChildProcesses, tmp_path: Path) -> None:
    links = tmp_path / "kept"
    links.mkdir()
    (links / "notes.txt").write_text("mine")
    running = start(children, tmp_path, "--link", str(links), modems=1)
    assert (links / "modem0").is_symlink()
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(10) == 0
    assert sorted(p.name for p in links.iterdir()) == ["notes.txt"]


def test_a_bad_world_file_is_refused(children: ChildProcesses, tmp_path: Path) -> None:
    world = tmp_path / "world.toml"
    world.write_text("seed = 1\n[voice]\nring = [5, 1]\n")
    result = children.run([*NABAT, "sim", "gsm", "--world", str(world)], timeout=30)
    assert result.returncode == 2
    assert "world file rejected" in result.stderr and "voice.ring" in result.stderr


def test_a_taken_control_port_is_exit_1(children: ChildProcesses, tmp_path: Path) -> None:
    running = start(children, tmp_path, modems=1)
    port = running.ready["control"].rsplit(":", 1)[1]
    result = children.run([*NABAT, "sim", "gsm", "--control-port", port], timeout=30)
    assert result.returncode == 1 and "cannot start" in result.stderr


def test_the_cli_offers_every_profile() -> None:
    assert set(GSM_PROFILES) == set(PROFILES)
