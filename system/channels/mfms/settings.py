"""Settings of one MFMS HPG route: a frozen, validated dataclass.

How it works: ``MfmsSettings`` holds the connector's base URL
(``http://127.0.0.1:9876/CLIENT/connectorX``; ``/send`` and ``/status`` are
appended), the login and password with the NAMES of their parameters
(configurable per connector, as the spec says), the sender (``subject``),
TLS trust (a CA file, or no verification for a test platform), timeouts,
the longest URL a request may have (8 KiB by default: what common HTTP
servers accept), whether to POST instead (an extension of our simulator,
not of the spec), the status poll interval and the retry policy.
``__post_init__`` rejects impossible values with ``ValueError`` naming the
field; ``from_mapping`` / ``from_pairs`` read a TOML table or the server's
``key=value;...`` channel settings text.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

from nabat.system.channels.settings_text import convert_fields, parse_pairs
from nabat.system.wire.hpg import is_subject


@dataclass(frozen=True, slots=True, kw_only=True)
class MfmsSettings:
    name: str = "mfms0"
    base_url: str = "http://127.0.0.1:9876/CLIENT/connectorX"
    login: str = "CLIENT"
    password: str = "P@ssw0rd"
    login_param: str = "login"
    password_param: str = "password"
    subject: str = "SUBJECT"
    ca_file: str | None = None  # PEM bundle to trust for https; None: the system's
    verify: bool = True
    connect_timeout: float = 5.0
    timeout: float = 30.0  # waiting for an answer once the request is written
    max_url_length: int = 8192  # the whole URL, scheme to the last parameter
    post: bool = False  # send the parameters as a form body (our simulator's extension)
    max_batch: int = 1000  # messages per request (also the limit with post)
    concurrency: int = 4  # requests on the wire at once
    batch_window: float = 0.05  # send_sms: messages within this many seconds share requests
    poll_interval: float = 10.0  # /status for every message not yet final
    unknown_tries: int = 3  # polls answered error-provider-id-unknown before giving up
    retries: int = 3  # retries of a request that certainly did not reach the platform
    backoff_initial: float = 0.5
    backoff_max: float = 30.0

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name: a route needs a name")
        if not self.base_url.startswith(("http://", "https://")) or self.base_url.endswith("/"):
            raise ValueError(
                "base_url: http(s)://host:port/CLIENT/connector, without a trailing slash"
            )
        if not self.login or not self.login_param or not self.password_param:
            raise ValueError("login, login_param and password_param: not empty")
        if self.login_param == self.password_param:
            raise ValueError("password_param: differs from login_param")
        if not is_subject(self.subject):
            raise ValueError("subject: 1-11 Latin letters/digits or 1-15 digits")
        if self.max_url_length < 256:
            raise ValueError("max_url_length: at least 256")
        if self.max_batch < 1 or self.concurrency < 1 or self.retries < 0:
            raise ValueError("max_batch and concurrency >= 1, retries >= 0")
        if self.unknown_tries < 1:
            raise ValueError("unknown_tries: at least 1")
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{field.name}: a number of seconds, 0 or more")
        if self.timeout <= 0 or self.connect_timeout <= 0 or self.poll_interval <= 0:
            raise ValueError("timeout, connect_timeout and poll_interval: above 0")

    @property
    def send_url(self) -> str:
        return f"{self.base_url}/send"

    @property
    def status_url(self) -> str:
        return f"{self.base_url}/status"

    @classmethod
    def from_pairs(cls, text: str, **defaults: object) -> MfmsSettings:
        """Settings from ``key=value;key=value`` (the server's channel settings text)."""
        return cls.from_mapping(parse_pairs(text, defaults))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> MfmsSettings:
        converted = convert_fields(cls, values, what="an MFMS setting")
        return cls(**converted)  # type: ignore[arg-type]
