"""The dispatch table: command word -> handler, one handler per command.

The codec's command table (``nabat.system.protocol.COMMANDS``) already declares
each command's parameters, rights and reply shape; this table adds only
which coroutine runs it. A known command without a handler answers
``ERR_BADSYNTAX`` "not implemented yet", never a fake result.
"""

from __future__ import annotations

from collections.abc import Mapping

from nabat.system.protocol import COMMANDS, Command
from nabat.system.server.context import Call, Handler
from nabat.system.server.failures import NotImplementedCommand
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
