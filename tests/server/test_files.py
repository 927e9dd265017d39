"""SENDRAWFILE and GETRAWFILE over TLS: round trip, limits, hostile input, atomicity."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nabat.system.licence import Licence
from nabat.system.protocol import Line, Reply, file_upload
from nabat.system.server import ServerSettings, build_context
from nabat.system.server.filestore import FileStore

from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

LIMIT = 16 * 1024 * 1024


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


async def _upload(client: WireClient, name: str, data: bytes) -> Reply:
    await client.send_lines(file_upload(name, data))
    return await client.collect("SENDRAWFILE")


def _stored(running: Running) -> list[str]:
    names: list[str] = []
    for folder in ("files", "files.tmp"):
        path = running.context.data_dir / folder
        if path.is_dir():
            names += [f"{folder}/{entry.name}" for entry in path.iterdir()]
    return sorted(names)


async def test_round_trip(running: Running) -> None:
    oper = await running.client("oper")
    data = os.urandom(5000) + b"\x00\r\n%"
    reply = await _upload(oper, "запись 1.wav", data)
    assert reply.ok and reply.head == ("запись 1.wav", str(len(data)))
    viewer = await running.client("viewer")
    reply = await viewer.request("GETRAWFILE", "запись 1.wav")
    assert reply.ok and reply.head == ("запись 1.wav", str(len(data)))
    assert reply.data() == data and len(reply.rows) == 3  # 2048 bytes a DATA line
    assert _stored(running) == ["files/запись 1.wav"]
    assert (await _upload(oper, "запись 1.wav", b"new")).ok  # replaces
    assert (await viewer.request("GETRAWFILE", "запись 1.wav")).data() == b"new"
    await oper.close()
    await viewer.close()


async def test_empty_and_large_files(running: Running) -> None:
    oper = await running.client("oper")
    assert (await _upload(oper, "empty", b"")).head == ("empty", "0")
    reply = await oper.request("GETRAWFILE", "empty")
    assert reply.ok and reply.head == ("empty", "0") and reply.rows == ()
    big = os.urandom(300_000)
    assert (await _upload(oper, "big.bin", big)).ok
    assert (await oper.request("GETRAWFILE", "big.bin")).data() == big
    await oper.close()


async def test_short_lines_when_the_line_limit_is_small(start_server: Start) -> None:
    server = await start_server(max_line_length=1000)
    server.context.files.save("f", b"\xab" * 3000)
    viewer = await server.client("viewer")
    await viewer.send("GETRAWFILE", "f")
    lines: list[Line] = []
    while not lines or lines[-1].params[0] not in ("END", "ERR_NOFILE"):
        line = await viewer.line()
        assert line is not None
        assert len(line.encode(max_length=1 << 20)) <= 1000
        lines.append(line)
    assert b"".join(bytes.fromhex(line.params[1]) for line in lines[1:-1]) == b"\xab" * 3000
    await viewer.close()


async def test_rights_and_missing(running: Running) -> None:
    viewer = await running.client("viewer")
    await viewer.send_lines(file_upload("x", b"1"))
    for _ in range(3):  # BEGIN, DATA, END: each refused
        line = await viewer.line()
        assert line is not None and line.params[0] == "ERR_NOACCESS"
    reply = await viewer.request("GETRAWFILE", "nothing.wav")
    assert code(reply) == "ERR_NOFILE" and reply.error is not None
    assert "nothing.wav" in reply.error.text
    (running.context.data_dir / "files" / "folder").mkdir(parents=True)
    assert code(await viewer.request("GETRAWFILE", "folder")) == "ERR_NOFILE"
    os.symlink(running.context.data_dir / "nabat.db", running.context.data_dir / "files" / "db")
    assert code(await viewer.request("GETRAWFILE", "db")) == "ERR_NOFILE"  # no symlinks out
    await viewer.close()


@pytest.mark.parametrize("name", ["../nabat.db", "..", ".", "a/b", "a\\b", "c:x", "x" * 256])
async def test_traversal_names_are_refused(running: Running, name: str) -> None:
    oper = await running.client("oper")
    assert code(await oper.request("GETRAWFILE", name)) == "ERR_BADSYNTAX"
    await oper.send("SENDRAWFILE", "BEGIN", name, "1")
    await oper.send("SENDRAWFILE", "DATA", "41")
    await oper.send("SENDRAWFILE", "END")
    for _ in range(3):  # BEGIN refused, then DATA and END out of sequence
        line = await oper.line()
        assert line is not None and line.params[0] == "ERR_BADSYNTAX"
    assert (await oper.request("PING")).ok
    assert _stored(running) == []
    await oper.close()


def test_store_guards_names_itself(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    for name in ("../x", "..", ".", "", "a/b", "/etc/passwd", "a\x00b"):
        with pytest.raises(ValueError, match="bad file name"):
            files.save(name, b"x")
        assert files.open(name) is None
    assert not (tmp_path / "x").exists()


async def test_oversized_upload_is_refused(running: Running) -> None:
    oper = await running.client("oper")
    await oper.send("SENDRAWFILE", "BEGIN", "huge", str(LIMIT + 1))
    line = await oper.line()
    assert line is not None and line.params[0] == "ERR_BADSYNTAX" and "limit" in line.params[1]
    assert (await oper.request("PING")).ok
    assert _stored(running) == []
    await oper.close()


async def test_size_mismatch_and_bad_data(running: Running) -> None:
    oper = await running.client("oper")
    lines = file_upload("short", b"12345")
    head = Line("SENDRAWFILE", ("BEGIN", "short", "10"))
    await oper.send_lines([head, *lines[1:]])  # 5 of the 10 bytes declared
    assert code(await oper.collect("SENDRAWFILE")) == "ERR_BADSYNTAX"
    await oper.send_lines([Line("SENDRAWFILE", ("BEGIN", "long", "2")), *lines[1:]])
    assert code(await oper.collect("SENDRAWFILE")) == "ERR_BADSYNTAX"  # more than declared
    for _ in lines[2:]:  # the rest of the dropped request: one error each
        line = await oper.line()
        assert line is not None and line.params[0] == "ERR_BADSYNTAX"
    await oper.send_lines([Line("SENDRAWFILE", ("BEGIN", "hex", "1")),
                           Line("SENDRAWFILE", ("DATA", "ZZ"))])  # fmt: skip
    assert code(await oper.collect("SENDRAWFILE")) == "ERR_BADSYNTAX"
    assert (await oper.request("PING")).ok
    assert _stored(running) == []
    await oper.close()


async def test_interrupted_upload_leaves_nothing(running: Running) -> None:
    oper = await running.client("oper")
    lines = file_upload("part", b"x" * 5000)
    await oper.send_lines([*lines[:2], Line("PING", ())])  # a foreign line drops the upload
    line = await oper.line()
    assert line is not None and line.command == "SENDRAWFILE"
    assert line.params[0] == "ERR_BADSYNTAX"
    line = await oper.line()
    assert line is not None and line.command == "PING" and line.params == ("OK",)
    assert _stored(running) == []
    await oper.close()


async def test_dropped_connection_mid_upload_leaves_nothing(running: Running) -> None:
    oper = await running.client("oper")
    await oper.send_lines(file_upload("dropped", b"y" * 5000)[:-1])  # no END
    await oper.close()
    viewer = await running.client("viewer")
    assert code(await viewer.request("GETRAWFILE", "dropped")) == "ERR_NOFILE"
    await viewer.close()
    assert _stored(running) == []


async def test_unfinished_temporary_files_are_cleaned_at_start(running: Running) -> None:
    temp = running.context.data_dir / "files.tmp"
    temp.mkdir()
    (temp / "upload-crashed").write_bytes(b"partial")
    context = build_context(running.context.store, Licence.development_licence(),
                            ServerSettings())  # fmt: skip
    context.verifier.shutdown()
    assert list(temp.iterdir()) == []


async def test_store_failure_is_err_sendrawfile(running: Running) -> None:
    (running.context.data_dir / "files" / "dir").mkdir(parents=True)
    oper = await running.client("oper")
    reply = await _upload(oper, "dir", b"data")  # a directory of that name is in the way
    assert code(reply) == "ERR_SENDRAWFILE" and reply.error is not None
    assert "directory" in reply.error.text
    reply = await _upload(oper, "й" * 200, b"data")  # 400 bytes of UTF-8: too long on disk
    assert code(reply) == "ERR_SENDRAWFILE"
    assert sorted(os.listdir(running.context.data_dir / "files.tmp")) == []
    await oper.close()
