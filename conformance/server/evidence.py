"""Evidence of the line protocol: what a case sent and what the server answered.

:class:`LineExchange` implements the framework's ``Exchange`` protocol. Each
line is kept as raw bytes (a printable rendering and hex), as cp1251 text and
as its decoded word and parameters (``%XX`` undone). Password parameters
never reach it: the client records a redacted copy of every request that
carries one (LOGIN, CHECKPASSW, USERADD, USERCHG).
Unsolicited lines set aside while waiting for the reply are kept too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nabat.conformance.server.wire import decode_line, show_bytes, to_text

LINE_LIMIT = 60  # lines per direction kept in one exchange


def _line_dict(raw: bytes) -> dict[str, Any]:
    line = decode_line(raw)
    return {"text": to_text(raw)[0], "raw": show_bytes(raw), "hex": raw.hex(),
            "decoded": [line.word, *line.params]}


def _cut(lines: Sequence[bytes]) -> tuple[list[bytes], int]:
    if len(lines) <= LINE_LIMIT:
        return list(lines), 0
    return list(lines[:LINE_LIMIT]), len(lines) - LINE_LIMIT


@dataclass(frozen=True)
class LineExchange:
    label: str
    sent: tuple[bytes, ...]
    received: tuple[bytes, ...]
    set_aside: tuple[bytes, ...] = ()
    elapsed_ms: float = 0.0
    error: str | None = None
    kind: str = "line"

    def title(self) -> str:
        first = to_text(self.sent[0])[0] if self.sent else "(nothing sent)"
        if len(first) > 70:
            first = first[:70] + "..."
        answer = (
            f"error: {self.error}" if self.error
            else to_text(self.received[0])[0][:60] if self.received else "(no reply)"
        )
        more = f", {len(self.received)} lines" if len(self.received) > 1 else ""
        who = f" [{self.label}]" if self.label else ""
        return f"{first} -> {answer}{more} ({self.elapsed_ms:.1f} ms){who}"

    def render_text(self) -> str:
        lines: list[str] = []
        sent, sent_more = _cut(self.sent)
        received, received_more = _cut(self.received)
        for raw in sent:
            lines.append(f"> {show_bytes(raw)}\\r\\n")
        if sent_more:
            lines.append(f"> ... {sent_more} more lines")
        for raw in received:
            lines.append(f"< {show_bytes(raw)}\\r\\n")
            text = to_text(raw)[0]
            if text != show_bytes(raw):
                lines.append(f"<   = {text}")
        if received_more:
            lines.append(f"< ... {received_more} more lines")
        lines += [f"< (set aside, unsolicited) {show_bytes(raw)}" for raw in self.set_aside]
        if self.error:
            lines.append(f"! {self.error}")
        lines.append(f"({self.elapsed_ms:.1f} ms)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        sent, sent_more = _cut(self.sent)
        received, received_more = _cut(self.received)
        return {
            "kind": self.kind,
            "label": self.label,
            "request": [_line_dict(raw) for raw in sent],
            "request_lines_omitted": sent_more,
            "reply": [_line_dict(raw) for raw in received],
            "reply_lines_omitted": received_more,
            "set_aside": [_line_dict(raw) for raw in self.set_aside],
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }

    def reproduce(self) -> str | None:
        return None
