"""The Oktell suite's pre-flight: the URL is parsed, then ONE licence request is made.

:func:`check_url` refuses a ``--target`` that is not ``http(s)://HOST[:PORT]``.
:func:`preflight` asks ``getlicenseinfo?detail=regserial`` (read-only, answered
by every Oktell) with the run's password: a transport failure (refused, silent
port, not HTTP, TLS on one side only) becomes a one-line
:class:`~nabat.conformance.framework.setup.SetupError`; a 403 or 401 stops the
run at once ("the PBX refused the password"), never retried. Then, with the
password accepted, ``--user`` and ``--line`` are looked up
(``tst_getuserstate`` and ``wp_getabonentinfo``): one the PBX does not know
stops the run too, before any case could act for the wrong party.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from nabat.conformance.ats.preflight import cause as http_cause
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.oktell.client import OktellClient
from nabat.conformance.oktell.options import OktellSettings

PREFLIGHT_TIMEOUT = 5.0


def check_url(url: str) -> None:
    """Raise ValueError unless ``url`` is http(s)://HOST[:PORT] (no command path)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"--target must be an http:// or https:// URL like http://127.0.0.1:4055, got {url!r}"
        )
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError(f"--target has a bad port: {url!r}") from None
    if parts.path.strip("/") or parts.query:
        raise ValueError(
            f"--target is the PBX's base URL without a command "
            f"(like http://127.0.0.1:4055), got {url!r}"
        )


def _cause(url: str, exc: httpx.HTTPError, timeout: float) -> str:
    where = urlsplit(url).netloc
    if urlsplit(url).scheme == "http" and isinstance(
        exc, httpx.RemoteProtocolError | httpx.ReadError
    ):
        return (
            f"{where} closed the connection without an HTTP answer: it does not speak "
            "plain HTTP on this port (a TLS port? give an https:// --target)"
        )
    line = http_cause(url, exc, timeout)
    return line.split(": http", 1)[0] if line.startswith("GET ") else line


def preflight(client: OktellClient, settings: OktellSettings, target: str, timeout: float) -> None:
    limit = min(timeout, PREFLIGHT_TIMEOUT)
    url = target.rstrip("/") + "/getlicenseinfo"
    try:
        response = client.get("getlicenseinfo", [("detail", "regserial")])
    except httpx.HTTPError as exc:
        raise SetupError(_cause(url, exc, limit)) from None
    if response.status_code in (401, 403):
        if settings.password is not None:
            raise SetupError(
                f"the PBX refused the password (HTTP {response.status_code} to "
                f"{url}); not retried: check --password"
            )
        raise SetupError(
            f"the PBX wants a password (HTTP {response.status_code} to {url}): give --password"
        )
    if response.status_code >= 500 or response.status_code == 404:
        raise SetupError(
            f"{url} answered HTTP {response.status_code}: is --target the Oktell "
            "server HTTP interface (port 4055)?"
        )
    if settings.user is not None:
        found = client.get("tst_getuserstate", [("iduser", settings.user)])
        if found.status_code != 200:
            raise SetupError(
                f"the PBX does not know --user {settings.user!r} (tst_getuserstate "
                f"answered HTTP {found.status_code})"
            )
    if settings.line is not None:
        found = client.get("wp_getabonentinfo", [("line", settings.line)])
        if found.status_code != 200:
            raise SetupError(
                f"the PBX does not know --line {settings.line!r} "
                f"(wp_getabonentinfo answered HTTP {found.status_code})"
            )
