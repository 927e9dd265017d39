"""Configuration of the SMTP sink: a frozen dataclass, read from TOML or JSON.

``SmtpConfig`` holds the listener (host, SMTP port, control port), TLS (a
certificate from files or minted with trustme), AUTH (accounts, whether AUTH
needs STARTTLS first, whether mail needs AUTH), extensions (SMTPUTF8), the
limits every connection meets (message size announced as SIZE, recipients
per message, line length, connections in all and per address, idle and DATA
deadlines, failed logins per connection) and the journal's bounds.
``load_config(path)`` reads a file whose top-level keys are the field names
(``accounts`` a table login -> password); every error names the field.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nabat.simulators.http.server import HttpLimits

DEFAULT_PORT = 2525  # above 1024: no root needed (the submission port 587 would need it)
DEFAULT_CONTROL_PORT = 2580
DEFAULT_ACCOUNTS = {"nabat": "nabat"}


class ConfigError(ValueError):
    """The sink's configuration is invalid."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    control_port: int = DEFAULT_CONTROL_PORT
    hostname: str = "sink.nabat.test"  # the name in the greeting, EHLO and DSNs
    tls: bool = True  # offer STARTTLS
    cert_file: Path | None = None
    key_file: Path | None = None
    ca_dir: Path | None = None  # where a minted CA is written (default: a temporary folder)
    require_starttls: bool = False  # every command but EHLO/NOOP/QUIT needs TLS first
    auth_require_tls: bool = True  # AUTH is offered only after STARTTLS
    auth_required: bool = False  # MAIL needs AUTH first
    accounts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ACCOUNTS))
    smtputf8: bool = True
    max_message_bytes: int = 10 * 1024 * 1024  # announced as SIZE; beyond: 552
    max_recipients: int = 100  # per message; beyond: 452
    max_line_bytes: int = 1001  # 998 + CRLF (+ a transparent dot): RFC 5321 4.5.3.1.6
    max_connections: int = 200
    max_connections_per_address: int = 50
    idle_timeout: float = 300.0  # RFC 5321 4.5.3.2.7: a server waits 5 minutes for a command
    data_timeout: float = 600.0  # the whole DATA phase, from the DATA command to the dot
    max_auth_failures: int = 3  # then 421 and the connection is closed
    journal_messages: int = 10_000  # messages kept for the control API (oldest go first)
    journal_bytes: int = 64 * 1024 * 1024  # and their decoded size in all
    max_body_chars: int = 256 * 1024  # decoded text kept per body part
    control_limits: HttpLimits = field(default_factory=HttpLimits)

    def __post_init__(self) -> None:
        for name in ("port", "control_port"):
            value = getattr(self, name)
            if not 0 <= value <= 65535:
                raise ConfigError(f"{name}: a port 0-65535")
        for name in (
            "max_message_bytes", "max_recipients", "max_connections",
            "max_connections_per_address", "max_auth_failures", "journal_messages",
            "journal_bytes", "max_body_chars",
        ):  # fmt: skip
            if getattr(self, name) < 1:
                raise ConfigError(f"{name}: at least 1")
        if self.max_line_bytes < 1001:
            raise ConfigError("max_line_bytes: at least 1001 (RFC 5321 4.5.3.1.6)")
        for name in ("idle_timeout", "data_timeout"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ConfigError(f"{name}: seconds above 0")
        if (self.cert_file is None) != (self.key_file is None):
            raise ConfigError("cert_file and key_file: give both or neither")
        if not self.hostname or any(c.isspace() for c in self.hostname):
            raise ConfigError("hostname: one word")
        for login, password in self.accounts.items():
            if not login or not isinstance(password, str) or not login.isprintable():
                raise ConfigError("accounts: login = password, both printable text")


_PATHS = ("cert_file", "key_file", "ca_dir")


def config_from_mapping(spec: Mapping[str, object], base: SmtpConfig, folder: Path) -> SmtpConfig:
    fields = {f.name: f for f in dataclasses.fields(SmtpConfig)}
    changes: dict[str, object] = {}
    for key, value in spec.items():
        item = fields.get(key)
        if item is None or key == "control_limits":
            raise ConfigError(f"{key}: not a setting of the SMTP sink")
        kind = str(item.type)
        if key in _PATHS:
            if not isinstance(value, str):
                raise ConfigError(f"{key}: a file path")
            changes[key] = folder / value
        elif key == "accounts":
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError("accounts: a table of login = password")
            changes[key] = dict(value)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise ConfigError(f"{key}: true or false")
            changes[key] = value
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{key}: a whole number")
            changes[key] = value
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{key}: a number of seconds")
            changes[key] = float(value)
        else:
            if not isinstance(value, str):
                raise ConfigError(f"{key}: text")
            changes[key] = value
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def load_config(path: Path, base: SmtpConfig | None = None) -> SmtpConfig:
    """Read a TOML or JSON configuration file over ``base`` (default: the defaults)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        spec = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: the top level must be a table/object")
    return config_from_mapping(spec, base or SmtpConfig(), path.parent)
