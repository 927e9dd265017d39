"""Settings of one SMTP e-mail route: a frozen, validated dataclass.

How it works: ``SmtpSettings`` names the server (host, port), STARTTLS
(``required``: no TLS, no mail; ``opportunistic``: used when offered;
``off``), the CA file to trust (None: the system's), the login and password
(empty login: no AUTH), the From address, timeouts, batching (recipients per
message, messages per connection) and the retry policy for 4xx answers.
``__post_init__`` rejects impossible values with ``ValueError`` naming the
field; ``from_pairs`` reads the server's ``key=value;...`` settings text.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass

from nabat.system.channels.settings_text import convert_fields, convert_value, parse_pairs


class StartTls(enum.Enum):
    REQUIRED = "required"
    OPPORTUNISTIC = "opportunistic"
    OFF = "off"


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpSettings:
    name: str = "smtp0"
    host: str = "127.0.0.1"
    port: int = 2525
    starttls: StartTls = StartTls.REQUIRED
    ca_file: str | None = None
    login: str = ""
    password: str = ""
    from_address: str = "nabat@localhost"
    helo_name: str = "nabat.localhost"
    connect_timeout: float = 10.0
    timeout: float = 60.0  # each reply; RFC 5321 4.5.3.2 allows servers minutes
    max_recipients: int = 50  # per message; more recipients make more messages
    max_messages_per_connection: int = 100
    retries: int = 3  # rounds of retrying 4xx answers and lost connections
    backoff_initial: float = 1.0
    backoff_max: float = 300.0

    def __post_init__(self) -> None:
        if not self.name or not self.host:
            raise ValueError("name and host: not empty")
        if not 0 < self.port <= 65535:
            raise ValueError("port: 1-65535")
        if "@" not in self.from_address or any(c.isspace() for c in self.from_address):
            raise ValueError("from_address: local@domain")
        if self.max_recipients < 1 or self.max_messages_per_connection < 1 or self.retries < 0:
            raise ValueError("max_recipients, max_messages_per_connection >= 1, retries >= 0")
        for name in ("connect_timeout", "timeout", "backoff_initial", "backoff_max"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name}: a number of seconds, 0 or more")
        if self.timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("timeout and connect_timeout: above 0")

    @classmethod
    def from_pairs(cls, text: str, **defaults: object) -> SmtpSettings:
        """Settings from ``key=value;key=value`` (the server's channel settings text)."""
        return cls.from_mapping(parse_pairs(text, defaults))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> SmtpSettings:
        converted = convert_fields(cls, values, what="an SMTP setting", convert=_convert)
        return cls(**converted)  # type: ignore[arg-type]


def _convert(key: str, kind: str, value: object) -> object:
    if key == "starttls" and isinstance(value, str):
        try:
            return StartTls(value.lower())
        except ValueError:
            raise ValueError(f"{key}: cannot read {value[:50]!r}") from None
    return convert_value(key, kind, value)
