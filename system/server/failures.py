"""Failures a handler raises, turned into error replies by the session.

Handlers raise ``CommandFailed`` (or let the store's ``StoreError`` and the
licence's ``StartRefused`` through); the session answers
``WORD ERR_CODE text`` with the request's word. ``NotImplementedCommand`` is
the honest answer of a known command this server does not implement yet.
"""

from __future__ import annotations

from nabat.system.protocol import ErrorCode


class CommandFailed(Exception):
    def __init__(self, error: ErrorCode, text: str | None = None) -> None:
        super().__init__(error.code)
        self.error = error
        self.text = text if text is not None else error.text


class NotImplementedCommand(CommandFailed):
    def __init__(self, word: str) -> None:
        super().__init__(ErrorCode.BADSYNTAX, f"{word}: not implemented yet")
