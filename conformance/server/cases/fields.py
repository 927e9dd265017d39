"""Field-format cases (docs/protocol.md, "Value types"; ruling 11): what a server
must refuse as malformed rather than store. Ids are decimal 1..2147483647, so 0,
2147483648 and a signed number are ERR_BADSYNTAX while 2147483647 is a
well-formed id that no store holds; a timestamp in any form other than
``YYYY-MM-DDTHH:MM:SS`` is refused, never stored and echoed in another form;
phones, e-mails, PINs, codes of the tables, flags and channel strings outside
their forms are refused, the longest well-formed phone and PIN accepted; a
task type outside 0-3 is refused."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server import steps
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_error, expect_ok
from nabat.conformance.server.suite import SUITE

MAX_ID = "2147483647"
MALFORMED_IDS = ("0", "2147483648", "-1", "+5")
# (experiodbegin as sent, what is wrong with it)
MALFORMED_TIMESTAMPS = (
    ("2031-02-03 04:05:06", "a space instead of T"),
    ("2031-02-03T04:05", "no seconds"),
    ("03.02.2031T04:05:06", "dd.mm.yyyy"),
    ("2031-02-03T04:05:06Z", "a zone"),
    ("2031-02-30T04:05:06", "no such day"),
)


@SUITE.case("SRV-FIELD-ID")
def id_bounds(ctx: CaseContext, env: ServerEnv) -> None:
    """GETTASK and DELGROUP of 2147483647 answer their not-found codes; of 0,
    2147483648, -1 and +5 ERR_BADSYNTAX."""
    for word, not_found in (("GETTASK", "ERR_GETTASK"), ("DELGROUP", "ERR_DELGROUP")):
        expect_error(ctx, "SRV-FIELD-ID", env.admin.request(word, MAX_ID), not_found,
                     f"{word} {MAX_ID} (the largest id, unknown)")
        for raw in MALFORMED_IDS:
            expect_error(ctx, "SRV-FIELD-ID", env.admin.request(word, raw), "ERR_BADSYNTAX",
                         f"{word} {raw} (not an id)")


@SUITE.case("SRV-TIMESTAMP-REFUSE")
def malformed_timestamps(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDABONENT with an exclusion period written in another form is refused (with
    ERR_BADSYNTAX or ERR_ADDABONENT), each time creating nothing."""
    gid = steps.group(env)
    for value, what in MALFORMED_TIMESTAMPS:
        lines = steps.abonent_lines(gid, env.name("abonent"))
        lines[1][5] = value  # DATA gid remote name priority experiodbegin ...
        reply = env.admin.request_multiline("ADDABONENT", lines)
        env.janitor.created(reply, "DELABONENTS")
        expect_error(ctx, "SRV-TIMESTAMP-REFUSE", reply, ("ERR_BADSYNTAX", "ERR_ADDABONENT"),
                     f"ADDABONENT with experiodbegin {value!r} ({what})")


# (what is wrong, DATA-line field index to set or None, value, phones, e-mails)
BAD_ABONENTS: tuple[tuple[str, int | None, str, list[tuple[str, str, str]], list[str]], ...] = (
    ("a phone with letters", None, "", [("1", "+7900abc1234", "0")], []),
    ("a phone of 33 digits", None, "", [("1", "1" * 33, "0")], []),
    ("a phone type outside the table", None, "", [("1", "79001234567", "9")], []),
    ("a phone enabled flag 2", None, "", [("2", "79001234567", "0")], []),
    ("an e-mail without @", None, "", [], ["nobody.example.org"]),
    ("a PIN with letters", 7, "12a4", [], []),
    ("a PIN of 17 digits", 7, "1" * 17, [], []),
    ("a remote type outside the table", 2, "9", [], []),
)
LONGEST_PHONE, LONGEST_PIN = "+" + "1" * 32, "1" * 16


@SUITE.case("SRV-FIELD-VALUES")
def field_values(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDABONENT with a malformed phone, phone type, enabled flag, e-mail, PIN or remote
    type is refused (ERR_BADSYNTAX or ERR_ADDABONENT); one with the longest phone (+ and 32
    digits) and PIN (16 digits) is accepted; STARTTASK with restart 2 is ERR_BADSYNTAX."""
    gid = steps.group(env)
    for what, index, value, phones, emails in BAD_ABONENTS:
        lines = steps.abonent_lines(gid, env.name("abonent"), phones, emails)
        if index is not None:
            lines[1][index] = value
        reply = env.admin.request_multiline("ADDABONENT", lines)
        env.janitor.created(reply, "DELABONENTS")
        expect_error(ctx, "SRV-FIELD-VALUES", reply, ("ERR_BADSYNTAX", "ERR_ADDABONENT"),
                     f"ADDABONENT with {what}")
    lines = steps.abonent_lines(gid, env.name("abonent"), [("1", LONGEST_PHONE, "0")])
    lines[1][7] = LONGEST_PIN
    reply = env.admin.request_multiline("ADDABONENT", lines)
    env.janitor.created(reply, "DELABONENTS")
    expect_ok(ctx, "SRV-FIELD-VALUES", reply,
              f"ADDABONENT with phone {LONGEST_PHONE} and PIN {LONGEST_PIN} (the longest)")
    expect_error(ctx, "SRV-FIELD-VALUES", env.admin.request("STARTTASK", "2147480001", "2"),
                 "ERR_BADSYNTAX", "STARTTASK <id> 2 (restart is a flag)")


@SUITE.case("SRV-TASK-TYPE-REFUSE", "SRV-FIELD-VALUES", needs={"messages"})
def task_field_values(ctx: CaseContext, env: ServerEnv) -> None:
    """ADDTASK on a real list and message with task type 4 or 7 is refused (ERR_ADDTASK or
    ERR_BADSYNTAX); with a channel string other than 0/1 too."""
    mid = steps.message(env)
    lid = steps.dlist(env)
    for ttype in ("4", "7"):
        reply = env.admin.request("ADDTASK", *steps.task_params(env.name("task"), lid, mid,
                                                                ttype=ttype))
        env.janitor.created(reply, "DELTASK")
        expect_error(ctx, "SRV-TASK-TYPE-REFUSE", reply, ("ERR_ADDTASK", "ERR_BADSYNTAX"),
                     f"ADDTASK with task type {ttype}")
    params = steps.task_params(env.name("task"), lid, mid)
    params[6] = "10x2"  # channels
    reply = env.admin.request("ADDTASK", *params)
    env.janitor.created(reply, "DELTASK")
    expect_error(ctx, "SRV-FIELD-VALUES", reply, ("ERR_BADSYNTAX", "ERR_ADDTASK"),
                 "ADDTASK with channels '10x2'")
