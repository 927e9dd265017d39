"""HPG as the suite calls it: SEND and STATUS as HTTP GET on BASE_URL/send and
BASE_URL/status, credentials first under the connector's parameter names, then
the indexed parameters (``subject[0]``, ``address[0]``, ``text[0]``...;
``providerId[0]``...). Every request is recorded into the case's context (the
framework's HTTP exchange: the report shows a curl line that repeats it, with
the password masked there by the reports' own rules of the binding: see
:meth:`HpgClient.masked`).

``Message`` is one SMS to send; extra pairs (a ``clientId[i]``, the
simulator's ``startTime[i]``) ride along in ``Message.extra``. ``raw_send`` /
``raw_status`` send pairs exactly as given (missing parameters, bad indexes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.mfms.wire import query

Pairs = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Credentials:
    login: str
    password: str
    login_param: str = "login"
    password_param: str = "password"

    def pairs(self) -> list[tuple[str, str]]:
        return [(self.login_param, self.login), (self.password_param, self.password)]


@dataclass(frozen=True)
class Message:
    subject: str
    address: str
    text: str
    extra: tuple[tuple[str, str], ...] = ()  # (name without index, value)


def send_pairs(messages: Sequence[Message]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for index, message in enumerate(messages):
        pairs += [
            (f"subject[{index}]", message.subject),
            (f"address[{index}]", message.address),
            (f"text[{index}]", message.text),
        ]
        pairs += [(f"{name}[{index}]", value) for name, value in message.extra]
    return pairs


def status_pairs(provider_ids: Sequence[str]) -> list[tuple[str, str]]:
    return [(f"providerId[{index}]", value) for index, value in enumerate(provider_ids)]


class HpgClient:
    """One connector of one platform, with one set of credentials."""

    def __init__(self, http: HttpClient, credentials: Credentials) -> None:
        self.http = http
        self.credentials = credentials

    def get(self, operation: str, pairs: Pairs) -> httpx.Response:
        return self.http.request("GET", f"/{operation}?{query(pairs)}")

    def raw_send(self, pairs: Pairs, credentials: Credentials | None = None) -> httpx.Response:
        return self.get("send", (credentials or self.credentials).pairs() + list(pairs))

    def raw_status(self, pairs: Pairs, credentials: Credentials | None = None) -> httpx.Response:
        return self.get("status", (credentials or self.credentials).pairs() + list(pairs))

    def send(self, messages: Sequence[Message]) -> httpx.Response:
        return self.raw_send(send_pairs(messages))

    def status(self, provider_ids: Sequence[str]) -> httpx.Response:
        return self.raw_status(status_pairs(provider_ids))
