"""The Oktell simulator's control API and configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from nabat.simulators.ats.control_client import ControlApiError
from nabat.simulators.oktell.config import ConfigError, OktellConfig, load_config
from nabat.system.wire.oktell import read_abonent_info, read_script_reply, read_user_state


@pytest.fixture
def http(oktell_simulator: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=oktell_simulator.url, timeout=10.0) as client:
        yield client


def test_state_journal_and_reset(oktell_simulator: Any, http: httpx.Client) -> None:
    control = oktell_simulator.control
    http.get("/wp_setuserstate?user=ivan&userstateid=3")
    assert control.state()["users"]["ivan"] == "usNotAvailable"
    entry = control.journal()[-1]
    assert (entry["path"], entry["status"], entry["params"]["userstateid"]) == (
        "/wp_setuserstate",
        200,
        "3",
    )
    control.reset()
    assert control.state()["users"]["ivan"] == "usReady"
    assert control.journal() == []


def test_faults_apply_to_commands(oktell_simulator: Any, http: httpx.Client) -> None:
    control = oktell_simulator.control
    fault = control.add_fault("status", status=503, count=1, paths=["tst_getuserstate"])
    assert http.get("/tst_getuserstate?iduser=ivan").status_code == 503
    assert http.get("/tst_getuserstate?iduser=ivan").status_code == 200  # count 1 used up
    control.add_fault("reset", count=1)
    with pytest.raises(httpx.TransportError):
        http.get("/tst_getuserstate?iduser=ivan")
    with pytest.raises(ControlApiError) as unknown:
        control.add_fault("status", paths=["no_such_command"])
    assert unknown.value.status == 400
    with pytest.raises(ControlApiError):
        control.remove_fault(fault)  # already gone


def test_service_states_and_blocked_lines(oktell_simulator: Any, http: httpx.Client) -> None:
    control = oktell_simulator.control
    assert control.user_event("ivan", "disconnect")["statestr"] == "usDisconnected"
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivan").content).state == 0
    http.get("/wp_setuserstate?user=ivan&userstateid=1")  # a service state is not left by request
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivan").content).state == 0
    assert control.user_event("ivan", "connect")["statestr"] == "usReady"
    with pytest.raises(ControlApiError) as illegal:
        control.user_event("ivan", "phone_back")
    assert illegal.value.status == 409
    control.line_event("16038", "block")
    info = read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content)
    assert (info.currentlinestate, info.currentlinestatestr) == (0, "lsDisconnected")
    assert http.get("/wp_autocallstart?line=16038&number=538").status_code == 409


def test_adding_lines_and_users(oktell_simulator: Any, http: httpx.Client) -> None:
    control = oktell_simulator.control
    control.add_line("18000")
    user = control.add_user("sergey", "18000", name="Сергей", number="300")
    assert read_user_state(http.get("/tst_getuserstate?iduser=300").content).id == user["id"]
    with pytest.raises(ControlApiError) as taken:
        control.add_user("other", "18000")
    assert taken.value.status == 400
    with pytest.raises(ControlApiError):
        control.add_line("18000")


def test_control_errors(oktell_simulator: Any, http: httpx.Client) -> None:
    assert http.get("/__sim/nothing").status_code == 404
    assert http.delete("/__sim/state").status_code == 405
    assert http.post("/__sim/calls", content=b"{not json").status_code == 400
    assert http.post("/__sim/calls", json={"from": "79000000001", "line": "1"}).status_code == 404
    assert http.post("/__sim/clock", json={"advance": -1}).status_code == 400
    assert http.post("/__sim/users/state", json={"user": "ivan", "event": "fly"}).status_code == 400


def test_configuration_file(tmp_path: Path) -> None:
    config_file = tmp_path / "oktell.toml"
    config_file.write_text(
        'password = "abc"\nexternal_lines = 2\nfiles_dir = "files"\n'
        '[scripts]\nmirror = "nabat.simulators.oktell.scripts:echo"\n'
        '[[lines]]\nnumber = "500"\n[[users]]\nlogin = "u"\nline = "500"\n',
        encoding="utf-8",
    )
    config = load_config(config_file, OktellConfig(port=0))
    assert config.password == "abc" and config.files_dir == tmp_path / "files"
    assert config.directory().resolve("u").number == "500"
    assert config.script_registry().get("MIRROR") is not None
    for text in (
        "colour = 1\n",
        'password = ""\n',
        '[scripts]\nx = "no.such.module:f"\n',
        '[[users]]\nlogin = "u"\nline = "1"\n[[users]]\nlogin = "v"\nline = "1"\n',
        "not toml = = \n",
    ):
        config_file.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config(config_file)


def test_a_configured_script_runs(oktell_simulator_factory: Callable[..., Any]) -> None:
    sim = oktell_simulator_factory(scripts={"mirror": "nabat.simulators.oktell.scripts:echo"})
    with httpx.Client(base_url=sim.url) as http:
        reply = read_script_reply(http.get("/execsvcscript?name=Mirror&startparam1=ok").content)
    assert reply.returnvalue == "ok"
