"""The request and reply lines of the spec's sections, transcribed verbatim
(wrapped lines joined, bold markers dropped), and a parser for their
``<param>`` / ``[param]`` notation. ``test_commands`` checks the command
table against them and, where the spec file is present, that every line here
really is in the spec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# The specs live beside the repository (``<repo root>/../shared/specs/``) and may be
# absent (a CI user's clone): the tests that read them skip with SPEC_MISSING then.
REPO_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = REPO_ROOT.parent / "shared" / "specs"
SPEC_PATH = SPECS_DIR / "notification-server-protocol.ru.txt"
SPEC_MISSING = f"the spec file is absent: {SPEC_PATH.name} not in <repo root>/../shared/specs/"

ABONENT_FIELDS = (
    "<id> <gid> <remote> <name> <priority> <experiodbegin> <experiodend> <pin> <ipaddress> "
    "<createtime> <edittime> <organization> <departament> <rank> <position> <description>"
)
ABONENT_NEW = (
    "<gid> <remote> <name> <priority> <experiodbegin> <experiodend> <pin> <ipaddress> "
    "<organization> <departament> <rank> <position> <description>"
)
TASK_BODY = (
    "<name> <listid> <messageid> <priority> <channels> <shedule> <rkey> <rpin> <rsms> "
    "<confirm> <addinfo>"
)

# word -> (request lines, reply lines), as the spec's sections write them.
SECTIONS: dict[str, tuple[list[str], list[str]]] = {
    "LOGIN": (
        ["LOGIN <login> <password>"],
        ["LOGIN OK <welcome>", "HASP <haspset> <boards> <gsmmodems> <dynamiccts> <email> <e1>"],
    ),
    "GETTASKS": (
        ["GETTASKS"],
        ["GETTASKS BEGIN <count>", "GETTASKS DATA <id> <name> <type> <status>", "GETTASKS END"],
    ),
    "GETTASK": (
        ["GETTASK <id>"],
        ["GETTASK OK <id> <ttype> <name> <listid> <messageid> <priority> <channels> <shedule> "
         "<rkey> <rpin> <rsms> <confirm> <addinfo>"],
    ),
    "ADDTASK": (
        ["ADDTASK <ttype> <tstatus> " + TASK_BODY],
        ["ADDTASK OK <id> <name> <ttype> <status>"],
    ),
    "UPDATETASK": (
        ["UPDATETASK <id> <ttype> <tstatus> " + TASK_BODY],
        ["UPDATETASK OK <id> <name> <ttype> <status>"],
    ),
    "DELTASK": (["DELTASK <id>"], ["DELTASK OK <id>"]),
    "STARTTASK": (["STARTTASK <id> <restart>"], []),
    "STOPTASK": (["STOPTASK <id>"], []),
    "GETREPORT": (
        ["GETREPORT <id>"],
        ["GETREPORT BEGIN <format>", "GETREPORT DATA <data>", "GETREPORT END"],
    ),
    "GETGROUPS": (
        ["GETGROUPS [lid]"],
        ["GETGROUPS BEGIN", "GETGROUPS DATA <gid> <name> <desc>", "GETGROUPS END"],
    ),
    "ADDGROUP": (["ADDGROUP <name> <desc>"], ["ADDGROUP OK <id> <name> <desc>"]),
    "UPDATEGROUP": (["UPDATEGROUP <id> <name> <desc>"], ["UPDATEGROUP OK <id> <name> <desc>"]),
    "DELGROUP": (["DELGROUP <id>"], ["DELGROUP OK <id>"]),
    "GETLISTS": (
        ["GETLISTS"],
        ["GETLISTS BEGIN", "GETLISTS DATA <lid> <name> <desc>", "GETLISTS END"],
    ),
    "ADDLIST": (["ADDLIST <name> <desc>"], ["ADDLIST OK <id> <name> <desc>"]),
    "UPDATLIST": (["UPDATLIST <id> <name> <desc>"], ["UPDATLIST OK <id> <name> <desc>"]),
    "DELLIST": (["DELLIST <id>"], ["DELLIST OK <id>"]),
    "GETABONENTS": (
        ["GETABONENTS [gid] [lid]"],
        [
            "GETABONENTS BEGIN",
            "GETABONENTS DATA <id> <gid> <remote> <name> <priority> <expreiodbegin> "
            "<expreiodend> <pin> <ipaddress> <createtime> <edittime> <organization> "
            "<departament> <rank> <position> <description>",
            "GETABONENTS PHONE <enabled> <phone> <type>",
            "GETABONENTS EMAIL <email>",
            "GETABONENTS END",
        ],
    ),
    "ADDABONENT": (
        [
            "ADDABONENT BEGIN",
            "ADDABONENT DATA " + ABONENT_NEW,
            "ADDABONENT PHONE <enabled> <phone> <type>",
            "ADDABONENT EMAIL <email>",
        ],
        [
            "ADDABONENT OK " + ABONENT_FIELDS,
            "ADDABONENT PHONE <enabled> <phone> <type>",
            "ADDABONENT EMAIL <email>",
        ],
    ),
    "UPDATEABONENT": (
        [
            "UPDATEABONENT BEGIN <id>",
            "UPDATEABONENT DATA " + ABONENT_NEW,
            "UPDATEABONENT PHONE <enabled> <phone> <type>",
            "UPDATEABONENT EMAIL <email>",
        ],
        [
            "UPDATEABONENT OK " + ABONENT_FIELDS,
            "UPDATEABONENT PHONE <enabled> <phone> <type>",
            "UPDATEABONENT EMAIL <email>",
        ],
    ),
    "GROUPADDABONENTS": (
        ["GROUPADDABONENTS <gid> <abonid1>[,<abonid2>,....,<abonidN>]"],
        ["GROUPADDABONENTS OK <gid> <abonid1>[,<abonid2>,....,<abonidN>]"],
    ),
    "LISTADDABONENTS": (
        ["LISTADDABONENTS <lid> <abonid1>[,<abonid2>,....,<abonidN>]"],
        ["LISTADDABONENTS OK <lid> <abonid1>[,<abonid2>,....,<abonidN>]"],
    ),
    "LISTADDGROUPS": (
        ["LISTADDGROUPS <lid> <groupid1>[,<groupid2>,....,<groupidN>]"],
        ["LISTADDGROUPS OK <lid> <groupid1>[,<groupid2>,....,<groupid1>]"],
    ),
    "LISTDELABONENTS": (
        ["LISTDELABONENTS <lid> <abonid1>[,<abonid2>,...,<abonidN>]"],
        ["LISTDELABONENTS OK <lid> <abonid1>[,<abonid2>,...,<abonidN>]"],
    ),
    "LISTDELGROUPS": (
        ["LISTDELGROUPS<lid> <groupid1>[,<groupid2>,...,<groupidN>]"],  # sic, ruling 6
        ["LISTDELGROUPS OK <lid> <groupid1>[,<groupid2>,...,<groupid1>]"],
    ),
}  # fmt: skip

APPENDIX_A = [
    "ADDABONENT",
    "ADDGROUP",
    "ADDLIST",
    "ADDMESSAGE",
    "ADDTASK",
    "CHECKPASSW",
    "DELABONENTS",
    "DELGROUP",
    "DELLIST",
    "DELMESSAGE",
    "DELTASK",
    "GETABONENT",
    "GETABONENTS",
    "GETCHANINFO",
    "GETCHANNELS",
    "GETCONFIG",
    "GETGROUPS",
    "GETLISTS",
    "GETLOG",
    "GETRAWFILE",
    "GETREPORT",
    "GETTASK",
    "GETTASKINFO",
    "GETTASKS",
    "GETTTS",
    "GROUPADDABONENTS",
    "LISTADDABONENTS",
    "LISTADDGROUPS",
    "LISTCLEAR",
    "LISTDELABONENTS",
    "LISTDELGROUPS",
    "LOGIN",
    "MESSAGES",
    "MONITORING",
    "PING",
    "QUIT",
    "SENDRAWFILE",
    "SETCHANINFO",
    "SETCONFIG",
    "STARTTASK",
    "STOPTASK",
    "TTS",
    "UPDATEABONENT",
    "UPDATEGROUP",
    "UPDATELIST",
    "UPDATEMESSAGE",
    "UPDATETASK",
    "USER",
    "USERADD",
    "USERCHG",
    "USERDEL",
    "USERS",
]


@dataclass(frozen=True)
class SpecLine:
    word: str
    status: str | None  # OK, BEGIN, DATA, ... or None for a plain request line
    required: int
    optional: int


_STATUS = {"OK", "BEGIN", "DATA", "END", "PHONE", "EMAIL"}


def parse(text: str) -> SpecLine:
    """``WORD [STATUS] <a> <b> [c]``; ``<x1>[,<x2>,...]`` counts as one parameter."""
    match = re.fullmatch(r"([A-Z]+)\s*(.*)", text)
    assert match, text
    tokens = match[2].split()
    status = tokens.pop(0) if tokens and tokens[0] in _STATUS else None
    required = sum(token.startswith("<") for token in tokens)
    optional = sum(token.startswith("[") for token in tokens)
    assert required + optional == len(tokens), text
    return SpecLine(match[1], status, required, optional)


def normalise(text: str) -> str:
    return " ".join(text.replace("**", "").split())
