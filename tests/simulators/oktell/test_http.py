"""The Oktell simulator over loopback HTTP: password, routing, parameters, commands."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from nabat.simulators.control.clock import SimClock
from nabat.system.wire.oktell import (
    read_abonent_info,
    read_chain_content,
    read_ready_users,
    read_script_reply,
    read_user_state,
)

IVAN = "DA803F01-EA77-40FA-BC9D-E2EFB36FD5A8"


@pytest.fixture
def frozen() -> SimClock:
    clock = SimClock()
    clock.freeze(True)
    return clock


@pytest.fixture
def sim(oktell_simulator_factory: Callable[..., Any], frozen: SimClock) -> Any:
    return oktell_simulator_factory(clock=frozen)


@pytest.fixture
def http(sim: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.url, timeout=10.0) as client:
        yield client


# --- the password (ruling 2) -----------------------------------------------------------
def test_password_403_without_ok_with_param_or_basic(
    oktell_simulator_factory: Callable[..., Any],
) -> None:
    sim = oktell_simulator_factory(password="abc")
    with httpx.Client(base_url=sim.url, timeout=10.0) as http:
        assert http.get(f"/tst_getuserstate?iduser={IVAN}").status_code == 403
        assert http.get(f"/tst_getuserstate?iduser={IVAN}&password=abd").status_code == 403
        assert http.get("/no_such_command").status_code == 403  # before the command lookup
        assert http.post("/tst_getuserstate", data={"iduser": IVAN}).status_code == 403
        assert http.get(f"/tst_getuserstate?iduser={IVAN}&password=abc").status_code == 200
        assert (
            http.post("/tst_getuserstate", data={"iduser": IVAN, "password": "abc"}).status_code
            == 200
        )
        assert (
            http.get(f"/tst_getuserstate?iduser={IVAN}", auth=("anyone", "abc")).status_code == 200
        )
        assert (
            http.get(f"/tst_getuserstate?iduser={IVAN}", auth=("anyone", "nope")).status_code == 403
        )
        broken = {"Authorization": "Basic !!!"}
        assert http.get(f"/tst_getuserstate?iduser={IVAN}", headers=broken).status_code == 403
        no_colon = {"Authorization": "Basic " + base64.b64encode(b"abc").decode()}
        assert http.get(f"/tst_getuserstate?iduser={IVAN}", headers=no_colon).status_code == 403
        assert http.get("/no_such_command?password=abc").status_code == 404
    journal = sim.control.journal()
    assert all(entry["params"].get("password") in (None, "***") for entry in journal)


def test_without_a_password_everything_is_open(http: httpx.Client) -> None:
    assert http.get(f"/tst_getuserstate?iduser={IVAN}").status_code == 200


# --- routing and parameters -----------------------------------------------------------
def test_unknown_command_is_404_and_names_are_case_insensitive(http: httpx.Client) -> None:
    missing = http.get("/frobnicate?x=1")
    assert missing.status_code == 404 and "frobnicate" in missing.text
    assert http.get("/").status_code == 404
    assert http.get(f"/TST_GetUserState?IdUser={IVAN}").status_code == 200


def test_methods_other_than_get_and_post_are_405(http: httpx.Client) -> None:
    answer = http.request("PUT", f"/tst_getuserstate?iduser={IVAN}")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"


def test_post_form_and_multipart_and_form_wins(http: httpx.Client) -> None:
    answer = http.post(
        "/execsvcscriptplain?name=echo&startparam1=query", data={"startparam1": "форма"}
    )
    assert answer.text.split(";")[0] == "форма"
    answer = http.post(
        "/execsvcscriptplain", files={"name": (None, "echo"), "startparam1": (None, "multi")}
    )
    assert answer.text.startswith("multi;")


def test_malformed_form_is_400(http: httpx.Client) -> None:
    answer = http.post(
        "/execsvcscript",
        content=b"name=%zz",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 400


# --- tst_* ------------------------------------------------------------------------------
def test_user_state_utf16_with_bom_and_both_parameters(http: httpx.Client) -> None:
    for query in (f"iduser={IVAN}", "number=101", "iduser=ivan"):
        answer = http.get(f"/tst_getuserstate?{query}")
        assert answer.content.startswith(b"\xff\xfe")
        assert answer.headers["content-type"] == "text/xml; charset=utf-16"
        reply = read_user_state(answer.content)
        assert reply.id == IVAN.lower() and reply.state == 1 and reply.state_name == "usReady"
    assert http.get("/tst_getuserstate").status_code == 400
    assert http.get("/tst_getuserstate?iduser=nobody").status_code == 404


def test_ready_users_of_a_group(http: httpx.Client) -> None:
    http.get("/wp_setuserstate?user=olga&userstateid=3")
    answer = http.get("/tst_getintnumberreadyusers?number=120")
    assert answer.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    group = read_ready_users(answer.content)
    assert (group.number, group.ready, group.busy) == ("120", 4, 1)
    assert "223" not in group.elements and set(group.elements) == {"183", "184", "538", "227"}
    assert http.get("/tst_getintnumberreadyusers?number=999").status_code == 404


# --- wp_setuserstate ------------------------------------------------------------------
def test_set_user_state_answers_200_empty_and_changes_state(sim: Any, http: httpx.Client) -> None:
    answer = http.get("/wp_setuserstate?user=ivanov&userstateid=5")
    assert answer.status_code == 200 and answer.content == b""
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivanov").content).state == 5
    refused = http.get("/wp_setuserstate?user=ivanov&oncallcenter=0&userstateid=2")
    assert refused.status_code == 200  # "in any case": the refusal shows in the journal
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivanov").content).state == 5
    assert sim.control.events()[-1]["refused"]
    assert http.get("/wp_setuserstate?user=ghost&userstateid=1").status_code == 404
    assert http.get("/wp_setuserstate?user=ivanov&userstateid=x").status_code == 400
    assert http.get("/wp_setuserstate?userstateid=1").status_code == 400


# --- execsvcscript ----------------------------------------------------------------------
def test_execsvcscript_sync_shape(http: httpx.Client) -> None:
    answer = http.get("/execsvcscript?name=echo&startparam1=123&startparam2=234&async=0&timeout=10")
    assert answer.content.startswith(b"\xff\xfe")
    reply = read_script_reply(answer.content)
    assert (reply.started, reply.startresult, reply.returnvalue) == (True, 0, "123")


def test_execsvcscript_unknown_fail_async_and_timeout(sim: Any, http: httpx.Client) -> None:
    unknown = read_script_reply(http.get("/execsvcscript?name=NoSuchScript").content)
    assert (unknown.started, unknown.startresult) == (False, 1)
    failed = read_script_reply(http.get("/execsvcscript?name=fail").content)
    assert (failed.started, failed.startresult, failed.returnvalue) == (True, 2, None)
    running = read_script_reply(
        http.get("/execsvcscript?name=sleep&startparam1=60&async=1").content
    )
    assert (running.started, running.returnvalue) == (True, None)
    # a frozen clock: the 5-second timeout passes only when the test advances it
    with httpx.Client(base_url=sim.url, timeout=10.0) as other:
        import threading

        answers: list[httpx.Response] = []
        thread = threading.Thread(
            target=lambda: answers.append(
                other.get("/execsvcscript?name=sleep&startparam1=60&timeout=5")
            )
        )
        thread.start()
        thread.join(0.3)
        assert thread.is_alive()  # still waiting on simulated time
        sim.control.set_clock(advance=5.5)
        thread.join(10)
    timed_out = read_script_reply(answers[0].content)
    assert (timed_out.started, timed_out.startresult, timed_out.returnvalue) == (True, 0, None)


def test_execsvcscriptplain_output_and_errors(http: httpx.Client) -> None:
    answer = http.get("/execsvcscriptplain?name=echo&startparam1=Привет&startparam3=3")
    assert answer.text == "Привет;;3;;"
    assert http.get("/execsvcscriptplain?name=nothing").status_code == 404
    assert http.get("/execsvcscriptplain?name=fail").status_code == 500
    assert http.get("/execsvcscript").status_code == 400
    assert http.get("/execsvcscript?name=echo&timeout=soon").status_code == 400
    assert http.get("/execsvcscript?name=echo&async=2").status_code == 400


# --- calls ---------------------------------------------------------------------------
def _answering(sim: Any, number: str, **voice: Any) -> None:
    rules = {"outcomes": {"answered": 1}, "ring": 3, "listen": 40, **voice}
    sim.control.add_override({"number": number, "voice": rules})


def test_internal_autocall_direct_rings_then_commutates(sim: Any, http: httpx.Client) -> None:
    _answering(sim, "538")
    assert http.get("/wp_autocallstart?line=16038&number=538&direction=pbx").status_code == 200
    info = read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content)
    assert (info.currentlinestate, info.currentlinestatestr) == (4, "lsDialing")
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivan").content).state == 5
    assert sim.control.state()["lines"]["17003"] == "lsRinging"  # ivanov's line rings
    assert sim.control.state()["users"]["ivanov"] == "usBusy"
    sim.control.set_clock(advance=3.5)
    assert sim.control.state()["lines"]["17003"] == "lsCommutated"
    info = read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content)
    assert (info.currentlinestate, info.currentlinestatestr) == (32, "lsCommutated")
    assert info.abonentinfo is not None and info.abonentinfo.calleruserlogin == "ivanov"
    assert info.abonentinfo.isextline is False and info.abonentinfo.callerid == "538"
    chain = read_chain_content(http.get("/wp_getchaincontent?user=ivan").content)
    assert chain.trace and chain.trace[0].alinenumber == "16038"  # type: ignore[union-attr]
    assert http.get("/wp_autocallstart?line=16038&number=538").status_code == 409  # busy line
    assert http.get("/wp_flash?user=ivan").status_code == 200
    assert (
        read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content).currentlinestate == 64
    )
    assert http.get("/wp_autocallstop?line=16038").status_code == 200
    assert (
        read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content).currentlinestate == 1
    )
    assert read_user_state(http.get("/tst_getuserstate?iduser=ivan").content).state == 1
    assert sim.control.state()["lines"]["17003"] == "lsFree"
    assert sim.control.state()["users"]["ivanov"] == "usReady"
    calls = sim.control.calls()
    assert calls[-1]["result"] == "stopped" and calls[-1]["decision"]["outcome"] == "answered"
    # the answered call left its recording, by id and by packed link
    by_link = http.get(f"/downloadrecordbylink?recordlink={calls[-1]['recordlink']}")
    by_id = http.get(f"/download/rec/{calls[-1]['record']}")
    assert by_link.status_code == by_id.status_code == 200
    assert by_link.content == by_id.content and by_link.content.startswith(b"RIFF")


def test_switchcall_transfers_an_active_call_and_starts_one_on_an_idle_line(
    sim: Any, http: httpx.Client
) -> None:
    _answering(sim, "538")
    _answering(sim, "183")
    assert http.get("/wp_switchcall?line=16038&number=538").status_code == 200  # idle: autocall
    sim.control.set_clock(advance=3.5)
    assert http.get("/wp_switchcall?line=16038&number=183").status_code == 200
    calls = sim.control.calls()
    assert [(c["number"], c["result"]) for c in calls] == [("538", "transferred"), ("183", "")]
    sim.control.set_clock(advance=3.5)
    info = read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content)
    assert info.abonentinfo is not None and info.abonentinfo.calleruserlogin == "VIKTIRICH"


def test_city_call_takes_a_trunk_and_back_sequence_rings_the_line_first(
    sim: Any, http: httpx.Client
) -> None:
    _answering(sim, "79000000001")
    assert (
        http.get("/wp_autocallstart?user=ivan&number=79000000001&sequence=back").status_code == 200
    )
    assert (
        read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content).currentlinestate == 8
    )
    sim.control.set_clock(advance=1.5)  # the user picks up; the number is dialled
    sim.control.set_clock(advance=3.5)
    info = read_abonent_info(http.get("/wp_getabonentinfo?line=16038").content)
    assert (
        info.currentlinestate == 32 and info.abonentinfo is not None and info.abonentinfo.isextline
    )
    state = sim.control.state()
    assert state["lines"]["9001"] == "lsCommutated"


def test_call_parameters_are_checked(http: httpx.Client) -> None:
    assert http.get("/wp_autocallstart?line=16038").status_code == 400
    assert http.get("/wp_autocallstart?line=16038&number=1&direction=moon").status_code == 400
    assert http.get("/wp_autocallstart?line=16038&number=1&sequence=sideways").status_code == 400
    assert http.get("/wp_autocallstart?line=16038&number=1;DROP").status_code == 400
    assert http.get("/wp_autocallstop?line=16038").status_code == 409
    assert http.get("/wp_flash?line=16038").status_code == 409
    assert http.get("/wp_declinecall?wp=OPERATOR1").status_code == 409
    assert http.get("/wp_getchaincontent?line=16038").status_code == 404


def test_no_free_trunk_is_503(
    oktell_simulator_factory: Callable[..., Any], frozen: SimClock
) -> None:
    sim = oktell_simulator_factory(clock=frozen, directory_spec={"external_lines": 0})
    with httpx.Client(base_url=sim.url) as http:
        assert http.get("/wp_autocallstart?line=16038&number=79000000001").status_code == 503


def test_scripted_incoming_call_rings_and_can_be_declined(sim: Any, http: httpx.Client) -> None:
    sim.control.incoming_call("79000000002", "17004", keys="1")
    sim.control.set_clock(advance=0.1)
    assert (
        read_abonent_info(http.get("/wp_getabonentinfo?wp=OPERATOR1").content).currentlinestate == 8
    )
    assert http.get("/wp_declinecall?wp=OPERATOR1").status_code == 200
    assert (
        read_abonent_info(http.get("/wp_getabonentinfo?wp=OPERATOR1").content).currentlinestate == 1
    )
    assert sim.control.calls()[-1]["result"] == "declined"


def test_scripted_incoming_call_answered_collects_keys(sim: Any, http: httpx.Client) -> None:
    sim.control.incoming_call("79000000003", "17005", keys="42", talk_for=10)
    sim.control.set_clock(advance=0.1)
    sim.control.set_clock(advance=2.0)  # the ready user answers
    assert read_user_state(http.get("/tst_getuserstate?iduser=anna").content).state == 5
    sim.control.set_clock(advance=3.0)  # keys at 2.0 and 2.5 s after the answer
    sim.control.set_clock(advance=10.0)
    call = sim.control.calls()[-1]
    assert (call["incoming"], call["keys"], call["result"]) == (True, "42", "hungup")
    assert read_user_state(http.get("/tst_getuserstate?iduser=anna").content).state == 1


def test_a_group_call_rings_a_ready_member(sim: Any, http: httpx.Client) -> None:
    _answering(sim, "120")
    http.get("/wp_setuserstate?user=VIKTIRICH&userstateid=3")  # away, but the line is free
    assert http.get("/wp_autocallstart?line=16038&number=120").status_code == 200
    call = sim.control.calls()[-1]
    assert call["direction"] == "pbx" and call["target"] is not None
    lines = sim.control.state()["lines"]
    assert (lines["17001"], lines["17002"]) == ("lsFree", "lsRinging")  # the first ready member
    assert http.get("/wp_autocallstop?line=16038").status_code == 200
    for login in ("Dima", "ivanov", "olga", "anna"):
        http.get(f"/wp_setuserstate?user={login}&userstateid=3")
    assert http.get("/wp_autocallstart?line=16038&number=120").status_code == 200
    assert sim.control.calls()[-1]["result"] == "busy"  # nobody in the group is ready
