"""Settings of one FTP/FTPS SMS platform route: a frozen, validated dataclass.

How it works: ``FtpPlatformSettings`` holds the server (host, port, login,
password, explicit FTPS with an optional CA file, passive mode, the folder
to upload into), the archive's shape (variant ``template`` — contacts.csv +
template.csv — or ``plain`` — one ``TELRN_LONG;TEXT`` file; encoding;
sender; validity in minutes; localtime) and the timings (network timeout,
how long concurrent sends are grouped into one archive, how often the
folder is listed to see the archive picked up and how long before an
archive still there is reported, retry backoff). ``__post_init__`` rejects
impossible values with ``ValueError`` naming the field; ``from_mapping``
and ``from_pairs`` read a TOML table or the server's ``key=value;...``
channel settings text, as the GSM settings do.
"""

from __future__ import annotations

import codecs
import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

from nabat.system.channels.settings_text import convert_fields, convert_value, parse_pairs

VARIANTS = ("template", "plain")


@dataclass(frozen=True, slots=True, kw_only=True)
class FtpPlatformSettings:
    name: str = "ftp0"
    host: str = "127.0.0.1"
    port: int = 21
    login: str = "guest"
    password: str = "guest"
    tls: bool = False  # explicit FTPS: AUTH TLS, then PROT P for every data connection
    ca_file: str | None = None  # PEM bundle to trust; None: the system's
    verify: bool = True  # check the server's certificate (tls only)
    passive: bool = True
    directory: str = ""  # folder to upload into; "" keeps the login's home folder
    variant: str = "template"
    encoding: str = "utf-8"
    plain_file: str = "messages.csv"  # the one file of the plain variant, under sms/
    sender: str = ""  # template.csv sourceaddress (required by the template variant)
    validity: int | None = None  # minutes; None leaves it to the platform (1440)
    localtime: bool = False  # template.csv localtime (only matters with a senddate)
    timeout: float = 30.0  # seconds of one FTP connection's socket operations
    batch_window: float = 1.0  # send_sms: messages within this many seconds share an archive
    max_batch: int = 100_000  # messages per archive
    watch_interval: float = 10.0  # how often the folder is listed after an upload
    pickup_deadline: float = 120.0  # an archive still there after this is reported
    retries: int = 3  # attempts after the first when nothing reached the platform
    backoff_initial: float = 1.0
    backoff_max: float = 30.0

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name: a route needs a name")
        if not self.host:
            raise ValueError("host: give the FTP server's address")
        if not 1 <= self.port <= 65535:
            raise ValueError("port: 1 to 65535")
        if not self.login or any(char in self.login for char in "/\\ \t\r\n"):
            raise ValueError("login: the platform login (no slashes or spaces)")
        if self.variant not in VARIANTS:
            raise ValueError(f"variant: one of {', '.join(VARIANTS)}")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"encoding: {self.encoding!r} is not a known encoding") from None
        if self.variant == "template" and not _is_sender(self.sender):
            raise ValueError("sender: up to 11 Latin letters or digits, or up to 15 digits")
        if self.sender and not _is_sender(self.sender):
            raise ValueError("sender: up to 11 Latin letters or digits, or up to 15 digits")
        if not self.plain_file or "/" in self.plain_file or "\\" in self.plain_file:
            raise ValueError("plain_file: a file name such as messages.csv")
        if self.validity is not None and self.validity < 1:
            raise ValueError("validity: minutes, at least 1")
        if self.max_batch < 1 or self.retries < 0:
            raise ValueError("max_batch >= 1 and retries >= 0")
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{field.name}: a number of seconds, 0 or more")
        if self.timeout <= 0 or self.watch_interval <= 0:
            raise ValueError("timeout and watch_interval: above 0")

    @classmethod
    def from_pairs(cls, text: str, **defaults: object) -> FtpPlatformSettings:
        """Settings from ``key=value;key=value`` (the server's channel settings text)."""
        return cls.from_mapping(parse_pairs(text, defaults))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> FtpPlatformSettings:
        converted = convert_fields(cls, values, what="an FTP platform setting", convert=_convert)
        return cls(**converted)  # type: ignore[arg-type]


def _convert(key: str, kind: str, value: object) -> object:
    """As every channel's, and an optional whole number (empty: None)."""
    if kind == "int | None" and isinstance(value, str):
        return int(value) if value else None
    return convert_value(key, kind, value)


def _is_sender(text: str) -> bool:
    """The template's sourceaddress rule: up to 11 Latin letters/digits or up to 15 digits."""
    if not text or not text.isascii():
        return False
    if text.isdigit():
        return len(text) <= 15
    return len(text) <= 11 and text.isalnum()
