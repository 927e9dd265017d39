"""Explicit FTPS cases (ruling 2; capability ``tls``): AUTH TLS, PBSZ 0 and PROT P,
TLS data connections, and no clear data channel once the session is protected."""

from __future__ import annotations

import ssl

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.binding import TLS, FtpEnv
from nabat.conformance.ftp_platform.client import code_of
from nabat.conformance.ftp_platform.suite import SUITE


@SUITE.case("FTP-TLS-AUTH", "FTP-TLS-PBSZ-PROT", "FTP-TLS-DATA-PROTECTED", needs={TLS})
def protected_session(ctx: CaseContext, env: FtpEnv) -> None:
    """AUTH TLS is 234 and the control connection becomes TLS; PBSZ 0 and PROT P are
    200; a file then goes up and a listing comes back over TLS data connections."""
    client = env.session(protect=False)
    replies = [t for d, t in client.note_lines() if d == "<" and t[3:4] != "-"]
    ctx.check(
        "FTP-TLS-AUTH",
        any(r.startswith("234") for r in replies) and isinstance(client.ftp.sock, ssl.SSLSocket),
        f"AUTH TLS: expected 234 and a TLS control connection, replies {replies!r}",
    )
    pbsz = client.send("PBSZ 0")
    prot = client.send("PROT P")
    ctx.check(
        "FTP-TLS-PBSZ-PROT",
        code_of(pbsz) == "200" and code_of(prot) == "200",
        f"PBSZ 0 -> {pbsz!r}, PROT P -> {prot!r}: expected 200 for both",
    )
    setattr(client.ftp, "_prot_p", True)  # noqa: B010 (ftplib's flag: wrap data connections)
    name = f"{env.marker('tls')}.txt"
    stored = client.store(name, b"protected\r\n")
    reply, names = client.names()
    ctx.check(
        "FTP-TLS-DATA-PROTECTED",
        stored.startswith("2") and reply.startswith("2") and name in names,
        f"STOR and NLST over TLS data connections: {stored!r}, {reply!r}",
    )
    client.delete(name)


@SUITE.case("FTP-TLS-DATA-REQUIRED", needs={TLS})
def clear_data_refused(ctx: CaseContext, env: FtpEnv) -> None:
    """After AUTH TLS, no listing comes back over a clear data channel: not before
    PROT (no protection level chosen yet), and not after PROT C (refused, or the
    transfer refused)."""
    client = env.session(protect=False)
    reply, names = client.names()
    ctx.check(
        "FTP-TLS-DATA-REQUIRED",
        not reply.startswith("2"),
        f"after AUTH TLS and before PROT, NLST answered {reply!r} with {len(names)} names "
        "over a clear data connection: FTPS data channels must be protected",
    )
    client.send("PBSZ 0")
    clear = client.send("PROT C")
    if not clear.startswith("2"):
        ctx.check("FTP-TLS-DATA-REQUIRED", clear[:1] in ("5", "4"), f"PROT C: refused ({clear!r})")
        return
    reply, names = client.names()
    ctx.check(
        "FTP-TLS-DATA-REQUIRED",
        not reply.startswith("2"),
        f"PROT C was accepted and NLST then answered {reply!r} with {len(names)} names "
        "over a clear data connection: FTPS data channels must be protected",
    )
