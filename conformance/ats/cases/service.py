"""Cases for the service methods: help, ping, wrong HTTP methods (405) and
paths the API does not have (404)."""

from __future__ import annotations

import httpx
from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.checks import expect_status
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.framework.context import CaseContext

MARKDOWN_TYPES = ("text/markdown", "text/x-markdown", "text/plain")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


@SUITE.case("ATS-HELP-200", "ATS-HELP-NO-CONTENT-DISPOSITION", "ATS-HELP-MARKDOWN-TYPE",
            "ATS-HELP-DESCRIBES-API", needs={"help"})
def help_post_returns_markdown(ctx: CaseContext, env: AtsEnv) -> None:
    """POST /help returns the API description inline, as markdown."""
    response = env.a.help("POST")
    expect_status(ctx, "ATS-HELP-200", response, 200, "POST /help")
    ctx.check("ATS-HELP-200", len(response.text.strip()) > 0, "POST /help: body must not be empty")
    disposition = response.headers.get("Content-Disposition")
    ctx.check("ATS-HELP-NO-CONTENT-DISPOSITION", disposition is None,
              f"POST /help: Content-Disposition must be absent, got {disposition!r}")
    ctx.accept_any("ATS-HELP-MARKDOWN-TYPE", _media_type(response.headers.get("Content-Type")),
                   MARKDOWN_TYPES)
    missing = [name for name in ("RegisterCall", "CheckCall") if name not in response.text]
    ctx.check("ATS-HELP-DESCRIBES-API", not missing,
              f"POST /help: the API description should name its methods; missing {missing}")


@SUITE.case("ATS-HELP-GET", "ATS-HELP-NO-CONTENT-DISPOSITION", needs={"help"})
def help_get_allowed(ctx: CaseContext, env: AtsEnv) -> None:
    """GET /help is allowed and answers like POST."""
    response = env.a.help("GET")
    expect_status(ctx, "ATS-HELP-GET", response, 200, "GET /help")
    ctx.check("ATS-HELP-GET", len(response.text.strip()) > 0, "GET /help: body must not be empty")
    disposition = response.headers.get("Content-Disposition")
    ctx.check("ATS-HELP-NO-CONTENT-DISPOSITION", disposition is None,
              f"GET /help: Content-Disposition must be absent, got {disposition!r}")


@SUITE.case("ATS-PING-200")
def ping_post(ctx: CaseContext, env: AtsEnv) -> None:
    """POST /ping answers 200 (from an operator and from an unknown address)."""
    expect_status(ctx, "ATS-PING-200", env.a.ping("POST"), 200, "POST /ping from operator A")
    expect_status(ctx, "ATS-PING-200", env.stranger.ping("POST"), 200,
                  "POST /ping from an unknown address")


@SUITE.case("ATS-PING-GET")
def ping_get(ctx: CaseContext, env: AtsEnv) -> None:
    """GET /ping is allowed and answers 200."""
    expect_status(ctx, "ATS-PING-GET", env.a.ping("GET"), 200, "GET /ping")


@SUITE.case("ATS-WIRE-HEAD")
def head_on_help_and_ping(ctx: CaseContext, env: AtsEnv) -> None:
    """HEAD /help and HEAD /ping answer 200 like GET, with no body: a GET on the same
    keep-alive connection right after each HEAD must still be understood."""
    client = env.isolated_a()
    for path in ("/help", "/ping"):
        response = client.send("HEAD", path)
        expect_status(ctx, "ATS-WIRE-HEAD", response, 200, f"HEAD {path}")
        try:
            follow = client.ping("GET")
        except httpx.RemoteProtocolError as exc:
            ctx.fail("ATS-WIRE-HEAD",
                     f"HEAD {path} left bytes on the connection (a body after HEAD?): "
                     f"the next answer was unreadable: {exc}")
            return
        expect_status(ctx, "ATS-WIRE-HEAD", follow, 200, f"GET /ping after HEAD {path}")


@SUITE.case("ATS-WIRE-405-WRONG-METHOD", "ATS-WIRE-405-ALLOW")
def wrong_method_is_405(ctx: CaseContext, env: AtsEnv) -> None:
    """GET on the POST-only methods and DELETE on ping are answered 405 with Allow."""
    probes = [("GET", "/RegisterCall"), ("GET", "/CheckCall"), ("PUT", "/RegisterCall"),
              ("DELETE", "/ping")]
    for method, path in probes:
        response = env.a.send(method, path)
        expect_status(ctx, "ATS-WIRE-405-WRONG-METHOD", response, 405, f"{method} {path}")
        allow = response.headers.get("Allow", "")
        methods = {item.strip().upper() for item in allow.split(",") if item.strip()}
        ctx.check("ATS-WIRE-405-ALLOW", "POST" in methods and method not in methods,
                  f"{method} {path}: Allow should list POST and not {method}, got {allow!r}")


@SUITE.case("ATS-WIRE-UNKNOWN-PATH-404")
def unknown_path_is_404(ctx: CaseContext, env: AtsEnv) -> None:
    """POST and GET on a path that is no method of the API are 404."""
    a, b = env.number_a(), env.number_b()
    for method, path in (("POST", "/RegisterCallX"), ("GET", "/no-such-method")):
        response = env.a.send(method, path, [("a", a), ("b", b)] if method == "POST" else None)
        expect_status(ctx, "ATS-WIRE-UNKNOWN-PATH-404", response, 404, f"{method} {path}")
