"""The optional TOML configuration file of ``nabat serve``, and the value rules.

Flat keys only (plus the ``channels`` list of tables), each checked for its
type and range; an unknown key is an error naming it (a typo must never be
silently ignored). Command-line options win over the file, the file over the
defaults of ``ServerSettings``. ``check_value`` and ``parse_text`` are the
same rules for SETCONFIG, whose values arrive as text (``runtime.py``).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nabat.system.server.channelconfig import parse_channels
from nabat.system.server.settings import LoginPolicy, ServerSettings


class ConfigError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Key:
    kind: type
    minimum: float | None = None
    maximum: float | None = None
    convert: Callable[[Any], Any] | None = None  # for structured values (channels)


KEYS: dict[str, _Key] = {
    "host": _Key(str),
    "port": _Key(int, 0, 65535),
    "data_dir": _Key(str),
    "licence": _Key(str),
    "idle_timeout": _Key(float, 0.001),
    "max_line_length": _Key(int, 64, 1024 * 1024),
    "welcome": _Key(str),
    "simulated_gsm_modems": _Key(int, 0, 1000),
    "login_delay": _Key(float, 0),
    "login_max_delay": _Key(float, 0),
    "login_max_failures": _Key(int, 1),
    "login_lockout": _Key(float, 0),
    "channels": _Key(list, convert=parse_channels),
    "tts_command": _Key(str),
    "tts_timeout": _Key(float, 0.1, 600),
    "max_sessions": _Key(int, 1, 100_000),
    "tls_handshake_timeout": _Key(float, 0.1, 600),
}
DIRECT = ("host", "port", "idle_timeout", "max_line_length", "welcome", "simulated_gsm_modems",
          "channels", "tts_command", "tts_timeout", "max_sessions",
          "tls_handshake_timeout")  # fmt: skip
_INT = re.compile(r"-?[0-9]{1,12}")
_FLOAT = re.compile(r"-?([0-9]{1,12}(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?")


def check_value(name: str, value: Any) -> Any:
    """``value`` (converted) when it is right for key ``name``, else ``ValueError``."""
    key = KEYS.get(name)
    if key is None:
        raise ValueError(f"unknown key {name!r} (known keys: {', '.join(sorted(KEYS))})")
    ok = isinstance(value, key.kind) and not isinstance(value, bool)
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ValueError(f"key {name!r} must be {key.kind.__name__}, got {type(value).__name__}")
    if key.kind is float and not math.isfinite(value):
        raise ValueError(f"key {name!r} must be a finite number")
    if key.minimum is not None and value < key.minimum:
        raise ValueError(f"key {name!r} must be >= {key.minimum}")
    if key.maximum is not None and value > key.maximum:
        raise ValueError(f"key {name!r} must be <= {key.maximum}")
    if key.convert is not None:
        try:
            value = key.convert(value)
        except ValueError as exc:
            raise ValueError(f"key {name!r}: {exc}") from None
    return value


def parse_text(name: str, text: str) -> Any:
    """A value given as text (SETCONFIG) converted to the key's type and checked."""
    key = KEYS.get(name)
    if key is None:
        return check_value(name, text)  # raises: unknown key
    value: Any = text
    if key.kind is int:
        if _INT.fullmatch(text) is None:
            raise ValueError(f"key {name!r} must be int (a decimal integer), got {text[:40]!r}")
        value = int(text)
    elif key.kind is float:
        if _FLOAT.fullmatch(text) is None:
            raise ValueError(f"key {name!r} must be float (a decimal number), got {text[:40]!r}")
        value = float(text)
    elif key.kind is not str:
        raise ValueError(f"key {name!r} cannot be given as text")
    return check_value(name, value)


def format_value(value: Any) -> str:
    """How GETCONFIG shows a value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _check(path: Path, name: str, value: Any) -> Any:
    try:
        return check_value(name, value)
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None


def load_config(path: Path) -> dict[str, Any]:
    """The file's keys, validated."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML: {exc}") from exc
    return {name: _check(path, name, value) for name, value in raw.items()}


def apply_config(settings: ServerSettings, values: dict[str, Any]) -> ServerSettings:
    """``settings`` with the server keys of ``values`` applied."""
    direct = {name: values[name] for name in DIRECT if name in values}
    login = {
        field: values[f"login_{field}"]
        for field in ("delay", "max_delay", "max_failures", "lockout")
        if f"login_{field}" in values
    }
    policy: LoginPolicy = replace(settings.login, **login)
    return replace(settings, **direct, login=policy)
