"""The one ready-file helper and the one event-loop helper (``nabat.system.runtime``)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nabat.system.runtime import loop
from nabat.system.runtime.ready import (
    ReadyFileError,
    read_ready_file,
    wait_for_ready_file,
    write_ready_file,
)


def test_write_then_read(tmp_path: Path) -> None:
    path = tmp_path / "ready.json"
    assert read_ready_file(path) is None
    write_ready_file(path, {"host": "127.0.0.1", "port": 7021})
    assert read_ready_file(path) == {"host": "127.0.0.1", "port": 7021, "pid": os.getpid()}
    write_ready_file(path, {"primary": "http://127.0.0.1:1"})  # replaced as a whole
    assert read_ready_file(path) == {"primary": "http://127.0.0.1:1", "pid": os.getpid()}
    assert [entry.name for entry in tmp_path.iterdir()] == ["ready.json"]  # no temporary left


def test_a_half_written_or_foreign_file_reads_as_not_ready(tmp_path: Path) -> None:
    path = tmp_path / "ready.json"
    path.write_text('{"host": "127.0.0.1", "po', encoding="utf-8")
    assert read_ready_file(path) is None
    path.write_text("[1, 2]", encoding="utf-8")
    assert read_ready_file(path) is None


def test_the_write_is_a_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The target is only ever created by ``os.replace`` of a complete file."""
    path = tmp_path / "ready.json"
    seen: list[str] = []
    replace = os.replace

    def spy(source: str, target: Path) -> None:
        seen.append(Path(source).read_text(encoding="utf-8"))
        assert not path.exists()
        replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_ready_file(path, {"port": 1})
    assert json.loads(seen[0]) == {"port": 1, "pid": os.getpid()}


def test_wait_returns_what_a_child_writes(tmp_path: Path) -> None:
    path = tmp_path / "ready.json"
    code = (
        "import sys; from pathlib import Path;"
        "from nabat.system.runtime.ready import write_ready_file;"
        "write_ready_file(Path(sys.argv[1]), {'port': 5}); sys.stdin.read()"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE)
    try:
        info = wait_for_ready_file(path, child, timeout=30)
        assert info == {"port": 5, "pid": child.pid}
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def test_wait_fails_when_the_child_exits_or_time_is_up(tmp_path: Path) -> None:
    path = tmp_path / "ready.json"
    child = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(ReadyFileError, match="exited with code 3"):
        wait_for_ready_file(path, child, timeout=30)
    with pytest.raises(ReadyFileError, match="no ready file"):
        wait_for_ready_file(path, timeout=0.1)
    write_ready_file(path, {"primary": None})
    with pytest.raises(ReadyFileError):  # present, but not what the caller waits for
        wait_for_ready_file(path, timeout=0.1, accept=lambda info: info["primary"] is not None)


def test_run_uses_uvloop_when_installed() -> None:
    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    module = loop.run(loop_module())
    assert module.startswith("uvloop") == loop.uvloop_installed()
    fresh = loop.new_event_loop()
    try:
        assert type(fresh).__module__.startswith("uvloop") == loop.uvloop_installed()
    finally:
        fresh.close()
