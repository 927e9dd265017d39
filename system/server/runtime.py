"""The settings in force, and which of them SETCONFIG may change.

``LiveSettings`` holds the start-up settings (defaults < config file <
command line) and the overrides set with SETCONFIG (kept in the store, so
they also win at the next start); ``current`` is the two combined, and is
what ``ServerContext.settings`` returns. ``RUNTIME`` says when a changeable
key takes effect; every other key of ``config.KEYS`` is a start-up key that
SETCONFIG refuses. ``entries`` is the GETCONFIG listing.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Mapping
from typing import Any

from nabat.system.server.config import KEYS, apply_config, format_value, parse_text
from nabat.system.server.settings import ServerSettings

log = logging.getLogger("nabat.server.config")


class Applies(enum.Enum):
    NOW = "at once"
    NEW_SESSIONS = "to sessions that connect after the change"


RUNTIME: dict[str, Applies] = {
    "welcome": Applies.NOW,
    "login_delay": Applies.NOW,
    "login_max_delay": Applies.NOW,
    "login_max_failures": Applies.NOW,
    "login_lockout": Applies.NOW,
    "tts_timeout": Applies.NOW,
    "idle_timeout": Applies.NEW_SESSIONS,
    "max_sessions": Applies.NOW,
}
HIDDEN = frozenset({"channels"})  # shown by GETCHANNELS / GETCHANINFO instead
SECRET: frozenset[str] = frozenset()  # keys whose value GETCONFIG never shows (none yet)


def refusal(key: str) -> str | None:
    """Why SETCONFIG refuses ``key``, or None when it may be changed."""
    if key not in KEYS:
        return f"unknown key {key!r}; GETCONFIG lists the keys"
    if key in RUNTIME:
        return None
    if key == "channels":
        return "channels are changed with SETCHANINFO"
    return (f"{key} is a start-up setting: set it in the config file or on the command line; "
            "it applies when the server starts")  # fmt: skip


def _value(settings: ServerSettings, key: str) -> Any:
    if key.startswith("login_"):
        return getattr(settings.login, key.removeprefix("login_"))
    return getattr(settings, key)


class LiveSettings:
    def __init__(self, base: ServerSettings, stored: Mapping[str, str] | None = None) -> None:
        self.base = base
        self.lock = asyncio.Lock()  # one SETCONFIG at a time: store and memory stay in step
        self._overrides: dict[str, Any] = {}
        for key, text in (stored or {}).items():
            try:
                if refusal(key) is not None:
                    raise ValueError(refusal(key))
                self._overrides[key] = parse_text(key, text)
            except ValueError as exc:
                log.warning("stored setting %s ignored: %s", key, exc)
        self.current = apply_config(base, self._overrides)
        if self._overrides:
            log.info("settings changed with SETCONFIG in force: %s", ", ".join(self._overrides))

    @property
    def overrides(self) -> dict[str, Any]:
        return dict(self._overrides)

    def validate(self, key: str, text: str) -> None:
        """``ValueError`` (with the reason) unless SETCONFIG may set ``key`` to ``text``."""
        reason = refusal(key)
        if reason is not None:
            raise ValueError(reason)
        parse_text(key, text)

    def set(self, key: str, text: str) -> str:
        """Apply a SETCONFIG; the value as GETCONFIG will show it. ``ValueError``
        (with the reason) for a refused key or a bad value; nothing changes then."""
        reason = refusal(key)
        if reason is not None:
            raise ValueError(reason)
        value = parse_text(key, text)
        overrides = {**self._overrides, key: value}
        self.current = apply_config(self.base, overrides)
        self._overrides = overrides
        return format_value(value)

    def value(self, key: str) -> str:
        return format_value(_value(self.current, key))

    def entries(self, extra: Mapping[str, str]) -> list[tuple[str, str]]:
        """GETCONFIG rows: every key but the hidden ones, in ``KEYS`` order;
        ``extra`` gives keys not kept in ``ServerSettings`` (data_dir, licence)."""
        rows: list[tuple[str, str]] = []
        for key in KEYS:
            if key in HIDDEN:
                continue
            if key in SECRET:
                text = "********"
            elif key in extra:
                text = extra[key]
            else:
                text = self.value(key)
            rows.append((key, text))
        return rows
