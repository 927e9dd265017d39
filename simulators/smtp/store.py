"""The sink's journal of messages and bounces, bounded in count and bytes.

A ``StoredMessage`` is one accepted transaction: the envelope (sender,
SMTPUTF8, BODY, the session's EHLO name, login and TLS), each recipient with
the world's decision and the reply it got (250, or 550 for a rejected one:
rejected recipients are listed too, since they were part of the
transaction), and the described message (message.py). A recipient the world
bounces is accepted, and later its ``bounce`` is filled in when the DSN is
built (dsn.py). ``MessageStore`` keeps the newest ``max_messages`` messages
within ``max_bytes`` (an estimate: the decoded text plus a fixed overhead)
and the newest bounces; ids keep counting across resets of the content.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MESSAGE_OVERHEAD = 2048
MAX_BOUNCES = 10_000


@dataclass(slots=True)
class Recipient:
    address: str
    reply: str
    decision: dict[str, object]
    rule: str
    bounce: dict[str, object] | None = None

    @property
    def accepted(self) -> bool:
        return self.reply.startswith("2")

    def to_json(self) -> dict[str, object]:
        if not self.accepted:
            outcome = "rejected"
        elif self.bounce is not None:
            outcome = "bounced"
        elif self.decision.get("outcome") == "bounced":
            outcome = "bounce pending"
        else:
            outcome = "accepted"
        return {
            "address": self.address,
            "outcome": outcome,
            "reply": self.reply,
            "decision": self.decision,
            "rule": self.rule,
            "bounce_id": None if self.bounce is None else self.bounce["id"],
        }


@dataclass(slots=True)
class StoredMessage:
    id: int
    time: float  # simulated instant of the end of DATA
    peer: str
    session: dict[str, object]
    mail_from: str
    mail_options: list[str]
    recipients: list[Recipient]
    size: int
    described: dict[str, object]
    reply: str
    cost: int = field(default=0)

    def to_json(self, wall_of: object = None) -> dict[str, object]:
        wall = wall_of(self.time) if callable(wall_of) else None
        return {
            "id": self.id,
            "time": round(self.time, 3),
            "wall_time": wall,
            "peer": self.peer,
            "session": self.session,
            "mail_from": self.mail_from,
            "mail_options": self.mail_options,
            "recipients": [r.to_json() for r in self.recipients],
            "size": self.size,
            "reply": self.reply,
            **self.described,
        }


def estimate_cost(described: dict[str, object]) -> int:
    cost = MESSAGE_OVERHEAD
    parts = described.get("parts")
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, dict):
            cost += len(str(part.get("text", ""))) * 2
    headers = described.get("headers")
    for header in headers if isinstance(headers, list) else []:
        cost += sum(len(str(item)) for item in header)
    return cost


class MessageStore:
    def __init__(self, max_messages: int, max_bytes: int) -> None:
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self._messages: deque[StoredMessage] = deque()
        self._by_id: dict[int, StoredMessage] = {}
        self._bytes = 0
        self._next_id = 1
        self.bounces: deque[dict[str, object]] = deque(maxlen=MAX_BOUNCES)
        self._next_bounce = 1
        self.dropped = 0  # messages pushed out by the bounds

    def __len__(self) -> int:
        return len(self._messages)

    def new_id(self) -> int:
        ident = self._next_id
        self._next_id += 1
        return ident

    def add(self, message: StoredMessage) -> None:
        message.cost = estimate_cost(message.described)
        self._messages.append(message)
        self._by_id[message.id] = message
        self._bytes += message.cost
        while len(self._messages) > 1 and (
            len(self._messages) > self.max_messages or self._bytes > self.max_bytes
        ):
            old = self._messages.popleft()
            del self._by_id[old.id]
            self._bytes -= old.cost
            self.dropped += 1

    def get(self, ident: int) -> StoredMessage | None:
        return self._by_id.get(ident)

    def tail(self, limit: int, recipient: str | None = None) -> list[StoredMessage]:
        chosen = [
            m
            for m in self._messages
            if recipient is None or any(r.address == recipient for r in m.recipients)
        ]
        return chosen[-limit:] if limit else []

    def add_bounce(self, bounce: dict[str, object]) -> dict[str, object]:
        bounce["id"] = self._next_bounce
        self._next_bounce += 1
        self.bounces.append(bounce)
        return bounce

    def clear(self) -> None:
        self._messages.clear()
        self._by_id.clear()
        self._bytes = 0
        self.bounces.clear()
        self.dropped = 0

    @property
    def bytes(self) -> int:
        return self._bytes
