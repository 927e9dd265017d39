"""The proof table: for every server case, one or more ways to make the server
non-conforming (a proxy mutation of its replies, or a wrong CA) that the case
must catch, with the clause it must report as failed.

``strict`` marks proofs of SHOULD clauses: the case is then expected to fail
under --strict. test_proofs.py asserts the table names exactly the
registered cases and lists the clauses without a proof.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conformance_server.mutations import (
    Change,
    bare_lf,
    drop,
    either,
    status_to,
    sub,
    then,
    token,
    when,
    word_to,
)
from tests.conformance_server.proxy import Mutator

WRONG_CA = "wrong-ca"  # marker: run with a CA that did not sign the server's certificate


@dataclass(frozen=True)
class Proof:
    description: str
    clause: str
    mutate: Mutator | None
    strict: bool = False
    ca: str | None = None
    also: frozenset[str] = frozenset()  # clauses the mutation legitimately breaks too


def P(description: str, clause: str, mutate: Mutator | None, strict: bool = False,
      ca: str | None = None, also: tuple[str, ...] = ()) -> Proof:
    return Proof(description, clause, mutate, strict, ca, frozenset(also))


def err(request: str, old: str, new: str) -> Mutator:
    """Reply ``new`` instead of the error code ``old`` to ``request``."""
    return when(request, status=old, change=status_to(new, "mutated"))


def timestamps_as(template: bytes) -> Change:
    """Rewrite every YYYY-MM-DDTHH:MM:SS of a reply line by ``template`` (groups \\1
    date, \\2 time): a server emitting another timestamp format."""
    pattern = re.compile(rb"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})")
    return lambda body: [pattern.sub(template, body)]


def emails_first() -> Mutator:
    """Reply lines of abonent listings with each abonent's PHONE lines held back until
    after its EMAIL lines (a server writing e-mails first)."""
    held: list[bytes] = []

    def mutate(body: bytes, last: bytes) -> list[bytes] | None:
        if not last.startswith(b"GETABONENTS"):
            return None
        status = body.split(b" ")[1:2]
        if status == [b"PHONE"]:
            held.append(body)
            return []
        if status == [b"EMAIL"]:
            return None
        out = [*held, body]
        held.clear()
        return out

    return mutate


def monitoring_after_off() -> Mutator:
    """After a status change back to STOPPED (UPDATETASK OK ... 0), the next GETTASKS
    listing is followed by that line as an unsolicited one: a server that keeps
    sending after MONITORING 0."""
    seen: list[bytes] = []

    def mutate(body: bytes, last: bytes) -> list[bytes] | None:
        if last.startswith(b"UPDATETASK") and body.startswith(b"UPDATETASK OK ") \
                and body.endswith(b" 0"):
            seen.append(body)
            return None
        if seen and last == b"GETTASKS" and body == b"GETTASKS END":
            return [body, *seen]
        return None

    return mutate


CYR = "Группа".encode("cp1251")
STATUS_WORDS = ("UPDATETASK", "STARTTASK", "STOPTASK")

PROOFS: dict[str, list[Proof]] = {
    # --- wire
    # A certificate the run's --ca does not trust is a setup mistake, stopped
    # by the pre-flight (tests/conformance_server/test_preflight.py), not a finding.
    "tls_only": [P("PING over TLS not answered OK", "SRV-WIRE-TLS",
                   when("PING", change=status_to("ERR_BADSYNTAX", "no%20PING")))],
    "cyrillic_round_trip": [
        P("Cyrillic sent back as UTF-8", "SRV-WIRE-CP1251",
          when("ADDGROUP", status="OK", change=sub(CYR, "Группа".encode()))),
        P("GETGROUPS lines end in a bare LF", "SRV-WIRE-CRLF",
          when("GETGROUPS", change=bare_lf())),
    ],
    "escaping": [
        P("spaces sent as + instead of %20", "SRV-WIRE-ESCAPE",
          when("ADDGROUP", status="OK", change=sub(b"%20", b"+"))),
        P("lower-case %xx not decoded", "SRV-WIRE-ESCAPE-ANYCASE",
          when("ADDGROUP", status="OK", request_has=b"%2a", change=sub(b"*x", b"%252ax"))),
        P("only upper-case %XX accepted", "SRV-WIRE-ESCAPE-ANYCASE",
          when("ADDGROUP", request_re=rb"%([0-9A-F][a-f]|[a-f][0-9A-F])",
               change=status_to("ERR_BADSYNTAX", "bad%20escape"))),
        P("a tab sent raw", "SRV-WIRE-ESCAPE",
          when("ADDGROUP", status="OK", change=sub(b"%09", b"\t"))),
    ],
    "empty_parameters": [P("trailing empty parameter dropped", "SRV-WIRE-EMPTY-PARAM",
                           when("ADDGROUP", status="OK", change=lambda b: [b.rstrip(b" ")]))],
    "malformed_lines": [
        P("malformed lines answered OK", "SRV-WIRE-BADSYNTAX",
          when(status="ERR_BADSYNTAX", change=status_to("OK"))),
        P("a stray % accepted", "SRV-WIRE-MALFORMED-PARAM",
          when("ADDGROUP", status="ERR_BADSYNTAX", request_has=b"100%", change=status_to("OK")),
          strict=True),
        P("a malformed parameter answered with the word ERROR", "SRV-WIRE-BADSYNTAX-WORD",
          when("ADDGROUP", status="ERR_BADSYNTAX", change=word_to(b"ERROR")), strict=True),
        P("PING after a malformed line refused", "SRV-WIRE-SESSION-CONTINUES",
          when("PING", status="OK", change=status_to("ERR_NOACCESS", "x")), strict=True),
    ],
    "unknown_command": [
        P("unknown word answered OK", "SRV-WIRE-UNKNOWN-COMMAND",
          when("FROBNICATE", change=status_to("OK"))),
        P("error without a text", "SRV-REPLY-ERROR-TEXT",
          when("FROBNICATE", change=status_to("ERR_BADSYNTAX"))),
        P("ERR_GETTASK without a text", "SRV-REPLY-ERROR-TEXT",
          when("GETTASK", status="ERR_GETTASK", change=status_to("ERR_GETTASK"))),
    ],
    "wrong_argument_count": [P("count errors reported as syntax errors",
                               "SRV-ERR-BADARGUMENT-COUNT",
                               err("GETTASK", "ERR_BADARGUMENT_COUNT", "ERR_BADSYNTAX"))],
    "access_before_login": [
        P("reads before LOGIN answered ERR_BADLOGIN", "SRV-ERR-NOACCESS-BEFORE-LOGIN",
          err("GETTASKS", "ERR_NOACCESS", "ERR_BADLOGIN")),
        P("PING answered PING DONE", "SRV-PING",
          when("PING", status="OK", change=token(1, b"DONE")), strict=True),
        P("PING before LOGIN refused", "SRV-ERR-NOACCESS-BEFORE-LOGIN",
          when("PING", change=status_to("ERR_NOACCESS", "x"))),
        P("GETTASK without its id answered ERR_BADARGUMENT_COUNT before LOGIN",
          "SRV-ERR-NOACCESS-BEFORE-LOGIN",
          when("GETTASK", request_re=rb"^GETTASK$", change=status_to("ERR_BADARGUMENT_COUNT"))),
    ],
    "reply_shapes": [
        P("GETGROUPS BEGIN carries a count", "SRV-LISTING-SHAPE",
          when("GETGROUPS", status="BEGIN", change=lambda b: [b + b" 3"])),
        P("GETLISTS answered with the word LISTS", "SRV-REPLY-WORD",
          when("GETLISTS", change=word_to(b"LISTS"))),
    ],
    # --- session
    "login_and_hasp": [
        P("no HASP line after LOGIN OK", "SRV-LOGIN-OK-HASP", when(reply="HASP", change=drop())),
        P("HASP line with five fields", "SRV-LOGIN-OK-HASP",
          when(reply="HASP", change=token(6, None))),
        P("LOGIN answered LOGIN DONE", "SRV-LOGIN-OK",
          when("LOGIN", status="OK", change=token(1, b"DONE"))),
    ],
    "bad_login": [P("unknown login answered ERR_NOACCESS", "SRV-LOGIN-BADLOGIN",
                    err("LOGIN", "ERR_BADLOGIN", "ERR_NOACCESS"))],
    "quit_closes": [P("QUIT refused", "SRV-QUIT", when("QUIT", change=status_to("ERR_BADSYNTAX")),
                      strict=True)],
    "read_only_rights": [P("read-only ADDGROUP answered ERR_ADDGROUP", "SRV-RIGHTS-READONLY",
                           err("ADDGROUP", "ERR_NOACCESS", "ERR_ADDGROUP"), strict=True)],
    "operator_rights": [P("operator USERS answered ERR_BADSYNTAX", "SRV-RIGHTS-OPERATOR",
                          err("USERS", "ERR_NOACCESS", "ERR_BADLOGIN"), strict=True)],
    "rights_for_every_command": [
        P("read-only LISTCLEAR runs (ERR_LISTCLEAR)", "SRV-RIGHTS-EVERY-COMMAND",
          err("LISTCLEAR", "ERR_NOACCESS", "ERR_LISTCLEAR"), strict=True),
        P("operator GETLOG runs (ERR_NOLOGFILE)", "SRV-RIGHTS-EVERY-COMMAND",
          err("GETLOG", "ERR_NOACCESS", "ERR_NOLOGFILE"), strict=True),
        P("read-only STARTTASK runs (ERR_GETTASK)", "SRV-RIGHTS-EVERY-COMMAND",
          err("STARTTASK", "ERR_NOACCESS", "ERR_GETTASK"), strict=True),
    ],
    "reads_for_read_only": [P("read-only GETTASK refused", "SRV-RIGHTS-READS",
                              err("GETTASK", "ERR_GETTASK", "ERR_NOACCESS"), strict=True)],
    "login_again": [
        P("a failed second LOGIN leaves the session logged in", "SRV-LOGIN-RELOGIN",
          err("GETGROUPS", "ERR_NOACCESS", "ERR_BADSYNTAX"), strict=True),
        P("wrong password answered ERR_CHECKPASSW", "SRV-LOGIN-BADLOGIN",
          err("LOGIN", "ERR_BADLOGIN", "ERR_CHECKPASSW")),
    ],
    # --- tasks
    "task_lifecycle": [
        P("ADDTASK OK without the status", "SRV-ADDTASK-OK",
          when("ADDTASK", status="OK", change=token(5, None))),
        P("GETTASK reports another priority", "SRV-GETTASK-OK",
          when("GETTASK", status="OK", change=token(7, b"9"))),
        P("GETTASK drops the channels", "SRV-GETTASK-OK",
          when("GETTASK", status="OK", change=token(8, b""))),
        P("UPDATETASK OK reports the old status", "SRV-UPDATETASK-OK",
          when("UPDATETASK", status="OK", change=token(5, b"0"))),
        P("GETTASKS row with a wrong status", "SRV-GETTASKS-ROW",
          when("GETTASKS", status="DATA", change=token(5, b"4"))),
        P("DELTASK OK echoes another id", "SRV-DELTASK-OK",
          when("DELTASK", status="OK", change=token(2, b"1"))),
    ],
    "gettasks_count": [
        P("GETTASKS BEGIN without the count", "SRV-GETTASKS-COUNT",
          when("GETTASKS", status="BEGIN", change=token(2, None))),
        P("GETTASKS rows with status 7", "SRV-TASK-STATUS-VALUES",
          when("GETTASKS", status="DATA", change=token(5, b"7"))),
    ],
    "task_errors": [
        P("GETTASK unknown: ERR_ADDTASK", "SRV-ERR-GETTASK",
          err("GETTASK", "ERR_GETTASK", "ERR_ADDTASK")),
        P("STARTTASK unknown: ERR_UPDATETASK", "SRV-ERR-GETTASK",
          err("STARTTASK", "ERR_GETTASK", "ERR_UPDATETASK")),
        P("ADDTASK bad list: ERR_BADSYNTAX", "SRV-ERR-ADDTASK",
          err("ADDTASK", "ERR_ADDTASK", "ERR_BADSYNTAX")),
        P("UPDATETASK unknown: ERR_ADDTASK", "SRV-ERR-UPDATETASK",
          either(err("UPDATETASK", "ERR_GETTASK", "ERR_ADDTASK"),
                 err("UPDATETASK", "ERR_UPDATETASK", "ERR_ADDTASK"))),
        P("DELTASK unknown: ERR_DELGROUP", "SRV-ERR-DELTASK",
          either(err("DELTASK", "ERR_GETTASK", "ERR_DELGROUP"),
                 err("DELTASK", "ERR_ADDTASK", "ERR_DELGROUP"))),
        P("GETREPORT unknown: ERR_TASKNOTRUNNING", "SRV-ERR-GETREPORT",
          err("GETREPORT", "ERR_GETREPORT", "ERR_TASKNOTRUNNING")),
    ],
    "task_never_ran": [
        P("GETREPORT never ran: ERR_GETREPORT", "SRV-ERR-TASKNOTRUNNING",
          err("GETREPORT", "ERR_TASKNOTRUNNING", "ERR_GETREPORT")),
        P("STOPTASK not running: ERR_GETTASK", "SRV-ERR-STOPTASK-NOTRUNNING",
          err("STOPTASK", "ERR_TASKNOTRUNNING", "ERR_GETTASK"), strict=True),
    ],
    "start_stop_report": [
        P("STARTTASK answered STARTTASK OK", "SRV-STARTTASK-UPDATETASK",
          when("STARTTASK", reply="UPDATETASK", change=word_to(b"STARTTASK"))),
        P("STOPTASK answered with status 1", "SRV-STOPTASK-UPDATETASK",
          when("STOPTASK", reply="UPDATETASK", change=token(5, b"1"))),
        P("running task: DELTASK answered ERR_GETTASK", "SRV-DELTASK-RUNNING",
          err("DELTASK", "ERR_ADDTASK", "ERR_GETTASK"), strict=True),
        P("running task: UPDATETASK answered ERR_GETTASK", "SRV-UPDATETASK-RUNNING",
          err("UPDATETASK", "ERR_UPDATETASK", "ERR_GETTASK"), strict=True),
        P("running task: STARTTASK again answers status 0", "SRV-STARTTASK-RUNNING",
          when("STARTTASK", reply="UPDATETASK", request_re=rb" 0$", change=token(5, b"0")),
          strict=True),
        P("GETTASKINFO start time with a space", "SRV-TIMESTAMP-FORMAT",
          when("GETTASKINFO", status="OK", change=timestamps_as(rb"\1%20\2"))),
        P("report data not hex", "SRV-GETREPORT-FILE",
          when("GETREPORT", status="DATA", change=lambda b: [b"GETREPORT DATA ZZ"])),
        P("report data that is no HTML page", "SRV-GETREPORT-CONTENT",
          when("GETREPORT", status="DATA", change=lambda b: [b"GETREPORT DATA 4e4f"])),
        P("GETTASKINFO with 7 fields", "SRV-GETTASKINFO",
          when("GETTASKINFO", status="OK", change=token(3, None)), strict=True),
    ],
    "report_format_parameter": [
        P("XLS asked, HTML answered", "SRV-GETREPORT-FORMAT-PARAM",
          when("GETREPORT", status="BEGIN", request_re=rb" XLS$", change=token(2, b"HTML")),
          strict=True, also=frozenset({"SRV-GETREPORT-CONTENT"})),
        P("an XLS report that is no workbook", "SRV-GETREPORT-CONTENT",
          when("GETREPORT", status="DATA", request_re=rb" XLS$",
               change=lambda b: [b"GETREPORT DATA 3c68746d6c3e"])),
        P("an unknown format answered with a report", "SRV-GETREPORT-FORMAT-PARAM",
          err("GETREPORT", "ERR_GETREPORT", "ERR_BADSYNTAX"), strict=True),
    ],
    "hasp_matches_start": [P("HASP says e-mail 0 but an e-mail task starts",
                             "SRV-HASP-CONSISTENT", when(reply="HASP", change=token(5, b"0")))],
    "client_statuses": [
        P("ADDTASK with status 1: ERR_BADSYNTAX", "SRV-TASK-CLIENT-STATUS",
          err("ADDTASK", "ERR_ADDTASK", "ERR_BADSYNTAX"), strict=True),
    ],
    "start_refused_by_licence": [P("no GSM answered ERR_ADDTASK", "SRV-ERR-STARTTASK-LICENCE",
                                   err("STARTTASK", "ERR_NOGSM", "ERR_ADDTASK"))],
    "in_use": [
        P("list in use: ERR_DELLIST", "SRV-ERR-LISTUSE",
          err("DELLIST", "ERR_LISTUSE", "ERR_DELLIST")),
        P("message in use: ERR_DELMESSAGE", "SRV-ERR-MESSAGEUSE",
          err("DELMESSAGE", "ERR_MESSAGEUSE", "ERR_DELMESSAGE")),
    ],
    # --- groups
    "group_lifecycle": [
        P("ADDGROUP OK without the description", "SRV-ADDGROUP-OK",
          when("ADDGROUP", status="OK", change=token(4, None))),
        P("GETGROUPS without rows", "SRV-GETGROUPS-LISTING",
          when("GETGROUPS", status="DATA", change=drop())),
        P("UPDATEGROUP OK echoes the old name", "SRV-UPDATEGROUP-OK",
          when("UPDATEGROUP", status="OK", change=token(3, b"old"))),
        P("DELGROUP OK echoes another id", "SRV-DELGROUP-OK",
          when("DELGROUP", status="OK", change=token(2, b"1"))),
    ],
    "delete_group_in_use": [
        P("group in use: ERR_UPDATEGROUP", "SRV-DELGROUP-IN-USE",
          err("DELGROUP", "ERR_DELGROUP", "ERR_UPDATEGROUP")),
        P("the group's abonent no longer listed", "SRV-DELGROUP-IN-USE",
          when("GETABONENTS", status="DATA", change=drop())),
    ],
    "group_errors": [
        P("UPDATEGROUP unknown: ERR_GETTASK", "SRV-ERR-UPDATEGROUP",
          err("UPDATEGROUP", "ERR_UPDATEGROUP", "ERR_GETTASK")),
        P("DELGROUP unknown: ERR_UPDATEGROUP", "SRV-ERR-DELGROUP",
          err("DELGROUP", "ERR_DELGROUP", "ERR_UPDATEGROUP")),
        P("empty group name: ERR_NOACCESS", "SRV-ERR-ADDGROUP",
          err("ADDGROUP", "ERR_BADSYNTAX", "ERR_NOACCESS"), strict=True),
    ],
    "groups_of_a_list": [
        P("GETGROUPS <lid> lists nothing", "SRV-GETGROUPS-BY-LIST",
          when("GETGROUPS", status="DATA", request_has=b"GETGROUPS ", change=drop())),
        P("LISTADDGROUPS OK echoes one group", "SRV-LISTADDGROUPS-OK",
          when("LISTADDGROUPS", status="OK", change=token(3, b"1"))),
        P("LISTDELGROUPS refused", "SRV-LISTDELGROUPS-OK",
          when("LISTDELGROUPS", status="OK", change=status_to("ERR_LISTADDGROUPS", "x"))),
    ],
    # --- lists
    "list_lifecycle": [
        P("ADDLIST OK echoes another name", "SRV-ADDLIST-OK",
          when("ADDLIST", status="OK", change=token(3, b"other"))),
        P("GETLISTS without rows", "SRV-GETLISTS-LISTING",
          when("GETLISTS", status="DATA", change=drop())),
        P("UPDATLIST answered UPDATELIST", "SRV-UPDATLIST-ECHO",
          when("UPDATLIST", change=word_to(b"UPDATELIST"))),
        P("UPDATELIST answered UPDATLIST", "SRV-UPDATELIST-ECHO",
          when("UPDATELIST", change=word_to(b"UPDATLIST"))),
        P("DELLIST OK echoes another id", "SRV-DELLIST-OK",
          when("DELLIST", status="OK", change=token(2, b"1"))),
    ],
    "list_errors": [
        P("UPDATELIST unknown: ERR_DELLIST", "SRV-ERR-UPDATELIST",
          err("UPDATELIST", "ERR_UPDATELIST", "ERR_DELLIST")),
        P("DELLIST unknown: ERR_LISTUSE", "SRV-ERR-DELLIST",
          err("DELLIST", "ERR_DELLIST", "ERR_LISTUSE")),
        P("empty list name: ERR_DELLIST", "SRV-ERR-ADDLIST",
          err("ADDLIST", "ERR_BADSYNTAX", "ERR_DELLIST"), strict=True),
        P("LISTADDABONENTS unknown list: ERR_LISTADDGROUPS", "SRV-ERR-LISTADDABONENTS",
          err("LISTADDABONENTS", "ERR_LISTADDABONENTS", "ERR_LISTADDGROUPS")),
        P("LISTADDGROUPS unknown list: ERR_LISTADDABONENTS", "SRV-ERR-LISTADDGROUPS",
          err("LISTADDGROUPS", "ERR_LISTADDGROUPS", "ERR_LISTADDABONENTS")),
        P("LISTDELABONENTS unknown list: ERR_BADSYNTAX", "SRV-ERR-LISTDELABONENTS",
          err("LISTDELABONENTS", "ERR_LISTADDABONENTS", "ERR_BADSYNTAX")),
        P("LISTDELGROUPS unknown list: ERR_BADSYNTAX", "SRV-ERR-LISTDELGROUPS",
          err("LISTDELGROUPS", "ERR_LISTADDGROUPS", "ERR_BADSYNTAX")),
    ],
    "list_membership": [
        P("LISTADDABONENTS OK echoes one abonent", "SRV-LISTADDABONENTS-OK",
          when("LISTADDABONENTS", status="OK", change=token(3, b"1"))),
        P("GETABONENTS <gid> <lid> ignores the list", "SRV-GETABONENTS-FILTER",
          when("GETABONENTS", request_re=rb"^GETABONENTS \d+ \d+$", status="BEGIN",
               change=then(b"GETABONENTS DATA 999999" + b" " * 15))),
        P("LISTDELABONENTS refused", "SRV-LISTDELABONENTS-OK",
          when("LISTDELABONENTS", status="OK", change=status_to("ERR_LISTADDABONENTS", "x"))),
        P("LISTADDGROUPS refused", "SRV-GETABONENTS-LIST-GROUPS",
          when("LISTADDGROUPS", status="OK", change=status_to("ERR_LISTADDGROUPS", "x")),
          strict=True),
    ],
    "delete_list_keeps_members": [
        P("the list's abonents gone after DELLIST", "SRV-DELLIST-KEEPS-MEMBERS",
          when("GETABONENTS", request_re=rb"^GETABONENTS$", status="DATA", change=drop())),
        P("DELLIST refused", "SRV-DELLIST-KEEPS-MEMBERS",
          when("DELLIST", status="OK", change=status_to("ERR_DELLIST", "x"))),
    ],
    "list_clear": [P("LISTCLEAR refused", "SRV-LISTCLEAR",
                     when("LISTCLEAR", status="OK", change=status_to("ERR_LISTCLEAR", "x")),
                     strict=True)],
    # --- abonents
    "abonent_add_update": [
        P("ADDABONENT reply without EMAIL lines", "SRV-ADDABONENT-OK",
          when("ADDABONENT", status="EMAIL", change=drop())),
        P("UPDATEABONENT keeps an old e-mail", "SRV-UPDATEABONENT-OK",
          when("UPDATEABONENT", status="END", change=lambda b: [
              b"UPDATEABONENT EMAIL old@example.org", b])),
        P("GETABONENTS without PHONE lines", "SRV-GETABONENTS-LISTING",
          when("GETABONENTS", status="PHONE", change=drop())),
        P("ADDABONENT OK with another rank", "SRV-ADDABONENT-OK",
          when("ADDABONENT", status="OK", change=token(15, b"x"))),
        P("listed abonents' EMAIL lines before their PHONE lines", "SRV-ABONENT-PHONES-FIRST",
          emails_first(), strict=True),
    ],
    "abonent_times": [P("UPDATEABONENT with a new createtime", "SRV-ABONENT-TIMES",
                        when("UPDATEABONENT", status="OK",
                             change=timestamps_as(rb"2001-01-01T\2")))],
    "move_abonents": [
        P("GROUPADDABONENTS OK echoes another group", "SRV-GROUPADDABONENTS-OK",
          when("GROUPADDABONENTS", status="OK", change=token(2, b"1"))),
        P("GROUPADDABONENTS unknown group: ERR_GETABONENT", "SRV-ERR-GROUPADDABONENTS",
          err("GROUPADDABONENTS", "ERR_GROUPADDABONENTS", "ERR_GETABONENT")),
    ],
    "unknown_abonent": [
        P("UPDATEABONENT unknown: ERR_UPDATEABONENT", "SRV-ERR-GETABONENT",
          err("UPDATEABONENT", "ERR_GETABONENT", "ERR_UPDATEABONENT")),
        P("ADDABONENT unknown group: ERR_BADSYNTAX", "SRV-ERR-ADDABONENT",
          err("ADDABONENT", "ERR_ADDABONENT", "ERR_BADSYNTAX"), strict=True),
    ],
    "get_abonent": [P("GETABONENT reports another phone", "SRV-GETABONENT",
                      when("GETABONENT", status="PHONE", change=token(3, b"+70000000000")),
                      strict=True)],
    "delete_abonents": [P("DELABONENTS unknown: ERR_BADARGUMENT_COUNT", "SRV-DELABONENTS",
                          err("DELABONENTS", "ERR_DELABONENTS", "ERR_BADARGUMENT_COUNT"),
                          strict=True)],
    "broken_sequences": [P("a broken ADDABONENT: ERR_ADDABONENT", "SRV-MULTILINE-SEQUENCE",
                           err("ADDABONENT", "ERR_BADSYNTAX", "ERR_ADDABONENT"), strict=True)],
    "interrupted_request": [P("interrupted ADDABONENT not answered", "SRV-MULTILINE-INTERRUPTED",
                              when("PING", reply="ADDABONENT", change=drop()), strict=True)],
    # --- messages
    "message_lifecycle": [
        P("ADDMESSAGE OK without edittime", "SRV-ADDMESSAGE-OK",
          when("ADDMESSAGE", status="OK", change=token(9, None)), strict=True),
        P("MESSAGES without rows", "SRV-MESSAGES-LISTING",
          when("MESSAGES", status="DATA", change=drop()), strict=True),
        P("UPDATEMESSAGE OK with the old text", "SRV-UPDATEMESSAGE-OK",
          when("UPDATEMESSAGE", status="OK", change=token(5, b"old")), strict=True),
        P("DELMESSAGE refused", "SRV-DELMESSAGE-OK",
          when("DELMESSAGE", status="OK", change=status_to("ERR_DELMESSAGE", "x")), strict=True),
    ],
    "message_errors": [
        P("UPDATEMESSAGE unknown: ERR_DELMESSAGE", "SRV-ERR-UPDATEMESSAGE",
          err("UPDATEMESSAGE", "ERR_UPDATEMESSAGE", "ERR_DELMESSAGE"), strict=True),
        P("DELMESSAGE unknown: ERR_UPDATEMESSAGE", "SRV-ERR-DELMESSAGE",
          err("DELMESSAGE", "ERR_DELMESSAGE", "ERR_UPDATEMESSAGE"), strict=True),
        P("SMS without text: ERR_BADSYNTAX", "SRV-ERR-ADDMESSAGE",
          err("ADDMESSAGE", "ERR_ADDMESSAGE", "ERR_BADSYNTAX"), strict=True),
    ],
    # --- users
    "whoami": [P("USER reports read-only rights", "SRV-USER",
                 when("USER", status="OK", change=token(3, b"0")), strict=True)],
    "user_lifecycle": [
        P("USERADD OK echoes the password", "SRV-USERADD-OK",
          when("USERADD", status="OK", change=token(3, b"0 x")), strict=True),
        P("USERS without rows", "SRV-USERS-LISTING",
          when("USERS", status="DATA", change=drop()), strict=True),
        P("CHECKPASSW of the right password refused", "SRV-CHECKPASSW-OK",
          when("CHECKPASSW", status="OK", change=status_to("ERR_CHECKPASSW", "x")), strict=True),
        P("CHECKPASSW wrong password: ERR_BADLOGIN", "SRV-ERR-CHECKPASSW",
          err("CHECKPASSW", "ERR_CHECKPASSW", "ERR_BADLOGIN")),
        P("USERCHG OK with the old rights", "SRV-USERCHG-OK",
          when("USERCHG", status="OK", change=token(3, b"0")), strict=True),
        P("USERDEL refused", "SRV-USERDEL-OK",
          when("USERDEL", status="OK", change=status_to("ERR_USERDEL", "x")), strict=True),
        P("USER names someone else after CHECKPASSW", "SRV-CHECKPASSW-SESSION",
          when("USER", status="OK", change=token(2, b"someone")), strict=True),
        P("USERCHG with an empty password refused", "SRV-USERCHG-KEEP-PASSWORD",
          when("USERCHG", request_re=rb"^USERCHG \S+  ", change=status_to("ERR_USERCHG", "x")),
          strict=True),
    ],
    "user_errors": [
        P("taken login: ERR_USERADD", "SRV-ERR-USERALREADY",
          err("USERADD", "ERR_USERALREADY", "ERR_USERADD")),
        P("USERCHG unknown: ERR_USERADD", "SRV-ERR-USERCHG",
          err("USERCHG", "ERR_USERCHG", "ERR_USERADD"), strict=True),
        P("USERDEL unknown: ERR_USERCHG", "SRV-ERR-USERDEL",
          err("USERDEL", "ERR_USERDEL", "ERR_USERCHG"), strict=True),
        P("empty password: ERR_USERALREADY", "SRV-ERR-USERADD",
          err("USERADD", "ERR_USERADD", "ERR_USERALREADY"), strict=True),
    ],
    # --- monitoring
    "monitoring": [
        P("unsolicited UPDATETASK lines dropped", "SRV-MONITORING-UNSOLICITED",
          when(reply="UPDATETASK", status="OK", not_request=STATUS_WORDS, change=drop())),
        P("an unsolicited line leaks into a listing", "SRV-MONITORING-BETWEEN-REPLIES",
          when("GETGROUPS", status="BEGIN", change=then(b"UPDATETASK OK 1 x 3 0")), strict=True),
        P("MONITORING OK echoes nothing", "SRV-MONITORING-OK",
          when("MONITORING", reply="MONITORING", status="OK", change=token(2, None)), strict=True),
        P("unsolicited lines after MONITORING 0", "SRV-MONITORING-OFF", monitoring_after_off(),
          strict=True),
    ],
    "monitoring_start_stop": [
        P("unsolicited lines for STARTTASK/STOPTASK dropped", "SRV-MONITORING-UNSOLICITED",
          when(reply="UPDATETASK", status="OK", not_request=STATUS_WORDS, change=drop())),
    ],
    # --- appendix A (project)
    "channels": [
        P("GETCHANNELS rows with 4 fields", "SRV-GETCHANNELS-LISTING",
          when("GETCHANNELS", status="DATA", change=token(6, None)), strict=True),
        P("GETCHANINFO unknown: ERR_NOFILE", "SRV-ERR-GETCHANINFO",
          err("GETCHANINFO", "ERR_GETCHANINFO", "ERR_NOFILE"), strict=True),
        P("GETCHANINFO reports another type", "SRV-GETCHANINFO-OK",
          when("GETCHANINFO", status="OK", change=token(3, b"9")), strict=True,
          also=("SRV-SETCHANINFO-OK",)),
        P("SETCHANINFO keeps the old name", "SRV-SETCHANINFO-OK",
          when("SETCHANINFO", status="OK", change=token(4, b"old")), strict=True),
    ],
    "configuration": [
        P("GETCONFIG rows with 3 fields", "SRV-GETCONFIG-LISTING",
          when("GETCONFIG", status="DATA", change=lambda b: [b + b" x"]), strict=True),
        P("SETCONFIG OK echoes another value", "SRV-SETCONFIG-OK",
          when("SETCONFIG", status="OK", change=token(3, b"other")), strict=True),
        P("SETCONFIG unknown key: ERR_BADARGUMENT_COUNT", "SRV-ERR-SETCONFIG",
          when("SETCONFIG", status="ERR_SETCONFIG", request_has=b"no_such_key",
               change=status_to("ERR_BADARGUMENT_COUNT", "x")), strict=True),
    ],
    "server_log": [
        P("GETLOG 1999: ERR_NOFILE", "SRV-ERR-NOLOGFILE",
          when("GETLOG", request_has=b"1999", change=status_to("ERR_NOFILE", "x"))),
        P("GETLOG of today answered OK", "SRV-GETLOG-LISTING",
          when("GETLOG", request_has=b"20", not_request=(), change=status_to("OK")),
          strict=True),
    ],
    "speech_synthesis": [
        P("TTS unknown voice: ERR_NOFILE", "SRV-ERR-GETTTS",
          err("TTS", "ERR_GETTTS", "ERR_NOFILE")),
        P("GETTTS rows with 2 fields", "SRV-GETTTS-LISTING",
          when("GETTTS", status="DATA", change=token(4, None)), strict=True),
        P("TTS BEGIN MP3", "SRV-TTS-FILE",
          when("TTS", status="BEGIN", change=token(2, b"MP3")), strict=True),
    ],
    "raw_files": [
        P("missing file: ERR_GETTTS", "SRV-ERR-NOFILE",
          err("GETRAWFILE", "ERR_NOFILE", "ERR_GETTTS")),
        P("SENDRAWFILE OK with another size", "SRV-SENDRAWFILE-OK",
          when("SENDRAWFILE", status="OK", change=token(3, b"1")), strict=True),
        P("GETRAWFILE returns other bytes", "SRV-GETRAWFILE-FILE",
          when("GETRAWFILE", status="DATA", change=lambda b: [b[:-2] + b"00"]), strict=True),
    ],
    "file_names": [P("GETRAWFILE ../nabat.db served", "SRV-FILENAME-PLAIN",
                     when("GETRAWFILE", request_has=b"../", change=lambda b: [
                         b"GETRAWFILE BEGIN x 1", b"GETRAWFILE DATA 00", b"GETRAWFILE END"]),
                     strict=True)],
    # --- timestamps (ruling 11)
    "timestamp_format": [
        P("abonent timestamps with a space instead of T", "SRV-TIMESTAMP-FORMAT",
          when("ADDABONENT", status="OK", change=timestamps_as(rb"\1%20\2"))),
        P("listed abonent timestamps without seconds", "SRV-TIMESTAMP-FORMAT",
          when("GETABONENTS", status="DATA",
               change=lambda b: [re.sub(rb"(T\d{2}:\d{2}):\d{2}", rb"\1", b)])),
        P("message timestamps as dd.mm.yyyy", "SRV-TIMESTAMP-FORMAT",
          when("ADDMESSAGE", status="OK", change=timestamps_as(rb"01.02.2030T\2"))),
    ],
    # --- field formats (project)
    "id_bounds": [P("the largest id refused as malformed", "SRV-FIELD-ID",
                    err("GETTASK", "ERR_GETTASK", "ERR_BADSYNTAX"), strict=True)],
    "field_values": [P("a phone with letters: ERR_GETABONENT", "SRV-FIELD-VALUES",
                       err("ADDABONENT", "ERR_BADSYNTAX", "ERR_GETABONENT"), strict=True)],
    "task_field_values": [P("task type 7 accepted", "SRV-TASK-TYPE-REFUSE",
                            when("ADDTASK", request_re=rb"^ADDTASK 7 ", change=status_to("OK")))],
    "malformed_timestamps": [P("a malformed timestamp: ERR_GETABONENT", "SRV-TIMESTAMP-REFUSE",
                               err("ADDABONENT", "ERR_BADSYNTAX", "ERR_GETABONENT"),
                               strict=True)],
}
