"""The dispatch table (command word -> handler) and the one place failures become replies.

The codec's command table (``nabat.system.protocol.COMMANDS``) already declares
each command's parameters, rights and reply shape; this table adds only
which coroutine runs it. A known command without a handler answers
``ERR_BADSYNTAX`` "not implemented yet", never a fake result.

``run`` calls the handler and answers what it raises, so no handler repeats
it: a ``CommandFailed`` with its own code; a store error or a
``StateConflict`` with the command's code from ``error_map.py``; the
licence's ``StartRefused`` with its code. Anything else is a bug: it is
logged with its traceback under a short incident id and answered
``WORD ERR_INTERNAL <text> (incident <id>)``, a code no suite can take for
"unknown command"; the text never quotes the exception (it might hold a
secret). Codec errors and lost connections go up to the session.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping

from nabat.system.engine.status import IllegalTransition
from nabat.system.licence import StartRefused
from nabat.system.protocol import COMMANDS, Command, ErrorCode, Line, ProtocolError, error_reply
from nabat.system.server.context import Call, Handler
from nabat.system.server.error_map import code_for, text_of
from nabat.system.server.errors import CommandFailed, NotImplementedCommand, StateConflict
from nabat.system.server.handlers import (
    abonents,
    basic,
    channels,
    config,
    files,
    groups,
    lists,
    logs,
    messages,
    tasks,
    tts,
    users,
)
from nabat.system.store import StoreError

log = logging.getLogger("nabat.server.dispatch")

HANDLERS: Mapping[str, Handler] = {
    **basic.HANDLERS,
    **users.HANDLERS,
    **groups.HANDLERS,
    **lists.HANDLERS,
    **abonents.HANDLERS,
    **messages.HANDLERS,
    **tasks.HANDLERS,
    **channels.HANDLERS,
    **config.HANDLERS,
    **logs.HANDLERS,
    **files.HANDLERS,
    **tts.HANDLERS,
}
assert set(HANDLERS) <= set(COMMANDS), set(HANDLERS) - set(COMMANDS)

NOT_IMPLEMENTED: tuple[str, ...] = tuple(sorted(set(COMMANDS) - set(HANDLERS)))


async def not_implemented(call: Call) -> None:
    raise NotImplementedCommand(call.word)


def handler_for(command: Command) -> Handler:
    return HANDLERS.get(command.word, not_implemented)


def new_incident_id() -> str:
    """A short random id tying an ``ERR_INTERNAL`` reply to its log entry."""
    return secrets.token_hex(4)


def internal_reply(call: Call, exc: BaseException) -> Line:
    incident = new_incident_id()
    log.error(
        "session %s: %s failed internally, incident %s",
        call.session.peer, call.word, incident, exc_info=exc,
    )  # fmt: skip
    return error_reply(
        call.word, ErrorCode.INTERNAL, f"{ErrorCode.INTERNAL.text} (incident {incident})"
    )


def failure_reply(call: Call, exc: Exception) -> Line:
    """The error reply to what a handler raised (see the module's comment)."""
    if isinstance(exc, CommandFailed):
        return error_reply(call.word, exc.error, exc.text)
    if isinstance(exc, StoreError | StateConflict | IllegalTransition):
        code = code_for(call.word, exc)
        if code is not None:
            return error_reply(call.word, code, text_of(exc))
    if isinstance(exc, StartRefused):
        return error_reply(call.word, exc.error)
    return internal_reply(call, exc)


async def run(call: Call) -> None:
    """Run the call's handler; answer its failure, if any, with one error reply."""
    try:
        await handler_for(call.command)(call)
    except (ProtocolError, ConnectionError):
        raise
    except Exception as exc:
        await call.reply([failure_reply(call, exc)])
