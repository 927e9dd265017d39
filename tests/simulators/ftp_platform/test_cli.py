"""`nabat sim ftp` as a new user runs it: a subprocess, its printed endpoints, ftplib, SIGTERM."""

from __future__ import annotations

import ftplib
import io
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from nabat.simulators.processes import ChildProcesses
from nabat.system.runtime.ready import wait_for_ready_file

from tests.simulators.ftp_platform.archives import plain_zip

NABAT = [sys.executable, "-m", "nabat.system.cli.main"]


@pytest.fixture
def children() -> Iterator[ChildProcesses]:
    with ChildProcesses(grace=5) as owned:
        yield owned


def test_sim_ftp_serves_ftps_and_stops_on_sigterm(children: ChildProcesses, tmp_path: Path) -> None:
    ready_path = tmp_path / "ready.json"
    config = tmp_path / "accounts.toml"
    config.write_text('[[account]]\nlogin = "acme"\npassword = "pw"\nsenders = ["ACME"]\n')
    process = children.start(
        [*NABAT, "sim", "ftp", "--port", "0", "--control-port", "0", "--config", str(config),
         "--ready-file", str(ready_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    ready = wait_for_ready_file(ready_path, process, timeout=30)
    assert ready["accounts"] == ["acme", "guest"]
    root, ca_file = Path(ready["root"]), str(ready["ca_file"])
    client = ftplib.FTP_TLS(context=ssl.create_default_context(cafile=ca_file), timeout=10)
    client.connect(ready["host"], ready["port"])
    client.login("acme", "pw")
    client.prot_p()
    client.storbinary("STOR acme_20260101120000.zip", io.BytesIO(plain_zip(["79031234567;hi"])))
    client.quit()
    control = str(ready["control"])
    httpx.post(control + "clock", json={"advance": 10}, timeout=10).raise_for_status()
    journal = httpx.get(control + "journal", timeout=10).json()
    assert [m["sender"] for m in journal["messages"]] == ["ACME"]
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "FTP platform simulator at ftp://127.0.0.1:" in output
    assert f"trust its CA: {ca_file}" in output
    assert not root.exists()  # the temporary root is removed


def test_a_bad_config_is_refused_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "accounts.toml"
    config.write_text('[[account]]\nlogin = "bad_login"\npassword = "pw"\n')
    result = subprocess.run(
        [*NABAT, "sim", "ftp", "--port", "0", "--config", str(config)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "login 'bad_login'" in result.stderr
