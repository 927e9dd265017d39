"""Authentication: ONE request with a wrong password per run (STATUS, so that nothing
could be sent even by a platform that let it through), the parameter names of a
connector (through a connector the suite adds to the simulator and removes), and
HTTPS with a verified certificate."""

from __future__ import annotations

from urllib.parse import urlsplit

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.checks import REQUEST_ERROR, expect_request_error
from nabat.conformance.mfms.client import Credentials, HpgClient, status_pairs
from nabat.conformance.mfms.preflight import UNKNOWN_ID
from nabat.conformance.mfms.suite import SUITE
from nabat.conformance.mfms.wire import lines, request_error

NAMES_CLIENT, NAMES_CONNECTOR = "NABATCONF", "names"


@SUITE.case("MFMS-CODE-AUTH", *REQUEST_ERROR)
def wrong_password(ctx: CaseContext, env: MfmsEnv) -> None:
    """STATUS with a wrong password (tried once in the run, never repeated): error-auth."""
    credentials = env.wrong_password_attempt()
    response = env.hpg.raw_status(status_pairs([UNKNOWN_ID]), credentials)
    expect_request_error(
        ctx, env, response, "error-auth", "MFMS-CODE-AUTH", "STATUS with a wrong password"
    )


@SUITE.case("MFMS-AUTH-PARAM-NAMES", needs={"control"})
def connector_parameter_names(ctx: CaseContext, env: MfmsEnv) -> None:
    """A connector whose parameters are named user and pass: the credentials under those
    names are accepted, the same credentials under login and password are not."""
    control = env.require_control()
    creds = Credentials("nabat-conf", "nabat-conf-pw", "user", "pass")
    control.add_connector(
        client=NAMES_CLIENT,
        connector=NAMES_CONNECTOR,
        login=creds.login,
        password=creds.password,
        login_param="user",
        password_param="pass",
        subjects=[env.settings.subject],
    )
    try:
        parts = urlsplit(env.hpg.http.base_url)
        base = f"{parts.scheme}://{parts.netloc}/{NAMES_CLIENT}/{NAMES_CONNECTOR}"
        http = HttpClient(
            env.hpg.http._client, base, ctx.record, label="connector user/pass", default_source=None
        )
        names = HpgClient(http, creds)
        good = names.raw_status(status_pairs([UNKNOWN_ID]))
        served = request_error(good.status_code, good.text).profile == "none" and any(
            line.startswith("error-provider-id-unknown") for line in lines(good.text)
        )
        ctx.check(
            "MFMS-AUTH-PARAM-NAMES",
            served,
            f"credentials as user=...&pass=...: expected the request served, got HTTP "
            f"{good.status_code} {good.text[:120]!r}",
        )
        default_names = Credentials(creds.login, creds.password)
        bad = names.raw_status(status_pairs([UNKNOWN_ID]), default_names)
        refused = request_error(bad.status_code, bad.text).code in ("error-auth", "error-syntax")
        ctx.check(
            "MFMS-AUTH-PARAM-NAMES",
            refused,
            f"credentials as login=...&password=... on a user/pass connector: expected "
            f"error-auth, got HTTP {bad.status_code} {bad.text[:120]!r}",
        )
    finally:
        control.remove_connector(f"{NAMES_CLIENT}/{NAMES_CONNECTOR}")


@SUITE.case("MFMS-HTTPS", needs={"https"})
def https_with_certificate(ctx: CaseContext, env: MfmsEnv) -> None:
    """STATUS over HTTPS with the certificate verified (--ca or the system CAs)."""
    if env.settings.insecure:
        ctx.unsupported("--insecure: the certificate is not verified")
    response = env.hpg.status([UNKNOWN_ID])
    ctx.check(
        "MFMS-HTTPS",
        response.url.scheme == "https" and response.status_code == 200,
        f"STATUS over HTTPS: expected HTTP 200 over a verified TLS connection, got "
        f"{response.status_code}",
    )
