"""GETLOG over TLS and the daily log files the server writes."""

from __future__ import annotations

import logging
import signal
from datetime import date
from pathlib import Path

import pytest
from nabat.system.protocol import MAX_LINE_LENGTH, Line, Reply
from nabat.system.server import logfiles
from nabat.system.server.handlers.logs import split_line

from tests.server.conftest import PASSWORDS, Running, Start
from tests.server.test_serve_cmd import _start, _wait_ready
from tests.server.wire import WireClient

DAY = date(2026, 3, 1)


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


def _write_log(data_dir: Path, day: date, lines: list[str]) -> None:
    path = logfiles.log_path(data_dir, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


async def test_getlog_streams_the_day(running: Running) -> None:
    lines = ["2026-03-01 10:00:00,000 INFO nabat.server: listening", "", "тест\t50% 中"]
    _write_log(running.context.data_dir, DAY, lines)
    admin = await running.client("admin")
    reply = await admin.request("GETLOG", "2026-03-01")
    assert reply.ok, reply
    assert reply.rows == ((lines[0],), ("",), ("тест\t50% ?",))  # not cp1251: '?'
    await admin.close()


async def test_long_lines_are_split_not_cut(start_server: Start) -> None:
    server = await start_server(max_line_length=300)
    long = "x" * 1000 + " " * 100 + "й" * 500
    _write_log(server.context.data_dir, DAY, [long, "short"])
    admin = await server.client("admin")
    await admin.send("GETLOG", DAY.isoformat())
    raw: list[Line] = []
    while True:
        line = await admin.line()
        assert line is not None
        assert len(line.encode(max_length=1 << 20)) <= 300
        raw.append(line)
        if line.params[0] == "END":
            break
    data = [line.params[1] for line in raw[1:-1]]
    assert len(data) > 2 and "".join(data[:-1]) == long and data[-1] == "short"
    await admin.close()


def test_split_line_counts_escapes() -> None:
    assert list(split_line("", 10)) == [""]
    assert list(split_line("abc", 10)) == ["abc"]
    assert list(split_line("a b c", 5)) == ["a b", " c"]  # a space costs 3 bytes (%20)
    assert "".join(split_line("%" * 50, 7)) == "%" * 50


async def test_no_file_and_rights(running: Running) -> None:
    admin = await running.client("admin")
    reply = await admin.request("GETLOG", "2001-01-01")
    assert code(reply) == "ERR_NOLOGFILE" and reply.error is not None
    assert "2001-01-01" in reply.error.text
    assert code(await admin.request("GETLOG", "2026-13-01")) == "ERR_BADSYNTAX"
    assert code(await admin.request("GETLOG", "../../etc/passwd")) == "ERR_BADSYNTAX"
    assert code(await admin.request("GETLOG")) == "ERR_BADARGUMENT_COUNT"
    await admin.close()
    _write_log(running.context.data_dir, DAY, ["x"])
    for login in ("viewer", "oper"):
        client = await running.client(login)
        assert code(await client.request("GETLOG", DAY.isoformat())) == "ERR_NOACCESS"
        await client.close()


async def test_daily_handler_writes_the_records_day(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    handler = logfiles.install(running.context.data_dir)
    try:
        logging.getLogger("nabat.test").warning("запись %d", 1)
        client = await running.client()
        await client.login("admin", "very-secret-guess")
        assert (await client.login("admin", PASSWORDS["admin"])).ok
        reply = await client.request("GETLOG", date.today().isoformat())
        await client.close()
    finally:
        logfiles.uninstall(handler)
    text = logfiles.log_path(running.context.data_dir, date.today()).read_text(encoding="utf-8")
    assert "WARNING nabat.test: запись 1" in text and "LOGIN from" in text
    assert "very-secret-guess" not in text and PASSWORDS["admin"] not in text
    assert reply.ok and any("запись 1" in row[0] for row in reply.rows)


async def test_nabat_serve_writes_its_log(tmp_path: Path) -> None:
    data, ready = tmp_path / "data", tmp_path / "ready.json"
    process = _start(tmp_path, "--data-dir", str(data), "--ready-file", str(ready),
                     env={"NABAT_ADMIN_PASSWORD": "log-secret"})  # fmt: skip
    try:
        info = _wait_ready(process, ready)
        cert = Path(str(info["cert"]))
        client = await WireClient.connect(str(info["host"]), int(str(info["port"])), cert)
        assert (await client.login("admin", "log-secret")).ok
        reply = await client.request("GETLOG", date.today().isoformat())
        await client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert reply.ok, reply
    assert any("LOGIN from" in row[0] for row in reply.rows)
    text = logfiles.log_path(data, date.today()).read_text(encoding="utf-8")
    assert "listening on" in text and "log-secret" not in text
    assert all(len(row[0]) < MAX_LINE_LENGTH for row in reply.rows)
