"""``nabat client``: one-shot, --stdin and the shell, against a real server.

``main`` runs its own event loop, so it runs in a worker thread while the
test's loop serves; stdout/stderr are captured with capsys.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from nabat.system.cli.client_help import detail, overview
from nabat.system.cli.client_requests import (
    UsageError,
    build,
    parse_phone,
    parse_words,
    raw_requests,
)
from nabat.system.cli.main import main
from nabat.system.protocol import COMMANDS, PhoneType

from tests.client.conftest import PASSWORDS, Running

Run = Callable[..., Awaitable[int]]


@pytest.fixture
def nabat(running: Running, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``await nabat("GETGROUPS", login="oper")``: the exit code of ``nabat client``."""
    host, port = running.server.address

    async def run(*words: str, login: str | None = "admin", trust: tuple[str, ...] | None = None,
                  stdin: str = "", options: tuple[str, ...] = ()) -> int:  # fmt: skip
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        if login is not None:
            monkeypatch.setenv("NABAT_PASSWORD", PASSWORDS[login])
        argv = ["client", "--host", host, "--port", str(port), "--timeout", "10"]
        argv += list(trust if trust is not None else ("--ca", str(running.cafile)))
        argv += ["--login", login] if login is not None else []
        return await asyncio.to_thread(main, [*argv, *options, *words])

    return run


async def test_groups_table(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert await nabat("ADDGROUP", "Отдел кадров", "100% состав") == 0
    assert await nabat("addgroup", "Склад", "") == 0  # the word in any case
    capsys.readouterr()
    assert await nabat("GETGROUPS") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "name", "description"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split(None, 1) == ["1", "Отдел кадров  100% состав"]
    assert lines[3].split() == ["2", "Склад"]


async def test_single_reply_fields_and_codes(
    nabat: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await nabat("USER") == 0
    out = capsys.readouterr().out
    assert "login        admin" in out and "rights       2 (ADMINISTRATOR)" in out
    assert await nabat("PING", login=None) == 0
    assert capsys.readouterr().out == "PING OK\n"
    assert await nabat("LOGIN", "viewer", PASSWORDS["viewer"], login=None) == 0
    out = capsys.readouterr().out
    assert out.startswith("welcome     Nabat") and "\nhaspset     1\n" in out


async def test_error_reply_exit_1(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert await nabat("DELGROUP", "99") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("DELGROUP ERR_DELGROUP: ")
    assert await nabat("GETGROUPS", login=None) == 1  # not logged in
    assert "ERR_NOACCESS" in capsys.readouterr().err
    assert await nabat("GETTASK", "x") == 1  # raw params: the server judges them
    assert "ERR_BADSYNTAX" in capsys.readouterr().err


async def test_trust_options(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert await nabat("PING", trust=()) == 2  # system trust store: self-signed refused
    err = capsys.readouterr().err
    assert "not trusted" in err and "--ca <data_dir>/tls/server.crt" in err
    assert len(err.strip().splitlines()) == 1
    assert await nabat("PING", trust=("--insecure",)) == 0
    assert await nabat("PING", trust=("--ca", "/nonexistent.crt")) == 2
    assert "--ca" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        await nabat("PING", trust=("--insecure", "--ca", "x"))
    assert caught.value.code == 2


async def test_login_and_connection_failures(
    nabat: Run, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await nabat("PING", options=("--password", "wrong")) == 2
    assert "login as 'admin' failed: LOGIN ERR_BADLOGIN" in capsys.readouterr().err
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    code = await asyncio.to_thread(main, ["client", "--port", str(port), "--insecure", "PING"])
    assert code == 2
    assert "cannot connect to 127.0.0.1:" in capsys.readouterr().err
    monkeypatch.delenv("NABAT_PASSWORD", raising=False)
    code = await asyncio.to_thread(main, ["client", "--insecure", "--login", "x", "PING"])
    assert code == 2 and "NABAT_PASSWORD" in capsys.readouterr().err


async def test_json_output(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert await nabat("ADDGROUP", "Группа 1", "") == 0
    capsys.readouterr()
    assert await nabat("GETGROUPS", options=("--json",)) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["ok"] and body["rows"] == [{"id": "1", "name": "Группа 1", "description": ""}]
    assert await nabat("DELGROUP", "5", options=("--json",)) == 1
    body = json.loads(capsys.readouterr().out)
    assert not body["ok"] and body["error"]["code"] == "ERR_DELGROUP"


async def test_abonent_with_phones_and_emails(
    nabat: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await nabat("ADDGROUP", "g", "") == 0
    code = await nabat("ADDABONENT", "gid=1", "name=Иванов И.И.", "organization=ООО 100%",
                       "--phone", "1:+79001234567:mobile", "--phone", "4951112233",
                       "--email", "ivanov@example.ru")  # fmt: skip
    assert code == 0
    capsys.readouterr()
    assert await nabat("GETABONENT", "1") == 0
    out = capsys.readouterr().out
    assert "name           Иванов И.И." in out and "organization   ООО 100%" in out
    assert "phone          1 +79001234567 0 (MOBILE)" in out
    assert "email          ivanov@example.ru" in out
    assert await nabat("UPDATEABONENT", "1", "1", "0", "Петров", "--email", "p@x.ru") == 0
    capsys.readouterr()
    assert await nabat("GETABONENTS", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["id", "gid", "remote", "name"]
    assert lines[0].split()[-2:] == ["phones", "emails"]
    assert "Петров" in lines[2] and lines[2].endswith("p@x.ru")
    assert await nabat("ADDABONENT", "name=x") == 2  # gid missing: refused before sending
    assert "gid" in capsys.readouterr().err


async def test_files(nabat: Run, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "alarm.wav"
    source.write_bytes(os.urandom(5000))
    assert await nabat("SENDRAWFILE", "--file", str(source)) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.split() == ["filename", "alarm.wav", "size", "5000"]
    assert await nabat("GETRAWFILE", "alarm.wav") == 0
    out = capsys.readouterr().out
    assert "received  5000 bytes" in out and source.read_bytes()[:4].hex(" ").upper() in out
    target = tmp_path / "copy.wav"
    assert await nabat("GETRAWFILE", "alarm.wav", "--output", str(target)) == 0
    assert target.read_bytes() == source.read_bytes()
    assert await nabat("SENDRAWFILE", "x.wav") == 2  # no --file
    assert "--file" in capsys.readouterr().err


async def test_stdin_raw_lines(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    script = (
        "# raw protocol lines\n"
        "ADDGROUP Отдел%20кадров 100%25\n"
        "ADDABONENT BEGIN\n"
        "ADDABONENT DATA 1 0 Иванов 0         \n"
        "ADDABONENT PHONE 1 +79001234567 0\n"
        "ADDABONENT END\n"
        "\n"
        "DELGROUP 42\n"
        "GETGROUPS\n"
    )
    assert await nabat(stdin=script, options=("--stdin",)) == 1  # DELGROUP failed
    captured = capsys.readouterr()
    assert "name         Отдел кадров" in captured.out and "100%" in captured.out
    assert "phone          1 +79001234567 0 (MOBILE)" in captured.out
    assert "ERR_DELGROUP" in captured.err
    assert captured.out.rstrip().endswith("1   Отдел кадров  100%")
    assert await nabat(stdin="ADDABONENT BEGIN\n", options=("--stdin",)) == 2
    assert "END" in capsys.readouterr().err


async def test_shell_from_stdin(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    script = "\n".join([
        "help",
        "help ADDGROUP",
        'ADDGROUP "Отдел кадров" "100% состав"',
        "MONITORING",
        "ADDLIST l ''",
        "ADDMESSAGE 1 m t '' ''",
        "ADDTASK 0 0 Учения 1 1 0 '' '' '' '' '' '' ''",
        "STARTTASK 1 1",
        "nosuchthing",
        'ADDGROUP "unbalanced',
        "GETGROUPS",
        "QUIT",
        "PING",  # never sent: QUIT ended the shell
    ])  # fmt: skip
    assert await nabat(stdin=script + "\n") == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "GETABONENTS [gid] [lid]" in out  # the overview
    assert "ADDGROUP <name> <description>" in out and "errors: ERR_ADDGROUP" in out
    assert "description  100% состав" in out
    assert "* UPDATETASK 1 Учения 0 (CALL) 1 (RUNNING)" in out
    assert "1   Отдел кадров  100% состав" in out
    assert out.rstrip().endswith("QUIT OK") and "PING OK" not in out
    assert "unknown command 'NOSUCHTHING'" in captured.err
    assert "cannot split the line" in captured.err


async def test_shell_ends_at_eof(nabat: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert await nabat(stdin="PING\n") == 0
    assert capsys.readouterr().out == "PING OK\n"
    assert await nabat(stdin="PING\nexit\nPING\n") == 0
    assert capsys.readouterr().out == "PING OK\n"


async def test_subprocess_one_shot(running: Running) -> None:
    host, port = running.server.address
    env = {**os.environ, "NABAT_PASSWORD": PASSWORDS["viewer"]}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nabat.system.cli.main", "client",
        "--host", host, "--port", str(port),
        "--ca", str(running.cafile), "--login", "viewer", "GETLISTS",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err
    assert out.decode().splitlines()[:3] == ["id  name  description", "--  ----  -----------",
                                             "(none)"]  # fmt: skip


# --- request building and help, no server ---------------------------------


def test_phone_specs() -> None:
    phone = parse_phone("0:+74951112233:landline")
    assert not phone.enabled and phone.ptype is PhoneType.LANDLINE
    assert parse_phone("89001234567").ptype is PhoneType.MOBILE
    with pytest.raises(UsageError):
        parse_phone("1:2")


def test_request_building() -> None:
    with pytest.raises(UsageError, match="--phone"):
        build(parse_words(["ADDGROUP", "x", "--phone", "1"]))
    with pytest.raises(UsageError, match="unknown command"):
        build(parse_words(["FOO"]))
    lines = build(parse_words(["ADDABONENT", "1", "0", "A B", "--email", "a@b.c"]))
    assert [line.params[0] for line in lines] == ["BEGIN", "DATA", "EMAIL", "END"]
    assert build(parse_words(["ADDGROUP", "--", "--phone", ""]))[0].params == ("--phone", "")
    requests = raw_requests(["PING\n", "UPDATEABONENT BEGIN 1\n", "UPDATEABONENT END\n"])
    assert [len(request) for request in requests] == [1, 2]


def test_help_covers_every_command() -> None:
    text = "\n".join(overview())
    assert all(word in text for word in COMMANDS)
    assert detail("nosuch")[0].startswith("unknown command")
    assert "rights: administrator" in "\n".join(detail("users"))
