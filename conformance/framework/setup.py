"""Setup and reachability: the errors that mean "could not test", and their causes.

A suite's binding runs a pre-flight (connect, TLS handshake, one login or one
request) before any case. When it fails it raises :class:`SetupError` with ONE
line naming the likely cause; the runner stops and the run exits with
:data:`EXIT_NOT_TESTED`. :func:`connect_cause` and :func:`tls_cause` turn the
socket and TLS exceptions of a pre-flight into such lines, so every suite
words the same mistake the same way.

Exit codes of a run (documented in docs/conformance.md):
0 the target conforms, 1 it does not, 2 usage error, 3 could not test.
"""

from __future__ import annotations

import ssl

EXIT_CONFORMS = 0
EXIT_DOES_NOT_CONFORM = 1
EXIT_USAGE = 2
EXIT_NOT_TESTED = 3

EXIT_CODES_HELP = (
    "exit codes: 0 the target conforms; 1 it does not conform (a MUST broken, or with "
    "--strict a SHOULD missed); 2 usage error; 3 could not test (setup or reachability: "
    "the pre-flight failed, or no case reached a verdict)"
)

_NOT_TLS_MARKERS = (
    "WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG",
    "RECORD_LAYER_FAILURE", "HTTP_REQUEST", "UNEXPECTED_RECORD", "WRONG_SSL_VERSION",
)


class SetupError(Exception):
    """The run could not test the target: one line naming the likely cause."""


class LoginStopped(SetupError):
    """The suite stopped logging in after a refused LOGIN (to avoid a lockout)."""


def connect_cause(where: str, exc: BaseException, timeout: float) -> str:
    """Why a TCP connection to ``where`` failed, in one line."""
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused by {where}: nothing listens there (is the server running, " \
               "is the port right?)"
    if isinstance(exc, TimeoutError):
        return f"{where} does not accept a connection within {timeout:g} s " \
               "(wrong address, or a firewall drops the packets)"
    return f"cannot connect to {where}: {exc.strerror or exc}" if isinstance(exc, OSError) \
        else f"cannot connect to {where}: {exc}"


def tls_cause(where: str, exc: BaseException, timeout: float, ca: str | None) -> str:
    """Why the TLS handshake with ``where`` failed, in one line."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or str(exc)
        if exc.verify_code == 62:  # X509_V_ERR_HOSTNAME_MISMATCH
            return f"the certificate of {where} does not name this host ({detail}): " \
                   "give --server-name NAME"
        trusted_by = f"--ca {ca}" if ca else "the system CAs (give --ca FILE or --insecure)"
        return f"the certificate of {where} is not trusted by {trusted_by} ({detail})"
    if isinstance(exc, TimeoutError):
        return f"{where} accepted the connection but sent no TLS ServerHello within " \
               f"{timeout:g} s: a silent port, or a service that waits for the client to speak"
    text = str(exc)
    if isinstance(exc, ssl.SSLError) and any(m in text.upper() for m in _NOT_TLS_MARKERS):
        return f"the target does not speak TLS on this port ({where} answered in plain " \
               "text, not with a TLS ServerHello)"
    if isinstance(exc, ssl.SSLEOFError | ConnectionResetError | BrokenPipeError) \
            or "EOF" in text.upper():
        return f"{where} closed the connection during the TLS handshake (it does not speak " \
               "TLS on this port, or it refuses this client)"
    return f"TLS handshake with {where} failed: {text}"


def ca_cause(ca: str, exc: BaseException) -> str:
    """Why the --ca file could not be loaded, in one line."""
    if isinstance(exc, FileNotFoundError):
        return f"--ca {ca}: no such file"
    return f"--ca {ca} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----; {exc})"
