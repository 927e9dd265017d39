"""The ATS API as the suite calls it: one method per spec method, form
parameters in, the recorded ``httpx.Response`` out.

Parameters are a list of (name, value) pairs so that names the spec spells
oddly (``RС`` with a Cyrillic С) and repeated names go on the wire as given.
The universal method's path is chosen by the caller: the spec writes
``/сall`` with a Cyrillic "с" (sent as ``/%D1%81all``); ``/call`` is the
evident intent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.http.multipart import encode_multipart

CALL_LATIN = "/call"
CALL_CYRILLIC = "/\u0441all"

Params = Sequence[tuple[str, str]] | Mapping[str, str]


class AtsClient:
    """One ATS server seen from one client address."""

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    @property
    def source_address(self) -> str | None:
        return self.http.source_address

    def post(self, path: str, params: Params = ()) -> httpx.Response:
        return self.http.request("POST", path, form=params)

    def post_raw(self, path: str, body: bytes,
                 content_type: str = "application/x-www-form-urlencoded") -> httpx.Response:
        """POST a body exactly as given (escapes in the case the caller chose)."""
        return self.http.request("POST", path, content=body, headers={"Content-Type": content_type})

    def post_multipart(self, path: str, params: Sequence[tuple[str, str]]) -> httpx.Response:
        body, content_type = encode_multipart(params)
        return self.http.request(
            "POST", path, content=body, headers={"Content-Type": content_type}
        )

    def register(self, params: Params) -> httpx.Response:
        return self.post("/RegisterCall", params)

    def check(self, params: Params) -> httpx.Response:
        return self.post("/CheckCall", params)

    def update(self, params: Params) -> httpx.Response:
        return self.post("/callUpdate", params)

    def call(self, params: Params, path: str = CALL_LATIN) -> httpx.Response:
        return self.post(path, params)

    def number_info(self, params: Params) -> httpx.Response:
        return self.post("/numberInfo", params)

    def help(self, method: str = "POST") -> httpx.Response:
        return self.http.request(method, "/help")

    def ping(self, method: str = "POST") -> httpx.Response:
        return self.http.request(method, "/ping")

    def send(self, method: str, path: str, params: Params | None = None) -> httpx.Response:
        return self.http.request(method, path, form=params)
