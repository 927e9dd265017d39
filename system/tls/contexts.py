"""``ssl.SSLContext`` factories for the server and its clients (TLS 1.2 or later).

``server_context(cert, key)`` serves a certificate; ``client_context(cafile)``
verifies the server against a CA file (the server's self-signed certificate
itself will do), or the system's trust store without one. ``insecure=True``
turns verification off: for tests and local experiments only.
"""

from __future__ import annotations

import logging
import os
import ssl

log = logging.getLogger(__name__)

MINIMUM_VERSION = ssl.TLSVersion.TLSv1_2


def server_context(cert: str | os.PathLike[str], key: str | os.PathLike[str]) -> ssl.SSLContext:
    """A server context presenting ``cert`` with ``key``; no client certificates."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = MINIMUM_VERSION
    context.load_cert_chain(certfile=cert, keyfile=key)
    return context


def client_context(
    cafile: str | os.PathLike[str] | None = None, *, insecure: bool = False
) -> ssl.SSLContext:
    """A client context that checks the server's certificate and host name.

    ``cafile``: PEM certificates to trust (else the system's trust store).
    ``insecure``: no verification at all - testing only, never in production.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = MINIMUM_VERSION
    if insecure:
        if cafile is not None:
            raise ValueError("give either cafile or insecure=True, not both")
        log.warning("TLS client context without certificate verification (testing only)")
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if cafile is None:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    else:
        context.load_verify_locations(cafile=cafile)
    return context
