"""The ATS suite's pre-flight: the URLs are parsed, then one request is made.

:func:`check_url` refuses a ``--target``/``--reserve`` that is not an
``http://`` or ``https://`` URL with a host (a usage error, one line).
:func:`preflight` sends ``GET /ping`` (the API's cheapest call; any HTTP
status will do) and turns a transport failure into a
:class:`~nabat.conformance.framework.setup.SetupError` naming the likely cause:
connection refused, nothing answering, not HTTP, TLS trouble.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from nabat.conformance.framework.setup import SetupError, connect_cause, tls_cause

PREFLIGHT_TIMEOUT = 5.0


def check_url(option: str, url: str) -> None:
    """Raise ValueError unless ``url`` is http(s)://HOST[:PORT][/...] (the binding
    turns it into a pre-flight failure: a setup mistake, exit 3)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{option} must be an http:// or https:// URL (for example "
                         f"http://127.0.0.1:8085), got {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError(f"{option} has a bad port: {url!r}") from None


def _root(exc: BaseException) -> BaseException:
    """The innermost cause (httpx wraps the socket or TLS error)."""
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return seen


def cause(url: str, exc: httpx.HTTPError, timeout: float) -> str:
    """One line for a failed pre-flight request to ``url``."""
    where = urlsplit(url).netloc
    root = _root(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return connect_cause(where, TimeoutError(), timeout)
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout):
        return (f"{where} accepted the connection but sent no HTTP answer within "
                f"{timeout:g} s (a silent port, or not an HTTP service)")
    if isinstance(exc, httpx.ConnectError):
        text = str(exc)
        if isinstance(root, ConnectionRefusedError) or "refused" in text.lower():
            return connect_cause(where, ConnectionRefusedError(), timeout)
        if "SSL" in text.upper() or "CERTIFICATE" in text.upper():
            return tls_cause(where, root if isinstance(root, OSError) else exc, timeout, None)
        return f"cannot connect to {where}: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{where} does not speak HTTP on this port ({exc})"
    return f"GET {url} failed: {type(exc).__name__}: {exc}"


def preflight(client: httpx.Client, target: str, timeout: float) -> None:
    """One GET /ping; raise SetupError with the cause when no HTTP answer comes."""
    url = target.rstrip("/") + "/ping"
    limit = min(timeout, PREFLIGHT_TIMEOUT)
    try:
        client.get(url, timeout=limit)
    except httpx.HTTPError as exc:
        raise SetupError(cause(url, exc, limit)) from None
