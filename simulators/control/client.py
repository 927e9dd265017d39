"""The HTTP plumbing every simulator's typed control client stands on.

``ControlHttp`` is one pooled ``httpx.Client`` that calls ``/__sim/<path>``
with a JSON body and the query parameters that are not None, and hands back
the decoded JSON answer. A non-2xx answer raises the client's error type
(``ControlApiError`` unless told otherwise) with the HTTP status and the
simulator's own ``{"error": ...}`` text; a transport failure (refused, timed
out) raises it with status None. With a ``token`` every request carries
``Authorization: Bearer TOKEN``. ``ControlClient`` is the base of the typed
clients: ``base_url`` (a trailing ``/__sim`` is dropped), ``close`` and the
context manager, and ``_call`` for their one-method-per-route bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import httpx


class ControlApiError(RuntimeError):
    """The control API refused a call (``status``) or could not be reached (``None``)."""

    def __init__(self, status: int | None, message: str) -> None:
        where = "could not be reached" if status is None else f"answered {status}"
        super().__init__(f"control API {where}: {message}")
        self.status = status
        self.message = message


ErrorType = Callable[[int | None, str], Exception]


class ControlHttp:
    """One connection pool to a simulator's ``/__sim/`` routes (see the module comment)."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        token: str | None = None,
        verify: Any = True,
        error: ErrorType = ControlApiError,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(
            base_url=base_url, timeout=timeout, headers=headers, verify=verify
        )
        self._error = error

    def call(self, method: str, path: str, json: object = None, **params: object) -> Any:
        query = {k: v for k, v in params.items() if v is not None}
        try:
            response = self.client.request(method, f"/__sim/{path}", json=json, params=query)  # type: ignore[arg-type]
        except httpx.TransportError as error:
            raise self._error(None, f"{method} /__sim/{path}: {error!r}") from error
        if response.status_code >= 300:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise self._error(response.status_code, message)
        return response.json()

    def close(self) -> None:
        self.client.close()


class ControlClient:
    """Base of the typed control clients: ``base_url``, ``_call``, ``close``, ``with``."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        token: str | None = None,
        verify: Any = True,
        error: ErrorType = ControlApiError,
    ) -> None:
        self.base_url = base_url.rstrip("/").removesuffix("/__sim")
        self._http = ControlHttp(self.base_url, timeout, token, verify, error)

    def _call(self, method: str, path: str, json: object = None, **params: object) -> Any:
        return self._http.call(method, path, json, **params)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
