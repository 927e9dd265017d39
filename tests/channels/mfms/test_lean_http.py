"""Requests sent straight to the client's transport carry what ``client.get``/``post`` would."""

from __future__ import annotations

import httpx
import pytest
from nabat.system.channels.mfms.lean_http import LeanRequests

URL = "http://127.0.0.1:9876/CLIENT/connectorX/send?login=CLIENT&text%5B0%5D=%D0%AF"


def recording_client(seen: list[httpx.Request], headers: dict[str, str]) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok;0;1001\n")

    return httpx.AsyncClient(
        transport=httpx.MockTransport(answer),
        timeout=httpx.Timeout(7.0, connect=2.0),
        headers=headers,
    )


def shape(request: httpx.Request) -> tuple[object, ...]:
    return (
        request.method,
        str(request.url),
        sorted(request.headers.multi_items()),
        request.content,
        request.extensions["timeout"],
    )


async def test_get_and_post_match_the_client_and_read_the_whole_answer() -> None:
    seen: list[httpx.Request] = []
    async with recording_client(seen, headers={"x-route": "mfms"}) as client:
        lean = LeanRequests(client)
        answer = await lean.get(httpx.URL(URL))
        await client.get(URL)
        posted = await lean.post(URL.split("?")[0], b"login=CLIENT")
        await client.post(
            URL.split("?")[0],
            content=b"login=CLIENT",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 200 and answer.text == "ok;0;1001\n"
    assert answer.is_closed and answer.request is seen[0]
    assert posted.text == "ok;0;1001\n"
    assert shape(seen[0]) == shape(seen[1])
    assert shape(seen[2]) == shape(seen[3])
    assert seen[0].headers["x-route"] == "mfms"


async def test_transport_errors_are_httpx_errors_as_before() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        with pytest.raises(httpx.ConnectError):
            await LeanRequests(client).get(httpx.URL(URL))


async def test_the_stream_is_closed_when_reading_the_body_fails() -> None:
    closed: list[bool] = []

    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            raise httpx.ReadError("connection reset")
            yield b""  # pragma: no cover - a generator

        async def aclose(self) -> None:
            closed.append(True)

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Broken()))
    ) as client:
        with pytest.raises(httpx.ReadError):
            await LeanRequests(client).get(httpx.URL(URL))
    assert closed == [True]


async def test_cookies_are_neither_kept_nor_sent() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok\n", headers={"set-cookie": "session=1"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        lean = LeanRequests(client)
        await lean.get(httpx.URL(URL))
        await lean.get(httpx.URL(URL))
        assert not client.cookies
    assert "cookie" not in seen[1].headers


async def test_without_the_private_transport_lookup_the_client_sends() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        lean = LeanRequests(client)
        lean._transport_for = None  # a future httpx without _transport_for_url
        response = await lean.get(httpx.URL(URL))
    assert response.status_code == 204 and len(seen) == 1
