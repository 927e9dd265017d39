"""The MFMS suite's pre-flight: the base URL is parsed, then ONE STATUS request is made.

:func:`check_base_url` refuses a ``--target`` that is not
``http(s)://HOST[:PORT]/CLIENT/connector`` (no scheme, no connector path, or
the path of an operation). :func:`preflight` asks STATUS of one providerId no
platform gave (:data:`UNKNOWN_ID`) with the run's credentials: the cheapest
authenticated call, which sends no SMS. A transport failure (refused, silent
port, plain HTTP on a TLS port or the reverse, an untrusted certificate)
and an ``error-auth`` answer become a
:class:`~nabat.conformance.framework.setup.SetupError` of one line. The
credentials are never tried a second time: a refused login stops the run.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx
from nabat.conformance.ats.preflight import cause as http_cause
from nabat.conformance.framework.setup import SetupError, tls_cause
from nabat.conformance.mfms.client import HpgClient, status_pairs
from nabat.conformance.mfms.wire import request_error

PREFLIGHT_TIMEOUT = 5.0
#: A providerId no platform gives out (20 digits, beyond the ids real platforms use).
UNKNOWN_ID = "99999999999999999999"


def check_base_url(url: str) -> None:
    """Raise ValueError unless ``url`` is http(s)://HOST[:PORT]/CLIENT/connector."""
    example = "http://127.0.0.1:9876/CLIENT/connectorX"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--target must be an http:// or https:// URL like {example}, got {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError(f"--target has a bad port: {url!r}") from None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in ("send", "status"):
        raise ValueError(
            f"--target is the connector's base URL, without /{segments[-1]} "
            f"(like {example}), got {url!r}"
        )
    if len(segments) != 2 or parts.query:
        raise ValueError(
            f"--target must name the client and the connector, like {example} "
            f"(send = BASE_URL/send, status = BASE_URL/status), got {url!r}"
        )


def _root(exc: BaseException) -> BaseException:
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return seen


def _cause(url: str, exc: httpx.HTTPError, timeout: float, ca: str | None) -> str:
    where = urlsplit(url).netloc
    root = _root(exc)
    if isinstance(root, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
        verify = (
            root
            if isinstance(root, ssl.SSLCertVerificationError)
            else ssl.SSLCertVerificationError(str(exc))
        )
        return tls_cause(where, verify, timeout, ca)
    line = http_cause(url, exc, timeout)
    plain = urlsplit(url).scheme == "http"
    if plain and isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return (
            f"{where} closed the connection without an HTTP answer: it does not speak "
            "plain HTTP on this port (a TLS port? give an https:// --target)"
        )
    return line.split(": http", 1)[0] if line.startswith("GET ") else line


def preflight(client: HpgClient, target: str, timeout: float, ca: str | None) -> None:
    """One STATUS of :data:`UNKNOWN_ID`; SetupError with the cause when no usable
    answer comes or the credentials are refused."""
    limit = min(timeout, PREFLIGHT_TIMEOUT)
    url = target.rstrip("/") + "/status"
    try:
        response = client.raw_status(status_pairs([UNKNOWN_ID]))
    except httpx.HTTPError as exc:
        raise SetupError(_cause(url, exc, limit, ca)) from None
    found = request_error(response.status_code, response.text)
    if found.code == "error-auth":
        raise SetupError(
            f"{url} refused --login/--password with error-auth (HTTP {response.status_code}); "
            "not retried, since platforms lock accounts after wrong passwords: check the "
            "credentials and --login-param/--password-param"
        )
    if response.status_code in (401, 403, 404):
        raise SetupError(
            f"{url} answered HTTP {response.status_code}: no such connector there? (the "
            "--target path must be /CLIENT/connector)"
        )
