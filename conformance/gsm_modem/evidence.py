"""The byte journal of a case, as evidence the reports show.

Every byte the suite writes to the modem and every byte it reads is one
:class:`Chunk` (direction, seconds since the case started, the bytes).
:class:`AtExchange` implements the framework's ``Exchange`` protocol for one
command (or one wait for unsolicited codes): its title is the command and the
final result it got, its text rendering lists each chunk with its time and
the bytes in a printable form (``\\r``, ``\\n``, ``\\x1a`` spelled out), and
its dict carries the bytes as text and as hex. Together the exchanges of a
case hold every byte of the case, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_NAMED = {0x0D: "\\r", 0x0A: "\\n", 0x1A: "\\x1a(Ctrl-Z)", 0x1B: "\\x1b(Esc)", 0x5C: "\\\\"}


def printable(data: bytes) -> str:
    """ASCII as is; CR, LF, Ctrl-Z, Esc and other bytes spelled out."""
    return "".join(
        _NAMED.get(byte) or (chr(byte) if 0x20 <= byte < 0x7F else f"\\x{byte:02x}")
        for byte in data
    )


@dataclass(frozen=True)
class Chunk:
    direction: str  # "tx": written to the modem; "rx": read from it
    at: float  # seconds since the case started
    data: bytes

    def render(self) -> str:
        arrow = ">" if self.direction == "tx" else "<"
        return f"{self.at:9.3f} s {arrow} {printable(self.data)}"

    def to_dict(self) -> dict[str, Any]:
        return {"dir": self.direction, "t": round(self.at, 6), "data": printable(self.data),
                "hex": self.data.hex()}


@dataclass(frozen=True)
class AtExchange:
    label: str  # the command, or what was awaited
    outcome: str  # the final result code, "prompt", "timeout", or what a wait saw
    chunks: tuple[Chunk, ...]
    elapsed_ms: float
    kind: str = "at"

    def title(self) -> str:
        shown = self.label if len(self.label) <= 70 else self.label[:70] + "..."
        return f"{shown} -> {self.outcome} ({self.elapsed_ms:.1f} ms)"

    def render_text(self) -> str:
        lines = [f"# {self.title()}"]
        lines += [chunk.render() for chunk in self.chunks]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "outcome": self.outcome,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "bytes": [chunk.to_dict() for chunk in self.chunks],
        }

    def reproduce(self) -> str | None:
        return None
