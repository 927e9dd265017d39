"""What the archive cases share: send an archive and see what it became.

``deliver`` uploads one good archive, checks it left the folder within two
poll periods (``FTP-POLL-PICKUP``) and returns the messages it became (with
the control API; else an empty list). ``expect_rejected`` uploads an archive
that breaks a rule, then checks — each against the clause the caller names
and ruling 3 — that it left the upload folder, that no message came of it, and
that the platform recorded why (the control API's journal, or an error report
next to the archive, read over FTP). Bad archives never hold a deliverable
number (options.UNDELIVERABLE), so nothing is charged when a platform wrongly
sends one.
"""

from __future__ import annotations

from typing import Any

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.ftp_platform.binding import FtpEnv
from nabat.conformance.ftp_platform.client import FtpClient

PICKUP = "FTP-POLL-PICKUP"
NOT_SENT, MOVED, REPORT = "FTP-RULE3-NOT-SENT", "FTP-RULE3-MOVED-ASIDE", "FTP-RULE3-REPORT"


def upload(ctx: CaseContext, client: FtpClient, name: str, data: bytes) -> None:
    reply = client.store(name, data)
    if not reply.startswith("2"):
        ctx.unsupported(f"the platform did not take the archive {name}: STOR answered {reply!r}")


def deliver(
    ctx: CaseContext, env: FtpEnv, data: bytes, marker: str, clause: str = PICKUP
) -> list[dict[str, Any]]:
    """Upload a good archive; it is processed (gone from the folder) within two periods;
    returns its messages (oldest first) when the control API is there."""
    client = env.session()
    name = env.name()
    upload(ctx, client, name, data)
    gone = env.wait_processed(client, {name})
    ctx.check(
        clause,
        gone,
        f"{name} is still in the folder after two poll periods of {env.settings.poll_period:g} s",
    )
    if env.control is None:
        return []
    return env.control.messages(marker)


def _report_over_ftp(client: FtpClient, name: str) -> str | None:
    """The text of an error report next to the moved archive, searched one level down."""
    _, top = client.names()
    for folder in ["", *(n for n in top if "." not in n)]:
        reply, names = client.names(folder)
        if not reply.startswith("2"):
            continue
        for found in names:
            if found != name and found.startswith(name) and "err" in found.lower():
                path = f"{folder}/{found}" if folder else found
                got, data = client.fetch(path)
                if got.startswith("2"):
                    return data.decode("utf-8", "replace")
    return None


def expect_rejected(
    ctx: CaseContext, env: FtpEnv, data: bytes, marker: str, clause: str, name: str | None = None
) -> None:
    """Upload ``data`` as ``name``: it must send nothing and leave the folder (checked
    against ``clause``, the rule the archive breaks, and ruling 3's clauses where the
    case declares them: not sent, moved aside, reported)."""
    control = env.require_control()
    client = env.session()
    name = name or env.name()
    upload(ctx, client, name, data)
    gone = env.wait_processed(client, {name})
    sent = control.messages(marker)
    ctx.check(
        clause,
        not sent,
        f"{name} broke the rule, yet {len(sent)} messages were "
        f"accepted from it: {[m.get('text') for m in sent[:3]]!r}",
    )
    declared = set(ctx.declared)
    if NOT_SENT in declared:
        ctx.check(NOT_SENT, not sent, f"{len(sent)} messages accepted from the rejected {name}")
    moved = MOVED if MOVED in declared else clause
    ctx.check(
        moved,
        gone,
        f"{name} was neither processed nor moved aside within two poll "
        "periods: it is still in the upload folder",
    )
    if REPORT not in declared:
        return
    records = control.archives({name})
    problem = next(
        (str(r.get("problem") or "") for r in records if r.get("outcome") != "accepted"), ""
    )
    ctx.check(
        REPORT, bool(problem), f"the platform's journal gives no problem for {name}: {records!r}"
    )
    report = _report_over_ftp(client, name)
    ctx.check(
        REPORT,
        bool(report and report.strip()),
        f"no error report next to the moved {name} in the client's folder (searched the "
        "folder and its subfolders)",
    )
