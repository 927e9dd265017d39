"""FTP session cases: login, the client's folder, CWD/CDUP, PASV and PORT, TYPE and
MODE, STOR/RETR/LIST/NLST/DELE and QUIT. The files they upload are named
``conf<run>-*.txt``: never an archive name, so the poller leaves them alone."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.binding import FtpEnv
from nabat.conformance.ftp_platform.client import code_of
from nabat.conformance.ftp_platform.suite import SUITE

_PASV = re.compile(r"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)")


def _reply_code(
    ctx: CaseContext, clause: str, reply: str, codes: tuple[str, ...], what: str
) -> bool:
    return ctx.check(
        clause, code_of(reply) in codes, f"{what}: expected {' or '.join(codes)}, got {reply!r}"
    )


@SUITE.case("FTP-SESSION-LOGIN", "FTP-SESSION-QUIT", "FTP-TLS-LOGIN-PROTECTED")
def login_and_quit(ctx: CaseContext, env: FtpEnv) -> None:
    """USER is answered 331, PASS 230 (inside TLS with --tls); QUIT 221."""
    client = env.session()
    lines = client.note_lines()
    user = next((i for i, (d, t) in enumerate(lines) if d == ">" and t.startswith("USER ")), None)
    replies = [t for d, t in lines[(user or 0) + 1 :] if d == "<" and t[3:4] != "-"]
    ctx.check(
        "FTP-SESSION-LOGIN",
        user is not None
        and len(replies) >= 2
        and replies[0].startswith("331")
        and replies[1].startswith("230"),
        f"USER then PASS: expected 331 then 230, got {replies[:2]!r}",
    )
    if env.settings.tls:
        ctx.check(
            "FTP-TLS-LOGIN-PROTECTED",
            client.tls and client.ftp.sock is not None and hasattr(client.ftp.sock, "cipher"),
            "the login went through a TLS-protected control connection",
        )
    reply = client.quit()
    _reply_code(ctx, "FTP-SESSION-QUIT", reply, ("221",), "QUIT")


@SUITE.case(
    "FTP-SESSION-FOLDER",
    "FTP-SESSION-STOR",
    "FTP-SESSION-LIST",
    "FTP-SESSION-DELE",
    "FTP-SESSION-TYPE",
)
def store_list_delete(ctx: CaseContext, env: FtpEnv) -> None:
    """A file STOR'd in binary is listed by NLST and LIST in the folder, and DELE
    removes it; TYPE A and TYPE I are accepted."""
    client = env.session()
    name = f"{env.marker('stor')}.txt"
    data = f"conformance {name}\r\n".encode() * 20
    _reply_code(ctx, "FTP-SESSION-TYPE", client.send("TYPE A"), ("200",), "TYPE A")
    _reply_code(ctx, "FTP-SESSION-TYPE", client.send("TYPE I"), ("200",), "TYPE I")
    _reply_code(ctx, "FTP-SESSION-STOR", client.store(name, data), ("226", "250"), "STOR")
    reply, names = client.names()
    ctx.check(
        "FTP-SESSION-LIST",
        reply.startswith("2") and name in names,
        f"NLST: expected {name} among {names[:20]!r} ({reply!r})",
    )
    ctx.check(
        "FTP-SESSION-FOLDER",
        name in names,
        f"the file stored is in the folder the session works in ({names[:20]!r})",
    )
    reply, lines = client.listing()
    ctx.check(
        "FTP-SESSION-LIST",
        reply.startswith("2") and any(line.endswith(" " + name) for line in lines),
        f"LIST: expected a line ending in {name}, got {lines[:10]!r} ({reply!r})",
    )
    size = client.send(f"SIZE {name}")
    if size.startswith("213"):
        ctx.check(
            "FTP-SESSION-STOR",
            size.split()[-1] == str(len(data)),
            f"SIZE after STOR: expected {len(data)} bytes, got {size!r}",
        )
    _reply_code(ctx, "FTP-SESSION-DELE", client.delete(name), ("250",), f"DELE {name}")
    _, names = client.names()
    ctx.check("FTP-SESSION-DELE", name not in names, f"after DELE {name} is still listed")


@SUITE.case("FTP-SESSION-RETR")
def retrieve(ctx: CaseContext, env: FtpEnv) -> None:
    """A file stored and then fetched with RETR comes back byte for byte."""
    client = env.session()
    name = f"{env.marker('retr')}.txt"
    data = bytes(range(256)) * 8
    if not client.store(name, data).startswith("2"):
        ctx.unsupported("the platform did not store the file to read back")
    reply, back = client.fetch(name)
    ctx.check(
        "FTP-SESSION-RETR",
        reply.startswith("2") and back == data,
        f"RETR {name}: expected the {len(data)} bytes stored, got {len(back)} ({reply!r})",
    )
    client.delete(name)


@SUITE.case("FTP-SESSION-CWD-CDUP")
def change_directory(ctx: CaseContext, env: FtpEnv) -> None:
    """CWD into a directory (250), CDUP back (200/250) to the same PWD; CWD to a
    directory that does not exist is 550."""
    client = env.session()
    home = client.send("PWD")
    folder = env.marker("dir")
    made = client.send(f"MKD {folder}")
    target = folder if made.startswith("257") else "."
    _reply_code(
        ctx, "FTP-SESSION-CWD-CDUP", client.send(f"CWD {target}"), ("250",), f"CWD {target}"
    )
    if target != ".":
        _reply_code(ctx, "FTP-SESSION-CWD-CDUP", client.send("CDUP"), ("200", "250"), "CDUP")
        back = client.send("PWD")
        ctx.check(
            "FTP-SESSION-CWD-CDUP",
            back == home,
            f"after CWD {target} and CDUP: PWD {back!r}, expected {home!r}",
        )
        client.send(f"RMD {folder}")
    missing = env.marker("missing")
    _reply_code(
        ctx,
        "FTP-SESSION-CWD-CDUP",
        client.send(f"CWD {missing}"),
        ("550",),
        f"CWD {missing} (no such directory)",
    )


@SUITE.case("FTP-SESSION-PASV")
def passive_mode(ctx: CaseContext, env: FtpEnv) -> None:
    """PASV is 227 (h1,h2,h3,h4,p1,p2) naming the server's address; a listing then
    arrives through that port."""
    client = env.session()
    reply = client.send("PASV")
    found = _PASV.search(reply)
    ctx.check(
        "FTP-SESSION-PASV",
        reply.startswith("227") and found is not None,
        f"PASV: expected 227 with (h1,h2,h3,h4,p1,p2), got {reply!r}",
    )
    assert found is not None
    address = ".".join(found.group(i) for i in range(1, 5))
    port = int(found.group(5)) * 256 + int(found.group(6))
    server = client.ftp.sock.getpeername()[0] if client.ftp.sock is not None else "?"
    ctx.check(
        "FTP-SESSION-PASV",
        address == server and 0 < port < 65536,
        f"PASV named {address}:{port}; the server is {server}",
    )
    reply, _ = client.names()  # ftplib's own PASV, then the data connection
    ctx.check(
        "FTP-SESSION-PASV",
        reply.startswith("2"),
        f"NLST through the passive data connection: {reply!r}",
    )


@SUITE.case("FTP-SESSION-PORT", "FTP-SESSION-MODE")
def active_mode(ctx: CaseContext, env: FtpEnv) -> None:
    """With PORT (active mode) a listing arrives on the client's port; MODE S is 200."""
    client = env.session()
    _reply_code(ctx, "FTP-SESSION-MODE", client.send("MODE S"), ("200",), "MODE S")
    client.ftp.set_pasv(False)
    reply, _ = client.names()
    ctx.check(
        "FTP-SESSION-PORT",
        reply.startswith("2"),
        f"NLST over an active (PORT) data connection: {reply!r}",
    )
    client.ftp.set_pasv(True)
