"""The optional TOML configuration file of ``nabat serve``.

Flat keys only, each checked for its type; an unknown key is an error naming
it (a typo must never be silently ignored). Command-line options win over
the file, the file over the defaults of ``ServerSettings``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from system.server.settings import LoginPolicy, ServerSettings


class ConfigError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Key:
    kind: type
    minimum: float | None = None
    maximum: float | None = None


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
}


def _check(path: Path, name: str, value: Any) -> Any:
    key = KEYS.get(name)
    if key is None:
        known = ", ".join(sorted(KEYS))
        raise ConfigError(f"config file {path}: unknown key {name!r} (known keys: {known})")
    ok = isinstance(value, key.kind) and not isinstance(value, bool)
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(
            f"config file {path}: key {name!r} must be {key.kind.__name__}, "
            f"got {type(value).__name__}"
        )
    if key.minimum is not None and value < key.minimum:
        raise ConfigError(f"config file {path}: key {name!r} must be >= {key.minimum}")
    if key.maximum is not None and value > key.maximum:
        raise ConfigError(f"config file {path}: key {name!r} must be <= {key.maximum}")
    return value


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
    direct = {
        name: values[name]
        for name in ("host", "port", "idle_timeout", "max_line_length", "welcome",
                     "simulated_gsm_modems")
        if name in values
    }  # fmt: skip
    login = {
        field: values[f"login_{field}"]
        for field in ("delay", "max_delay", "max_failures", "lockout")
        if f"login_{field}" in values
    }
    policy: LoginPolicy = replace(settings.login, **login)
    return replace(settings, **direct, login=policy)
