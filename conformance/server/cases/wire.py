"""Wire cases: TLS, CRLF, windows-1251, %XX escaping, empty parameters,
malformed lines, unknown words, argument counts, access before LOGIN, and
the shape of replies and listings."""

from __future__ import annotations

import contextlib
import socket
import ssl
import time

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import (
    expect_error,
    expect_listing,
    expect_ok,
    unused_id,
)
from nabat.conformance.server.client import Reply
from nabat.conformance.server.commands import COMMANDS, MULTILINE_HEADS, READS
from nabat.conformance.server.evidence import LineExchange
from nabat.conformance.server.suite import SUITE
from nabat.conformance.server.wire import ENCODING, escape


def _plain_probe(env: ServerEnv) -> bytes:
    """Send PING over plain TCP; what came back within a second (if anything)."""
    started = time.perf_counter()
    received = b""
    with socket.create_connection((env.settings.host, env.settings.port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        sock.settimeout(1.0)
        with contextlib.suppress(TimeoutError, OSError):
            received = sock.recv(4096)
    env.ctx.record(LineExchange("plain TCP, no TLS", (b"PING",), (received,) if received else (),
                                elapsed_ms=(time.perf_counter() - started) * 1000.0))
    return received


@SUITE.case("SRV-WIRE-TLS")
def tls_only(ctx: CaseContext, env: ServerEnv) -> None:
    """The server answers over TLS with a certificate that verifies, and never
    answers a plain-text PING."""
    try:
        connection = env.connect("TLS")
    except ssl.SSLError as exc:
        ctx.fail("SRV-WIRE-TLS", f"TLS handshake or certificate verification failed: {exc}")
        return
    expect_ok(ctx, "SRV-WIRE-TLS", connection.request("PING"), "PING over TLS")
    answer = _plain_probe(env)
    ctx.check("SRV-WIRE-TLS", b"PING OK" not in answer,
              f"plain-text PING must not be answered in plain text, got {answer[:40]!r}")


@SUITE.case("SRV-WIRE-CP1251", "SRV-WIRE-CRLF")
def cyrillic_round_trip(ctx: CaseContext, env: ServerEnv) -> None:
    """A group named in Cyrillic comes back as the same windows-1251 bytes, and
    every line received (single, listing, abonent and error replies) ends in CRLF."""
    name = env.name("group") + " Группа Ёжик №1"
    description = "Описание: съешь ещё этих мягких булок"
    reply = env.admin.request("ADDGROUP", name, description)
    env.janitor.created(reply, "DELGROUP")
    expect_ok(ctx, "SRV-WIRE-CP1251", reply, "ADDGROUP with a Cyrillic name", count=3)
    gid = reply.args[0]
    raw = reply.lines[0].raw
    ctx.check("SRV-WIRE-CP1251", escape(description) in raw and escape(name) in raw,
              f"ADDGROUP OK must carry the cp1251 bytes {escape(description)[:30]!r}..., "
              f"got {raw[:120]!r}")
    ctx.check("SRV-WIRE-CP1251", reply.args[1:] == (name, description),
              f"ADDGROUP OK must echo {name!r} / {description!r}, got {reply.args[1:]!r}")
    listing = env.admin.request("GETGROUPS")
    row = next((r for r in listing.rows if r and r[0] == gid), None)
    ctx.check("SRV-WIRE-CP1251", row is not None and row[1:3] == (name, description),
              f"GETGROUPS row of {gid} must read {name!r} / {description!r}, got {row!r}")
    _, abonent = steps.abonent(env, gid, phones=[("1", "+79001234567", "0")],
                               emails=["a@example.org"])
    error = env.admin.request("GETTASK", unused_id(env.admin.request("GETTASKS")))
    lines = [*reply.lines, *listing.lines, *abonent.lines, *error.lines]
    bad = [line.raw[:40] for line in lines if line.bare_lf]
    ctx.check("SRV-WIRE-CRLF", not bad, f"lines ended by a bare LF: {bad!r}")
    undecodable = [line.problem for line in lines if line.problem and not line.is_error]
    ctx.check("SRV-WIRE-CP1251", not undecodable, f"problems decoding replies: {undecodable!r}")


@SUITE.case("SRV-WIRE-ESCAPE", "SRV-WIRE-ESCAPE-ANYCASE")
def escaping(ctx: CaseContext, env: ServerEnv) -> None:
    """Spaces, %, tab, CR and LF survive a round trip escaped; a parameter escaped with
    lower-case hex and the same one with upper-case hex both decode to the same text."""
    name = env.name("group") + " 100% a\tb"
    description = "line1\r\nline2 50%"
    reply = env.admin.request("ADDGROUP", name, description)
    env.janitor.created(reply, "DELGROUP")
    expect_ok(ctx, "SRV-WIRE-ESCAPE", reply, "ADDGROUP with escaped characters", count=3)
    ctx.check("SRV-WIRE-ESCAPE", reply.args[1:] == (name, description),
              f"ADDGROUP OK must echo {name!r} / {description!r}, got {reply.args[1:]!r}")
    raw = reply.lines[0].raw
    escaped = raw.count(b" ") == 4 and b"%25" in raw and b"%0D%0A" in raw.upper()
    ctx.check("SRV-WIRE-ESCAPE", escaped,
              f"the reply must escape spaces, % and CR LF inside parameters, got {raw!r}")
    raw_controls = sorted({f"0x{b:02X}" for b in raw if b < 0x20 or b == 0x7F})
    ctx.check("SRV-WIRE-ESCAPE", not raw_controls,
              f"control bytes (tab included) must be sent as %XX, the reply carries raw "
              f"{raw_controls}: {raw!r}")
    controls = env.name("group") + " c\x01d\x7fe"
    reply = env.admin.request("ADDGROUP", controls, "tab\there")
    env.janitor.created(reply, "DELGROUP")
    raw = reply.lines[0].raw if reply.lines else b""
    ctx.check("SRV-WIRE-ESCAPE", reply.ok and reply.args[1:] == (controls, "tab\there")
              and not any(b < 0x20 or b == 0x7F for b in raw),
              f"bytes 0x01, 0x7F and tab must round-trip as %XX, got {raw!r}")
    for escapes in (LOWER_CASE_ESCAPES, UPPER_CASE_ESCAPES):
        base = env.name("group")
        line = f"ADDGROUP {base}{escapes[0]} {escapes[1]}\r\n".encode("ascii")
        reply = env.admin.send_raw(line, "ADDGROUP")
        env.janitor.created(reply, "DELGROUP")
        expected = (base + ESCAPED_NAME_TAIL, ESCAPED_DESCRIPTION)
        ctx.check("SRV-WIRE-ESCAPE-ANYCASE", reply.ok and reply.args[1:] == expected,
                  f"{line!r}: %xx in either case must decode to {expected!r}, got "
                  f"{reply.describe()}")


# The same parameters escaped with lower-case and with upper-case hex (ruling 2:
# decoders accept either); both must decode to ESCAPED_NAME_TAIL / ESCAPED_DESCRIPTION.
LOWER_CASE_ESCAPES = ("%2ax%c3%e0", "d%20e%3bf%0d%0ag")
UPPER_CASE_ESCAPES = ("%2Ax%C3%E0", "d%20e%3Bf%0D%0Ag")
ESCAPED_NAME_TAIL = "*x" + bytes([0xC3, 0xE0]).decode(ENCODING)
ESCAPED_DESCRIPTION = "d e;f\r\ng"


@SUITE.case("SRV-WIRE-EMPTY-PARAM")
def empty_parameters(ctx: CaseContext, env: ServerEnv) -> None:
    """A trailing space carries an empty last parameter, and it comes back empty."""
    name = env.name("group")
    reply = env.admin.send_raw(f"ADDGROUP {name} \r\n".encode("ascii"), "ADDGROUP")
    env.janitor.created(reply, "DELGROUP")
    ctx.check("SRV-WIRE-EMPTY-PARAM", reply.ok and reply.args[1:] == (name, ""),
              f"'ADDGROUP {name} ' (empty description) must answer OK <id> {name} '', "
              f"got {reply.describe()}")
    if reply.ok:
        gid = reply.args[0]
        update = env.admin.send_raw(f"UPDATEGROUP {gid}  \r\n".encode("ascii"), "UPDATEGROUP")
        ctx.check("SRV-WIRE-EMPTY-PARAM", update.code in ("ERR_BADSYNTAX", "ERR_UPDATEGROUP"),
                  f"'UPDATEGROUP {gid}  ' carries an empty name, which must be refused, got "
                  f"{update.describe()}")


# (line, what, the clause it breaks, the reply word a server should use)
MALFORMED = (
    (b"ping\r\n", "a lower-case command word", "SRV-WIRE-BADSYNTAX", "ERROR"),
    (b"PING2\r\n", "a digit in the command word", "SRV-WIRE-BADSYNTAX", "ERROR"),
    (b" PING\r\n", "a leading space", "SRV-WIRE-BADSYNTAX", "ERROR"),
    (b"\r\n", "an empty line", "SRV-WIRE-BADSYNTAX", "ERROR"),
    (b"ADDGROUP {prefix}-bad100% x\r\n", "a stray %", "SRV-WIRE-MALFORMED-PARAM", "ADDGROUP"),
    (b"ADDGROUP {prefix}-bad\x01x x\r\n", "a raw control byte", "SRV-WIRE-MALFORMED-PARAM",
     "ADDGROUP"),
    (b"ADDGROUP {prefix}-bad\tx x\r\n", "a raw tab", "SRV-WIRE-MALFORMED-PARAM", "ADDGROUP"),
    (b"ADDGROUP {prefix}-bad%98 x\r\n", "byte 0x98 escaped, undefined in windows-1251",
     "SRV-WIRE-MALFORMED-PARAM", "ADDGROUP"),
    (b"ADDGROUP {prefix}-bad\x98 x\r\n", "byte 0x98 raw", "SRV-WIRE-MALFORMED-PARAM",
     "ADDGROUP"),
    (b"PING\n", "a bare LF", "SRV-WIRE-MALFORMED-PARAM", "PING"),
    (b"ADDGROUP {prefix}-bad\rx x\r\n", "a bare CR", "SRV-WIRE-MALFORMED-PARAM", None),
)


@SUITE.case("SRV-WIRE-BADSYNTAX", "SRV-WIRE-MALFORMED-PARAM", "SRV-WIRE-BADSYNTAX-WORD",
            "SRV-WIRE-SESSION-CONTINUES")
def malformed_lines(ctx: CaseContext, env: ServerEnv) -> None:
    """Each malformed line gets one ERR_BADSYNTAX (with the line's word when readable,
    else ERROR) and creates nothing; a PING right after still works."""
    admin = env.admin
    for template, what, clause, word in MALFORMED:
        data = template.replace(b"{prefix}", env.prefix.encode("ascii"))
        reply = admin.send_raw(data, "ERROR")
        env.janitor.created(reply, "DELGROUP")
        ctx.check(clause, reply.code == "ERR_BADSYNTAX",
                  f"{what} ({data!r}) must be answered ERR_BADSYNTAX, got {reply.describe()}")
        if reply.code and word is not None:
            got = reply.lines[-1].word
            ctx.check("SRV-WIRE-BADSYNTAX-WORD", got == word,
                      f"the reply to {what} ({data!r}) should carry the word {word}, got "
                      f"{reply.describe()}")
        expect_ok(ctx, "SRV-WIRE-SESSION-CONTINUES", admin.request("PING"),
                  f"PING after {what}")
    stored = [row[1] for row in admin.request("GETGROUPS").rows
              if len(row) > 1 and row[1].startswith(f"{env.prefix}-bad")]
    ctx.check("SRV-WIRE-MALFORMED-PARAM", not stored,
              f"malformed ADDGROUP lines must create nothing, groups stored: {stored!r}")


ESCAPED_TEXT, TRAILING_TEXT = "one escaped parameter", "unescaped trailing text"


def _error_text(ctx: CaseContext, reply: Reply, what: str) -> None:
    """The error line carries a non-empty text; record how it is written (ruling 3)."""
    line = reply.lines[-1] if reply.lines else None
    text = line.error_text if line is not None and line.is_error else ""
    ctx.check("SRV-REPLY-ERROR-TEXT", bool(text.strip()),
              f"{what}: the error reply must carry a text after the code, got "
              f"{reply.describe()}")
    if line is not None and line.is_error:
        ctx.accept_any("SRV-REPLY-ERROR-TEXT",
                       ESCAPED_TEXT if len(line.params) == 2 else TRAILING_TEXT,
                       (ESCAPED_TEXT, TRAILING_TEXT), f"{what}: how the error text is written")


@SUITE.case("SRV-WIRE-UNKNOWN-COMMAND", "SRV-REPLY-ERROR-TEXT")
def unknown_command(ctx: CaseContext, env: ServerEnv) -> None:
    """An unknown word is answered WORD ERR_BADSYNTAX with a text; so are the
    command errors of appendix B (an unknown task, an unknown group)."""
    reply = env.admin.request("FROBNICATE", "x")
    expect_error(ctx, "SRV-WIRE-UNKNOWN-COMMAND", reply, "ERR_BADSYNTAX", "FROBNICATE x")
    _error_text(ctx, reply, "FROBNICATE x")
    missing = unused_id(env.admin.request("GETTASKS"), env.admin.request("GETGROUPS"))
    for word in ("GETTASK", "DELGROUP"):
        _error_text(ctx, env.admin.request(word, missing), f"{word} {missing} (unknown)")


@SUITE.case("SRV-ERR-BADARGUMENT-COUNT")
def wrong_argument_count(ctx: CaseContext, env: ServerEnv) -> None:
    """Too few and too many parameters are answered ERR_BADARGUMENT_COUNT (one past the
    optional ones of GETGROUPS and GETABONENTS too)."""
    for word, params in (("GETTASK", ()), ("GETTASK", ("1", "2")), ("DELGROUP", ()),
                         ("ADDGROUP", (env.name("group"),)), ("GETLISTS", ("1",)),
                         ("GETGROUPS", ("1", "2")), ("GETABONENTS", ("1", "2", "3")),
                         ("STARTTASK", ("1",))):
        reply = env.admin.request(word, *params)
        if word == "ADDGROUP":
            env.janitor.created(reply, "DELGROUP")
        expect_error(ctx, "SRV-ERR-BADARGUMENT-COUNT", reply, "ERR_BADARGUMENT_COUNT",
                     f"{word} with {len(params)} parameters")


WRONG_COUNT_BEFORE_LOGIN = (("GETTASK", ()), ("GETLISTS", ("1",)), ("DELGROUP", ("1", "2")))


@SUITE.case("SRV-ERR-NOACCESS-BEFORE-LOGIN", "SRV-PING")
def access_before_login(ctx: CaseContext, env: ServerEnv) -> None:
    """Before LOGIN every command of the suite's table (reads, changes, administration,
    the first line of each multi-line request, and some with a wrong parameter count)
    answers ERR_NOACCESS (a project command the server lacks may answer ERR_BADSYNTAX);
    PING is never refused so and answers PING OK, before and after LOGIN."""
    connection = env.connect("not logged in")
    table = (*READS, *COMMANDS, *MULTILINE_HEADS)
    for command in table:
        name = env.name("early")
        reply = connection.request(command.word, *command.request(name))
        if command.undo == "USERDEL" and reply.ok:
            env.janitor.later("USERDEL", name)
        elif command.undo is not None:
            env.janitor.created(reply, command.undo)
        allowed = ("ERR_NOACCESS", "ERR_BADSYNTAX") if command.project else "ERR_NOACCESS"
        expect_error(ctx, "SRV-ERR-NOACCESS-BEFORE-LOGIN", reply, allowed,
                     f"{command.word} before LOGIN")
    for word, params in WRONG_COUNT_BEFORE_LOGIN:
        expect_error(ctx, "SRV-ERR-NOACCESS-BEFORE-LOGIN", connection.request(word, *params),
                     "ERR_NOACCESS", f"{word} with {len(params)} parameters before LOGIN")
    ping = connection.request("PING")
    ctx.check("SRV-ERR-NOACCESS-BEFORE-LOGIN", ping.code != "ERR_NOACCESS",
              f"PING must not be refused ERR_NOACCESS before LOGIN (ruling 8), got "
              f"{ping.describe()}")
    expect_ok(ctx, "SRV-PING", ping, "PING before LOGIN", count=0)
    expect_ok(ctx, "SRV-PING", env.admin.request("PING"), "PING after LOGIN", count=0)


@SUITE.case("SRV-REPLY-WORD", "SRV-LISTING-SHAPE")
def reply_shapes(ctx: CaseContext, env: ServerEnv) -> None:
    """Replies start with the request's word; GETGROUPS, GETLISTS and GETABONENTS are
    BEGIN (no parameters) / DATA / END."""
    gid = steps.group(env)
    steps.abonent(env, gid, phones=[("1", "+79001234567", "0")])
    steps.dlist(env)
    for word, row_len, extra in (("GETGROUPS", 3, ()), ("GETLISTS", 3, ()),
                                 ("GETABONENTS", 16, ("PHONE", "EMAIL"))):
        reply = env.admin.request(word)
        ctx.check("SRV-REPLY-WORD", bool(reply.lines) and reply.lines[0].word == word,
                  f"{word}: the reply must start with {word}, got {reply.describe()}")
        expect_listing(ctx, "SRV-LISTING-SHAPE", reply, word, row_len=row_len, extra=extra)
    reply = env.admin.request("GETTASK", "0")
    ctx.check("SRV-REPLY-WORD", bool(reply.lines) and reply.lines[0].word == "GETTASK",
              f"GETTASK 0: the reply must start with GETTASK, got {reply.describe()}")
