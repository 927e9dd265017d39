"""Read-only directory commands: tst_getuserstate, tst_getintnumberreadyusers and who a
wp_* command acts for (wp_getabonentinfo with line=, user= as a login and as a GUID)."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import (
    XML_UTF8,
    XML_UTF16,
    mapper_set,
    properties,
    xml_reply,
)
from nabat.conformance.oktell.suite import SUITE
from nabat.conformance.oktell.wire import WireProblem, json_type, read_json

GUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)


def _need(ctx: CaseContext, value: str | None, option: str) -> str:
    if value is None:
        ctx.unsupported(f"no {option}")
    return value


@SUITE.case("OKT-USERSTATE-SHAPE", "OKT-USERSTATE-READY", "OKT-USERSTATE-ID-LOWER", *XML_UTF16)
def user_state_shape(ctx: CaseContext, env: OktellEnv) -> None:
    """tst_getuserstate?iduser=USER: the example's oktellxmlmapper, the id a GUID (lower
    case), the state a number with its name (1 usReady)."""
    user = _need(ctx, env.settings.user, "--user")
    response = env.pbx.get("tst_getuserstate", [("iduser", user)])
    ctx.check(
        "OKT-USERSTATE-SHAPE",
        response.status_code == 200,
        f"expected 200, got {response.status_code}",
    )
    reply = xml_reply(ctx, response, "utf-16", "tst_getuserstate")
    found = mapper_set(ctx, "OKT-USERSTATE-SHAPE", reply, "userstate", "user")
    props = properties(found)
    ident, state = props.get("id"), props.get("state")
    guid = found.get("id") or ""
    ctx.check(
        "OKT-USERSTATE-SHAPE",
        bool(GUID.match(guid)) and ident is not None and ident.get("value") == guid,
        f"property_set id={guid!r} with property id value="
        f"{None if ident is None else ident.get('value')!r}: expected the same GUID",
    )
    value = "" if state is None else state.get("value") or ""
    ctx.check(
        "OKT-USERSTATE-SHAPE",
        state is not None and value.isdigit() and bool(state.get("name")),
        f"property state value={value!r} name="
        f"{None if state is None else state.get('name')!r}: expected a number and a name",
    )
    assert state is not None
    ctx.check("OKT-USERSTATE-ID-LOWER", guid == guid.lower(), f"the GUID {guid!r} in lower case")
    if value == "1":
        ctx.check(
            "OKT-USERSTATE-READY",
            state.get("name") == "usReady",
            f"state 1 is named {state.get('name')!r}, the spec's usReady",
        )
    else:
        ctx.note(f"the user is in state {value}, not 1: usReady not seen")
        ctx.check(
            "OKT-USERSTATE-READY",
            state.get("name") != "usReady",
            f"state {value} is named usReady, the name of state 1",
        )


@SUITE.case("OKT-READY-SHAPE", "OKT-READY-COUNT", *XML_UTF8)
def ready_users(ctx: CaseContext, env: OktellEnv) -> None:
    """tst_getintnumberreadyusers?number=LINE: group name ready busy with one element per
    free user; ready counts the elements."""
    line = _need(ctx, env.settings.line, "--line")
    response = env.pbx.get("tst_getintnumberreadyusers", [("number", line)])
    ctx.check(
        "OKT-READY-SHAPE", response.status_code == 200, f"expected 200, got {response.status_code}"
    )
    root = xml_reply(ctx, response, "utf-8", "tst_getintnumberreadyusers").root
    ready, busy = root.get("ready") or "", root.get("busy") or ""
    elements = [e for e in root if e.tag == "element"]
    ctx.check(
        "OKT-READY-SHAPE",
        root.tag == "group"
        and root.get("name") == line
        and ready.isdigit()
        and busy.isdigit()
        and all(e.get("name") for e in elements)
        and len(elements) == len(root),
        f"<{root.tag} name={root.get('name')!r} ready={ready!r} busy={busy!r}> with "
        f"{len(root)} children: expected <group name={line!r}> with whole counts and "
        "<element name=...> children",
    )
    ctx.check(
        "OKT-READY-COUNT",
        int(ready) == len(elements),
        f"ready={ready} but {len(elements)} free users listed",
    )


@SUITE.case("OKT-WP-ACTOR", "OKT-ABON-JSON")
def acting_party(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_getabonentinfo for the same line named by line=, user=LOGIN and user=GUID: the
    same answer, JSON with currentlinestatestr and currentlinestate."""
    line = _need(ctx, env.settings.line, "--line")
    user = _need(ctx, env.settings.user, "--user")
    state = env.pbx.get("tst_getuserstate", [("iduser", user)]).content
    guid = next(
        iter(
            re.findall(
                rb"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}",
                state.decode("utf-16", "replace").encode(),
            )
        ),
        b"",
    ).decode()
    seen: list[object] = []
    for name, value in (("line", line), ("user", user), ("user", guid or user)):
        response = env.pbx.get("wp_getabonentinfo", [(name, value)])
        try:
            data = read_json(response.content)
        except WireProblem as problem:
            data = None
            ctx.fail("OKT-ABON-JSON", f"wp_getabonentinfo {name}={value}: {problem}")
        ctx.check(
            "OKT-WP-ACTOR",
            response.status_code == 200,
            f"wp_getabonentinfo {name}={value}: expected 200, got {response.status_code}",
        )
        if not isinstance(data, dict):
            ctx.fail("OKT-ABON-JSON", f"wp_getabonentinfo {name}={value}: not a JSON object")
            return
        ctx.check(
            "OKT-ABON-JSON",
            json_type(data.get("currentlinestatestr")) == "string"
            and json_type(data.get("currentlinestate")) == "integer",
            f"currentlinestatestr {data.get('currentlinestatestr')!r}, currentlinestate "
            f"{data.get('currentlinestate')!r}: expected a string and an integer",
        )
        seen.append((data.get("currentlinestate"), data.get("currentlinestatestr")))
    ctx.check(
        "OKT-WP-ACTOR",
        len(set(map(str, seen))) == 1,
        f"line=, user=LOGIN and user=GUID should name the same line: {seen}",
    )
