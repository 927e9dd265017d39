"""A transport that puts a non-conforming target in front of the real simulator.

:class:`MutatingTransport` forwards each request to the real transport, reads
the answer and lets a mutator replace it (change the status, drop or alter a
header, flip error bits, rewrite the body). Control-API requests (``/__sim/``)
are never touched, so cases can still set the simulator up. Small matcher and
rewrite helpers build the mutators used by the proof table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from nabat.conformance.framework.http.client import default_transport

Mutator = Callable[[str | None, httpx.Request, httpx.Response], httpx.Response | None]
_FRAMING = {"content-length", "transfer-encoding", "content-encoding"}


class MutatingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, mutate: Mutator, source: str | None) -> None:
        self.inner = inner
        self.mutate = mutate
        self.source = source

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.startswith("/__sim/"):
            return response
        response.read()
        return self.mutate(self.source, request, response) or response

    def close(self) -> None:
        self.inner.close()


def rebuild(
    response: httpx.Response,
    *,
    status: int | None = None,
    set_headers: dict[str, str] | None = None,
    drop_headers: tuple[str, ...] = (),
    content: bytes | None = None,
) -> httpx.Response:
    dropped = {name.lower() for name in drop_headers} | _FRAMING | {
        name.lower() for name in (set_headers or {})
    }
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
    headers += list((set_headers or {}).items())
    return httpx.Response(
        status if status is not None else response.status_code,
        headers=headers,
        content=response.content if content is None else content,
    )


def form(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))


@dataclass
class Match:
    """Which answers a rewrite applies to; ``nth`` counts matching answers (1-based)."""

    path: str | tuple[str, ...] | None = None
    method: str | None = None
    status: int | None = None
    source: str | None = None
    port: int | None = None
    has_param: str | None = None
    lacks_params: tuple[str, ...] = ()
    param_len: tuple[str, int] | None = None
    param_equals: tuple[str, str] | None = None
    body_contains: bytes | None = None
    header: str | None = None
    nth: int | None = None
    _seen: int = field(default=0, repr=False)

    def __call__(
        self, source: str | None, request: httpx.Request, response: httpx.Response
    ) -> bool:
        paths = (self.path,) if isinstance(self.path, str) else self.path
        params = form(request) if request.method == "POST" else {}
        checks = [
            paths is None or request.url.path in paths,
            self.method is None or request.method == self.method,
            self.status is None or response.status_code == self.status,
            self.source is None or source == self.source,
            self.port is None or request.url.port == self.port,
            self.has_param is None or self.has_param in params,
            all(name not in params for name in self.lacks_params),
            self.param_len is None or len(params.get(self.param_len[0], "")) == self.param_len[1],
            self.param_equals is None
            or params.get(self.param_equals[0]) == self.param_equals[1],
            self.body_contains is None or self.body_contains in request.content,
            self.header is None or self.header in response.headers,
        ]
        if not all(checks):
            return False
        self._seen += 1
        return self.nth is None or self._seen == self.nth


def when(match: Match, rewrite: Callable[[httpx.Response], httpx.Response]) -> Mutator:
    def mutate(
        source: str | None, request: httpx.Request, response: httpx.Response
    ) -> httpx.Response | None:
        return rewrite(response) if match(source, request, response) else None

    return mutate


def status_to(code: int) -> Callable[[httpx.Response], httpx.Response]:
    return lambda response: rebuild(response, status=code)


def header_to(name: str, value: str) -> Callable[[httpx.Response], httpx.Response]:
    return lambda response: rebuild(response, set_headers={name: value})


def header_dropped(name: str) -> Callable[[httpx.Response], httpx.Response]:
    return lambda response: rebuild(response, drop_headers=(name,))


def bits_rewritten(change: Callable[[int], int]) -> Callable[[httpx.Response], httpx.Response]:
    def rewrite(response: httpx.Response) -> httpx.Response:
        raw = response.headers.get("X-Error-Bits")
        if raw is None:
            return response
        return rebuild(response, set_headers={"X-Error-Bits": f"0x{change(int(raw, 16)):08x}"})

    return rewrite


def clear_bits(mask: int) -> Callable[[httpx.Response], httpx.Response]:
    return bits_rewritten(lambda bits: bits & ~mask)


def lowest_bit_only() -> Callable[[httpx.Response], httpx.Response]:
    return bits_rewritten(lambda bits: bits & -bits)


def header_text_replaced(
    name: str, old: str, new: str
) -> Callable[[httpx.Response], httpx.Response]:
    def rewrite(response: httpx.Response) -> httpx.Response:
        value = response.headers.get(name)
        if value is None:
            return response
        return rebuild(response, set_headers={name: value.replace(old, new)})

    return rewrite


def json_body(change: Callable[[Any], Any]) -> Callable[[httpx.Response], httpx.Response]:
    def rewrite(response: httpx.Response) -> httpx.Response:
        return rebuild(response, content=json.dumps(change(response.json())).encode())

    return rewrite


def transport_factory(mutate: Mutator) -> Callable[[str | None], httpx.BaseTransport]:
    def factory(source: str | None) -> httpx.BaseTransport:
        return MutatingTransport(default_transport(source), mutate, source)

    return factory
