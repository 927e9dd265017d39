"""Oktell's server HTTP interface as the suite calls it: ``GET /command?params`` or
``POST /command`` with a form body, ``password=`` added to every request unless a
case asks for a request without it. Every request is recorded into the case's
context through the framework's HTTP client (a curl line repeats it; the
binding masks the password in the evidence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode

import httpx
from nabat.conformance.framework.http.client import HttpClient

Pairs = Sequence[tuple[str, str]]


def query(pairs: Pairs) -> str:
    return urlencode(list(pairs), quote_via=quote)


class OktellClient:
    def __init__(self, http: HttpClient, password: str | None) -> None:
        self.http = http
        self.password = password

    def _with_password(self, pairs: Pairs, password: bool) -> list[tuple[str, str]]:
        extra = [("password", self.password)] if password and self.password is not None else []
        return [*pairs, *extra]

    def get(self, command: str, pairs: Pairs = (), *, password: bool = True) -> httpx.Response:
        found = self._with_password(pairs, password)
        return self.http.request("GET", f"/{command}" + (f"?{query(found)}" if found else ""))

    def post(self, command: str, pairs: Pairs = (), *, password: bool = True) -> httpx.Response:
        return self.http.request("POST", f"/{command}", form=self._with_password(pairs, password))

    def upload(self, body: bytes, headers: Mapping[str, str]) -> httpx.Response:
        """POST /upload with a prepared body; the password travels in the query."""
        found = self._with_password((), True)
        path = "/upload" + (f"?{query(found)}" if found else "")
        return self.http.request("POST", path, content=body, headers=headers)
