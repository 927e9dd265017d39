"""The server's exceptions: one root, ``ServerError``, for every refusal it raises.

A handler refuses a request by raising a ``ServerError``; the dispatcher
(``dispatch.run``) turns it into ``WORD ERR_CODE text`` with the request's
word:

* ``CommandFailed`` names its code and text itself; ``NotImplementedCommand``
  is the honest ``ERR_BADSYNTAX`` "not implemented yet" of a known command
  this server does not implement (the only failure that says "unsupported").
* ``StateConflict`` is a request that lost a race with a task's state (the
  engine's ``IllegalTransition``, e.g. STOPTASK while the task finishes):
  the command's own code from ``error_map.py``, never an internal error.

The store's errors (``nabat.system.store.errors``) are the store's own tree;
``error_map.py`` maps them too. Anything else escaping a handler is a bug:
``ERR_INTERNAL`` with an incident id (``internal.py``), never ``ERR_BADSYNTAX``.
"""

from __future__ import annotations

from nabat.system.protocol import ErrorCode


class ServerError(Exception):
    """Root of the failures the server raises on purpose."""


class CommandFailed(ServerError):
    def __init__(self, error: ErrorCode, text: str | None = None) -> None:
        super().__init__(error.code)
        self.error = error
        self.text = text if text is not None else error.text


class NotImplementedCommand(CommandFailed):
    def __init__(self, word: str) -> None:
        super().__init__(ErrorCode.BADSYNTAX, f"{word}: not implemented yet")


class StateConflict(ServerError):
    """The request does not fit the item's state any more (a race, not a bug)."""
