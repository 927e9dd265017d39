"""``nabat up``'s exit codes and output, run in this process through the real parser:
``--print-config`` (0), a configuration error (2, one line), a component that cannot
start because its port is taken (3, named; nothing left running)."""

from __future__ import annotations

import socket
import threading
import tomllib
from pathlib import Path

import pytest
from nabat.system.cli.main import main


def test_print_config_shows_the_effective_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    world = tmp_path / "world.toml"
    assert main(["up", "--print-config", "--speed", "3", "--world", str(world)]) == 0
    printed = tomllib.loads(capsys.readouterr().out)
    assert printed["speed"] == 3.0 and printed["world"]["file"] == str(world.resolve())
    assert printed["server"]["port"] == 7021 and printed["server"]["licence"] == "development"


def test_a_configuration_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = tmp_path / "nabat.toml"
    file.write_text('[gsm]\nmodems = "x"\n', encoding="utf-8")
    assert main(["up", "--config", str(file)]) == 2
    error = capsys.readouterr().err
    assert error == "nabat up: configuration error: gsm.modems: must be an integer 1-64, got 'x'\n"


def test_a_taken_port_names_the_component_and_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        file = tmp_path / "nabat.toml"
        file.write_text(
            "[server]\nport = 0\n[ats]\nprimary = 0\nreserve = 0\n[gsm]\ncontrol_port = 0\n"
            "[mfms]\nport = 0\ntls_port = 0\n[ftp]\nport = 0\ncontrol = 0\n"
            f"[oktell]\nport = {port}\n[smtp]\nport = 0\ncontrol = 0\n",
            encoding="utf-8",
        )
        before = {thread.name for thread in threading.enumerate()}
        assert main(["up", "--config", str(file), "--workdir", str(tmp_path / "w")]) == 3
    error = capsys.readouterr().err
    assert error.startswith("nabat up: Oktell could not start: a port is in use"), error
    assert {thread.name for thread in threading.enumerate()} <= before  # all stopped
