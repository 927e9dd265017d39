"""Cases for numberInfo: the JSON shape and types of a known number (the
numbers at both ends of each operator's range too), any client may ask, 404
{"data": null} for an unknown one, the bits of a missing or non-numeric ``n``,
and POST only."""

from __future__ import annotations

import json
import re
from typing import Any

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status
from nabat.conformance.ats.plan import Operator
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    PARAM_A_NOT_FOUND,
    PARAM_A_NOT_INT,
    describe_bits,
    read_error_headers,
)
from nabat.conformance.framework.context import CaseContext

FIELDS = ("created", "number", "id_uvr_p", "id_uvr_s", "id_src", "INN",
          "IP_UVR_P_P", "IP_UVR_P_S", "IP_UVR_S_P", "IP_UVR_S_S")
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _is_json_type(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "application/json"


@SUITE.case("ATS-INFO-200-SHAPE", "ATS-INFO-TYPES", "ATS-INFO-JSON-CONTENT-TYPE",
            needs={"numberinfo"})
def number_info_fields(ctx: CaseContext, env: AtsEnv) -> None:
    """numberInfo of one of operator A's numbers returns every documented field."""
    number = env.number_a()
    response = env.a.number_info([("n", number)])
    expect_status(ctx, "ATS-INFO-200-SHAPE", response, 200, f"numberInfo n={number}")
    body = _json(response.text)
    data = body.get("data") if isinstance(body, dict) else None
    ctx.check("ATS-INFO-200-SHAPE", isinstance(data, dict),
              f"numberInfo: body must be {{\"data\": {{...}}}}, got {response.text[:200]!r}")
    assert isinstance(data, dict)
    missing = [name for name in FIELDS if name not in data]
    ctx.check("ATS-INFO-200-SHAPE", not missing, f"numberInfo: fields missing: {missing}")
    value = data["number"]
    ctx.check("ATS-INFO-200-SHAPE",
              isinstance(value, int) and not isinstance(value, bool) and value == int(number),
              f"numberInfo: number must be the JSON integer {number}, got {value!r}")
    content_type = response.headers.get("Content-Type")
    ctx.check("ATS-INFO-JSON-CONTENT-TYPE", _is_json_type(content_type),
              f"Content-Type should be application/json, got {content_type!r}")
    created = data["created"]
    ctx.check("ATS-INFO-TYPES", isinstance(created, str) and bool(_CREATED.match(created)),
              f"created should be 'YYYY-MM-DD HH:MM:SS', got {created!r}")
    ctx.check("ATS-INFO-TYPES", _is_id_of(data["id_src"], env.op_a),
              f"id_src should be operator A's {env.op_a.id_src}"
              + (" as a JSON integer" if env.op_a.id_src.isdigit() else "")
              + f", got {data['id_src']!r}")
    for name in ("id_uvr_p", "id_uvr_s"):
        ctx.check("ATS-INFO-TYPES", data[name] is None or type(data[name]) is int,
                  f"{name} should be an integer or null, got {data[name]!r}")
    for name in ("INN", "IP_UVR_P_P", "IP_UVR_P_S", "IP_UVR_S_P", "IP_UVR_S_S"):
        ctx.check("ATS-INFO-TYPES", data[name] is None or isinstance(data[name], str),
                  f"{name} should be a string or null, got {data[name]!r}")


@SUITE.case("ATS-INFO-404-NULL", "ATS-INFO-JSON-CONTENT-TYPE", needs={"numberinfo"})
def number_info_unknown_is_404_null(ctx: CaseContext, env: AtsEnv) -> None:
    """numberInfo of a number in no range is 404 with the JSON body {"data": null}."""
    number = env.settings.unknown_number
    response = env.a.number_info([("n", number)])
    expect_status(ctx, "ATS-INFO-404-NULL", response, 404, f"numberInfo n={number}")
    ctx.check("ATS-INFO-404-NULL", _json(response.text) == {"data": None},
              f"numberInfo n={number}: body must be {{\"data\": null}}, "
              f"got {response.text[:200]!r}")
    content_type = response.headers.get("Content-Type")
    ctx.check("ATS-INFO-JSON-CONTENT-TYPE", _is_json_type(content_type),
              f"404: Content-Type should be application/json, got {content_type!r}")


def _is_id_of(value: Any, operator: Operator) -> bool:
    """``value`` is the operator's id_src: a JSON integer when the id is numeric (as in
    the spec's example), else the string."""
    if operator.id_src.isdigit():
        return type(value) is int and bool(value == int(operator.id_src))
    return isinstance(value, str) and value == operator.id_src


def _data(ctx: CaseContext, clause: str, response: Any, what: str) -> dict[str, Any] | None:
    """The "data" object of a 200 answer, or None (the failed check recorded)."""
    if not expect_status(ctx, clause, response, 200, what):
        return None
    body = _json(response.text)
    data = body.get("data") if isinstance(body, dict) else None
    ctx.check(clause, isinstance(data, dict),
              f"{what}: body must be {{\"data\": {{...}}}}, got {response.text[:200]!r}")
    return data if isinstance(data, dict) else None


@SUITE.case("ATS-PLAN-RANGE-EDGES", needs={"numberinfo"})
def number_info_range_edges(ctx: CaseContext, env: AtsEnv) -> None:
    """numberInfo of the first and the last number of each operator's range is 200 and
    names that operator (its id_src, whoever asks) and that number."""
    for operator, client, who in ((env.op_a, env.a, "A"), (env.op_b, env.b, "B"),
                                  (env.op_b, env.a, "A")):
        for edge in (operator.first, operator.last):
            what = (f"numberInfo n={edge} (an end of operator {operator.name}'s range) "
                    f"asked by operator {who}")
            data = _data(ctx, "ATS-PLAN-RANGE-EDGES", client.number_info([("n", str(edge))]),
                         what)
            if data is None:
                continue
            ctx.check("ATS-PLAN-RANGE-EDGES",
                      str(data.get("id_src")) == operator.id_src and data.get("number") == edge,
                      f"{what}: expected number {edge} and id_src {operator.id_src}, got "
                      f"number {data.get('number')!r} and id_src {data.get('id_src')!r}")


@SUITE.case("ATS-INFO-ANY-CLIENT", needs={"numberinfo"})
def number_info_any_client(ctx: CaseContext, env: AtsEnv) -> None:
    """Operator B and an address of no operator may ask about operator A's number: 200,
    naming operator A."""
    number = env.number_a()
    for client, who in ((env.b, "operator B"), (env.stranger, env.settings.unknown_ip)):
        what = f"numberInfo n={number} (operator A's) from {who}"
        data = _data(ctx, "ATS-INFO-ANY-CLIENT", client.number_info([("n", number)]), what)
        if data is not None:
            ctx.check("ATS-INFO-ANY-CLIENT", str(data.get("id_src")) == env.op_a.id_src,
                      f"{what}: id_src should be {env.op_a.id_src}, got {data.get('id_src')!r}")


@SUITE.case("ATS-WIRE-405-WRONG-METHOD", "ATS-WIRE-405-ALLOW", needs={"numberinfo"})
def number_info_is_post_only(ctx: CaseContext, env: AtsEnv) -> None:
    """GET /numberInfo is 405 with an Allow header listing POST (only help and ping allow
    GET)."""
    response = env.a.send("GET", "/numberInfo")
    expect_status(ctx, "ATS-WIRE-405-WRONG-METHOD", response, 405, "GET /numberInfo")
    allow = response.headers.get("Allow", "")
    ctx.check("ATS-WIRE-405-ALLOW", "POST" in allow.upper(),
              f"GET /numberInfo: Allow should list POST, got {allow!r}")


@SUITE.case("ATS-INFO-400-BITS", needs={"numberinfo"})
def number_info_bad_n(ctx: CaseContext, env: AtsEnv) -> None:
    """numberInfo without n, or with a non-numeric n, is 400 with the a-parameter bits."""
    for params, bit, what in (([], PARAM_A_NOT_FOUND, "numberInfo without n"),
                              ([("n", "7900abc")], PARAM_A_NOT_INT, "numberInfo n=7900abc")):
        response = env.a.number_info(params)
        expect_status(ctx, "ATS-INFO-400-BITS", response, 400, what)
        bits = read_error_headers(response.headers).bits or 0
        ctx.check("ATS-INFO-400-BITS", bits & bit == bit,
                  f"{what}: expected {describe_bits(bit)}, got {describe_bits(bits)}")
