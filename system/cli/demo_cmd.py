"""`nabat demo`: the whole main job on embedded defaults, no configuration.

For now: start the ATS simulator pair (primary and reserve on free loopback
ports, in a child process) and run the ATS conformance suite against it,
writing JUnit, JSON and HTML reports. The exit code is the suite's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from system.cli.groups import add_group

STARTUP_TIMEOUT_SECONDS = 20.0


def register(subparsers: Any) -> None:
    leaves = add_group(subparsers, "demo", "Run a complete job on embedded defaults.")
    ats = leaves.add_parser(
        "ats",
        help="Start the ATS simulator pair and run the ATS conformance suite against it.",
        description="Start the ATS simulator pair and run the ATS conformance suite against it.",
    )
    ats.add_argument(
        "--reports", type=Path, default=Path("reports"), help="report directory (default ./reports)"
    )
    ats.add_argument(
        "--junit", type=Path, default=None, help="JUnit XML path (default REPORTS/ats-junit.xml)"
    )
    ats.add_argument(
        "--json", type=Path, default=None, help="JSON report path (default REPORTS/ats.json)"
    )
    ats.add_argument(
        "--html", type=Path, default=None, help="HTML report path (default REPORTS/ats.html)"
    )
    ats.add_argument("--strict", action="store_true", help="SHOULD clauses count as failures too")
    ats.set_defaults(handler=_run_ats_demo)


def start_ats_simulator(
    extra: list[str] | None = None,
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Start `nabat sim ats` on free ports in a child process; wait for its URLs."""
    ready = Path(tempfile.mkdtemp(prefix="nabat-ats-")) / "ready.json"
    command = [
        sys.executable,
        "-m",
        "system.cli.main",
        "sim",
        "ats",
        "--port",
        "0",
        "--reserve-port",
        "0",
        "--ready-file",
        str(ready),
        *(extra or []),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not ready.exists():
        if process.poll() is not None:
            raise RuntimeError(f"the ATS simulator exited with code {process.returncode}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the ATS simulator did not start in time")
        time.sleep(0.05)
    return process, json.loads(ready.read_text(encoding="utf-8"))


def _run_ats_demo(args: argparse.Namespace) -> int:
    from system.cli.conformance_cmd import run_conformance

    reports: Path = args.reports
    reports.mkdir(parents=True, exist_ok=True)
    junit = args.junit or reports / "ats-junit.xml"
    json_path = args.json or reports / "ats.json"
    html = args.html or reports / "ats.html"
    process, urls = start_ats_simulator()
    try:
        print(f"ATS simulator: primary {urls['primary']}, reserve {urls['reserve']}", flush=True)
        argv = [
            "--target",
            urls["primary"],
            "--reserve",
            urls["reserve"],
            "--junit",
            str(junit),
            "--json",
            str(json_path),
            "--html",
            str(html),
        ]
        if args.strict:
            argv.append("--strict")
        code: int = run_conformance("ats", argv)
        print(f"reports: {junit}, {json_path}, {html}", flush=True)
        return code
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
