"""Checks shared by the server cases, each attributed to the clause the caller
names: an OK reply, a listing, an error code (or one of several a ruling
accepts), and the capability gate for project commands (only ERR_BADSYNTAX
means "not implemented"; ERR_INTERNAL is a failure of the server, never that).
"""

from __future__ import annotations

from collections.abc import Collection

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server.client import Reply

NOT_IMPLEMENTED = "ERR_BADSYNTAX"
INTERNAL = "ERR_INTERNAL"


class ServerFailedInternally(Exception):
    """A well-formed request was answered ``ERR_INTERNAL`` (Nabat's reply to a bug in
    a handler): the case ends in error. It is never read as "unsupported"."""


def refuse_internal(reply: Reply, word: str) -> None:
    """Raise ``ServerFailedInternally`` when ``reply`` is an internal failure."""
    if reply.code == INTERNAL:
        text = reply.lines[-1].error_text if reply.lines else ""
        raise ServerFailedInternally(f"{word} answered {INTERNAL} {text}".strip())


def lacks(reply: Reply, word: str) -> bool:
    """True when the server does not implement ``word`` (``ERR_BADSYNTAX`` to a
    well-formed request); an internal failure raises instead of counting as that."""
    refuse_internal(reply, word)
    return reply.code == NOT_IMPLEMENTED


def gate(ctx: CaseContext, reply: Reply, word: str) -> None:
    """A well-formed request for a project command answered ERR_BADSYNTAX means
    the server lacks that command: the case is unsupported, not failed. Only that
    code gates: ``ERR_INTERNAL`` ends the case in error, and any other reply goes
    on to the case's checks, which fail what the spec does not document."""
    if lacks(reply, word):
        text = reply.lines[-1].error_text if reply.lines else ""
        ctx.unsupported(f"the server does not implement {word} ({NOT_IMPLEMENTED} {text})".strip())


def expect_ok(ctx: CaseContext, clause: str, reply: Reply, what: str,
              word: str | None = None, count: int | None = None) -> bool:
    """``WORD OK ...`` (with ``count`` parameters after OK, when given)."""
    expected = word or reply.word
    first = reply.first
    good = first is not None and first.word == expected and first.status == "OK"
    if good and count is not None:
        good = len(reply.args) == count
    shape = f"{expected} OK" + (f" with {count} parameters" if count is not None else "")
    return ctx.check(clause, good, f"{what}: expected {shape}, got {reply.describe()}")


def expect_listing(ctx: CaseContext, clause: str, reply: Reply, what: str,
                   begin_params: int | None = 0, row_len: int | None = None,
                   extra: Collection[str] = ()) -> bool:
    """``WORD BEGIN``, ``WORD DATA`` rows (and ``extra`` statuses), ``WORD END``."""
    word = reply.word
    lines = reply.lines
    problems: list[str] = []
    if not lines or lines[0].status != "BEGIN":
        problems.append("does not start with BEGIN")
    elif begin_params is not None and len(lines[0].args) != begin_params:
        problems.append(f"BEGIN carries {len(lines[0].args)} parameters, not {begin_params}")
    if not reply.ended:
        problems.append("does not end with END")
    for line in lines:
        if line.word != word:
            problems.append(f"line word {line.word!r} is not {word}")
            break
    for line in lines[1:-1]:
        if line.status != "DATA" and line.status not in extra:
            problems.append(f"unexpected {line.status!r} line inside the listing")
            break
        if line.status == "DATA" and row_len is not None and len(line.args) != row_len:
            problems.append(f"a DATA row has {len(line.args)} fields, not {row_len}")
            break
    message = f"{what}: " + ("; ".join(problems) if problems else "well-formed listing")
    return ctx.check(clause, not problems, f"{message} ({reply.describe()})")


def expect_error(ctx: CaseContext, clause: str, reply: Reply, codes: str | Collection[str],
                 what: str, word: str | None = None) -> bool:
    """``WORD ERR_CODE`` where the code is one of ``codes`` (ruling 7 variants)."""
    allowed = (codes,) if isinstance(codes, str) else tuple(codes)
    expected_word = word or reply.word
    observed = reply.code or (reply.status or "(no reply)")
    if reply.first is not None and reply.first.word != expected_word:
        observed = f"{reply.first.word} {observed}"
    return ctx.accept_any(
        clause, observed, allowed,
        f"{what}: expected {expected_word} {' or '.join(allowed)}, got {reply.describe()}",
    )


def rows_by_id(reply: Reply) -> dict[str, tuple[str, ...]]:
    return {row[0]: row for row in reply.rows if row}


def unused_id(*replies: Reply) -> str:
    """An id no row of the listings uses (well above the highest)."""
    ids = [int(row[0]) for reply in replies for row in reply.rows
           if row and row[0].isdigit()]
    return str(min(max(ids, default=0) + 100_000, 2_147_483_000))
