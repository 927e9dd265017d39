"""Evidence: what a case saw on the wire, kept so a failure can be reproduced.

The core does not know any protocol. Each protocol adapter (HTTP today; a line
protocol or AT commands later) produces objects satisfying :class:`Exchange`:
a one-line title, a multi-line text rendering, a JSON-ready dict and, when
possible, a one-line shell command that repeats the request. Reports only use
these four methods. :class:`Note` is free text attached by a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Exchange(Protocol):
    """One request/answer pair (or one unsolicited message) seen by a case."""

    @property
    def kind(self) -> str: ...

    def title(self) -> str: ...

    def render_text(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...

    def reproduce(self) -> str | None: ...


@dataclass(frozen=True)
class Note:
    """A remark a case attaches to its evidence (for example a state change)."""

    text: str
    kind: str = "note"

    def title(self) -> str:
        return self.text

    def render_text(self) -> str:
        return f"# {self.text}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}

    def reproduce(self) -> str | None:
        return None
