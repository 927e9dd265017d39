"""A small recording HTTP client for conformance cases.

:class:`ClientPool` keeps one ``httpx.Client`` per source address (loopback
only: operators are told apart by client IP), built from a transport factory
that tests may replace to put a mutating transport in front of the target.
:class:`HttpClient` sends one request at a time (no redirects followed, the
body read fully) and hands an :class:`HttpExchange` to its sink — normally
``ctx.record`` — for every request, including ones that fail at transport
level (those are recorded, then re-raised).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlencode

import httpx
from nabat.conformance.framework.http.exchange import HttpExchange
from nabat.conformance.framework.net import require_loopback

TransportFactory = Callable[[str | None], httpx.BaseTransport]
Form = Sequence[tuple[str, str]] | Mapping[str, str]


def default_transport(source_address: str | None) -> httpx.BaseTransport:
    if source_address is None:
        return httpx.HTTPTransport(retries=0)
    return httpx.HTTPTransport(local_address=source_address, retries=0)


class ClientPool:
    """``httpx.Client`` objects keyed by source address, created on first use."""

    def __init__(
        self, transport_factory: TransportFactory = default_transport, timeout: float = 10.0
    ) -> None:
        self._factory = transport_factory
        self._timeout = timeout
        self._clients: dict[str | None, httpx.Client] = {}

    def fresh(self, source_address: str | None) -> httpx.Client:
        """A client of its own (new connections, not shared); the caller closes it."""
        if source_address is not None:
            require_loopback(source_address)
        return httpx.Client(
            transport=self._factory(source_address),
            timeout=self._timeout,
            follow_redirects=False,
            trust_env=False,
        )

    def get(self, source_address: str | None) -> httpx.Client:
        """The shared client of ``source_address`` (keep-alive across cases)."""
        client = self._clients.get(source_address)
        if client is None:
            client = self.fresh(source_address)
            self._clients[source_address] = client
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


class HttpClient:
    """Requests against one base URL from one source address, each recorded."""

    def __init__(
        self,
        client: httpx.Client,
        base_url: str,
        sink: Callable[[HttpExchange], None],
        *,
        source_address: str | None = None,
        label: str = "",
        default_source: str | None = "127.0.0.1",
    ) -> None:
        self._client = client
        self.base_url = base_url.rstrip("/")
        self._sink = sink
        self.source_address = source_address
        self.label = label
        self._default_source = default_source

    def url(self, path: str) -> httpx.URL:
        return httpx.URL(self.base_url + path)

    def request(
        self,
        method: str,
        path: str,
        *,
        form: Form | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        explicit: dict[str, str] = dict(headers or {})
        body = content if content is not None else b""
        if form is not None:
            pairs = list(form.items()) if isinstance(form, Mapping) else list(form)
            body = urlencode(pairs).encode("ascii")
            explicit.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = self._client.build_request(
            method, self.url(path), content=body or None, headers=explicit
        )
        started = time.perf_counter()
        try:
            response = self._client.send(request)
            response.read()
        except httpx.HTTPError as exc:
            self._sink(self._exchange(request, body, explicit, None, started, repr(exc)))
            raise
        self._sink(self._exchange(request, body, explicit, response, started, None))
        return response

    def _exchange(
        self,
        request: httpx.Request,
        body: bytes,
        explicit: Mapping[str, str],
        response: httpx.Response | None,
        started: float,
        error: str | None,
    ) -> HttpExchange:
        return HttpExchange(
            label=self.label,
            method=request.method,
            url=str(request.url),
            path=request.url.raw_path.decode("ascii"),
            source_address=self.source_address,
            request_headers=tuple(request.headers.multi_items()),
            request_body=body,
            explicit_headers=tuple(explicit.items()),
            status=None if response is None else response.status_code,
            response_headers=() if response is None else tuple(response.headers.multi_items()),
            response_body=b"" if response is None else response.content,
            elapsed_ms=(time.perf_counter() - started) * 1000.0,
            error=error,
            default_source=self._default_source,
        )
