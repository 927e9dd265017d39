"""Template variant cases (capability ``control``: what the messages became is read
from the simulator's personal account): one message per contact, #attrN#
substitution and a missing field left empty, UTF-8, the sender, validity and its
default, senddate (empty, in the template, per contact, both spellings) and
localtime. Send times are compared with each other, never with the platform's
own clock or time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.archives import template_archive, template_rows
from nabat.conformance.ftp_platform.binding import CONTROL, FtpEnv
from nabat.conformance.ftp_platform.checks import deliver
from nabat.conformance.ftp_platform.suite import SUITE

COMPACT, DASHED = "%Y%m%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S"
DEFAULT_VALIDITY = 1440 * 60.0


def future(days: int = 2, hours: int = 0) -> dt.datetime:
    day = dt.datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
    return day + dt.timedelta(days=days, hours=hours)


def send_time(message: dict[str, Any]) -> dt.datetime | None:
    value = message.get("send_at")
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _delayed(message: dict[str, Any]) -> bool:
    return send_time(message) is not None or message.get("status") == "delayed"


@SUITE.case(
    "FTP-TPL-CONTACT-PER-MESSAGE",
    "FTP-TPL-SUBSTITUTION",
    "FTP-TPL-MISSING-ATTR",
    "FTP-ZIP-UTF8",
    "FTP-TPL-SENDER-USED",
    "FTP-TPL-VALIDITY-DEFAULT",
    "FTP-TPL-SENDDATE-EMPTY",
    needs={CONTROL},
)
def substitution(ctx: CaseContext, env: FtpEnv) -> None:
    """Each contact becomes one message whose #attr1#/#attr2# are its values (Cyrillic
    intact), #attr3# (no such column) empty; sender as given, 1440 minutes of validity,
    no send date: sent at once."""
    marker = env.marker("subst")
    rows = [["phone", "attr1", "attr2", "senddate"]]
    people = [("Иван", "Петров"), ("Anna", "")]
    addresses = [env.settings.addresses[i % len(env.settings.addresses)] for i in range(2)]
    rows += [[a, first, last, ""] for a, (first, last) in zip(addresses, people, strict=True)]
    template = template_rows(f"Уважаемый #attr1# #attr2#!#attr3# {marker}", env.settings.sender)
    messages = deliver(
        ctx, env, template_archive(rows, template), marker, "FTP-TPL-CONTACT-PER-MESSAGE"
    )
    ctx.check(
        "FTP-TPL-CONTACT-PER-MESSAGE",
        len(messages) == 2 and sorted(str(m.get("address")) for m in messages) == sorted(addresses),
        f"expected 2 messages to {addresses}, got {[m.get('address') for m in messages]}",
    )
    texts = sorted(str(m.get("text")) for m in messages)
    wanted = sorted(f"Уважаемый {first} {last}! {marker}" for first, last in people)
    ctx.check(
        "FTP-TPL-SUBSTITUTION", texts == wanted, f"expected the texts {wanted!r}, got {texts!r}"
    )
    ctx.check(
        "FTP-TPL-MISSING-ATTR",
        all("#" not in t for t in texts),
        f"#attr3# (no such column) must become empty; texts {texts!r}",
    )
    ctx.check(
        "FTP-ZIP-UTF8",
        any("Уважаемый Иван Петров" in t for t in texts),
        f"UTF-8 Cyrillic must arrive intact; texts {texts!r}",
    )
    senders = {m.get("sender") for m in messages}
    ctx.check(
        "FTP-TPL-SENDER-USED",
        senders == {env.settings.sender},
        f"expected sender {env.settings.sender!r}, got {senders}",
    )
    validity = {m.get("validity") for m in messages}
    ctx.check(
        "FTP-TPL-VALIDITY-DEFAULT",
        validity == {DEFAULT_VALIDITY},
        f"no validity column: expected {DEFAULT_VALIDITY:g} s (1440 minutes), got {validity}",
    )
    ctx.check(
        "FTP-TPL-SENDDATE-EMPTY",
        bool(messages) and not any(map(_delayed, messages)),
        f"empty senddate: expected no send time; got "
        f"{[(m.get('send_at'), m.get('status')) for m in messages]}",
    )


@SUITE.case(
    "FTP-TPL-VALIDITY",
    "FTP-TPL-SENDDATE-FORMAT",
    "FTP-TPL-SENDDATE-TEMPLATE",
    "FTP-TPL-SENDDATE-CONTACT",
    needs={CONTROL},
)
def senddate_and_validity(ctx: CaseContext, env: FtpEnv) -> None:
    """validity 180 is 3 hours; the template's senddate (YYYYMMDDThh:mm:ss) applies to a
    contact without its own; a contact's own (YYYY-MM-DDThh:mm:ss) wins; the same time
    in either spelling is the same send time."""
    marker = env.marker("senddate")
    first, second = future(), future(hours=3)
    address = env.settings.addresses[0]
    rows = [
        ["phone", "senddate", "attr1"],
        [address, "", "template"],
        [address, second.strftime(DASHED), "own"],
        [address, first.strftime(DASHED), "same"],
    ]
    template = template_rows(
        f"#attr1# {marker}", env.settings.sender, validity="180", senddate=first.strftime(COMPACT)
    )
    messages = deliver(ctx, env, template_archive(rows, template), marker, "FTP-TPL-VALIDITY")
    by_tag = {str(m.get("text", "")).split()[0]: m for m in messages}
    validity = {m.get("validity") for m in messages}
    ctx.check(
        "FTP-TPL-VALIDITY",
        len(messages) == 3 and validity == {180 * 60.0},
        f"validity 180: expected 3 messages of 10800 s, got {len(messages)} with {validity}",
    )
    times = {tag: send_time(m) for tag, m in by_tag.items()}
    base = times.get("template")
    ctx.check(
        "FTP-TPL-SENDDATE-TEMPLATE",
        base is not None,
        f"a contact without senddate takes the template's: expected a send time, got "
        f"{by_tag.get('template', {}).get('send_at')!r}",
    )
    own = times.get("own")
    ctx.check(
        "FTP-TPL-SENDDATE-CONTACT",
        base is not None and own is not None and own - base == second - first,
        f"the contact's senddate {second:%H:%M} wins over the template's {first:%H:%M}: "
        f"expected send times 3 h apart, got {own} and {base}",
    )
    same = times.get("same")
    ctx.check(
        "FTP-TPL-SENDDATE-FORMAT",
        base is not None and same == base,
        f"{first.strftime(COMPACT)} and {first.strftime(DASHED)} are the same time: "
        f"send times {base} and {same}",
    )


@SUITE.case("FTP-TPL-LOCALTIME", "FTP-TPL-LOCALTIME-NEEDS-DATE", needs={CONTROL})
def localtime(ctx: CaseContext, env: FtpEnv) -> None:
    """With localtime=1 the same senddate puts subscribers of different time zones at
    different instants; with localtime=0 at the same one; localtime=1 without a
    senddate sends at once (needs two --address numbers in different time zones)."""
    addresses = env.settings.addresses
    if len(addresses) < 2:
        ctx.unsupported("needs two --address numbers in different time zones")
    when = future(days=3).strftime(COMPACT)
    found: dict[str, list[dict[str, Any]]] = {}
    for flag, senddate in (("1", when), ("0", when), ("1", "")):
        marker = env.marker(f"local{flag}{'d' if senddate else 'n'}")
        rows = [["phone"], [addresses[0]], [addresses[1]]]
        template = template_rows(
            f"Local {marker}", env.settings.sender, senddate=senddate, localtime=flag
        )
        found[marker] = deliver(
            ctx, env, template_archive(rows, template), marker, "FTP-TPL-LOCALTIME"
        )
    zoned, plain, undated = found.values()

    def instants(messages: list[dict[str, Any]]) -> list[dt.datetime | None]:
        order = {a: i for i, a in enumerate(addresses)}
        return [
            send_time(m)
            for m in sorted(messages, key=lambda m: order.get(str(m.get("address")), 9))
        ]

    a, b = ([*instants(zoned), None, None])[:2]
    ctx.check(
        "FTP-TPL-LOCALTIME",
        a is not None and b is not None and a != b,
        f"localtime=1: {addresses[0]} and {addresses[1]} should be sent at {when} in "
        f"their own time zones (different instants); send times {a}, {b}",
    )
    c, d = ([*instants(plain), None, None])[:2]
    ctx.check(
        "FTP-TPL-LOCALTIME",
        c is not None and c == d,
        f"localtime=0: both sent at {when} in the client's time; send times {c}, {d}",
    )
    ctx.check(
        "FTP-TPL-LOCALTIME-NEEDS-DATE",
        len(undated) == 2 and not any(map(_delayed, undated)),
        f"localtime=1 without senddate: sent at once; got "
        f"{[(m.get('send_at'), m.get('status')) for m in undated]}",
    )
