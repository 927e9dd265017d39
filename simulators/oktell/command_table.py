"""The Oktell simulator's command table: one handler per HTTP command name.

A handler module decorates its functions with ``@command("name", ...)``; the
decorator files them in ``COMMANDS`` under the lower-cased names. The app
(app.py) parses every request once into an ``OktellRequest`` (command, the
rest of the path, merged query and form parameters with lower-cased names),
looks the command up here and calls the handler with the simulator's state
(``OktellPbx``). A handler signals an error by raising ``OktellError``; the app
answers it the one documented way (the status with the text as plain text).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nabat.simulators.http.messages import Response

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx


@dataclass(frozen=True, slots=True)
class OktellRequest:
    """One Oktell command request as the handlers see it."""

    command: str  # lower-cased first path segment: "execsvcscript", "download", ...
    rest: str  # the path after the command, unquoted: "rec/ABC", "byscript", ""
    params: Mapping[str, str]  # query and form parameters merged (form wins), names lower-cased
    method: str  # "GET" | "POST"
    content_type: str  # lower-cased media type without parameters, "" when none
    headers: Mapping[str, str]  # lower-cased names
    body: bytes

    def param(self, name: str, default: str = "") -> str:
        """The parameter ``name`` (lower-case), or ``default`` when absent."""
        return self.params.get(name, default)


Handler = Callable[[OktellRequest, "OktellPbx"], Response | Awaitable[Response]]

COMMANDS: dict[str, Handler] = {}


def command(*names: str) -> Callable[[Handler], Handler]:
    """Register the decorated handler under each of ``names`` (case-insensitive)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            key = name.lower()
            existing = COMMANDS.get(key)
            if existing is not None and existing is not handler:
                existing_name = getattr(existing, "__qualname__", repr(existing))
                raise ValueError(f"Oktell command {key!r} is already handled by {existing_name}")
            COMMANDS[key] = handler
        return handler

    return register


class OktellError(Exception):
    """An error a handler answers with: HTTP ``status`` and a short plain ``text``."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status} {text}")
        self.status = status
        self.text = text
