"""Checks and observations shared by the Oktell cases.

:func:`xml_reply` reads an XML answer with the suite's own reader (wire.py) and
checks the encoding statements (ruling 1) for a document whose example declares
``expected`` (utf-16 or utf-8); cases using it declare :data:`XML_UTF16` or
:data:`XML_UTF8`. :func:`mapper_set` finds the one property_set of an
oktellxmlmapper's data. The ``observe_*`` helpers read state (a user's state, a
line's state) without checking anything: a case compares what it sees with
what the spec says must follow from what it did, under its own clauses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.wire import WireProblem, XmlReply, read_json, read_xml

XML_COMMON = ("OKT-XML-AGREES", "OKT-XML-WELLFORMED", "OKT-XML-UTF8-NO-BOM")
XML_UTF16 = (*XML_COMMON, "OKT-XML-UTF16")
XML_UTF8 = (*XML_COMMON, "OKT-XML-UTF8-GROUP")


def xml_reply(
    ctx: CaseContext, response: httpx.Response, expected: str | None, what: str
) -> XmlReply:
    """The answer's document; encoding checks per ruling 1 (``expected`` None: no example)."""
    try:
        reply = read_xml(response.content)
    except WireProblem as problem:
        clause = "OKT-XML-AGREES" if problem.kind == "agrees" else "OKT-XML-WELLFORMED"
        ctx.fail(clause, f"{what}: {problem}")
        raise AssertionError("unreachable: a failed MUST stops the case") from None
    ctx.check("OKT-XML-AGREES", True, f"{what}: {reply.actual} bytes declaring {reply.declared}")
    ctx.check("OKT-XML-WELLFORMED", True, f"{what}: a well-formed document")
    if expected == "utf-16":
        ctx.check(
            "OKT-XML-UTF16",
            reply.actual == "utf-16",
            f"{what}: the example declares utf-16; got {reply.actual} (the accepted alternative)"
            if reply.actual != "utf-16"
            else f"{what}: UTF-16 with a BOM",
        )
    elif expected == "utf-8":
        ctx.check(
            "OKT-XML-UTF8-GROUP",
            reply.actual == "utf-8" and reply.declared == "utf-8",
            f"{what}: the example declares utf-8; got {reply.actual} declaring {reply.declared}",
        )
    if reply.actual == "utf-8":
        ctx.check(
            "OKT-XML-UTF8-NO-BOM",
            not reply.bom,
            f"{what}: a UTF-8 document {'with' if reply.bom else 'without'} a BOM",
        )
    return reply


def mapper_set(
    ctx: CaseContext, clause: str, reply: XmlReply, data_name: str, set_name: str
) -> ET.Element:
    """The one ``property_set name=set_name`` of ``data name=data_name`` (checked)."""
    root = reply.root
    ctx.check(
        clause,
        root.tag == "oktellxmlmapper" and bool(root.get("version")),
        f"root <{root.tag} version={root.get('version')!r}>: expected <oktellxmlmapper "
        "version=...>",
    )
    datas = [d for d in root if d.tag == "data" and d.get("name") == data_name]
    ctx.check(
        clause, len(datas) == 1, f"expected one <data name={data_name!r}>, found {len(datas)}"
    )
    sets = [s for s in datas[0] if s.tag == "property_set"]
    ctx.check(
        clause,
        datas[0].get("count") == str(len(sets)) == "1",
        f"<data count={datas[0].get('count')!r}> holding {len(sets)} property_set: "
        'expected count="1" and one',
    )
    ctx.check(
        clause,
        sets[0].get("name") == set_name,
        f"property_set name={sets[0].get('name')!r}, expected {set_name!r}",
    )
    return sets[0]


def properties(element: ET.Element) -> dict[str, ET.Element]:
    return {p.get("key", ""): p for p in element if p.tag == "property_simple"}


def observe_user_state(env: OktellEnv) -> tuple[int | None, str | None]:
    """--user's state value and name from tst_getuserstate; (None, None) if unreadable."""
    response = env.pbx.get("tst_getuserstate", [("iduser", env.user)])
    try:
        root = read_xml(response.content).root
    except WireProblem:
        return None, None
    for prop in root.iter("property_simple"):
        if prop.get("key") == "state":
            value = prop.get("value") or ""
            return (int(value) if value.isdigit() else None), prop.get("name")
    return None, None


def observe_line(env: OktellEnv) -> dict[str, object]:
    """--line's wp_getabonentinfo as a JSON object ({} if unreadable)."""
    response = env.pbx.get("wp_getabonentinfo", [("line", env.line)])
    try:
        data = read_json(response.content)
    except WireProblem:
        return {}
    return data if isinstance(data, dict) else {}


def set_user_state(env: OktellEnv, *pairs: tuple[str, str]) -> httpx.Response:
    return env.pbx.get("wp_setuserstate", [("user", env.user), *pairs])


def require_free_user(ctx: CaseContext, env: OktellEnv) -> None:
    """The state cases start from a free user on an idle line."""
    value, _ = observe_user_state(env)
    if value != 1:
        ctx.unsupported(
            f"--user {env.user} is not free (state {value}); the user-state "
            "cases start from a free user"
        )
