"""What every command handler module shares: the handler type and argument checks.

A handler is ``handler(modem, command) -> Reply``. Argument helpers raise the
error the command family uses for a bad value: ``+CME ERROR: 50`` (incorrect
parameters) for 27.007 commands, ``+CMS ERROR: 302``/``304``/``305`` for
27.005 ones (the caller passes the exception to raise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from nabat.simulators.gsm_modem.errors import (
    CME_INCORRECT_PARAMETERS,
    CmeError,
    CommandFailure,
    PlainError,
)
from nabat.simulators.gsm_modem.reply import Reply
from nabat.system.wire.at import AtCommand, CommandKind

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

Handler: TypeAlias = Callable[["Modem", AtCommand], Reply]

ACTION = CommandKind.ACTION
SET = CommandKind.SET
READ = CommandKind.READ
TEST = CommandKind.TEST


def bad_parameter() -> CommandFailure:
    return CmeError(CME_INCORRECT_PARAMETERS)


def integer(
    command: AtCommand,
    position: int,
    low: int,
    high: int,
    default: int | None = None,
    error: Callable[[], CommandFailure] = bad_parameter,
) -> int:
    """Argument ``position`` as an integer within [low, high] (``default`` when omitted)."""
    value = command.args[position] if position < len(command.args) else ""
    if value == "":
        if default is None:
            raise error()
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise error()
    number = int(value)
    if not low <= number <= high:
        raise error()
    return number


def text(command: AtCommand, position: int, default: str | None = None) -> str:
    if position < len(command.args) and (command.args[position] or command.quoted[position]):
        return command.args[position]
    if default is None:
        raise bad_parameter()
    return default


def at_most(
    command: AtCommand, count: int, error: Callable[[], CommandFailure] = bad_parameter
) -> None:
    if len(command.args) > count:
        raise error()


def unsupported_form() -> PlainError:
    return PlainError()
