"""`nabat demo`: a complete job on embedded defaults, no configuration.

``demo`` alone (``nabat demo [--out DIR]``) runs the whole system doing its
real job: the server and every simulator in this process, people, lists,
messages and tasks made over the client library, a voice task with DTMF
confirmation and an SMS task with a live display, a remote start by a
verified call (and a refused spoofed one), the HTML and XLS reports in DIR,
and a summary checked against the world's journal
(``nabat.simulators.system.demo``; exit 0, 1 on a mismatch, 3 when the
system cannot start).
``demo ats`` starts the ATS simulator pair (primary and reserve on free
loopback ports, in a child process) and runs the ATS conformance suite
against it. ``demo server`` starts the notification server (``nabat serve``)
on a free loopback port with a fresh temporary data directory and a random
administrator password, and runs the server conformance suite against it
(trusting the certificate the server created). Both write JUnit, JSON and
HTML reports and exit with the suite's code. The child is supervised
(``nabat.simulators.processes``): it is stopped however the run ends,
SIGTERM and Ctrl-C included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from nabat.simulators.processes import ChildProcesses
from nabat.system.cli.groups import add_group
from nabat.system.runtime.ready import ReadyFileError, wait_for_ready_file
from nabat.system.store.passwords import new_password

STARTUP_TIMEOUT_SECONDS = 20.0
DEMO_PASSWORD_COST = 12  # scrypt N = 2^12 for the demo's throwaway server (default 15)


def _demo_parser(leaves: Any, name: str, summary: str, prefix: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = leaves.add_parser(name, help=summary, description=summary)
    parser.add_argument(
        "--reports", type=Path, default=Path("reports"), help="report directory (default ./reports)"
    )
    for flag, what, default in (("--junit", "JUnit XML", f"{prefix}-junit.xml"),
                                ("--json", "JSON report", f"{prefix}.json"),
                                ("--html", "HTML report", f"{prefix}.html")):  # fmt: skip
        parser.add_argument(flag, type=Path, default=None,
                            help=f"{what} path (default REPORTS/{default})")  # fmt: skip
    parser.add_argument(
        "--strict", action="store_true", help="SHOULD clauses count as failures too"
    )
    return parser


def register(subparsers: Any) -> None:
    leaves = add_group(subparsers, "demo", "Run a complete job on embedded defaults.")
    leaves.metavar = "[SUBCOMMAND]"
    group: argparse.ArgumentParser = subparsers.choices["demo"]
    group.description = (
        "Run a complete job on embedded defaults. Alone: the whole system (server and every "
        "simulator) runs a voice task with DTMF confirmation, an SMS task and a remote start, "
        "writes the HTML and XLS reports to --out and checks them against the world's journal "
        "(exit 0; 1 on a mismatch; 3 when the system cannot start)."
    )
    group.add_argument(
        "--out", type=Path, default=Path(), help="report directory (default: the current one)"
    )
    group.set_defaults(handler=_run_full_demo)
    _demo_parser(
        leaves, "ats",
        "Start the ATS simulator pair and run the ATS conformance suite against it.", "ats",
    ).set_defaults(handler=_run_ats_demo)  # fmt: skip
    _demo_parser(
        leaves, "server",
        "Start the notification server on a fresh data directory and run the server "
        "conformance suite against it.", "server",
    ).set_defaults(handler=_run_server_demo)  # fmt: skip


def _run_full_demo(args: argparse.Namespace) -> int:
    from nabat.simulators.system.demo import run_demo

    return int(run_demo(args.out))


def _start_child(
    children: ChildProcesses, what: str, arguments: list[str], env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``nabat ARGUMENTS --ready-file F`` as a supervised child; wait for F (JSON)."""
    with tempfile.TemporaryDirectory(prefix="nabat-demo-") as ready_dir:
        ready = Path(ready_dir) / "ready.json"
        command = [sys.executable, "-m", "nabat.system.cli.main", *arguments,
                   "--ready-file", str(ready)]  # fmt: skip
        process = children.start(command, stdout=subprocess.DEVNULL, env=env)
        try:
            info: dict[str, Any] = wait_for_ready_file(
                ready, process, timeout=STARTUP_TIMEOUT_SECONDS
            )
        except ReadyFileError as error:
            raise RuntimeError(f"{what}: {error}") from None
        return info


def start_ats_simulator(children: ChildProcesses, extra: list[str] | None = None) -> dict[str, str]:
    """Start `nabat sim ats` on free ports as a supervised child; its URLs."""
    arguments = ["sim", "ats", "--port", "0", "--reserve-port", "0", *(extra or [])]
    return _start_child(children, "the ATS simulator", arguments)


def _run_suite(suite: str, args: argparse.Namespace, target_argv: list[str]) -> int:
    """Run ``suite`` with the target options given and the demo's report options."""
    from nabat.conformance.cli import run_conformance

    reports: Path = args.reports
    reports.mkdir(parents=True, exist_ok=True)
    names = {"junit": f"{suite}-junit.xml", "json": f"{suite}.json", "html": f"{suite}.html"}
    paths = {kind: getattr(args, kind) or reports / name for kind, name in names.items()}
    argv = list(target_argv)
    for kind, path in paths.items():
        argv += [f"--{kind}", str(path)]
    if args.strict:
        argv.append("--strict")
    code = run_conformance(suite, argv)
    print(f"reports: {paths['junit']}, {paths['json']}, {paths['html']}", flush=True)
    return int(code)


def _run_ats_demo(args: argparse.Namespace) -> int:
    with ChildProcesses() as children:
        urls = start_ats_simulator(children)
        print(f"ATS simulator: primary {urls['primary']}, reserve {urls['reserve']}", flush=True)
        return _run_suite("ats", args, ["--target", urls["primary"], "--reserve", urls["reserve"]])


def _run_server_demo(args: argparse.Namespace) -> int:
    password = new_password(18)
    with (
        tempfile.TemporaryDirectory(prefix="nabat-demo-server-") as data_dir,
        ChildProcesses() as children,
    ):
        env = {"NABAT_ADMIN_PASSWORD": password}
        # A throwaway server: light password hashing, so the suite's many logins take seconds.
        config = Path(data_dir) / "demo.toml"
        config.write_text(f"password_cost = {DEMO_PASSWORD_COST}\n", encoding="utf-8")
        arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir,
                     "--config", str(config)]  # fmt: skip
        ready = _start_child(children, "the notification server", arguments, env)
        target = f"{ready['host']}:{ready['port']}"
        print(f"notification server: {target} (TLS, data in {data_dir})", flush=True)
        return _run_suite("server", args, [
            "--target", target, "--login", "admin", f"--password={password}",
            "--ca", str(ready["cert"]),
        ])  # fmt: skip
