"""Variant without template (capability ``control``): one sms/<name>.csv or .txt,
header TELRN_LONG;TEXT, a message per line from the second, the account's
default sender, 24 hours of validity, no delayed sending; TEXT is required."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.archives import csv_text, plain_archive, zip_bytes
from nabat.conformance.ftp_platform.binding import CONTROL, FtpEnv
from nabat.conformance.ftp_platform.checks import deliver, expect_rejected
from nabat.conformance.ftp_platform.options import UNDELIVERABLE
from nabat.conformance.ftp_platform.suite import SUITE

DAY = 86400.0


@SUITE.case(
    "FTP-PLAIN-FILE",
    "FTP-PLAIN-DEFAULT-SENDER",
    "FTP-PLAIN-VALIDITY",
    "FTP-PLAIN-NO-SCHEDULE",
    needs={CONTROL},
)
def plain_csv(ctx: CaseContext, env: FtpEnv) -> None:
    """sms/messages.csv: the header is not a message; each later line is one, from the
    default sender, valid 24 hours, sent at once."""
    marker = env.marker("plain")
    addresses = env.settings.addresses
    rows = [[addresses[i % len(addresses)], f"Line {i} {marker} Привет"] for i in range(2)]
    messages = deliver(ctx, env, plain_archive(rows), marker, "FTP-PLAIN-FILE")
    texts = sorted(str(m.get("text")) for m in messages)
    wanted = sorted(text for _, text in rows)
    ctx.check(
        "FTP-PLAIN-FILE",
        texts == wanted,
        f"expected one message per line after the header, {wanted!r}; got {texts!r}",
    )
    senders = {m.get("sender") for m in messages}
    ctx.check(
        "FTP-PLAIN-DEFAULT-SENDER",
        len(senders) == 1 and all(senders),
        f"every message from the one default sender; got {senders}",
    )
    validity = {m.get("validity") for m in messages}
    ctx.check(
        "FTP-PLAIN-VALIDITY",
        validity == {DAY},
        f"expected 24 hours ({DAY:g} s) of validity, got {validity}",
    )
    ctx.check(
        "FTP-PLAIN-NO-SCHEDULE",
        bool(messages)
        and all(not m.get("send_at") and m.get("status") != "delayed" for m in messages),
        f"no delayed sending; got {[(m.get('send_at'), m.get('status')) for m in messages]}",
    )


@SUITE.case("FTP-PLAIN-TXT", needs={CONTROL})
def plain_txt(ctx: CaseContext, env: FtpEnv) -> None:
    """The data file may be sms/<name>.txt."""
    marker = env.marker("txt")
    rows = [[env.settings.addresses[0], f"Txt {marker}"]]
    messages = deliver(ctx, env, plain_archive(rows, "sms/messages.txt"), marker, "FTP-PLAIN-TXT")
    ctx.check(
        "FTP-PLAIN-TXT",
        [m.get("text") for m in messages] == [f"Txt {marker}"],
        f"sms/messages.txt: expected its one message, got {len(messages)}",
    )


@SUITE.case("FTP-PLAIN-COLUMNS", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def plain_without_text(ctx: CaseContext, env: FtpEnv) -> None:
    """A data file whose header has TELRN_LONG but no TEXT sends nothing."""
    marker = env.marker("notext")
    data = csv_text([["TELRN_LONG", "BODY"], [UNDELIVERABLE, f"No text {marker}"]])
    archive = zip_bytes({"sms/messages.csv": data.encode("utf-8")})
    expect_rejected(ctx, env, archive, marker, "FTP-PLAIN-COLUMNS")
