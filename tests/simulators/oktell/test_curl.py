"""The spec's example URLs pasted into curl (skipped where curl is absent).

test_http.py covers the same commands with httpx; here a client nobody here
wrote sends them, and the replies are compared with the spec's examples:
structure, field names, value types and encodings (UTF-16 with BOM where
the example declares utf-16).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nabat.simulators.control.clock import SimClock
from nabat.system.wire.oktell import (
    decode_xml,
    read_abonent_info,
    read_chain_content,
    read_ready_users,
    read_script_reply,
    read_user_state,
)

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="curl is not installed")

# The spec's example field names (oktell-http-api.ru.txt, wp_getchaincontent and wp_getabonentinfo).
COMMUTATION_FIELDS = {
    "contentelementtype", "connectiontype", "btext", "aisuser", "atext", "connectiontypestr",
    "buserid", "ausername", "aoutnumber", "blineid", "auserlogin", "bisuser", "buserlogin",
    "auserid", "busername", "timeanswer", "isrecorded", "commutationid", "bnumberdialed",
    "timestart", "boutnumber", "anumberdialed", "alinenumber", "blinenumber", "alineid",
}  # fmt: skip
ABONENT_FIELDS = {
    "cansendfiles", "isconference", "callerlineid", "callercomment", "isuser", "callername",
    "canswitchtoconf", "callerusername", "commutationid", "calleruserlogin", "callerdescription",
    "callerlinenum", "isivr", "callerid", "callersimple", "calleruserid", "canfax", "canvideo",
    "chainid", "isextline",
}  # fmt: skip


def curl(url: str, *options: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of ``curl -s URL``."""
    assert CURL is not None
    done = subprocess.run(
        [
            CURL,
            "-s",
            "-S",
            "--max-time",
            "20",
            "-w",
            "\n%{http_code} %{content_type}",
            *options,
            url,
        ],
        capture_output=True,
        check=True,
        timeout=30,
    )
    body, _, trailer = done.stdout.rpartition(b"\n")
    status, _, content_type = trailer.decode().partition(" ")
    return int(status), content_type, body


@pytest.fixture
def sim(oktell_simulator_factory: Callable[..., Any]) -> Any:
    clock = SimClock()
    clock.freeze(True)
    return oktell_simulator_factory(clock=clock, password="abc")


def test_spec_examples_of_scripts_and_users(sim: Any) -> None:
    base, pw = sim.url, "password=abc"
    status, _, _ = curl(f"{base}/tst_getuserstate?iduser=DA803F01-EA77-40FA-BC9D-E2EFB36FD5A8")
    assert status == 403  # the password is configured
    status, kind, body = curl(
        f"{base}/execsvcscript?name=SvcScript1&startparam1=123&startparam2=234&async=0&timeout=10&{pw}"
    )
    assert status == 200 and body.startswith(b"\xff\xfe") and "utf-16" in kind
    decoded = decode_xml(body)
    assert '<oktellxmlmapper version="80710">' in decoded.text
    assert read_script_reply(body).returnvalue == "123"
    status, _, body = curl(f"{base}/tst_getintnumberreadyusers?number=120&{pw}")
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert read_ready_users(body).number == "120"
    status, _, body = curl(
        f"{base}/tst_getuserstate?iduser=DA803F01-EA77-40FA-BC9D-E2EFB36FD5A8", "-u", "x:abc"
    )
    assert status == 200 and body.startswith(b"\xff\xfe")
    reply = read_user_state(body)
    assert (reply.id, reply.state, reply.state_name) == (
        "da803f01-ea77-40fa-bc9d-e2efb36fd5a8",
        1,
        "usReady",
    )
    status, _, body = curl(f"{base}/wp_setuserstate?user=ivanov&userstateid=5&{pw}")
    assert (status, body) == (200, b"")


def test_spec_examples_of_call_control(sim: Any, tmp_path: Path) -> None:
    base, pw = sim.url, "password=abc"
    sim.control.add_override(
        {"number": "538", "voice": {"outcomes": {"answered": 1}, "ring": 2, "listen": 60}}
    )
    assert curl(f"{base}/wp_autocallstart?line=16038&number=538&direction=pbx&{pw}")[0] == 200
    sim.control.set_clock(advance=3)
    status, kind, body = curl(
        f"{base}/wp_getchaincontent?user=DA803F01-EA77-40FA-BC9D-E2EFB36FD5A8&{pw}"
    )
    assert status == 200 and kind.startswith("application/json")
    chain = json.loads(body)
    assert set(chain) == {"createtime", "trace", "customfield", "chainid"}
    assert set(chain["trace"][0]) == COMMUTATION_FIELDS
    assert isinstance(chain["trace"][0]["connectiontype"], int)
    assert isinstance(chain["trace"][0]["isrecorded"], bool)
    read_chain_content(body)
    status, _, body = curl(f"{base}/wp_getabonentinfo?user=ivan&{pw}")
    info = json.loads(body)
    assert set(info) == {"abonentinfo", "currentlinestatestr", "currentlinestate"}
    assert set(info["abonentinfo"]) == ABONENT_FIELDS
    assert (info["currentlinestatestr"], info["currentlinestate"]) == ("lsCommutated", 32)
    read_abonent_info(body)
    assert curl(f"{base}/wp_flash?user=ivan&{pw}")[0] == 200
    assert curl(f"{base}/wp_autocallstop?line=16038&{pw}")[0] == 200
    sim.control.incoming_call("79000000005", "17004")
    sim.control.set_clock(advance=0.5)
    assert curl(f"{base}/wp_declinecall?wp=OPERATOR1&{pw}")[0] == 200
    # the same command as a POST form, as a browser or a script would send it
    status, _, _ = curl(f"{base}/wp_setuserstate", "-d", f"user=ivan&userstateid=3&{pw}")
    assert status == 200
    assert sim.control.state()["users"]["ivan"] == "usNotAvailable"
