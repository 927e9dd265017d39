"""Checks the GSM cases share, each attributed to the clause the caller names.

``expect_ok``: the final result is OK. ``expect_error``: an error result
(ERROR, +CME/+CMS ERROR, Huawei's COMMAND NOT SUPPORT), never OK.
``expect_line``: an information line with the command's prefix whose value
matches a pattern; returns the match for further checks. ``clean_answer``:
no unsolicited code inside the answer. Messages quote what the modem said.
"""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.client import Response

INSIDE_CLAUSE = "GSM-27007-URC-OUTSIDE-ANSWERS"


def expect_ok(ctx: CaseContext, clause: str, response: Response, what: str) -> bool:
    return ctx.check(clause, response.ok,
                     f"{what}: expected OK, got {response.describe()!r}")


def expect_error(ctx: CaseContext, clause: str, response: Response, what: str) -> bool:
    return ctx.check(clause, response.error,
                     f"{what}: expected an error result, got {response.describe()!r}")


def spaced(response: Response, prefix: str) -> bool:
    """Every ``prefix`` line is ``<prefix> <values>``: one space after the colon
    (27.007 §4.2), as drivers parse it."""
    found = [line for line in response.lines if line.startswith(prefix)]
    return all(line.startswith(prefix + " ") and line[len(prefix) + 1:][:1] != " "
               for line in found)


def expect_line(ctx: CaseContext, clause: str, response: Response, prefix: str,
                pattern: str, what: str) -> re.Match[str] | None:
    """The first ``prefix`` line is ``<prefix> <value>`` with the value fully matching
    ``pattern``, and OK follows."""
    value = response.first(prefix)
    found = re.fullmatch(pattern, value) if value is not None else None
    ctx.check(clause, found is not None and response.ok and spaced(response, prefix),
              f"{what}: expected '{prefix} ' and a value matching {pattern!r}, then OK; got "
              f"{response.describe()!r}")
    return found


def clean_answer(ctx: CaseContext, response: Response, clause: str = INSIDE_CLAUSE) -> bool:
    return ctx.check(clause, not response.inside,
                     f"{response.command}: unsolicited {response.inside!r} arrived inside the "
                     f"answer ({response.describe()!r})")
