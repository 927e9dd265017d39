"""The suite's own command table: every single-line command that needs a right,
with the lowest rights level that may run it (docs/protocol.md, "Sessions and
rights") and a harmless request of the right arity.

The table is the suite's, never the server's: the rights cases walk it and
send each request as a user below the command's level. A request is harmless
if the server wrongly runs it: ids are ones no store holds (``NO_SUCH_ID``),
names carry the run prefix (``NAME`` is replaced by ``env.name``) and what a
wrongly accepted ADD creates is registered with the janitor (``undo``).
``READS`` are the commands that only read (any logged-in user may run them).
The multi-line requests (ADDABONENT, UPDATEABONENT, SENDRAWFILE) are not in
the table: their first line alone is not a complete request (``MULTILINE_HEADS``
holds those first lines, for the access checks before LOGIN).
"""

from __future__ import annotations

from dataclasses import dataclass

READ_ONLY, OPERATOR, ADMINISTRATOR = "0", "1", "2"
NO_SUCH_ID = "2147480001"
NAME = "{name}"  # replaced by a fresh run-prefixed name


@dataclass(frozen=True)
class Command:
    word: str
    rights: str  # the lowest level that may run it
    params: tuple[str, ...]
    project: bool = False  # a project command (ruling 12) a server may lack
    undo: str | None = None  # deletes what a wrongly accepted request created

    def request(self, name: str) -> tuple[str, ...]:
        return tuple(name if param == NAME else param for param in self.params)


def _task(*head: str) -> tuple[str, ...]:
    return (*head, "3", "0", NAME, NO_SUCH_ID, NO_SUCH_ID, "1", "", "", "", "", "", "", "")


_ID = (NO_SUCH_ID,)
_TWO_IDS = (NO_SUCH_ID, NO_SUCH_ID)

COMMANDS: tuple[Command, ...] = (
    # operator: changes tasks, groups, lists, abonents, messages; runs tasks
    Command("ADDTASK", OPERATOR, _task()),
    Command("UPDATETASK", OPERATOR, _task(NO_SUCH_ID)),
    Command("DELTASK", OPERATOR, _ID),
    Command("STARTTASK", OPERATOR, (NO_SUCH_ID, "0")),
    Command("STOPTASK", OPERATOR, _ID),
    Command("ADDGROUP", OPERATOR, (NAME, ""), undo="DELGROUP"),
    Command("UPDATEGROUP", OPERATOR, (NO_SUCH_ID, NAME, "")),
    Command("DELGROUP", OPERATOR, _ID),
    Command("ADDLIST", OPERATOR, (NAME, ""), undo="DELLIST"),
    Command("UPDATELIST", OPERATOR, (NO_SUCH_ID, NAME, "")),
    Command("UPDATLIST", OPERATOR, (NO_SUCH_ID, NAME, "")),
    Command("DELLIST", OPERATOR, _ID),
    Command("LISTCLEAR", OPERATOR, _ID, project=True),
    Command("DELABONENTS", OPERATOR, _ID, project=True),
    Command("GROUPADDABONENTS", OPERATOR, _TWO_IDS),
    Command("LISTADDABONENTS", OPERATOR, _TWO_IDS),
    Command("LISTADDGROUPS", OPERATOR, _TWO_IDS),
    Command("LISTDELABONENTS", OPERATOR, _TWO_IDS),
    Command("LISTDELGROUPS", OPERATOR, _TWO_IDS),
    Command("ADDMESSAGE", OPERATOR, ("2", NAME, "x", "", ""), project=True, undo="DELMESSAGE"),
    Command("UPDATEMESSAGE", OPERATOR, (NO_SUCH_ID, "2", NAME, "x", "", ""), project=True),
    Command("DELMESSAGE", OPERATOR, _ID, project=True),
    Command("TTS", OPERATOR, (NAME, "x"), project=True),
    # administrator: users, configuration, channel settings, logs
    Command("USERS", ADMINISTRATOR, (), project=True),
    Command("USERADD", ADMINISTRATOR, (NAME, "Pw-not-used-12345", "0", "x", "x"), project=True,
            undo="USERDEL"),
    Command("USERCHG", ADMINISTRATOR, (NAME, "Pw-not-used-12345", "0", "x", "x"),
            project=True),
    Command("USERDEL", ADMINISTRATOR, (NAME,), project=True),
    Command("GETCONFIG", ADMINISTRATOR, (), project=True),
    Command("SETCONFIG", ADMINISTRATOR, (NAME, "x"), project=True),
    Command("GETCHANINFO", ADMINISTRATOR, _ID, project=True),
    Command("SETCHANINFO", ADMINISTRATOR, (NO_SUCH_ID, NAME, "0", ""), project=True),
    Command("GETLOG", ADMINISTRATOR, ("2000-01-01",), project=True),
)


# read-only: every command that only reads (a read-only user may run them all)
READS: tuple[Command, ...] = (
    Command("GETTASKS", READ_ONLY, ()),
    Command("GETTASK", READ_ONLY, _ID),
    Command("GETREPORT", READ_ONLY, _ID),
    Command("GETGROUPS", READ_ONLY, ()),
    Command("GETLISTS", READ_ONLY, ()),
    Command("GETABONENTS", READ_ONLY, ()),
    Command("GETTASKINFO", READ_ONLY, _ID, project=True),
    Command("GETABONENT", READ_ONLY, _ID, project=True),
    Command("MESSAGES", READ_ONLY, (), project=True),
    Command("USER", READ_ONLY, (), project=True),
    Command("GETCHANNELS", READ_ONLY, (), project=True),
    Command("GETTTS", READ_ONLY, (), project=True),
    Command("GETRAWFILE", READ_ONLY, (NAME,), project=True),
    Command("MONITORING", READ_ONLY, ("0",), project=True),
)

# the first line of each multi-line request (before LOGIN it alone must be refused)
MULTILINE_HEADS: tuple[Command, ...] = (
    Command("ADDABONENT", OPERATOR, ("BEGIN",)),
    Command("UPDATEABONENT", OPERATOR, ("BEGIN", NO_SUCH_ID)),
    Command("SENDRAWFILE", OPERATOR, ("BEGIN", NAME, "1"), project=True),
)


def above(rights: str) -> tuple[Command, ...]:
    """The commands a user with ``rights`` may not run."""
    return tuple(command for command in COMMANDS if command.rights > rights)
