"""Poller cases: an archive is picked up within the poll period and deleted; the
earliest goes first and archives are processed in turn; a half-uploaded archive
waits; names that are not ``<login>_<YYYYMMDDhhmmss>.zip`` are not processed."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.archives import template_archive, template_rows
from nabat.conformance.ftp_platform.binding import CONTROL, FtpEnv
from nabat.conformance.ftp_platform.checks import deliver, expect_rejected, upload
from nabat.conformance.ftp_platform.options import UNDELIVERABLE
from nabat.conformance.ftp_platform.suite import SUITE


def one_message(env: FtpEnv, marker: str, address: str | None = None) -> bytes:
    return template_archive(
        [["phone"], [address or env.settings.addresses[0]]],
        template_rows(f"Test {marker}", env.settings.sender),
    )


@SUITE.case("FTP-POLL-PICKUP", "FTP-POLL-DELETE")
def picked_up_and_deleted(ctx: CaseContext, env: FtpEnv) -> None:
    """A good archive leaves the folder within two poll periods; with the control API,
    its one message was accepted (it was processed, then deleted, not moved aside)."""
    marker = env.marker("pickup")
    messages = deliver(ctx, env, one_message(env, marker), marker)
    if env.control is not None:
        ctx.check(
            "FTP-POLL-DELETE",
            len(messages) == 1,
            f"the archive left the folder; expected its 1 message accepted, found {len(messages)}",
        )
    client = env.session()
    _, names = client.names()
    ctx.check(
        "FTP-POLL-DELETE",
        not any(n.endswith(".zip") and marker in n for n in names),
        "the processed archive is gone from the folder",
    )


@SUITE.case("FTP-POLL-OLDEST-FIRST", "FTP-POLL-ONE-AT-A-TIME", needs={CONTROL})
def oldest_first_in_turn(ctx: CaseContext, env: FtpEnv) -> None:
    """Two archives in the folder: the earlier (older name, uploaded first) is processed
    first, and all its messages are accepted before any of the later one's."""
    control = env.require_control()
    client = env.session()
    early, late = env.name(), env.name()
    marker = env.marker("order")
    address = env.settings.addresses[0]
    for name, tag in ((early, "A"), (late, "B")):
        archive = template_archive(
            [["phone", "attr1"], [address, tag], [address, tag]],
            template_rows(f"Order #attr1# {marker}", env.settings.sender),
        )
        upload(ctx, client, name, archive)
    ctx.check(
        "FTP-POLL-OLDEST-FIRST",
        env.wait_processed(client, {early, late}),
        "the two archives were not processed within two poll periods",
    )
    records = control.archives({early, late})[-2:]  # this run's (names may recur)
    order = [r.get("name") for r in records]
    ctx.check(
        "FTP-POLL-OLDEST-FIRST",
        order == [early, late],
        f"expected {early} processed before {late}; the journal's order is {order}",
    )
    tags = [str(m.get("text", "")).split()[1] for m in control.messages(marker)]
    ctx.check(
        "FTP-POLL-ONE-AT-A-TIME",
        tags == ["A", "A", "B", "B"],
        f"expected the messages of the earlier archive (A) then the later's (B), in "
        f"turn; accepted in the order {tags}",
    )


@SUITE.case("FTP-POLL-HALF-UPLOADED", needs={CONTROL})
def half_uploaded_waits(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive whose upload is still going on survives two poll periods untouched;
    once the upload completes it is processed."""
    control = env.require_control()
    marker = env.marker("half")
    archive = one_message(env, marker)
    client = env.session()
    name = env.name()
    reply, conn = client.begin_store(name)
    if conn is None:
        ctx.unsupported(f"STOR {name} was not started: {reply!r}")
    assert conn is not None
    half = len(archive) // 2
    conn.sendall(archive[:half])
    watcher = env.session()
    period = env.settings.poll_period
    control.advance(period)
    control.advance(period)
    still = env.present(watcher, {name})
    early = control.messages(marker)
    ctx.check(
        "FTP-POLL-HALF-UPLOADED",
        bool(still) and not early,
        f"half of {name} was uploaded and the upload still open: after two poll "
        f"periods it should wait in the folder with no message sent; in the folder: "
        f"{bool(still)}, messages: {len(early)}",
    )
    final = client.finish_store(conn, archive[half:])
    ctx.check("FTP-POLL-HALF-UPLOADED", final.startswith("2"), f"the rest of the upload: {final!r}")
    ctx.check(
        "FTP-POLL-HALF-UPLOADED",
        env.wait_processed(watcher, {name}),
        f"{name} was complete but not processed within two poll periods",
    )
    sent = control.messages(marker)
    ctx.check(
        "FTP-POLL-HALF-UPLOADED",
        len(sent) == 1,
        f"the completed archive's 1 message: found {len(sent)}",
    )


def _bad_name_archive(env: FtpEnv, marker: str) -> bytes:
    return template_archive(
        [["phone"], [UNDELIVERABLE]], template_rows(f"Bad name {marker}", env.settings.sender)
    )


@SUITE.case(
    "FTP-NAME-FORMAT",
    "FTP-RULE3-NOT-SENT",
    "FTP-RULE3-MOVED-ASIDE",
    "FTP-RULE3-REPORT",
    needs={CONTROL},
)
def badly_named(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive named <login>-<stamp>.zip (no underscore) is not processed."""
    marker = env.marker("badname")
    name = env.name().replace("_", "-")
    expect_rejected(ctx, env, _bad_name_archive(env, marker), marker, "FTP-NAME-FORMAT", name)


@SUITE.case("FTP-NAME-FORMAT", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def short_stamp(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive whose time has 12 digits (YYYYMMDDhhmm) is not processed."""
    marker = env.marker("short")
    name = env.name()[:-6] + ".zip"
    expect_rejected(ctx, env, _bad_name_archive(env, marker), marker, "FTP-NAME-FORMAT", name)


@SUITE.case("FTP-NAME-LOGIN", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def another_login(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive named for another login, uploaded to ours, is not processed."""
    marker = env.marker("login")
    name = env.name(f"x{env.login}")
    expect_rejected(ctx, env, _bad_name_archive(env, marker), marker, "FTP-NAME-LOGIN", name)


@SUITE.case("FTP-NAME-DATE", needs={CONTROL})
def impossible_date(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive whose name holds month 13 is not processed."""
    marker = env.marker("month")
    stamp = env.name()[len(env.login) + 1 : -4]
    name = f"{env.login}_{stamp[:4]}13{stamp[6:]}.zip"
    expect_rejected(ctx, env, _bad_name_archive(env, marker), marker, "FTP-NAME-DATE", name)
