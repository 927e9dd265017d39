"""One HPG request through an ``httpx.AsyncClient``'s transport, without its per-request layer.

How it works: ``client.get`` merges URLs, headers, cookies and parameters,
runs the auth and redirect machinery, writes the cookie jar from every
answer (stdlib ``http.cookiejar`` per response) and wraps the stream — about
an eighth of the MFMS route's CPU per message at 262 messages a request
(measured: 32 -> 28 us). HPG uses none of it (no cookies, no auth, no
redirects followed). ``send`` builds the request once with the client's own
headers and timeouts (``LeanRequests``), asks the client which transport
serves the URL (``_transport_for_url``: its proxy and mount choices are
kept), hands the request to it, reads the whole body and closes the stream
whatever happens, as ``client.send`` does. Errors are the transport's own
``httpx`` exceptions, so the route's retry rules read them unchanged.
Cookies are neither kept nor sent (HPG authenticates every request by its
own parameters). When a future httpx lacks that private method,
``client.send`` is used instead.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

FORM = "application/x-www-form-urlencoded"


class LeanRequests:
    """``get``/``post`` of the client's headers and timeouts, sent through its transport."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._headers = httpx.Headers(client.headers)
        self._post_headers = httpx.Headers(client.headers)
        self._post_headers["content-type"] = FORM
        self._extensions = {"timeout": client.timeout.as_dict()}
        self._transport_for: Callable[[httpx.URL], httpx.AsyncBaseTransport] | None = getattr(
            client, "_transport_for_url", None
        )

    async def get(self, url: httpx.URL) -> httpx.Response:
        return await self.send(
            httpx.Request("GET", url, headers=self._headers, extensions=self._extensions)
        )

    async def post(self, url: str, body: bytes) -> httpx.Response:
        request = httpx.Request(
            "POST", url, content=body, headers=self._post_headers, extensions=self._extensions
        )
        return await self.send(request)

    async def send(self, request: httpx.Request) -> httpx.Response:
        if self._transport_for is None:
            return await self._client.send(request)
        transport = self._transport_for(request.url)
        response = await transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response
