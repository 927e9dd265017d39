"""``nabat serve`` as a subprocess: first start, login, SIGTERM; config checks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nabat.system.server.config import ConfigError, load_config, load_settings

from tests.server.wire import WireClient

ROOT = Path(__file__).resolve().parents[2]


def _start(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environ = {**os.environ, **(env or {})}
    environ.pop("NABAT_LICENCE_KEY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "nabat.system.cli.main", "serve", "--port", "0", *extra],
        cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_ready(process: subprocess.Popen[str], ready: Path) -> dict[str, object]:
    deadline = time.monotonic() + 20
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            raise AssertionError(f"server did not start:\n{out}\n{err}")
        time.sleep(0.05)
    info: dict[str, object] = json.loads(ready.read_text())
    return info


async def test_first_start_creates_cert_and_admin_then_sigterm(tmp_path: Path) -> None:
    data, ready = tmp_path / "data", tmp_path / "ready.json"
    process = _start(tmp_path, "--data-dir", str(data), "--ready-file", str(ready),
                     env={"NABAT_ADMIN_PASSWORD": "first-secret"})  # fmt: skip
    try:
        info = _wait_ready(process, ready)
        cert = Path(str(info["cert"]))
        assert cert == data / "tls" / "server.crt" and cert.exists()
        assert (data / "nabat.db").exists()
        client = await WireClient.connect(str(info["host"]), int(str(info["port"])), cert)
        reply = await client.login("admin", "first-secret")
        assert reply.ok and reply.hasp is not None
        assert (await client.request("USERS")).rows[0][:2] == ("admin", "2")
        await client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert f"--ca {data / 'tls' / 'server.crt'}" in out
    assert "created administrator 'admin'" in out and "first-secret" not in out + err
    assert "DEVELOPMENT LICENCE" in out


async def test_generated_password_printed_once(tmp_path: Path) -> None:
    data, ready = tmp_path / "data", tmp_path / "ready.json"
    process = _start(tmp_path, "--data-dir", str(data), "--ready-file", str(ready),
                     env={"NABAT_ADMIN_PASSWORD": ""})  # fmt: skip
    try:
        _wait_ready(process, ready)
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "with password " in out


def test_unknown_config_key_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "nabat.toml"
    config.write_text('host = "127.0.0.1"\nprot = 1\n')
    with pytest.raises(ConfigError, match="unknown key 'prot'"):
        load_config(config)
    process = _start(tmp_path, "--data-dir", str(tmp_path / "d"), "--config", str(config))
    _, err = process.communicate(timeout=20)
    assert process.returncode == 2 and "unknown key 'prot'" in err


def test_config_types_and_values(tmp_path: Path) -> None:
    config = tmp_path / "nabat.toml"
    config.write_text("port = 7100\nidle_timeout = 30\nlogin_max_failures = 2\n")
    settings = load_settings(config)
    assert settings.port == 7100 and settings.idle_timeout == 30.0
    assert settings.login.max_failures == 2
    config.write_text('port = "7100"\n')
    with pytest.raises(ConfigError, match="must be int"):
        load_config(config)


async def test_password_cost_sets_the_scrypt_cost_of_stored_passwords(tmp_path: Path) -> None:
    import sqlite3

    data, ready, config = tmp_path / "data", tmp_path / "ready.json", tmp_path / "nabat.toml"
    config.write_text("password_cost = 11\n", encoding="utf-8")
    process = _start(tmp_path, "--data-dir", str(data), "--ready-file", str(ready), "--config",
                     str(config), env={"NABAT_ADMIN_PASSWORD": "cheap-secret"})  # fmt: skip
    try:
        info = _wait_ready(process, ready)
        client = await WireClient.connect(str(info["host"]), int(str(info["port"])),
                                          Path(str(info["cert"])))  # fmt: skip
        assert (await client.login("admin", "cheap-secret")).ok
        await client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    with sqlite3.connect(data / "nabat.db") as db:
        (stored,) = db.execute("SELECT password_hash FROM users WHERE login = 'admin'").fetchone()
    assert stored.split("$")[1:4] == ["2048", "8", "3"]
