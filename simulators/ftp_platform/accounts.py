"""Client accounts of the FTP platform and the ``--config`` TOML that declares them.

How it works: an ``Account`` is a login (its folder's name), a password, the
encoding of its files (UTF-8 by default), the senders (source addresses)
registered for it, its default sender (the variant without template) and the
UTC offset of the client's local time (a senddate in a file is the client's
local time; Moscow by default). ``load_accounts`` reads::

    [[account]]
    login = "acme"
    password = "secret"
    encoding = "cp1251"           # optional, default "utf-8"
    senders = ["ACME", "79001234567"]
    default_sender = "ACME"       # optional, default: the first sender
    utc_offset = "+05:00"         # optional, default "+03:00"

    [tls]                         # optional: else a certificate is minted
    certfile = "server.pem"       # certificate chain + key, PEM

The default account ``guest`` / ``guest`` (sender ``TESTSMS``) is always there
unless the file declares ``guest`` itself. Every value is checked; a bad file
is a ``ConfigError`` naming the field.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nabat.simulators.world.numbering import NumberingError, parse_utc_offset

DEFAULT_LOGIN = "guest"
DEFAULT_PASSWORD = "guest"
DEFAULT_SENDER = "TESTSMS"
DEFAULT_UTC_OFFSET = 180  # minutes: Moscow
MAX_ACCOUNTS = 1000

_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}", re.ASCII)
_LETTER_SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,11}", re.ASCII)
_DIGIT_SENDER = re.compile(r"[0-9]{1,15}", re.ASCII)


class ConfigError(ValueError):
    """A configuration value the simulator cannot use."""


def is_valid_sender(sender: str) -> bool:
    """Up to 11 Latin letters and digits (at least one letter), or up to 15 digits."""
    return bool(_LETTER_SENDER.fullmatch(sender) or _DIGIT_SENDER.fullmatch(sender))


@dataclass(frozen=True, slots=True)
class Account:
    login: str
    password: str
    encoding: str = "utf-8"
    senders: tuple[str, ...] = (DEFAULT_SENDER,)
    default_sender: str = DEFAULT_SENDER
    utc_offset: int = DEFAULT_UTC_OFFSET  # minutes east of UTC: the client's local time

    def __post_init__(self) -> None:
        if not _LOGIN.fullmatch(self.login):
            raise ConfigError(
                f"login {self.login[:70]!r}: 1-64 Latin letters, digits, '.' or '-' "
                "(no '_': it separates the login from the time in an archive name)"
            )
        if not self.password or len(self.password) > 256:
            raise ConfigError(f"account {self.login}: password must be 1-256 characters")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ConfigError(f"account {self.login}: unknown encoding {self.encoding!r}") from None
        for sender in (*self.senders, self.default_sender):
            if not is_valid_sender(sender):
                raise ConfigError(
                    f"account {self.login}: sender {sender[:40]!r} is not up to 11 Latin "
                    "letters and digits or up to 15 digits"
                )
        if self.default_sender not in self.senders:
            raise ConfigError(
                f"account {self.login}: default_sender {self.default_sender!r} is not registered"
            )
        if not -14 * 60 <= self.utc_offset <= 14 * 60:
            raise ConfigError(f"account {self.login}: utc_offset out of range")

    def to_json(self) -> dict[str, object]:
        return {
            "login": self.login,
            "encoding": self.encoding,
            "senders": list(self.senders),
            "default_sender": self.default_sender,
            "utc_offset": self.utc_offset,
        }


def guest_account() -> Account:
    return Account(DEFAULT_LOGIN, DEFAULT_PASSWORD)


@dataclass(frozen=True, slots=True)
class PlatformConfig:
    accounts: tuple[Account, ...] = field(default_factory=lambda: (guest_account(),))
    certfile: Path | None = None


def _text(spec: Mapping[str, Any], name: str, where: str, default: str | None = None) -> str:
    value = spec.get(name, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{name} must be text")
    return value


def account_from_mapping(spec: Mapping[str, Any], where: str = "account") -> Account:
    """An account from a TOML table or a control-API body (same fields)."""
    allowed = {"login", "password", "encoding", "senders", "default_sender", "utc_offset"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown fields {', '.join(unknown)[:200]}")
    senders = spec.get("senders", [DEFAULT_SENDER])
    if not isinstance(senders, list) or not senders or len(senders) > 100:
        raise ConfigError(f"{where}.senders must be a list of 1-100 senders")
    if not all(isinstance(sender, str) for sender in senders):
        raise ConfigError(f"{where}.senders must be text")
    offset: int = DEFAULT_UTC_OFFSET
    if "utc_offset" in spec:
        try:
            offset = parse_utc_offset(spec["utc_offset"])
        except NumberingError as error:
            raise ConfigError(f"{where}.utc_offset: {error}") from None
    return Account(
        login=_text(spec, "login", where),
        password=_text(spec, "password", where),
        encoding=_text(spec, "encoding", where, "utf-8"),
        senders=tuple(senders),
        default_sender=_text(spec, "default_sender", where, senders[0]),
        utc_offset=offset,
    )


def load_config(path: Path) -> PlatformConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    unknown = sorted(set(data) - {"account", "tls"})
    if unknown:
        raise ConfigError(f"{path}: unknown tables {', '.join(unknown)[:200]}")
    tables = data.get("account", [])
    if not isinstance(tables, list) or len(tables) > MAX_ACCOUNTS:
        raise ConfigError(f"{path}: [[account]] must be an array of at most {MAX_ACCOUNTS}")
    accounts: dict[str, Account] = {DEFAULT_LOGIN: guest_account()}
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: account[{index}] must be a table")
        account = account_from_mapping(table, f"account[{index}]")
        accounts[account.login] = account
    certfile: Path | None = None
    tls = data.get("tls", {})
    if not isinstance(tls, dict) or set(tls) - {"certfile"}:
        raise ConfigError(f"{path}: [tls] takes certfile only")
    if "certfile" in tls:
        certfile = (path.parent / _text(tls, "certfile", "tls")).resolve()
    return PlatformConfig(tuple(accounts.values()), certfile)
