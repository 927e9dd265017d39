"""Hostile input to the control API handler: whatever arrives, a JSON answer, never a crash.

The handler is driven directly (no sockets) on a bank that is not started, so
hypothesis can try thousands of requests in seconds; the bank's state must
stay readable after every one of them.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.simulators.gsm_modem.bank import ModemBank
from nabat.simulators.gsm_modem.control_api import GsmControl
from nabat.simulators.gsm_modem.control_faults import FAULTS
from nabat.simulators.gsm_modem.control_views import escape_bytes, unescape_bytes
from nabat.simulators.http.messages import Request, Response

STATUSES = {200, 400, 401, 404, 405}
PATHS = [
    "/__sim", "/__sim/state", "/__sim/reset", "/__sim/modems", "/__sim/modems/0",
    "/__sim/modems/1/faults", "/__sim/modems/0/journal", "/__sim/modems/0/reboot",
    "/__sim/world", "/__sim/world/journal", "/__sim/world/overrides", "/__sim/world/events",
    "/__sim/clock", "/__sim/timing", "/__sim/modems/99/faults", "/elsewhere",
]  # fmt: skip
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=5,
)
field_names = st.sampled_from(
    ["kind", "seconds", "rssi", "ber", "code", "count", "probability", "seed", "lines",
     "outcome", "enabled", "advance", "freeze", "speed", "preset", "command", "key", "from",
     "to", "modem", "text", "at", "in", "keys", "number", "voice", "sms"]
)  # fmt: skip
bodies = st.one_of(
    st.dictionaries(field_names, values, max_size=4).map(lambda d: json.dumps(d).encode()),
    st.builds(
        lambda kind, rest: json.dumps({"kind": kind, **rest}).encode(),
        st.sampled_from([*FAULTS, "call", "sms"]),
        st.dictionaries(field_names, values, max_size=3),
    ),
    st.binary(max_size=200),
)
queries = st.one_of(
    st.just(""),
    st.text(alphabet="abcdefghiklmnorstuvwxyz=&,0123456789%-", max_size=40),
    st.sampled_from(["since=5&kinds=rx,tx&limit=3", "limit=99999999", "key=number%2079000000001"]),
)


def make_control() -> GsmControl:
    return GsmControl(ModemBank(2, pty=False, in_process=False))


def request(method: str, path: str, query: str, body: bytes) -> Request:
    return Request(method, path, query, {}, body, "127.0.0.1")


def check(answer: object) -> dict[str, Any]:
    assert isinstance(answer, Response)
    assert answer.status in STATUSES, answer.body[:300]
    decoded = json.loads(answer.body)
    assert isinstance(decoded, dict)
    return decoded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(METHODS), st.sampled_from(PATHS), queries, bodies),
        min_size=1,
        max_size=4,
    )
)
def test_any_request_gets_a_json_answer(calls: list[tuple[str, str, str, bytes]]) -> None:
    control = make_control()
    for method, path, query, body in calls:
        answer = check(control.handle(request(method, path, query, body)))
        if method == "POST" and path == "/__sim/modems/1/faults" and "applied" in answer:
            assert answer["applied"] in FAULTS
    state = check(control.handle(request("GET", "/__sim/state", "", b"")))
    assert len(state["modems"]) == 2


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_path_gets_a_json_answer(path: str) -> None:
    check(make_control().handle(request("GET", "/" + path, "", b"")))


@given(st.binary(max_size=500))
def test_escaped_bytes_are_one_printable_line_and_reversible(data: bytes) -> None:
    shown = escape_bytes(data)
    assert shown.isascii() and shown.isprintable()
    assert unescape_bytes(shown) == data


def test_escapes_name_the_control_bytes() -> None:
    assert escape_bytes(b'AT+CMGS="1"\r') == 'AT+CMGS="1"\\r'
    assert escape_bytes(b"\x1a\x1b\\\n\xff") == "\\x1a\\x1b\\\\\\n\\xff"
