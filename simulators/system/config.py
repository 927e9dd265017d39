"""What ``nabat up`` runs where: ``SystemConfig``, from embedded defaults and a TOML file.

How it works: one frozen dataclass per section (``[world]``, ``[server]``,
``[ats]``, ``[gsm]``, ``[mfms]``, ``[ftp]``, ``[oktell]``, ``[smtp]``) plus the
top-level ``speed``. Every field is declared with ``item(default, meaning,
check)``: ``check`` takes the raw value (as TOML gives it) and returns the
value to keep or raises ``ValueError`` with what it must be. The sections
run their checks on construction (``__post_init__``), so a ``SystemConfig``
is valid however it was made, and every mistake is a ``ConfigError`` naming
its key path: ``gsm.modems: must be an integer 1-64, got 'x'``.

``load_config(path)`` reads a TOML file over the defaults (``None``: the
defaults alone); unknown sections and keys are errors, relative paths are
taken from the file's folder. ``to_toml(config)`` writes the effective
configuration back (``nabat up --print-config``), loadable again;
``config_reference()`` is the Markdown table of every key (docs/system.md).
``with_free_ports(config)`` sets every port to 0 (a free one: the fixture).
Port 0 anywhere means a free port; two sections may not share a fixed port.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Final

from nabat.simulators.console.guard import ConsoleLimits

DEVELOPMENT: Final = "development"
_CONSOLE: Final = ConsoleLimits()  # the console's defaults are its own (guard.py)
MAX_SEED: Final = 2**63 - 1
MAX_OKTELL_LINES: Final = 16
GSM_PROFILES: Final = ("generic", "simcom", "quectel", "huawei")
GSM_TIMINGS: Final = ("realistic", "instant")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key path and the reason."""


Check = Callable[[object], object]


def item(default: Any, meaning: str, check: Check) -> Any:
    """A configuration key: its default, what it means (docs) and its check."""
    factory = default if callable(default) else None
    if factory is not None:
        return field(default_factory=factory, metadata={"meaning": meaning, "check": check})
    return field(default=default, metadata={"meaning": meaning, "check": check})


def _integer(low: int, high: int) -> Check:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be an integer {low}-{high}")
        return value

    return check


PORT: Final = _integer(0, 65535)


def _number(low: float, high: float) -> Check:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number {low:g}-{high:g}")
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"must be a number {low:g}-{high:g}")
        return float(value)

    return check


def _choice(*choices: str) -> Check:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)

    return check


def _optional(inner: Check) -> Check:
    def check(value: object) -> object:
        return None if value is None else inner(value)

    return check


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _path(value: object) -> Path:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str) or not value or "\0" in value:
        raise ValueError("must be a file path")
    return Path(value)


def _licence(value: object) -> Path | None:
    if value is None or value == DEVELOPMENT:
        return None
    try:
        return _path(value)
    except ValueError:
        raise ValueError(f'must be "{DEVELOPMENT}" or a licence file path') from None


def _password(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 200 or not value.isprintable():
        raise ValueError("must be printable text of 1-200 characters")
    if value != value.strip():
        raise ValueError("must not start or end with a space")
    return value


def _lines(value: object) -> tuple[str, ...]:
    reason = f"must be a list of 0-{MAX_OKTELL_LINES} different line numbers or names"
    if not isinstance(value, list | tuple) or len(value) > MAX_OKTELL_LINES:
        raise ValueError(reason)
    lines = tuple(value)
    if len(set(lines)) != len(lines) or not all(
        isinstance(line, str) and 0 < len(line) <= 64 and line.isprintable() and ";" not in line
        for line in lines
    ):
        raise ValueError(reason)
    return lines


class _Section:
    """Runs every field's check on construction, naming ``SECTION.key`` in errors."""

    SECTION: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):  # type: ignore[arg-type]
            raw = getattr(self, spec.name)
            try:
                value = spec.metadata["check"](raw)
            except ValueError as error:
                raise ConfigError(
                    f"{key_path(self.SECTION, spec.name)}: {error}, got {raw!r}"
                ) from None
            object.__setattr__(self, spec.name, value)


def key_path(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


@dataclass(frozen=True)
class WorldSection(_Section):
    SECTION: ClassVar[str] = "world"
    file: Path | None = item(  # noqa: RUF009 (a field, not a call at class creation)
        None, "world file (docs/world.md); none: the embedded default world", _optional(_path)
    )
    seed: int | None = item(
        None, "seed of every decision; none: the world file's (1 by default)",
        _optional(_integer(0, MAX_SEED)),
    )  # fmt: skip


@dataclass(frozen=True)
class ServerSection(_Section):
    SECTION: ClassVar[str] = "server"
    port: int = item(7021, "notification server (TLS line protocol)", PORT)
    admin_password: str = item(
        "nabat-admin", "password of the administrator `admin` (printed at start)", _password
    )
    licence: Path | None = item(  # noqa: RUF009
        None, f'licence file, or "{DEVELOPMENT}" (4 GSM modems, e-mail, SMS gateway)', _licence
    )


@dataclass(frozen=True)
class AtsSection(_Section):
    SECTION: ClassVar[str] = "ats"
    primary: int = item(8085, "ATS verification hub, primary server", PORT)
    reserve: int = item(8086, "ATS verification hub, reserve server", PORT)


@dataclass(frozen=True)
class GsmSection(_Section):
    SECTION: ClassVar[str] = "gsm"
    modems: int = item(4, "simulated GSM modems (one server channel each)", _integer(1, 64))
    profile: str = item("simcom", "modem profile", _choice(*GSM_PROFILES))
    control_port: int = item(8095, "GSM simulator's control API", PORT)
    timing: str = item(
        "realistic", "modem command timing: realistic delays, or instant", _choice(*GSM_TIMINGS)
    )


@dataclass(frozen=True)
class MfmsSection(_Section):
    SECTION: ClassVar[str] = "mfms"
    port: int = item(9876, "MFMS HPG platform (HTTP)", PORT)
    tls_port: int = item(9875, "MFMS HPG platform (HTTPS)", PORT)


@dataclass(frozen=True)
class FtpSection(_Section):
    SECTION: ClassVar[str] = "ftp"
    port: int = item(2121, "FTP bulk-SMS platform (FTP, explicit TLS offered)", PORT)
    control: int = item(2180, "FTP platform's control API", PORT)


@dataclass(frozen=True)
class OktellSection(_Section):
    SECTION: ClassVar[str] = "oktell"
    port: int = item(4055, "Oktell PBX web server", PORT)
    lines: tuple[str, ...] = item(
        lambda: ("101", "183"),
        "PBX lines the server calls through (number, name or guid; one channel each)",
        _lines,
    )


@dataclass(frozen=True)
class SmtpSection(_Section):
    SECTION: ClassVar[str] = "smtp"
    port: int = item(2525, "SMTP sink (STARTTLS offered)", PORT)
    control: int = item(2580, "SMTP sink's control API", PORT)


@dataclass(frozen=True)
class ConsoleSection(_Section):
    SECTION: ClassVar[str] = "console"
    enabled: bool = item(True, "serve the web console (docs/console.md)", _flag)
    port: int = item(8800, "web console (loopback only; its token is in the printed URL)", PORT)
    max_connections: int = item(
        _CONSOLE.max_connections, "web console: connections served at once (more: aborted)",
        _integer(1, 10_000),
    )  # fmt: skip
    max_per_address: int = item(
        _CONSOLE.max_per_address, "web console: connections from one address at once",
        _integer(1, 10_000),
    )  # fmt: skip
    request_timeout: float = item(
        _CONSOLE.request_timeout,
        "web console: seconds a connection may go without a complete request (slow, idle)",
        _number(0.1, 3600),
    )
    write_timeout: float = item(
        _CONSOLE.write_timeout,
        "web console: seconds a peer may leave its replies or live view unread before it is "
        "dropped",
        _number(0.1, 3600),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.max_per_address > self.max_connections:
            raise ConfigError(
                f"console.max_per_address: must be at most console.max_connections "
                f"({self.max_connections}), got {self.max_per_address}"
            )

    def limits(self) -> ConsoleLimits:
        """The console's connection limits with this section's keys."""
        return dataclasses.replace(
            _CONSOLE, max_connections=self.max_connections, max_per_address=self.max_per_address,
            request_timeout=self.request_timeout, write_timeout=self.write_timeout,
        )  # fmt: skip


SECTIONS: Final[Mapping[str, type[_Section]]] = {
    "world": WorldSection,
    "server": ServerSection,
    "ats": AtsSection,
    "gsm": GsmSection,
    "mfms": MfmsSection,
    "ftp": FtpSection,
    "oktell": OktellSection,
    "smtp": SmtpSection,
    "console": ConsoleSection,
}
_SPEED: Final = _number(0.001, 100_000)
SPEED_MEANING: Final = (
    "simulated seconds per real second, for every simulator and the server's clock_speed"
)


@dataclass(frozen=True)
class SystemConfig:
    speed: float = 10.0
    world: WorldSection = field(default_factory=WorldSection)
    server: ServerSection = field(default_factory=ServerSection)
    ats: AtsSection = field(default_factory=AtsSection)
    gsm: GsmSection = field(default_factory=GsmSection)
    mfms: MfmsSection = field(default_factory=MfmsSection)
    ftp: FtpSection = field(default_factory=FtpSection)
    oktell: OktellSection = field(default_factory=OktellSection)
    smtp: SmtpSection = field(default_factory=SmtpSection)
    console: ConsoleSection = field(default_factory=ConsoleSection)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "speed", _SPEED(self.speed))
        except ValueError as error:
            raise ConfigError(f"speed: {error}, got {self.speed!r}") from None
        for name, kind in SECTIONS.items():
            if not isinstance(getattr(self, name), kind):
                raise ConfigError(f"{name}: must be a {kind.__name__}")
        taken: dict[int, str] = {}
        for where, port in self.ports():
            if port and port in taken:
                raise ConfigError(f"{where}: port {port} is also {taken[port]}")
            taken[port] = where

    def ports(self) -> list[tuple[str, int]]:
        """Every configured port with its key path (0: a free one)."""
        found = []
        for name in SECTIONS:
            section = getattr(self, name)
            for spec in dataclasses.fields(section):
                if spec.metadata["check"] is PORT:
                    found.append((key_path(name, spec.name), int(getattr(section, spec.name))))
        return found

    def replace_section(self, name: str, **changes: Any) -> SystemConfig:
        """This configuration with some keys of one section changed (checked again)."""
        return dataclasses.replace(self, **{name: dataclasses.replace(getattr(self, name),
                                                                      **changes)})  # fmt: skip


def with_free_ports(config: SystemConfig) -> SystemConfig:
    """``config`` with every port 0: each listener takes a free one (tests, fixtures)."""
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        section = getattr(config, name)
        ports = {s.name: 0 for s in dataclasses.fields(section) if s.metadata["check"] is PORT}
        sections[name] = dataclasses.replace(section, **ports)
    return dataclasses.replace(config, **sections)


def _resolve(value: object, folder: Path) -> object:
    """A relative path of the file is taken from the file's folder."""
    if isinstance(value, str) and value and value != DEVELOPMENT and not Path(value).is_absolute():
        return str(folder / value)
    return value


def config_from_mapping(spec: Mapping[str, object], folder: Path = Path()) -> SystemConfig:
    """A configuration from parsed TOML over the defaults (see the module comment)."""
    unknown = sorted(set(spec) - {"speed", *SECTIONS})
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown key (known: speed, {', '.join(SECTIONS)})")
    changes: dict[str, Any] = {}
    if "speed" in spec:
        changes["speed"] = spec["speed"]
    for name, kind in SECTIONS.items():
        table = spec.get(name, {})
        if not isinstance(table, Mapping):
            raise ConfigError(f"{name}: must be a table ([{name}])")
        known = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
        for key in table:
            if key not in known:
                raise ConfigError(f"{name}.{key}: unknown key (known: {', '.join(known)})")
        values = dict(table)
        for key in ("file", "licence"):
            if key in values:
                values[key] = _resolve(values[key], folder)
        changes[name] = kind(**values)
    return SystemConfig(**changes)


def load_config(path: Path | None) -> SystemConfig:
    """The embedded defaults (``None``) or a TOML file over them."""
    if path is None:
        return SystemConfig()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 (byte {error.start})") from None
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return config_from_mapping(spec, path.parent)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(part) for part in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def _shown(section: str, key: str, value: object) -> object:
    if value is None and key == "licence":
        return DEVELOPMENT
    return value


def to_toml(config: SystemConfig) -> str:
    """The effective configuration as TOML (keys left unset are comments)."""
    lines = [f"# {SPEED_MEANING}", f"speed = {_toml_value(config.speed)}"]
    for name in SECTIONS:
        section = getattr(config, name)
        lines += ["", f"[{name}]"]
        for spec in dataclasses.fields(section):
            value = _shown(name, spec.name, getattr(section, spec.name))
            if value is None:
                lines.append(f"# {spec.name} = ...  # {spec.metadata['meaning']}")
            else:
                lines.append(f"{spec.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def config_reference() -> str:
    """Every key with its default and meaning, as a Markdown table (docs/system.md)."""
    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    rows.append(f"| `speed` | `{SystemConfig().speed:g}` | {SPEED_MEANING} |")
    defaults = SystemConfig()
    for name in SECTIONS:
        section = getattr(defaults, name)
        for spec in dataclasses.fields(section):
            value = _shown(name, spec.name, getattr(section, spec.name))
            shown = "none" if value is None else f"`{_toml_value(value)}`"
            rows.append(f"| `{name}.{spec.name}` | {shown} | {spec.metadata['meaning']} |")
    return "\n".join(rows) + "\n"
