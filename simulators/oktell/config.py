"""Configuration of the Oktell simulator: listener, password, directory, scripts, licence.

``OktellConfig`` is immutable and complete with defaults (loopback, port
4055, no password, the default directory). ``load_config(path)`` reads a
TOML file::

    password = "abc"                 # QueryWebServerPassword: 403 without it
    external_lines = 4               # trunk lines for calls out
    trunk_caller_id = "79000000090"  # the number every trunk presents (default: its own)
    files_dir = "oktell-files"       # relative to the file's folder
    record_calls = true              # answered calls leave rec/<commutation id>.wav
    [scripts]
    mynotify = "mypackage.scripts:notify"
    [licence]                        # simulators/oktell/licence.py
    regserial = "1234567"
    [[lines]]   number = "16038"  kind = "internal"  name = "..."  id = "<guid>"
    [[users]]   login = "ivan"  name = "Иван"  number = "101"  line = "16038"
    [[workplaces]]  name = "OPERATOR1"  line = "16038"
    [[groups]]  number = "120"  members = ["101"]

Every mistake raises ``ConfigError`` naming the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from nabat.simulators.http.server import HttpLimits
from nabat.simulators.oktell.directory import Directory, DirectoryError, directory_from_mapping
from nabat.simulators.oktell.pbx import DEFAULT_PORT, OktellLimits
from nabat.simulators.oktell.scripts import ScriptConfigError, ScriptRegistry, import_script

MAX_PASSWORD = 200
_KNOWN = frozenset(
    {
        "password",
        "external_lines",
        "trunk_caller_id",
        "files_dir",
        "scripts",
        "licence",
        "lines",
        "users",
        "workplaces",
        "groups",
        "record_calls",
    }
)


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names it."""


@dataclass(frozen=True, slots=True)
class OktellConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    password: str | None = None
    files_dir: Path | None = None  # None: a temporary folder for the run
    limits: OktellLimits = field(default_factory=OktellLimits)
    http: HttpLimits = field(default_factory=HttpLimits)  # deadlines and connection limits
    directory_spec: Mapping[str, object] = field(default_factory=dict)
    scripts: Mapping[str, str] = field(default_factory=dict)  # name -> "module:function"
    licence_spec: Mapping[str, object] = field(default_factory=dict)
    record_calls: bool = True  # answered calls leave a WAV under rec/ (recordings.py)
    journal_size: int = 10_000
    journal_bytes: int = 16 << 20
    journal_entry_bytes: int = 4096

    def http_limits(self) -> HttpLimits:
        body = self.limits.max_upload_request_bytes + 64 * 1024
        return replace(self.http, max_body_bytes=max(self.http.max_body_bytes, body))

    def directory(self) -> Directory:
        try:
            return directory_from_mapping(self.directory_spec)
        except DirectoryError as error:
            raise ConfigError(str(error)) from None

    def script_registry(self) -> ScriptRegistry:
        registry = ScriptRegistry()
        for name, target in self.scripts.items():
            try:
                registry.register(name, import_script(target))
            except ScriptConfigError as error:
                raise ConfigError(f"scripts.{name}: {error}") from None
        return registry


def load_config(path: Path, base: OktellConfig | None = None) -> OktellConfig:
    """``base`` (defaults) with what the TOML file at ``path`` sets."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path.name}: {error}") from None
    return config_from_mapping(spec, path.parent, base or OktellConfig())


def config_from_mapping(
    spec: Mapping[str, object], folder: Path, base: OktellConfig
) -> OktellConfig:
    unknown = sorted(set(spec) - _KNOWN)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(unknown)}")
    password = spec.get("password", base.password)
    if password is not None and (
        not isinstance(password, str) or not password or len(password) > MAX_PASSWORD
    ):
        raise ConfigError(f"password must be non-empty text of at most {MAX_PASSWORD} characters")
    files_dir = base.files_dir
    if "files_dir" in spec:
        raw = spec["files_dir"]
        if not isinstance(raw, str) or not raw:
            raise ConfigError("files_dir must be a folder name")
        files_dir = folder / raw
    scripts = spec.get("scripts", {})
    if not isinstance(scripts, Mapping) or not all(isinstance(v, str) for v in scripts.values()):
        raise ConfigError('scripts must be a table of name = "module:function"')
    record_calls = spec.get("record_calls", base.record_calls)
    if not isinstance(record_calls, bool):
        raise ConfigError("record_calls must be true or false")
    licence = spec.get("licence", {})
    if not isinstance(licence, Mapping):
        raise ConfigError("licence must be a table")
    directory_spec = {
        key: spec[key]
        for key in ("external_lines", "trunk_caller_id", "lines", "users", "workplaces", "groups")
        if key in spec
    }
    config = OktellConfig(
        host=base.host,
        port=base.port,
        password=password,
        files_dir=files_dir,
        limits=base.limits,
        http=base.http,
        directory_spec=directory_spec,
        scripts={str(k): str(v) for k, v in scripts.items()},
        licence_spec=dict(licence),
        record_calls=record_calls,
    )
    config.directory()  # every mistake shows at load time
    config.script_registry()
    return config
