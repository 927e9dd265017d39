"""Random request targets, parameters and bodies never crash the request path.

The app's ``handle`` is driven directly (no sockets) on one event loop: every
answer is an HTTP response below 500, and with a password every request
without it is 403 whatever else it holds.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.simulators.control.clock import SimClock
from nabat.simulators.http.messages import Request, Response
from nabat.simulators.oktell.app import OktellSimulator
from nabat.simulators.oktell.command_table import COMMANDS
from nabat.simulators.oktell.config import OktellConfig

NAMES = [*sorted(COMMANDS), "", "nosuch", "WP_FLASH", "download/rec", "download/../../etc"]
PARAMS = ["line", "user", "wp", "number", "iduser", "name", "startparam1", "userstateid",
          "oncallcenter", "onlunch", "direction", "sequence", "timeout", "async",
          "detail"]  # fmt: skip
_SIMULATORS: dict[str | None, OktellSimulator] = {}
VALUES = st.one_of(
    st.sampled_from(["", "1", "0", "ivan", "16038", "538", "echo", "fail", "-1", "1e309", "%zz"]),
    st.text(max_size=20),
)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    for sim in _SIMULATORS.values():
        loop.run_until_complete(sim.close())
    _SIMULATORS.clear()
    loop.close()


def _simulator(loop: asyncio.AbstractEventLoop, password: str | None) -> OktellSimulator:
    clock = SimClock()
    clock.freeze(True)

    async def build() -> OktellSimulator:
        return OktellSimulator(OktellConfig(port=0, password=password), clock)

    return loop.run_until_complete(build())


def _answer(loop: asyncio.AbstractEventLoop, sim: OktellSimulator, request: Request) -> Response:
    async def run() -> object:
        result = sim.handle(request)
        if inspect.isawaitable(result):
            return await asyncio.wait_for(result, 5)
        return result

    answer = loop.run_until_complete(run())
    assert isinstance(answer, Response)
    return answer


def _query(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import quote

    return "&".join(f"{quote(k)}={quote(v, safe='%')}" for k, v in pairs)


requests = st.tuples(
    st.sampled_from(["GET", "POST", "HEAD", "PUT"]),
    st.sampled_from(NAMES),
    st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=6),
    st.sampled_from(["", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]),
    st.binary(max_size=64),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests)
def test_no_request_crashes_the_simulator(
    loop: asyncio.AbstractEventLoop,
    request_parts: tuple[str, str, list[tuple[str, str]], str, bytes],
) -> None:
    method, name, pairs, content_type, body = request_parts
    sim = _SIMULATORS.get(None) or _SIMULATORS.setdefault(None, _simulator(loop, None))
    headers = {"content-type": content_type} if content_type else {}
    request = Request(method, f"/{name}", _query(pairs), headers, body, "127.0.0.1")
    answer = _answer(loop, sim, request)
    assert answer.status < 500 or (answer.status == 500 and name == "execsvcscriptplain")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests)
def test_without_the_password_everything_is_403(
    loop: asyncio.AbstractEventLoop,
    request_parts: tuple[str, str, list[tuple[str, str]], str, bytes],
) -> None:
    method, name, pairs, content_type, body = request_parts
    sim = _SIMULATORS.get("pw") or _SIMULATORS.setdefault("pw", _simulator(loop, "secret"))
    headers = {"content-type": content_type} if content_type else {}
    request = Request(method, f"/{name}", _query(pairs), headers, body, "127.0.0.1")
    assert _answer(loop, sim, request).status == 403
