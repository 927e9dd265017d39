"""Every configuration key of the server, declared once, and the settings object.

A key is a field of ``ServerSettings``, or of a nested group such as
``LoginPolicy`` whose keys carry the group's prefix (``login_delay``; the
group field's metadata names the prefix),
declared with ``setting(...)``: default, range, doc text and, for a runtime
key, when a SETCONFIG change takes effect (``Applies``); a key without it
is a start-up key. The field's annotation is the key's type. ``KEYS`` (name
-> ``Key``) is derived from those fields, and everything else from ``KEYS``:
the TOML loader (``config.py``), a value's checks (``Key.check`` for TOML
values, ``Key.parse_text`` for SETCONFIG text), GETCONFIG / SETCONFIG
(``live.py``) and the key table of docs/server.md (``keys_table``).

The settings are immutable and validated on construction (a bad value
raises ``ValueError`` naming the key); ``with_values`` makes a new object
with some keys changed. The defaults run everything on loopback, no file.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args, get_type_hints

from nabat.system.protocol import MAX_LINE_LENGTH
from nabat.system.server.channelconfig import ChannelSpec, parse_channels
from nabat.system.server.verification_config import parse_verification
from nabat.system.verification.settings import VerificationSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7021


class Applies(enum.Enum):
    """When a SETCONFIG change of a runtime key takes effect."""

    NOW = "at once"
    NEW_SESSIONS = "to sessions that connect after the change"


@dataclass(frozen=True, slots=True)
class _Spec:
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    applies: Applies | None = None  # None: a start-up key
    raw: type | None = None  # the file's type when the field's differs (channels: list)
    parse: Callable[[Any], Any] | None = None  # file value -> field value
    refusal: str | None = None  # SETCONFIG's reason for a start-up key, when not the usual one
    listed: bool = True  # shown by GETCONFIG
    default_text: str | None = None  # the docs' default column, when not the value


_SPEC = "nabat.setting"
_GROUP = "nabat.group"


def _report_format(value: Any) -> str:
    text = str(value).strip().upper()
    if text not in ("HTML", "XLS", "XLSX"):
        raise ValueError(f"must be HTML, XLS or XLSX, got {value!r}")
    return text


def setting(
    default: Any,
    doc: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    applies: Applies | None = None,
    raw: type | None = None,
    parse: Callable[[Any], Any] | None = None,
    refusal: str | None = None,
    listed: bool = True,
    default_text: str | None = None,
) -> Any:
    """Declare a configuration key as a settings field (the field's name is the key)."""
    spec = _Spec(doc, minimum, maximum, applies, raw, parse, refusal, listed, default_text)
    return field(default=default, metadata={_SPEC: spec})


@dataclass(frozen=True, slots=True)
class Key:
    """One configuration key, derived from its field."""

    name: str
    path: tuple[str, ...]  # attributes from ``ServerSettings`` to the value
    kind: type  # str, int, float or list: the type in the file
    default: Any
    spec: _Spec

    @property
    def runtime(self) -> bool:
        return self.spec.applies is not None

    def get(self, settings: ServerSettings) -> Any:
        value: Any = settings
        for attribute in self.path:
            value = getattr(value, attribute)
        return value

    def check(self, value: Any) -> Any:
        """``value`` (converted) when it is right for this key, else ``ValueError``."""
        name, kind, spec = self.name, self.kind, self.spec
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is float and number:
            value = float(value)
        elif not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"key {name!r} must be {kind.__name__}, got {type(value).__name__}")
        if kind is float and not math.isfinite(value):
            raise ValueError(f"key {name!r} must be a finite number")
        if spec.minimum is not None and value < spec.minimum:
            raise ValueError(f"key {name!r} must be >= {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise ValueError(f"key {name!r} must be <= {spec.maximum}")
        if spec.parse is not None:
            try:
                value = spec.parse(value)
            except ValueError as exc:
                raise ValueError(f"key {name!r}: {exc}") from None
        return value

    def parse_text(self, text: str) -> Any:
        """A value given as text (SETCONFIG) converted to the key's type and checked."""
        value: Any = text
        if self.kind is int:
            if _INT.fullmatch(text) is None:
                raise ValueError(f"key {self.name!r} must be int (a decimal integer), "
                                 f"got {text[:40]!r}")  # fmt: skip
            value = int(text)
        elif self.kind is float:
            if _FLOAT.fullmatch(text) is None:
                raise ValueError(f"key {self.name!r} must be float (a decimal number), "
                                 f"got {text[:40]!r}")  # fmt: skip
            value = float(text)
        elif self.kind is not str:
            raise ValueError(f"key {self.name!r} cannot be given as text")
        return self.check(value)


KEYS: dict[str, Key] = {}  # filled below ServerSettings
_INT = re.compile(r"-?[0-9]{1,12}")
_FLOAT = re.compile(r"-?([0-9]{1,12}(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?")


def _validate(instance: Any, prefix: str) -> None:
    """Check (and convert int -> float) the keys of one settings object in place."""
    for item in dataclasses.fields(instance):
        spec = item.metadata.get(_SPEC)
        value = getattr(instance, item.name)
        if spec is None or value is None or spec.parse is not None:
            continue  # groups validate themselves; structured values are parsed from the file
        key = KEYS.get(prefix + item.name)
        if key is not None:
            object.__setattr__(instance, item.name, key.check(value))


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginPolicy:
    """How repeated bad logins are slowed down, and password checks queued.

    The n-th consecutive failure of one (peer address, login) pair waits
    ``min(delay * 2**(n-1), max_delay)`` seconds before ``ERR_BADLOGIN``;
    after ``max_failures`` the pair is locked for ``lockout`` seconds (every
    LOGIN, right password or not, is refused); ``address_max_failures``
    failures from one address, whatever the names, lock the address the
    same way. ``queue`` and ``queue_timeout`` bound the password checks
    waiting for a worker.
    """

    delay: float = setting(0.5, "seconds: delay after the first failed login",
                           minimum=0, applies=Applies.NOW)  # fmt: skip
    max_delay: float = setting(5.0, "seconds: the delay doubles per failure up to this",
                               minimum=0, applies=Applies.NOW)  # fmt: skip
    max_failures: int = setting(5, "failures before a lockout", minimum=1, applies=Applies.NOW)
    lockout: float = setting(300.0, "seconds a locked (peer, login) pair or peer address is "
                             "refused", minimum=0, applies=Applies.NOW)  # fmt: skip
    address_max_failures: int = setting(10, "failures from one address, whatever the login "
                                         "names, before the address is locked out (forgotten "
                                         "`login_lockout` s after its last failure)", minimum=1,
                                         applies=Applies.NOW)  # fmt: skip
    queue: int = setting(64, "password checks waiting for a worker at once; one more LOGIN is "
                         "refused `ERR_BADLOGIN` (server busy) at once", minimum=1,
                         maximum=100_000, applies=Applies.NOW)  # fmt: skip
    queue_timeout: float = setting(5.0, "seconds a LOGIN may wait for a password check before "
                                   "it is refused `ERR_BADLOGIN` (server busy)", minimum=0.01,
                                   maximum=600, applies=Applies.NOW)  # fmt: skip

    def __post_init__(self) -> None:
        _validate(self, "login_")


_STARTUP = "start-up setting: set it in the config file or on the command line"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    """The settings in force; built from the defaults, the file and the options."""

    host: str = setting(DEFAULT_HOST, "address to listen on (`--host`)")
    port: int = setting(DEFAULT_PORT, "TCP port; `0` picks a free one (`--port`)",
                        minimum=0, maximum=65535)  # fmt: skip
    data_dir: str | None = setting(None, "directory of the store and certificate (`--data-dir`)",
                                   default_text="required (here or `--data-dir`)")  # fmt: skip
    licence: str | None = setting(None, "licence file (`--licence`)",
                                  default_text="the development licence")  # fmt: skip
    idle_timeout: float = setting(300.0, "seconds without a line before a session is closed "
                                  "(`--idle-timeout`)", minimum=0.001,
                                  applies=Applies.NEW_SESSIONS)  # fmt: skip
    max_line_length: int = setting(MAX_LINE_LENGTH, "bytes of one line, CRLF included",
                                   minimum=64, maximum=1024 * 1024)  # fmt: skip
    max_upload_size: int = setting(16 * 1024 * 1024, "bytes of one SENDRAWFILE upload at most "
                                   "(a larger BEGIN is refused at once)", minimum=1,
                                   maximum=2**40)  # fmt: skip
    password_cost: int = setting(15, "scrypt cost of stored passwords as log2 N: each step "
                                 "doubles the time to check a password, and to guess one; "
                                 "lower it only for throwaway servers (`nabat demo server` "
                                 "uses 12)", minimum=10, maximum=20)  # fmt: skip
    welcome: str = setting("Nabat notification server", "text of `LOGIN OK <welcome>`",
                           applies=Applies.NOW)  # fmt: skip
    simulated_gsm_modems: int = setting(0, "working GSM modems the engine reports "
                                        "for GSM channels without a `port` (no modem driver)",
                                        minimum=0, maximum=1000)  # fmt: skip
    report_format: str = setting("HTML", "GETREPORT's format when neither the request nor the "
                                 "task's `report=` names one: `HTML`, `XLS` (Excel 97) or "
                                 "`XLSX`", parse=_report_format,
                                 applies=Applies.NOW)  # fmt: skip
    clock_speed: float = setting(1.0, "how much faster than the wall the engine's clock runs "
                                 "(retry intervals between rounds, the wait for SMS delivery "
                                 "reports; for runs against simulators with a speed factor; the "
                                 "drivers' protocol timeouts stay in real time; keep 1 in "
                                 "production)", minimum=0.001,
                                 maximum=100_000)  # fmt: skip
    login: LoginPolicy = field(default_factory=LoginPolicy, metadata={_GROUP: "login_"})
    channels: tuple[ChannelSpec, ...] | None = setting(
        None, "list of `[[channels]]` tables, see [channels](#channels)", raw=list,
        parse=parse_channels, refusal="channels are changed with SETCHANINFO", listed=False,
        default_text="the licence's default set",
    )  # fmt: skip
    tts_command: str | None = setting(
        None, 'path of an espeak-ng compatible executable; `""` disables TTS; see '
        "[speech synthesis](#speech-synthesis-gettts-tts)",
        default_text="libespeak-ng of `espeakng-loader`, else `espeak-ng` on `PATH`",
    )  # fmt: skip
    tts_timeout: float = setting(20.0, "seconds one TTS synthesis may take",
                                 minimum=0.1, maximum=600, applies=Applies.NOW)  # fmt: skip
    max_sessions: int = setting(1000, "sessions open at once; one more is answered "
                                "`ERROR ERR_BUSY` and closed", minimum=1, maximum=100_000,
                                applies=Applies.NOW)  # fmt: skip
    tls_handshake_timeout: float = setting(30.0, "seconds a connection may take to complete TLS",
                                           minimum=0.1, maximum=600)  # fmt: skip
    max_tls_handshakes: int = setting(100, "connections still in the TLS handshake at once; "
                                      "one more is closed at once", minimum=1,
                                      maximum=100_000)  # fmt: skip
    max_unauthenticated: int = setting(250, "sessions not logged in at once (keep it below "
                                       "`max_sessions`: the rest is kept for logged-in users); "
                                       "one more is answered `ERROR ERR_BUSY` and closed",
                                       minimum=1, maximum=100_000)  # fmt: skip
    max_unauthenticated_per_address: int = setting(
        64, "sessions not logged in from one peer address at once (as many again may be in "
        "the TLS handshake); one more is answered `ERROR ERR_BUSY` and closed",
        minimum=1, maximum=100_000,
    )  # fmt: skip
    login_timeout: float = setting(30.0, "seconds a session may stay without logging in; then "
                                   "it gets `ERROR ERR_NOACCESS` and is closed",
                                   minimum=0.01, maximum=3600)  # fmt: skip
    send_buffer: int = setting(256 * 1024, "bytes of the kernel's send buffer per connection "
                               "(`SO_SNDBUF`), bounding what a client that does not read "
                               "costs; `0` leaves it to the kernel's autotuning (up to 4 MiB)",
                               minimum=0, maximum=64 * 1024 * 1024)  # fmt: skip
    write_timeout: float = setting(60.0, "seconds a reply may wait for a client that does not "
                                   "read; then the session is closed", minimum=0.01,
                                   maximum=3600)  # fmt: skip
    verification: VerificationSettings | None = setting(  # noqa: RUF009 - frozen, None default
        None, "the `[verification]` table (`primary_url`, `reserve_url`, `source_address`, "
        "`budget`, `outgoing_policy`, `incoming_policy`, `remote_start_policy`), see "
        "[verification of calls](#verification-of-calls)", raw=dict, parse=parse_verification,
        refusal="verification is set in the config file's [verification] table", listed=False,
        default_text="none: calls are placed unregistered",
    )  # fmt: skip

    def __post_init__(self) -> None:
        _validate(self, "")


def _kind(hint: Any, spec: _Spec) -> type:
    if spec.raw is not None:
        return spec.raw
    options = [arg for arg in get_args(hint) if arg is not types.NoneType] or [hint]
    assert len(options) == 1 and isinstance(options[0], type), hint
    return options[0]


def _derive(cls: type, prefix: str, path: tuple[str, ...]) -> dict[str, Key]:
    hints = get_type_hints(cls)
    keys: dict[str, Key] = {}
    for item in dataclasses.fields(cls):
        if _GROUP in item.metadata:
            keys.update(_derive(hints[item.name], item.metadata[_GROUP], (*path, item.name)))
            continue
        spec: _Spec = item.metadata[_SPEC]
        name = prefix + item.name
        keys[name] = Key(name, (*path, item.name), _kind(hints[item.name], spec), item.default,
                         spec)  # fmt: skip
    return keys


KEYS.update(_derive(ServerSettings, "", ()))
RUNTIME: dict[str, Applies] = {
    name: key.spec.applies for name, key in KEYS.items() if key.spec.applies is not None
}


def key_named(name: str) -> Key:
    """The key ``name``, else ``ValueError`` naming it."""
    key = KEYS.get(name)
    if key is None:
        raise ValueError(f"unknown key {name!r} (known keys: {', '.join(sorted(KEYS))})")
    return key


def with_values(settings: ServerSettings, values: Mapping[str, Any]) -> ServerSettings:
    """``settings`` with the (already checked) key values of ``values`` applied."""
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        path = key_named(name).path
        if len(path) == 1:
            top[path[0]] = value
        else:
            nested.setdefault(path[0], {})[path[1]] = value
    for group_name, changes in nested.items():
        top[group_name] = dataclasses.replace(getattr(settings, group_name), **changes)
    return dataclasses.replace(settings, **top)


def format_value(value: Any) -> str:
    """How GETCONFIG and SETCONFIG show a value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _default_text(key: Key) -> str:
    if key.spec.default_text is not None:
        return key.spec.default_text
    value = key.default
    return f"`{_number(value) if isinstance(value, float) else value}`"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _range_text(key: Key) -> str:
    low, high = key.spec.minimum, key.spec.maximum
    if low is not None and high is not None:
        return f"{_number(low)}-{_number(high)}"
    if low is not None:
        return f">= {_number(low)}"
    return f"<= {_number(high)}" if high is not None else ""


def keys_table() -> str:
    """The Markdown table of every key, as docs/server.md shows it."""
    lines = ["| key | type | range | default | SETCONFIG | meaning |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for key in KEYS.values():
        applies = key.spec.applies
        change = f"yes, {applies.value}" if applies is not None else "no, start-up"
        lines.append(f"| `{key.name}` | {key.kind.__name__} | {_range_text(key)} | "
                     f"{_default_text(key)} | {change} | {key.spec.doc} |")  # fmt: skip
    return "\n".join(lines)
