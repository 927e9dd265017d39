"""The TOML configuration file of ``nabat serve`` -> validated ``ServerSettings``.

The file has flat keys (plus the ``channels`` list of tables), each one of
``settings.KEYS``, checked with that key's rules; an unknown key, a wrong
type or an out-of-range value is a ``ConfigError`` naming the file and the
key (a typo must never be silently ignored). ``load_settings`` layers the
defaults, the file and the command-line options (which win) into one
immutable ``ServerSettings``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nabat.system.server.settings import ServerSettings, key_named, with_values


class ConfigError(Exception):
    """The config file cannot be read or holds a bad key or value."""


def load_config(path: Path) -> dict[str, Any]:
    """The file's keys, validated and converted (``ConfigError`` otherwise)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML: {exc}") from exc
    values: dict[str, Any] = {}
    for name, value in raw.items():
        try:
            values[name] = key_named(name).check(value)
        except ValueError as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
    return values


def load_settings(
    path: Path | None = None, options: Mapping[str, Any] | None = None
) -> ServerSettings:
    """Defaults < the file at ``path`` (if any) < ``options`` (None values ignored)."""
    values = load_config(path) if path is not None else {}
    given = {name: value for name, value in (options or {}).items() if value is not None}
    try:
        checked = {name: key_named(name).check(value) for name, value in given.items()}
    except ValueError as exc:
        raise ConfigError(f"command line: {exc}") from None
    return with_values(ServerSettings(), {**values, **checked})
