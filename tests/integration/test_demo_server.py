"""`nabat demo server`: a fresh server, the server suite against it, reports, cleanup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NABAT = [sys.executable, "-m", "nabat.system.cli.main"]


def test_demo_server_passes_and_leaves_nothing_running(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the demo's temporary dirs land here
    reports = tmp_path / "reports"
    result = subprocess.run(
        [*NABAT, "demo", "server", "--reports", str(reports)],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "conformance server: PASS" in result.stdout
    report = json.loads((reports / "server.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "pass" and report["exit_code"] == 0
    assert (reports / "server-junit.xml").stat().st_size > 0
    assert (reports / "server.html").stat().st_size > 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("nabat-demo")]
    assert leftovers == []  # data directory and ready file removed
    assert "listening on 127.0.0.1:" in result.stderr  # loopback only
