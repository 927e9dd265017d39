"""getlicenseinfo (regserial: 7 digits, the dates dd.MM.yyyy), getlicensefulltext,
getlicensefullxml and the spec's example URL for getlicenseinfo."""

from __future__ import annotations

import re
from datetime import datetime

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import xml_reply
from nabat.conformance.oktell.suite import SUITE
from nabat.conformance.oktell.wire import DATE

SEVEN_DIGITS = re.compile(r"^[0-9]{7}$")


def _detail(env: OktellEnv, name: str, command: str = "getlicenseinfo") -> tuple[int, str]:
    response = env.pbx.get(command, [("detail", name)])
    return response.status_code, response.content.decode("utf-8", "replace").strip()


def _real_date(text: str) -> bool:
    if not DATE.match(text):
        return False
    try:
        datetime.strptime(text, "%d.%m.%Y")
    except ValueError:
        return False
    return True


@SUITE.case("OKT-LIC-REGSERIAL", "OKT-LIC-CONFIRMDATE", "OKT-LIC-UPDATELIMIT")
def licence_details(ctx: CaseContext, env: OktellEnv) -> None:
    """detail=regserial is 7 digits; confirmdate and updatelimitdate are dd.MM.yyyy dates."""
    status, serial = _detail(env, "regserial")
    ctx.check(
        "OKT-LIC-REGSERIAL",
        status == 200 and bool(SEVEN_DIGITS.match(serial)),
        f"regserial: expected 200 and 7 digits, got {status} {serial[:40]!r}",
    )
    for name, clause in (
        ("confirmdate", "OKT-LIC-CONFIRMDATE"),
        ("updatelimitdate", "OKT-LIC-UPDATELIMIT"),
    ):
        status, text = _detail(env, name)
        ctx.check(
            clause,
            status == 200 and _real_date(text),
            f"{name}: expected 200 and a real dd.MM.yyyy date, got {status} {text[:40]!r}",
        )


@SUITE.case("OKT-LIC-FULLTEXT")
def licence_full_text(ctx: CaseContext, env: OktellEnv) -> None:
    """getlicensefulltext: text naming the registration number."""
    _, serial = _detail(env, "regserial")
    response = env.pbx.get("getlicensefulltext")
    text = response.content.decode("utf-8", "replace")
    ctx.check(
        "OKT-LIC-FULLTEXT",
        response.status_code == 200 and serial in text,
        f"expected 200 and a text naming {serial!r}, got {response.status_code} {text[:80]!r}",
    )


@SUITE.case("OKT-LIC-FULLXML", "OKT-XML-AGREES", "OKT-XML-WELLFORMED", "OKT-XML-UTF8-NO-BOM")
def licence_full_xml(ctx: CaseContext, env: OktellEnv) -> None:
    """getlicensefullxml: a well-formed XML document naming the registration number."""
    _, serial = _detail(env, "regserial")
    response = env.pbx.get("getlicensefullxml")
    ctx.check(
        "OKT-LIC-FULLXML", response.status_code == 200, f"expected 200, got {response.status_code}"
    )
    reply = xml_reply(ctx, response, None, "getlicensefullxml")
    texts = [v for e in reply.root.iter() for v in (*e.attrib.values(), e.text or "")]
    ctx.check(
        "OKT-LIC-FULLXML",
        any(serial in t for t in texts),
        f"the certificate names no registration number {serial!r}",
    )


@SUITE.case("OKT-LIC-EXAMPLE-URL")
def licence_example_url(ctx: CaseContext, env: OktellEnv) -> None:
    """The spec's example getlicensefullxml?detail=regserial answers the number."""
    _, serial = _detail(env, "regserial")
    status, text = _detail(env, "regserial", "getlicensefullxml")
    ctx.check(
        "OKT-LIC-EXAMPLE-URL",
        status == 200 and text == serial,
        f"expected {serial!r}, got {status} {text[:60]!r}",
    )
