"""The ATS control API under hostile input: every endpoint, every field.

Requests go straight to ``AtsServer.handle`` (no sockets, so hypothesis can
try many bodies fast). After each one the simulator must still answer
RegisterCall and CheckCall, and ``/__sim/state`` must still be standard JSON:
a NaN that slipped into the clock or the window used to turn every API call
into a 500 until a reset.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.simulators.ats.app import AtsConfig, AtsServer, AtsWorld
from nabat.simulators.ats.control_api import _ROUTES
from nabat.simulators.control.faults import LatencyModel
from nabat.simulators.http.messages import Request, Response

A, B = "79000000001", "79000000002"
FIELDS = (
    "advance", "freeze", "window", "profile", "kind", "status", "paths", "duration", "count",
    "probability", "seed", "bits", "seconds", "bytes", "ms", "min_ms", "max_ms", "median_ms",
    "sigma", "ranges", "operators", "replace", "listening", "a_first", "b_first", "server",
)  # fmt: skip
ENDPOINTS = [*sorted(_ROUTES), ("DELETE", "/__sim/faults/1")]
HOSTILE_NUMBERS = (float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 2**70, -1)


def new_world() -> tuple[AtsWorld, AtsServer]:
    world = AtsWorld(AtsConfig(max_bulk_registrations=1000))
    server = AtsServer("primary", world)
    world.servers["primary"] = server
    return world, server


def answer(
    server: AtsServer, method: str, path: str, body: bytes = b"", query: str = ""
) -> Response:
    result: Any = server.handle(Request(method, path, query, {}, body, "127.0.0.1"))
    if inspect.isawaitable(result):
        result = asyncio.run(_wait(result))
    assert isinstance(result, Response)
    return result


async def _wait(pending: Any) -> Any:
    return await pending


def strict_json(data: bytes) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {name} in {data[:200]!r}")

    return json.loads(data, parse_constant=refuse)


def assert_still_serving(server: AtsServer) -> None:
    """State is standard JSON; once the faults, latency, plan and window a test
    may legitimately have set are put back, RegisterCall and CheckCall work
    (the clock is left as the input made it: nothing but a reset repairs it)."""
    strict_json(answer(server, "GET", "/__sim/state").body)
    world = server.world
    server.faults.clear()
    server.latency = LatencyModel()
    world.service.plan.replace_with(world.config.plan)
    assert answer(server, "PUT", "/__sim/config", b'{"window": 60}').status == 200
    form = f"a={A}&b={B}&call_id=x".encode()
    registered = answer(server, "POST", "/RegisterCall", form)
    assert registered.status == 201, registered
    checked = answer(server, "POST", "/CheckCall", form)
    assert checked.status == 200, checked
    strict_json(answer(server, "GET", "/__sim/state").body)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(HOSTILE_NUMBERS)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(ENDPOINTS), body=bodies, limit=st.text(max_size=12))
def test_no_control_input_breaks_the_simulator(
    endpoint: tuple[str, str], body: dict[str, object], limit: str
) -> None:
    _, server = new_world()
    method, path = endpoint
    raw = json.dumps(body).encode()  # Python writes NaN/Infinity literals here
    response = answer(server, method, path, raw, f"limit={limit}")
    assert response.status in (200, 400, 404, 405), (response.status, response.body)
    strict_json(response.body)
    assert_still_serving(server)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e309", b"-1e309"])
@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("POST", "/__sim/clock", "advance"),
        ("PUT", "/__sim/config", "window"),
        ("POST", "/__sim/faults", "duration"),
        ("PUT", "/__sim/latency", "ms"),
        ("POST", "/__sim/registrations", "count"),
    ],
)
def test_non_finite_numbers_are_refused_with_a_reason(
    literal: bytes, method: str, path: str, field: str
) -> None:
    world, server = new_world()
    body = b'{"kind": "fixed", "' + field.encode() + b'": ' + literal + b"}"
    response = answer(server, method, path, body)
    assert response.status == 400
    error = strict_json(response.body)["error"]
    assert "not valid JSON" in error or "out of range" in error
    assert world.clock.offset < 1.0 and world.service.registrations.window == 60.0
    assert_still_serving(server)


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("POST", "/__sim/clock", {"advance": 1e12}, "a century"),
        ("POST", "/__sim/clock", {"advance": "5"}, "number of seconds"),
        ("PUT", "/__sim/config", {"window": 1e12}, "at most 2592000"),
        ("PUT", "/__sim/config", {"window": 0}, "more than 0"),
        ("PUT", "/__sim/config", {"profile": ["modern"]}, "modern, legacy or mixed"),
        ("POST", "/__sim/faults", {"kind": "hang", "seconds": 1e9}, "seconds must be at most"),
        ("POST", "/__sim/faults", {"kind": "garbage", "bytes": 10**9}, "bytes must be at most"),
        ("POST", "/__sim/faults", {"kind": "status", "count": 1.5}, "whole number"),
        ("POST", "/__sim/faults", {"kind": "status", "seed": 2**80}, "64 bits"),
        ("POST", "/__sim/faults", {"kind": ["status"]}, "kind must be one of"),
        ("PUT", "/__sim/latency", {"kind": "fixed", "ms": 1e9}, "ms must be at most"),
        ("PUT", "/__sim/latency", {"kind": "lognormal", "median_ms": 1, "sigma": 1e5}, "sigma"),
        ("POST", "/__sim/registrations", {"count": 1001, "a_first": 1, "b_first": 1}, "0 to 1000"),
        ("POST", "/__sim/registrations", {"count": 1, "a_first": 1.0, "b_first": 1}, "a_first"),
        ("POST", "/__sim/numbers", {"operators": {"127.0.0.9": 5}}, "operators must be"),
        ("POST", "/__sim/numbers", {"replace": "yes"}, "replace must be"),
        ("POST", "/__sim/faults", {"kind": "status", "server": ["x"]}, "server here"),
    ],
)
def test_out_of_range_values_get_400_naming_the_field(
    method: str, path: str, body: dict[str, object], message: str
) -> None:
    _, server = new_world()
    response = answer(server, method, path, json.dumps(body).encode())
    assert response.status == 400
    assert message in strict_json(response.body)["error"]
    assert_still_serving(server)


@pytest.mark.parametrize(
    "raw",
    [b"[" * 5000 + b"]" * 5000, b'{"advance": ' + b"9" * 5000 + b"}", b"\xff\xfe"],
)
def test_unparsable_bodies_are_400(raw: bytes) -> None:
    _, server = new_world()
    response = answer(server, "POST", "/__sim/clock", raw)
    assert response.status == 400 and "JSON" in strict_json(response.body)["error"]


def test_faults_per_server_are_capped() -> None:
    _, server = new_world()
    for _ in range(100):
        assert answer(server, "POST", "/__sim/faults", b'{"kind": "status"}').status == 200
    refused = answer(server, "POST", "/__sim/faults", b'{"kind": "status"}')
    assert refused.status == 400 and "at most 100 faults" in strict_json(refused.body)["error"]


def test_latency_draws_are_capped() -> None:
    _, server = new_world()
    body = b'{"kind": "lognormal", "median_ms": 60000, "sigma": 10, "seed": 1}'
    assert answer(server, "PUT", "/__sim/latency", body).status == 200
    assert max(server.latency.sample() for _ in range(200)) <= 60.0
