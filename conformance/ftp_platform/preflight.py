"""Opening a session with the platform, and the pre-flight that names why it cannot be.

:func:`open_session` connects (plain, or explicit FTPS: AUTH TLS, the TLS
handshake, then USER/PASS, PBSZ 0 and PROT P), logs in ONCE and returns a
recording :class:`~nabat.conformance.ftp_platform.client.FtpClient`. Every
failure is a :class:`~nabat.conformance.framework.setup.SetupError` with one
line: connection refused or a silent port (the framework's wording), a
greeting that is not FTP's, --tls against a server without AUTH TLS, an
untrusted certificate (naming the --ca file), a --ca that is not a
certificate, and a refused login — which is never tried again
(:class:`~nabat.conformance.framework.setup.LoginStopped`: accounts lock after
a few wrong passwords). The pre-flight is one such session, closed with QUIT.
"""

from __future__ import annotations

import ftplib
import socket
import ssl

from nabat.conformance.framework.setup import (
    LoginStopped,
    SetupError,
    ca_cause,
    connect_cause,
    tls_cause,
)
from nabat.conformance.ftp_platform.client import (
    FtpClient,
    FtpExchange,
    Recorder,
    RecordingFtp,
    RecordingFtpTls,
)
from nabat.conformance.ftp_platform.options import FtpSettings

PREFLIGHT_TIMEOUT = 5.0


def tls_context(settings: FtpSettings) -> ssl.SSLContext:
    if settings.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    try:
        return ssl.create_default_context(cafile=settings.ca)
    except (OSError, ssl.SSLError) as exc:
        raise SetupError(ca_cause(str(settings.ca), exc)) from None


def _greeting(ftp: ftplib.FTP, settings: FtpSettings, wait: float) -> None:
    where = settings.where
    try:
        ftp.connect(settings.host, settings.port, timeout=wait)
    except (ConnectionRefusedError, socket.gaierror) as exc:
        raise SetupError(connect_cause(where, exc, wait)) from None
    except TimeoutError as exc:
        if ftp.sock is None:
            raise SetupError(connect_cause(where, exc, wait)) from None
        raise SetupError(
            f"{where} accepted the connection but sent no FTP greeting within "
            f"{wait:g} s (a silent port, or a service that waits for the client "
            "to speak)"
        ) from None
    except (ftplib.error_proto, ftplib.error_reply, UnicodeDecodeError) as exc:
        raise SetupError(
            f"{where} does not speak FTP: its greeting was {str(exc)[:80]!r}, not a 220 reply"
        ) from None
    except (ftplib.error_temp, ftplib.error_perm) as exc:
        raise SetupError(
            f"{where} refused the session in its greeting: {str(exc).strip()[:120]}"
        ) from None
    except EOFError:
        raise SetupError(f"{where} closed the connection before its FTP greeting") from None
    except OSError as exc:
        raise SetupError(connect_cause(where, exc, wait)) from None
    welcome = ftp.welcome or ""
    if not welcome.startswith("220"):
        raise SetupError(f"{where} greeted with {welcome[:80]!r}, not 220 (not ready)")


def _secure(ftp: RecordingFtpTls, settings: FtpSettings, wait: float) -> None:
    where = settings.where
    try:
        ftp.auth()
    except (ftplib.error_perm, ftplib.error_temp, ftplib.error_reply) as exc:
        raise SetupError(
            f"--tls: {where} does not offer explicit FTPS: AUTH TLS was answered "
            f"{str(exc).strip()[:100]!r}"
        ) from None
    except (ssl.SSLError, OSError, EOFError) as exc:
        raise SetupError(tls_cause(where, exc, wait, settings.ca)) from None


def _login(ftp: ftplib.FTP, settings: FtpSettings) -> None:
    try:
        ftp.login(settings.login, settings.password)
    except (ftplib.error_perm, ftplib.error_temp, ftplib.error_reply) as exc:
        raise LoginStopped(
            f"the platform refused the login of {settings.login!r} "
            f"({str(exc).strip()[:100]}): the suite will not try again "
            "(accounts lock after wrong passwords)"
        ) from None


def open_session(
    settings: FtpSettings, timeout: float, recorder: Recorder | None = None, protect: bool = True
) -> FtpClient:
    """A logged-in session (FTPS when --tls; ``protect``: PBSZ 0 and PROT P too)."""
    wait = min(timeout, PREFLIGHT_TIMEOUT)
    ftp: RecordingFtp | RecordingFtpTls
    ftp = RecordingFtpTls(timeout, tls_context(settings)) if settings.tls else RecordingFtp(timeout)
    client = FtpClient(ftp, recorder)
    try:
        _greeting(ftp, settings, wait)
        if ftp.sock is not None:
            ftp.sock.settimeout(timeout)
        if isinstance(ftp, RecordingFtpTls):
            _secure(ftp, settings, wait)
        _login(ftp, settings)
        if isinstance(ftp, RecordingFtpTls) and protect:
            ftp.prot_p()
    except SetupError:
        client.close()
        raise
    except (ftplib.Error, EOFError, OSError) as exc:
        client.close()
        raise SetupError(
            f"{settings.where}: the session failed while opening: {str(exc).strip()[:120]}"
        ) from None
    if recorder is not None:
        recorder(FtpExchange("connect and log in", "logged in", tuple(ftp.log), 0.0))
    return client


def preflight(settings: FtpSettings, timeout: float) -> None:
    """One session: greeting, (AUTH TLS,) login, QUIT; SetupError with the cause otherwise."""
    client = open_session(settings, timeout)
    try:
        client.quit()
    except (ftplib.Error, EOFError, OSError):
        pass
    finally:
        client.close()
