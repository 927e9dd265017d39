"""Archives that break a rule (capability ``control``): each must send nothing, leave
the upload folder and be reported (ruling 3). Every one is addressed to a number
in no operator's range, so a platform that wrongly sends it charges nothing."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.archives import (
    bomb,
    encrypted,
    template_archive,
    template_files,
    template_rows,
    zip_bytes,
)
from nabat.conformance.ftp_platform.binding import CONTROL, FtpEnv
from nabat.conformance.ftp_platform.checks import deliver, expect_rejected
from nabat.conformance.ftp_platform.options import UNDELIVERABLE
from nabat.conformance.ftp_platform.suite import SUITE

CONTACTS = [["phone"], [UNDELIVERABLE]]


def _template(env: FtpEnv, marker: str, sender: str | None = None, **extra: str) -> list[list[str]]:
    return template_rows(f"Refused {marker}", sender or env.settings.sender, **extra)


def _swapped_case(sender: str) -> str | None:
    swapped = sender.swapcase()
    return swapped if swapped != sender else None


@SUITE.case(
    "FTP-TPL-SENDER-FORMAT",
    "FTP-RULE3-NOT-SENT",
    "FTP-RULE3-MOVED-ASIDE",
    "FTP-RULE3-REPORT",
    needs={CONTROL},
)
def sender_twelve_letters(ctx: CaseContext, env: FtpEnv) -> None:
    """sourceaddress of 12 Latin letters is refused."""
    marker = env.marker("s12")
    archive = template_archive(CONTACTS, _template(env, marker, "ABCDEFGHIJKL"))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDER-FORMAT")


@SUITE.case("FTP-TPL-SENDER-FORMAT", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def sender_sixteen_digits(ctx: CaseContext, env: FtpEnv) -> None:
    """sourceaddress of 16 digits is refused."""
    marker = env.marker("s16")
    archive = template_archive(CONTACTS, _template(env, marker, "1234567890123456"))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDER-FORMAT")


@SUITE.case("FTP-TPL-SENDER-REGISTERED", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def sender_unregistered(ctx: CaseContext, env: FtpEnv) -> None:
    """A well-formed sourceaddress nobody registered is refused."""
    marker = env.marker("sreg")
    archive = template_archive(CONTACTS, _template(env, marker, "ZQNOTREG"))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDER-REGISTERED")


@SUITE.case("FTP-TPL-SENDER-CASE", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def sender_other_case(ctx: CaseContext, env: FtpEnv) -> None:
    """The registered sender in the other case (testsms for TESTSMS) is refused."""
    swapped = _swapped_case(env.settings.sender)
    if swapped is None:
        ctx.unsupported(f"--sender {env.settings.sender} has no letters to change the case of")
    marker = env.marker("scase")
    archive = template_archive(CONTACTS, _template(env, marker, swapped))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDER-CASE")


@SUITE.case("FTP-TPL-SENDER-REQUIRED", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def sender_missing(ctx: CaseContext, env: FtpEnv) -> None:
    """template.csv without the sourceaddress column sends nothing."""
    marker = env.marker("snone")
    archive = template_archive(CONTACTS, [["message"], [f"Refused {marker}"]])
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDER-REQUIRED")


@SUITE.case("FTP-TPL-MESSAGE-REQUIRED", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def message_missing(ctx: CaseContext, env: FtpEnv) -> None:
    """template.csv without the message column sends nothing."""
    marker = env.marker("mnone")
    archive = template_archive(
        [["phone", "attr1"], [UNDELIVERABLE, marker]],
        [["text", "sourceaddress"], [f"Refused {marker}", env.settings.sender]],
    )
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-MESSAGE-REQUIRED")


@SUITE.case("FTP-TPL-ONE-LINE", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def template_two_lines(ctx: CaseContext, env: FtpEnv) -> None:
    """template.csv with two data lines sends nothing."""
    marker = env.marker("twoline")
    template = _template(env, marker)
    archive = template_archive(CONTACTS, [*template, [f"Second {marker}", env.settings.sender]])
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-ONE-LINE")


@SUITE.case("FTP-TPL-PHONE-REQUIRED", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def phone_missing(ctx: CaseContext, env: FtpEnv) -> None:
    """contacts.csv without the phone column sends nothing."""
    marker = env.marker("pnone")
    archive = template_archive([["number"], [UNDELIVERABLE]], _template(env, marker))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-PHONE-REQUIRED")


@SUITE.case("FTP-TPL-PHONE-FORMAT", needs={CONTROL})
def phone_not_digits(ctx: CaseContext, env: FtpEnv) -> None:
    """A phone that is not an international number (letters) sends nothing."""
    marker = env.marker("pbad")
    archive = template_archive([["phone"], ["7900ABC0000"]], _template(env, marker))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-PHONE-FORMAT")


@SUITE.case("FTP-TPL-PHONE-FORMAT", needs={CONTROL})
def phone_too_short(ctx: CaseContext, env: FtpEnv) -> None:
    """A phone of 7 digits (no country and network code) sends nothing."""
    marker = env.marker("pshort")
    archive = template_archive([["phone"], ["7000000"]], _template(env, marker))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-PHONE-FORMAT")


@SUITE.case("FTP-TPL-SENDDATE-BAD", needs={CONTROL})
def senddate_bad(ctx: CaseContext, env: FtpEnv) -> None:
    """A senddate in neither spelling (01.06.2030 19:14) sends nothing."""
    marker = env.marker("dbad")
    archive = template_archive(CONTACTS, _template(env, marker, senddate="01.06.2030 19:14"))
    expect_rejected(ctx, env, archive, marker, "FTP-TPL-SENDDATE-BAD")


@SUITE.case("FTP-ZIP-TEMPLATE-FILES", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def template_file_missing(ctx: CaseContext, env: FtpEnv) -> None:
    """sms/contacts.csv without sms/template.csv sends nothing."""
    marker = env.marker("nofile")
    files = template_files([["phone", "attr1"], [UNDELIVERABLE, marker]], _template(env, marker))
    files.pop("sms/template.csv")
    expect_rejected(ctx, env, zip_bytes(files), marker, "FTP-ZIP-TEMPLATE-FILES")


@SUITE.case("FTP-ZIP-SMS-FOLDER", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def files_at_root(ctx: CaseContext, env: FtpEnv) -> None:
    """contacts.csv and template.csv at the archive's root (not in sms) send nothing."""
    marker = env.marker("root")
    files = template_files(CONTACTS, _template(env, marker), folder="")
    expect_rejected(ctx, env, zip_bytes(files), marker, "FTP-ZIP-SMS-FOLDER")


@SUITE.case("FTP-ZIP-NO-PASSWORD", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def password_protected(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive whose entries are encrypted (password-protected) sends nothing."""
    marker = env.marker("crypt")
    archive = encrypted(template_archive(CONTACTS, _template(env, marker)))
    expect_rejected(ctx, env, archive, marker, "FTP-ZIP-NO-PASSWORD")


@SUITE.case("FTP-RULE3-UNSAFE-PATHS", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def unsafe_paths(ctx: CaseContext, env: FtpEnv) -> None:
    """An archive with an entry ../sms/contacts.csv (zip-slip) sends nothing."""
    marker = env.marker("slip")
    files = template_files(CONTACTS, _template(env, marker))
    files["../sms/contacts.csv"] = files.pop("sms/contacts.csv")
    expect_rejected(ctx, env, zip_bytes(files), marker, "FTP-RULE3-UNSAFE-PATHS")


@SUITE.case("FTP-RULE3-TOO-LARGE", "FTP-RULE3-NOT-SENT", needs={CONTROL})
def zip_bomb(ctx: CaseContext, env: FtpEnv) -> None:
    """A small archive that unpacks to megabytes of one byte sends nothing."""
    marker = env.marker("bomb")
    expect_rejected(
        ctx, env, bomb(_template(env, marker), megabytes=4), marker, "FTP-RULE3-TOO-LARGE"
    )


@SUITE.case("FTP-RULE3-NEXT-GOES-ON", needs={CONTROL})
def next_archive_goes_on(ctx: CaseContext, env: FtpEnv) -> None:
    """A rejected archive followed by a good one: the good one's message is accepted."""
    control = env.require_control()
    client = env.session()
    bad_marker, good_marker = env.marker("before"), env.marker("after")
    files = template_files(CONTACTS, _template(env, bad_marker))
    files["../evil.csv"] = b"x"
    bad = env.name()
    client.store(bad, zip_bytes(files))
    good = template_archive(
        [["phone"], [env.settings.addresses[0]]],
        template_rows(f"After {good_marker}", env.settings.sender),
    )
    messages = deliver(ctx, env, good, good_marker, "FTP-RULE3-NEXT-GOES-ON")
    ctx.check(
        "FTP-RULE3-NEXT-GOES-ON",
        len(messages) == 1 and not control.messages(bad_marker),
        f"after the rejected {bad}, the next good archive's 1 message: found {len(messages)}",
    )
