"""The boundary between the store's errors and the protocol's: one table per command.

``COMMAND_ERRORS`` says, for each command word, which ``ERR_...`` code answers
a store error (``NotFound``, ``InUse`` ...) or a ``StateConflict``: ``default``
is the command's own code as appendix B lists it; ``rules`` name the
exceptions, keyed by the error's kind and, where it matters, the kind of item
(``(NotFound, "task")``: an unknown task is ``ERR_GETTASK`` wherever it shows
up). ``code_for`` looks a failure up: the most specific rule wins (the
error's class and its bases, each first with the item's entity, then for any
entity), else the default. A command without an entry has no store failure
the protocol could name, so ``code_for`` answers ``None`` and the dispatcher
treats it as an internal error. The reply text is the error's own short
message (which item, never secrets or SQL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nabat.system.engine.status import IllegalTransition
from nabat.system.protocol import ErrorCode
from nabat.system.server.errors import StateConflict
from nabat.system.store.errors import AlreadyExists, InUse, NotFound, StoreError

E = ErrorCode
Failure = StoreError | StateConflict | IllegalTransition
RuleKey = tuple[type[Exception], str | None]  # (kind of error, entity or None = any)


@dataclass(frozen=True, slots=True)
class CommandErrors:
    default: ErrorCode
    rules: Mapping[RuleKey, ErrorCode] = field(default_factory=dict)


NO_TASK: Mapping[RuleKey, ErrorCode] = {(NotFound, "task"): E.GETTASK}


COMMAND_ERRORS: Mapping[str, CommandErrors] = {
    # users
    "USERADD": CommandErrors(E.USERADD, {(AlreadyExists, "user"): E.USERALREADY}),
    "USERCHG": CommandErrors(E.USERCHG),
    "USERDEL": CommandErrors(E.USERDEL),
    # groups
    "ADDGROUP": CommandErrors(E.ADDGROUP),
    "UPDATEGROUP": CommandErrors(E.UPDATEGROUP),
    "DELGROUP": CommandErrors(E.DELGROUP),
    "GROUPADDABONENTS": CommandErrors(E.GROUPADDABONENTS),
    # distribution lists
    "ADDLIST": CommandErrors(E.ADDLIST),
    "UPDATELIST": CommandErrors(E.UPDATELIST),
    "UPDATLIST": CommandErrors(E.UPDATELIST),
    "DELLIST": CommandErrors(E.DELLIST, {(InUse, "list"): E.LISTUSE}),
    "LISTADDABONENTS": CommandErrors(E.LISTADDABONENTS),
    "LISTADDGROUPS": CommandErrors(E.LISTADDGROUPS),
    "LISTDELABONENTS": CommandErrors(E.LISTDELABONENTS),
    "LISTDELGROUPS": CommandErrors(E.LISTDELGROUPS),
    "LISTCLEAR": CommandErrors(E.LISTCLEAR),
    # abonents
    "ADDABONENT": CommandErrors(E.ADDABONENT),
    "UPDATEABONENT": CommandErrors(E.UPDATEABONENT, {(NotFound, "abonent"): E.GETABONENT}),
    "GETABONENT": CommandErrors(E.GETABONENT),
    "DELABONENTS": CommandErrors(E.DELABONENTS),
    # messages
    "ADDMESSAGE": CommandErrors(E.ADDMESSAGE),
    "UPDATEMESSAGE": CommandErrors(E.UPDATEMESSAGE),
    "DELMESSAGE": CommandErrors(E.DELMESSAGE, {(InUse, "message"): E.MESSAGEUSE}),
    # tasks
    "GETTASK": CommandErrors(E.GETTASK),
    "ADDTASK": CommandErrors(E.ADDTASK),
    "UPDATETASK": CommandErrors(E.UPDATETASK, NO_TASK),
    "DELTASK": CommandErrors(E.DELTASK, NO_TASK),
    # STARTTASK has no code of its own in appendix B; its success reply is UPDATETASK
    "STARTTASK": CommandErrors(E.UPDATETASK, NO_TASK),
    "STOPTASK": CommandErrors(E.TASKNOTRUNNING, NO_TASK),
    "GETTASKINFO": CommandErrors(E.GETTASK),
    "GETREPORT": CommandErrors(E.GETREPORT),
    # channels and configuration
    "GETCHANINFO": CommandErrors(E.GETCHANINFO),
    "SETCHANINFO": CommandErrors(E.SETCHANINFO, {(NotFound, "channel"): E.GETCHANINFO}),
    "SETCONFIG": CommandErrors(E.SETCONFIG),
}


def code_for(word: str, failure: Failure) -> ErrorCode | None:
    """The code answering ``failure`` of command ``word``; None when the table has
    no entry for the command (then the failure is internal)."""
    errors = COMMAND_ERRORS.get(word)
    if errors is None:
        return None
    entity = failure.entity if isinstance(failure, StoreError) else None
    for kind in type(failure).__mro__:
        if entity is not None and (kind, entity) in errors.rules:
            return errors.rules[(kind, entity)]
        if (kind, None) in errors.rules:
            return errors.rules[(kind, None)]
    return errors.default


def text_of(failure: Failure) -> str:
    """The reply text: the error's own short message."""
    return failure.message if isinstance(failure, StoreError) else str(failure)
