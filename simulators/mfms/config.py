"""Configuration of the MFMS HPG simulator: connectors, error profile, limits.

A ``Connector`` is one ``/<client>/<connector>/`` endpoint with its own names
for the login and password parameters (the spec: "the words login and
password are configurable per connector"), its credentials and its allowed
subjects (senders). The default is the spec's example: ``CLIENT/connectorX``,
``login``/``password``, ``CLIENT``/``P@ssw0rd``, subject ``SUBJECT``.

``load_config(path)`` reads a TOML (``.toml``) or JSON file::

    error_profile = "http500"          # or "http200" (spec-rulings, MFMS 3)
    blocked = ["7999"]                 # address prefixes answered error-address-unknown
    max_url_bytes = 65536              # longer request targets get HTTP 414
    tls_cert = "cert.pem"              # relative to the file's folder
    tls_key = "key.pem"
    [[connectors]]
    client = "CLIENT"
    connector = "connectorX"
    login_param = "login"
    password_param = "pass"
    login = "CLIENT"
    password = "P@ssw0rd"
    subjects = ["SUBJECT", "SHOP"]

Every field is checked; a mistake raises ``ConfigError`` naming it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from nabat.simulators.http.server import HttpLimits
from nabat.system.wire.hpg import is_subject

ERROR_PROFILES = ("http500", "http200")
DEFAULT_PORT = 9876
DEFAULT_TLS_PORT = 9875
DEFAULT_MAX_URL_BYTES = 64 * 1024
MAX_CONNECTORS = 1000
MAX_SUBJECTS = 1000
MAX_BLOCKED = 10_000
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names it."""


@dataclass(frozen=True, slots=True)
class Connector:
    client: str = "CLIENT"
    connector: str = "connectorX"
    login_param: str = "login"
    password_param: str = "password"
    login: str = "CLIENT"
    password: str = "P@ssw0rd"
    subjects: frozenset[str] = frozenset({"SUBJECT"})

    @property
    def key(self) -> str:
        return f"{self.client}/{self.connector}"

    def to_json(self) -> dict[str, object]:
        return {
            "client": self.client,
            "connector": self.connector,
            "login_param": self.login_param,
            "password_param": self.password_param,
            "login": self.login,
            "password": self.password,
            "subjects": sorted(self.subjects),
        }


def _text(spec: Mapping[str, object], name: str, default: str, *, path_part: bool = False) -> str:
    value = spec.get(name, default)
    if not isinstance(value, str) or not 0 < len(value) <= 100:
        raise ConfigError(f"{name} must be text of 1 to 100 characters")
    if path_part and not set(value) <= _NAME_CHARS:
        raise ConfigError(f"{name} may hold Latin letters, digits, '.', '_' and '-' only")
    if "[" in value or "]" in value or "&" in value or "=" in value:
        raise ConfigError(f"{name} must not hold '[', ']', '&' or '='")
    return value


def connector_from_json(spec: Mapping[str, object]) -> Connector:
    known = set(Connector().to_json())
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ConfigError(f"unknown connector fields: {', '.join(unknown[:10])}")
    default = Connector()
    subjects = spec.get("subjects", sorted(default.subjects))
    if (
        not isinstance(subjects, list)
        or not subjects
        or len(subjects) > MAX_SUBJECTS
        or not all(isinstance(item, str) and is_subject(item) for item in subjects)
    ):
        raise ConfigError(
            f"subjects must be a list of 1 to {MAX_SUBJECTS} senders "
            "(1-11 Latin letters/digits/' ._-' with a letter, or 1-15 digits)"
        )
    connector = Connector(
        client=_text(spec, "client", default.client, path_part=True),
        connector=_text(spec, "connector", default.connector, path_part=True),
        login_param=_text(spec, "login_param", default.login_param),
        password_param=_text(spec, "password_param", default.password_param),
        login=_text(spec, "login", default.login),
        password=_text(spec, "password", default.password),
        subjects=frozenset(subjects),
    )
    if connector.login_param == connector.password_param:
        raise ConfigError("login_param and password_param must differ")
    return connector


def blocked_from_json(value: object) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or len(value) > MAX_BLOCKED
        or not all(
            isinstance(item, str) and item.isascii() and item.isdigit() and len(item) <= 15
            for item in value
        )
    ):
        raise ConfigError(f"blocked must be a list of up to {MAX_BLOCKED} digit prefixes")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class MfmsConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    tls_port: int | None = DEFAULT_TLS_PORT  # None: no HTTPS listener
    cert_file: Path | None = None  # both None: a certificate minted with trustme
    key_file: Path | None = None
    ca_dir: Path | None = None  # where a minted CA is written (default: a temporary folder)
    error_profile: str = "http500"
    connectors: tuple[Connector, ...] = (Connector(),)
    blocked: tuple[str, ...] = ()
    max_url_bytes: int = DEFAULT_MAX_URL_BYTES
    queue_seconds: float = 1.0
    max_messages: int = 1_000_000
    journal_size: int = 1000
    journal_bytes: int = 4 * 1024 * 1024
    journal_entry_bytes: int = 2048
    limits: HttpLimits = field(default_factory=HttpLimits)

    def http_limits(self) -> HttpLimits:
        """The server limits with the URL limit applied (head and body sized to fit it)."""
        return replace(
            self.limits,
            max_url_bytes=self.max_url_bytes,
            max_head_bytes=max(self.limits.max_head_bytes, self.max_url_bytes + 16 * 1024),
            max_body_bytes=max(self.limits.max_body_bytes, self.max_url_bytes),
        )


def config_from_mapping(spec: Mapping[str, object], base: MfmsConfig, folder: Path) -> MfmsConfig:
    known = {"error_profile", "blocked", "max_url_bytes", "tls_cert", "tls_key", "connectors"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ConfigError(f"unknown fields: {', '.join(unknown[:10])}")
    changes: dict[str, object] = {}
    if "error_profile" in spec:
        if spec["error_profile"] not in ERROR_PROFILES:
            raise ConfigError(f"error_profile must be one of {', '.join(ERROR_PROFILES)}")
        changes["error_profile"] = spec["error_profile"]
    if "blocked" in spec:
        changes["blocked"] = blocked_from_json(spec["blocked"])
    if "max_url_bytes" in spec:
        limit = spec["max_url_bytes"]
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1024 <= limit <= 1 << 20:
            raise ConfigError("max_url_bytes must be a whole number from 1024 to 1048576")
        changes["max_url_bytes"] = limit
    if ("tls_cert" in spec) != ("tls_key" in spec):
        raise ConfigError("give tls_cert and tls_key together")
    if "tls_cert" in spec:
        for name in ("tls_cert", "tls_key"):
            if not isinstance(spec[name], str):
                raise ConfigError(f"{name} must be a file path")
        changes["cert_file"] = folder / str(spec["tls_cert"])
        changes["key_file"] = folder / str(spec["tls_key"])
    if "connectors" in spec:
        rows = spec["connectors"]
        if not isinstance(rows, list) or not rows or len(rows) > MAX_CONNECTORS:
            raise ConfigError(f"connectors must be a list of 1 to {MAX_CONNECTORS} tables")
        connectors: dict[str, Connector] = {}
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ConfigError(f"connectors[{index}] must be a table")
            try:
                connector = connector_from_json(row)
            except ConfigError as error:
                raise ConfigError(f"connectors[{index}]: {error}") from None
            if connector.key in connectors:
                raise ConfigError(f"connectors[{index}]: {connector.key} is given twice")
            connectors[connector.key] = connector
        changes["connectors"] = tuple(connectors.values())
    return replace(base, **changes)  # type: ignore[arg-type]


def load_config(path: Path, base: MfmsConfig | None = None) -> MfmsConfig:
    """Read a TOML or JSON configuration file over ``base`` (default: the defaults)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        if path.suffix.lower() == ".json":
            spec = json.loads(raw)
        else:
            spec = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: the top level must be a table/object")
    return config_from_mapping(spec, base or MfmsConfig(), path.parent)
