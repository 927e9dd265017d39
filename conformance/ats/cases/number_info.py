"""Cases for numberInfo: the JSON shape of a known number, 404 {"data": null}
for an unknown one, and the bits of a missing or non-numeric ``n``."""

from __future__ import annotations

import json
import re
from typing import Any

from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status
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
    ctx.check("ATS-INFO-TYPES", str(data["id_src"]) == env.op_a.id_src,
              f"id_src should be operator A's {env.op_a.id_src}, got {data['id_src']!r}")
    for name in ("id_uvr_p", "id_uvr_s"):
        ctx.check("ATS-INFO-TYPES", data[name] is None or type(data[name]) is int,
                  f"{name} should be an integer or null, got {data[name]!r}")
    for name in ("INN", "IP_UVR_P_P", "IP_UVR_P_S", "IP_UVR_S_P", "IP_UVR_S_S"):
        ctx.check("ATS-INFO-TYPES", data[name] is None or isinstance(data[name], str),
                  f"{name} should be a string or null, got {data[name]!r}")


@SUITE.case("ATS-INFO-404-NULL", needs={"numberinfo"})
def number_info_unknown_is_404_null(ctx: CaseContext, env: AtsEnv) -> None:
    """numberInfo of a number in no range is 404 with {"data": null}."""
    number = env.settings.unknown_number
    response = env.a.number_info([("n", number)])
    expect_status(ctx, "ATS-INFO-404-NULL", response, 404, f"numberInfo n={number}")
    ctx.check("ATS-INFO-404-NULL", _json(response.text) == {"data": None},
              f"numberInfo n={number}: body must be {{\"data\": null}}, "
              f"got {response.text[:200]!r}")


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
