"""Settings of one Oktell line: a frozen, validated dataclass (architecture principle 7).

How it works: ``OktellLineSettings`` holds what the driver needs to place
calls through one line of an Oktell PBX: the PBX's base ``url``
(``http://127.0.0.1:4055``; https with ``ca_file`` to trust), the ``line``
the commands act for (a number, name or guid: the spec's ``line=``), the
password of the server HTTP interface (``QueryWebServerPassword``; sent as
``password=``, as HTTP Basic, or both: ``auth``), the service script that
places one notification call (``script``, default ``notify``) and its
``direction`` (startparam5), the line's outgoing ``number`` (the calling
number a verification registration names; the PBX has no way to tell it),
the ``stop_script`` that ends a call the driver gave up on (default
``stop``, the simulator's; empty: none), and every timeout and interval
in seconds of the driver's clock. ``__post_init__`` rejects impossible
values with ``ValueError`` naming the field (never quoting the password);
``from_pairs`` reads the server's channel settings text (``url=http://127.0.0.1:4055;line=16038;password=abc;script=notify``);
unknown keys are an error. The password is left out of ``repr``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from nabat.system.channels.settings_text import (
    calling_number,
    convert_fields,
    convert_value,
    parse_pairs,
)

AUTH_MODES = ("both", "param", "basic")
DIRECTIONS = ("", "pbx", "city")
_SCRIPT_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,200}")
_LINE = re.compile(r"[^\x00-\x1f\x7f]{1,128}")
_VOICE = re.compile(r"[A-Za-z0-9_+\-]{1,40}")


@dataclass(frozen=True, slots=True, kw_only=True)
class OktellLineSettings:
    name: str = "oktell0"
    url: str = "http://127.0.0.1:4055"
    line: str = "16038"
    password: str | None = field(default=None, repr=False)
    auth: str = "both"  # password as password= ("param"), HTTP Basic ("basic") or both
    ca_file: str | None = None  # PEM bundle to trust for https; None: the system's
    verify: bool = True
    script: str = "notify"  # the service script placing one notification call
    stop_script: str | None = "stop"  # script ending the call to startparam1 ("": none)
    direction: str = "city"  # startparam5 of the script; "" lets the PBX decide
    voice: str = "ru"  # the synthesiser's voice for a text message
    number: str | None = None  # the line's outgoing number (digits, no +); the PBX cannot tell
    connect_timeout: float = 5.0
    timeout: float = 10.0  # any request but the synchronous script run
    ring_timeout: float = 60.0  # the longest ring, counted into the script's timeout
    call_margin: float = 15.0  # added to ring + message + DTMF window for the script timeout
    poll_interval: float = 2.0  # wp_getabonentinfo while idle (incoming calls, health)
    incoming: bool = True  # poll for incoming calls
    backoff_initial: float = 1.0  # first health probe after a failure
    backoff_max: float = 60.0  # longest wait between probes while recovering
    failed_interval: float = 300.0  # probes of a FAILED line (wrong password, no such line)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name: a line needs a name")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url: http(s)://host:port of the PBX's server HTTP interface")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError("url: scheme, host, port and path only (the password is a key)")
        try:
            parts.port  # noqa: B018 - raises for a bad port
        except ValueError:
            raise ValueError("url: the port is not a number 0-65535") from None
        if not _LINE.fullmatch(self.line) or self.line != self.line.strip():
            raise ValueError("line: 1-128 printable characters (a number, name or guid)")
        if self.password is not None and (
            not self.password or any(ord(c) < 32 or c == "\x7f" for c in self.password)
        ):
            raise ValueError("password: printable characters, not empty")
        if self.auth not in AUTH_MODES:
            raise ValueError(f"auth: one of {', '.join(AUTH_MODES)}")
        for key in ("script", "stop_script"):
            value = getattr(self, key)
            if value is not None and not _SCRIPT_NAME.fullmatch(value):
                raise ValueError(f"{key}: 1-200 printable characters")
        if self.direction not in DIRECTIONS:
            raise ValueError("direction: pbx, city or empty")
        if not _VOICE.fullmatch(self.voice):
            raise ValueError("voice: a voice name such as ru")
        if self.number is not None:
            object.__setattr__(self, "number", calling_number("number", self.number))
        if self.ca_file == "":
            raise ValueError("ca_file: a file path")
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.type == "float" and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{item.name}: a number of seconds above 0")
        if self.backoff_max < self.backoff_initial:
            raise ValueError("backoff_max: at least backoff_initial")

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def pbx_key(self) -> tuple[object, ...]:
        """What lines sharing one PBX client have in common."""
        return (self.base_url, self.password, self.auth, self.ca_file, self.verify,
                self.connect_timeout, self.timeout)  # fmt: skip

    @classmethod
    def from_pairs(cls, text: str, **defaults: object) -> OktellLineSettings:
        """Settings from ``key=value;key=value`` (the server's channel settings text)."""
        return cls.from_mapping(parse_pairs(text, defaults, quote=40))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> OktellLineSettings:
        """Settings from a mapping of strings or typed values (a TOML table)."""
        converted = convert_fields(
            cls, values, what="an Oktell line setting", convert=_convert, quote=64
        )
        return cls(**converted)  # type: ignore[arg-type]


def _convert(key: str, kind: str, value: object) -> object:
    """As every channel's, but a password's conversion error never quotes it."""
    if key != "password":
        return convert_value(key, kind, value)
    if value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("password: a string")
    return value
