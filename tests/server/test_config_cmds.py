"""GETCONFIG and SETCONFIG over TLS: listing, validation, effect, persistence."""

from __future__ import annotations

import logging
import time

import pytest
from nabat.system.licence import Licence
from nabat.system.protocol import Reply
from nabat.system.server import ServerSettings, build_context

from tests.server.conftest import PASSWORDS, Running, Start


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


async def test_getconfig_lists_the_settings(running: Running) -> None:
    admin = await running.client("admin")
    reply = await admin.request("GETCONFIG")
    assert reply.ok, reply
    config = {row[0]: row[1] for row in reply.rows}
    assert list(config) == [
        "host", "port", "data_dir", "licence", "idle_timeout", "max_line_length",
        "max_upload_size", "password_cost", "welcome", "simulated_gsm_modems", "report_format",
        "clock_speed", "login_delay",
        "login_max_delay",
        "login_max_failures", "login_lockout", "login_address_max_failures", "login_queue",
        "login_queue_timeout", "tts_command", "tts_timeout", "max_sessions",
        "tls_handshake_timeout",
        "max_tls_handshakes", "max_unauthenticated", "max_unauthenticated_per_address",
        "login_timeout", "send_buffer", "write_timeout",
    ]  # fmt: skip
    assert config["host"] == "127.0.0.1" and config["idle_timeout"] == "300.0"
    assert config["data_dir"] == str(running.context.data_dir)
    assert config["max_line_length"] == "8192" and config["login_max_failures"] == "3"
    assert "development" in config["licence"]
    assert config["report_format"] == "HTML" and config["clock_speed"] == "1.0"
    await admin.close()


async def test_rights(running: Running) -> None:
    for login in ("viewer", "oper"):
        client = await running.client(login)
        assert code(await client.request("GETCONFIG")) == "ERR_NOACCESS"
        assert code(await client.request("SETCONFIG", "welcome", "x")) == "ERR_NOACCESS"
        await client.close()


async def test_setconfig_welcome_applies_at_once_and_is_stored(running: Running) -> None:
    admin = await running.client("admin")
    reply = await admin.request("SETCONFIG", "welcome", "Добро пожаловать, 100%")
    assert reply.ok and reply.head == ("welcome", "Добро пожаловать, 100%")
    rows = (await admin.request("GETCONFIG")).rows
    assert {row[0]: row[1] for row in rows}["welcome"] == "Добро пожаловать, 100%"
    viewer = await running.client()
    await viewer.send("LOGIN", "viewer", PASSWORDS["viewer"])
    line = await viewer.line()
    assert line is not None and line.params == ("OK", "Добро пожаловать, 100%")
    stored = running.context.store.runtime_settings.all()
    assert stored == {"welcome": "Добро пожаловать, 100%"}
    await viewer.close()
    await admin.close()


async def test_stored_settings_win_at_the_next_start(running: Running) -> None:
    admin = await running.client("admin")
    assert (await admin.request("SETCONFIG", "idle_timeout", "45")).head == ("idle_timeout", "45.0")
    assert (await admin.request("SETCONFIG", "login_lockout", "1e2")).head == (
        "login_lockout", "100.0",
    )  # fmt: skip
    await admin.close()
    store = running.context.store
    store.runtime_settings.set("login_delay", "fast")  # a bad stored value is ignored
    again = build_context(store, Licence.development_licence(), ServerSettings(idle_timeout=9))
    try:
        assert again.settings.idle_timeout == 45.0
        assert again.settings.login.lockout == 100.0 and again.throttle.policy.lockout == 100.0
        assert again.settings.login.delay == ServerSettings().login.delay
    finally:
        again.verifier.shutdown()


async def test_idle_timeout_applies_to_new_sessions(running: Running) -> None:
    admin = await running.client("admin")
    assert (await admin.request("SETCONFIG", "idle_timeout", "0.3")).ok
    viewer = await running.client("viewer")
    started = time.monotonic()
    assert await viewer.line(timeout=5) is None  # closed for idleness
    assert time.monotonic() - started < 3
    await viewer.close()
    await admin.close()


async def test_login_policy_applies_at_once(running: Running) -> None:
    admin = await running.client("admin")
    assert (await admin.request("SETCONFIG", "login_max_failures", "1")).ok
    assert running.context.throttle.policy.max_failures == 1
    client = await running.client()
    assert code(await client.login("oper", "wrong")) == "ERR_BADLOGIN"
    assert code(await client.login("oper", PASSWORDS["oper"])) == "ERR_BADLOGIN"  # locked
    await client.close()
    await admin.close()


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("colour", "red", "unknown key 'colour'"),
        ("port", "7000", "start-up setting"),
        ("host", "0.0.0.0", "start-up setting"),
        ("data_dir", "/tmp", "start-up setting"),
        ("tts_command", "/bin/sh", "start-up setting"),
        ("max_line_length", "100000", "start-up setting"),
        ("channels", "x", "SETCHANINFO"),
        ("idle_timeout", "abc", "must be float"),
        ("idle_timeout", "0", "must be >= 0.001"),
        ("idle_timeout", "nan", "must be float"),
        ("idle_timeout", "1e999", "finite"),
        ("login_max_failures", "1.5", "must be int"),
        ("login_max_failures", "0", "must be >= 1"),
        ("login_delay", "-1", "must be >= 0"),
        ("tts_timeout", "601", "must be <= 600"),
    ],
)
async def test_setconfig_refusals(running: Running, key: str, value: str, reason: str) -> None:
    admin = await running.client("admin")
    before = (await admin.request("GETCONFIG")).rows
    reply = await admin.request("SETCONFIG", key, value)
    assert code(reply) == "ERR_SETCONFIG", reply
    assert reply.error is not None and reason in reply.error.text
    assert (await admin.request("GETCONFIG")).rows == before
    assert running.context.store.runtime_settings.all() == {}
    await admin.close()


async def test_setconfig_syntax(running: Running) -> None:
    admin = await running.client("admin")
    assert code(await admin.request("SETCONFIG", "bad key", "1")) == "ERR_BADSYNTAX"
    assert code(await admin.request("SETCONFIG", "welcome")) == "ERR_BADARGUMENT_COUNT"
    await admin.close()


async def test_setconfig_is_logged_without_secrets(
    start_server: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    server = await start_server()
    admin = await server.client("admin")
    assert (await admin.request("SETCONFIG", "welcome", "hi")).ok
    assert "SETCONFIG welcome" in caplog.text and PASSWORDS["admin"] not in caplog.text
    await admin.close()
