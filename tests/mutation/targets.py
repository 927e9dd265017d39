"""How to start each suite's implementation (optionally from a mutated copy) and
point its conformance suite at it.

``start_target`` runs the implementation as a child process of a
``ChildProcesses`` block, with ``PYTHONPATH`` set to the mutant's copy when
there is one: the copy holds only the mutated top folder (``nabat/simulators``
or ``nabat/system``), and because ``nabat`` is a namespace package the other
folders still come from the installed tree. It waits for the child's ready
file and returns the suite's arguments for that target. The suite itself
always runs from the installed, unmutated tree.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nabat.simulators.processes import ChildProcesses
from nabat.system.runtime.ready import wait_for_ready_file

START_TIMEOUT = 30.0
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "mutation-campaign-admin"
NABAT = [sys.executable, "-m", "nabat.system.cli.main"]


@dataclass(frozen=True)
class Target:
    suite_args: list[str]
    process: subprocess.Popen[bytes]


def _env(copy: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(extra or {})
    if copy is not None:
        env["PYTHONPATH"] = str(copy)
    return env


def _start_ats(children: ChildProcesses, copy: Path | None, work: Path,
               log: Path) -> Target:
    ready = work / "ats-ready.json"
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "sim", "ats", "--port", "0", "--reserve-port", "0",
             "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT, env=_env(copy))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--target", str(info["primary"]), "--reserve", str(info["reserve"])],
                  process)


def _start_server(children: ChildProcesses, copy: Path | None, work: Path,
                  log: Path) -> Target:
    ready = work / "server-ready.json"
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "serve", "--port", "0", "--data-dir", str(work / "data"),
             "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT,
            env=_env(copy, {"NABAT_ADMIN_PASSWORD": ADMIN_PASSWORD}))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--target", f"{info['host']}:{info['port']}", "--login", ADMIN_LOGIN,
                   "--password", ADMIN_PASSWORD, "--ca", str(info["cert"])], process)


def _start_gsm(children: ChildProcesses, copy: Path | None, work: Path,
               log: Path) -> Target:
    """One SIM800-dialect modem on a pseudo-terminal with its control API, instant command
    timing and a 20x clock, in the world where the suite's two parties behave
    (tests/conformance_gsm/sim.py)."""
    from tests.conformance_gsm.sim import CALL_TO, SMS_TO, SPEED, WORLD

    ready = work / "gsm-ready.json"
    world = work / "gsm-world.toml"
    world.write_text(WORLD, encoding="utf-8")
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "sim", "gsm", "--profile", "simcom", "--timing", "instant",
             "--speed", f"{SPEED:g}", "--world", str(world), "--control-port", "0",
             "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT, env=_env(copy))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--port", str(info["paths"][0]), "--sim-control", str(info["control"]),
                   "--sms-to", SMS_TO, "--call-to", CALL_TO, "--sms-wait", "10",
                   "--call-wait", "10", "--target-timeout", "3"], process)


def _start_ftp(children: ChildProcesses, copy: Path | None, work: Path,
               log: Path) -> Target:
    """The FTP platform simulator on free ports, its default guest account, tested over
    explicit FTPS through its control API (the clock advanced, never waited for)."""
    ready = work / "ftp-ready.json"
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "sim", "ftp", "--port", "0", "--control-port", "0", "--root",
             str(work / "ftp-root"), "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT, env=_env(copy))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--target", f"{info['host']}:{info['port']}", "--login", "guest",
                   "--password", "guest", "--tls", "--ca", str(info["ca_file"]),
                   "--sim-control", str(info["control"]), "--target-timeout", "5"], process)


def _start_mfms(children: ChildProcesses, copy: Path | None, work: Path,
                log: Path) -> Target:
    """The MFMS simulator over plain HTTP on a free port with its default connector
    (the spec's CLIENT/connectorX, P@ssw0rd), tested with its control API on the same
    port; the suite expects the simulator's default error profile (http500)."""
    ready = work / "mfms-ready.json"
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "sim", "mfms", "--port", "0", "--no-tls", "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT, env=_env(copy))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--target", f"{info['http']}/CLIENT/connectorX", "--login", "CLIENT",
                   "--password", "P@ssw0rd", "--sim-control", str(info["http"]),
                   "--error-profile", "http500"], process)


def _start_oktell(children: ChildProcesses, copy: Path | None, work: Path,
                  log: Path) -> Target:
    """The Oktell simulator on a free port with a password, tested with its control API
    (same port) and the state-changing cases allowed (its default directory: ivan on
    line 16038 calls 79031111111)."""
    ready = work / "oktell-ready.json"
    with log.open("ab") as sink:
        process = children.start(
            [*NABAT, "sim", "oktell", "--port", "0", "--password", "campaign",
             "--ready-file", str(ready)],
            stdout=sink, stderr=subprocess.STDOUT, env=_env(copy))
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return Target(["--target", str(info["http"]), "--password", "campaign",
                   "--allow-state-changes", "--sim-control", str(info["http"]),
                   "--target-timeout", "10"], process)


STARTERS: dict[str, Callable[[ChildProcesses, Path | None, Path, Path], Target]] = {
    "ats": _start_ats,
    "server": _start_server,
    "gsm": _start_gsm,
    "ftp": _start_ftp,
    "mfms": _start_mfms,
    "oktell": _start_oktell,
}


def start_target(suite: str, children: ChildProcesses, copy: Path | None, work: Path,
                 log: Path) -> Target:
    """Start ``suite``'s implementation (from ``copy`` when given) and say how to test it."""
    return STARTERS[suite](children, copy, work, log)
