"""FTP/FTPS transfers of the route, blocking (stdlib ftplib), run in a worker thread.

How it works: ``FtpSession`` opens one control connection per operation
(plain ``FTP`` or explicit ``FTP_TLS``: AUTH TLS, login, PROT P so that
every data connection is encrypted too), in passive mode unless told
otherwise, and changes into the upload folder. ``upload_atomically``
stores the archive under ``.<name>.part`` — a name the platform's poller
never takes — and then renames it (RNFR/RNTO) to ``<name>``; the archive
appears whole or not at all. When the STOR fails the partial file is
deleted (best effort: a failed delete leaves only a ``.part`` the poller
ignores). When the rename's answer is lost, the folder is listed to learn
whether it happened: the ``.part`` still there means it did not (it is
deleted and the upload reported as not done), otherwise it did. An
archive of the same name already waiting (another route with the same
login, in the same second) is never overwritten: ``FtpNameTaken``, and the
route uploads under the next free name.

Errors are translated here (architecture principle 6): a refused login
(530) is ``FtpLoginRefused``; a connection that could not be opened,
another 4xx/5xx answer, a timeout or a reset before the rename is
``FtpNotDelivered`` (nothing is on the platform: safe to try again); a
rename whose fate cannot be learnt is ``FtpUncertain``.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import ssl
from collections.abc import Iterator

from nabat.system.channels.base import ChannelError, ChannelUnavailable
from nabat.system.channels.ftp_platform.archive import Archive, temporary_name
from nabat.system.channels.ftp_platform.settings import FtpPlatformSettings

_NETWORK_ERRORS = (OSError, EOFError, ftplib.Error, ssl.SSLError)


class FtpRouteError(ChannelError):
    """Root of the FTP platform route's errors."""


class FtpLoginRefused(FtpRouteError):
    """The server refused the login or password: an operator must fix the settings."""


class FtpNotDelivered(FtpRouteError, ChannelUnavailable):
    """The archive is not on the platform (nothing or only a ``.part`` was written)."""


class FtpNameTaken(FtpNotDelivered):
    """An archive of that name is already waiting (another route with the same login)."""


class FtpUncertain(FtpRouteError):
    """The archive may be on the platform: do not upload it again blindly."""


def _tls_context(settings: FtpPlatformSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.ca_file)
    if not settings.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


@contextlib.contextmanager
def ftp_session(settings: FtpPlatformSettings) -> Iterator[ftplib.FTP]:
    """A logged-in connection in the upload folder; login refusals become ``FtpLoginRefused``."""
    ftp: ftplib.FTP
    if settings.tls:
        ftp = ftplib.FTP_TLS(context=_tls_context(settings), timeout=settings.timeout)
    else:
        ftp = ftplib.FTP(timeout=settings.timeout)
    try:
        try:
            ftp.connect(settings.host, settings.port)
        except _NETWORK_ERRORS as error:
            raise FtpNotDelivered(
                f"cannot connect to {settings.host}:{settings.port}: {error}"
            ) from error
        try:
            ftp.login(settings.login, settings.password)
        except ftplib.error_perm as error:
            raise FtpLoginRefused(f"login {settings.login!r} refused: {error}") from error
        except _NETWORK_ERRORS as error:
            raise FtpNotDelivered(f"login failed: {error}") from error
        try:
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            ftp.set_pasv(settings.passive)
            if settings.directory:
                ftp.cwd(settings.directory)
        except _NETWORK_ERRORS as error:
            raise FtpNotDelivered(f"session set-up failed: {error}") from error
        yield ftp
    finally:
        with contextlib.suppress(*_NETWORK_ERRORS):
            ftp.quit()
        with contextlib.suppress(OSError):
            ftp.close()


def list_names(settings: FtpPlatformSettings) -> set[str]:
    """The file names in the upload folder (NLST); an empty folder is an empty set."""
    with ftp_session(settings) as ftp:
        return _names(ftp)


def _names(ftp: ftplib.FTP) -> set[str]:
    """NLST, read to the end of the data connection without ftplib's TLS ``unwrap``: a
    server that closes the protected data connection first makes that unwrap fail
    (SHUTDOWN_WHILE_IN_INIT) although every name arrived."""
    ftp.sendcmd("TYPE A")
    try:
        connection = ftp.transfercmd("NLST")
    except ftplib.error_perm as error:  # some servers answer 550 for an empty folder
        if str(error).startswith("550"):
            return set()
        raise
    chunks: list[bytes] = []
    with connection:
        while True:
            try:
                chunk = connection.recv(65536)
            except ssl.SSLZeroReturnError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    ftp.voidresp()
    text = b"".join(chunks).decode(ftp.encoding, errors="replace")
    return {line.rsplit("/", 1)[-1] for line in text.splitlines() if line}


def upload_atomically(settings: FtpPlatformSettings, archive: Archive) -> None:
    """Store ``archive`` under its temporary name, then rename it (see the module docstring)."""
    temporary = temporary_name(archive.name)
    with ftp_session(settings) as ftp:
        try:
            taken = archive.name in _names(ftp)
        except _NETWORK_ERRORS as error:
            raise FtpNotDelivered(f"listing before the upload failed: {error}") from error
        if taken:
            raise FtpNameTaken(f"{archive.name} is already on the server")
        try:
            ftp.storbinary(f"STOR {temporary}", io.BytesIO(archive.data), blocksize=65536)
        except _NETWORK_ERRORS as error:
            _forget(settings, ftp, temporary)
            raise FtpNotDelivered(f"upload of {archive.name} failed: {error}") from error
        try:
            ftp.rename(temporary, archive.name)
        except ftplib.error_perm as error:  # the server answered: the rename did not happen
            _forget(settings, ftp, temporary)
            raise FtpNotDelivered(f"rename to {archive.name} refused: {error}") from error
        except (TimeoutError, *_NETWORK_ERRORS) as error:
            _reconcile_rename(settings, archive.name, temporary, error)


def _forget(settings: FtpPlatformSettings, ftp: ftplib.FTP, temporary: str) -> None:
    """Delete a partial upload, on this connection or (if it broke) on a new one."""
    try:
        ftp.delete(temporary)
        return
    except ftplib.error_perm:
        return  # not there
    except _NETWORK_ERRORS:
        pass
    with contextlib.suppress(FtpRouteError, *_NETWORK_ERRORS), ftp_session(settings) as fresh:
        fresh.delete(temporary)


def _reconcile_rename(
    settings: FtpPlatformSettings, name: str, temporary: str, cause: BaseException
) -> None:
    try:
        with ftp_session(settings) as ftp:
            names = _names(ftp)
            if temporary in names and name not in names:
                _forget(settings, ftp, temporary)
                raise FtpNotDelivered(f"rename to {name} did not happen: {cause}") from cause
    except FtpNotDelivered:
        raise
    except (FtpRouteError, *_NETWORK_ERRORS) as error:
        raise FtpUncertain(f"rename to {name} may have happened: {cause}; {error}") from cause
