"""The one live source of the settings in force, and SETCONFIG's rules.

``LiveSettings.current`` is an immutable ``ServerSettings``: the start-up
settings (defaults < config file < command line) with the runtime keys
changed by SETCONFIG applied over them. SETCONFIG replaces it as a whole
with a new validated object (``set``); components never keep a copy, they
read ``current`` (through ``ServerContext.settings``) each time they use a
value, so a change reaches every use. The changes are kept in the store by
the SETCONFIG handler, given back here at the next start (``stored``) and
win over the file and the options then too. ``refusal`` says why SETCONFIG
may not change a key (unknown, or a start-up key); ``entries`` is the
GETCONFIG listing, in ``KEYS`` order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from nabat.system.server.settings import (
    KEYS,
    LoginPolicy,
    ServerSettings,
    format_value,
    with_values,
)

log = logging.getLogger("nabat.server.config")
STARTUP_REASON = ("{key} is a start-up setting: set it in the config file or on the command "
                  "line; it applies when the server starts")  # fmt: skip


def refusal(key: str) -> str | None:
    """Why SETCONFIG refuses ``key``, or None when it may be changed."""
    found = KEYS.get(key)
    if found is None:
        return f"unknown key {key!r}; GETCONFIG lists the keys"
    if found.runtime:
        return None
    return found.spec.refusal or STARTUP_REASON.format(key=key)


def _parse(key: str, text: str) -> Any:
    reason = refusal(key)
    if reason is not None:
        raise ValueError(reason)
    return KEYS[key].parse_text(text)


class LiveSettings:
    def __init__(self, base: ServerSettings, stored: Mapping[str, str] | None = None) -> None:
        self.base = base
        self.lock = asyncio.Lock()  # one SETCONFIG at a time: store and memory stay in step
        overrides: dict[str, Any] = {}
        for key, text in (stored or {}).items():
            try:
                overrides[key] = _parse(key, text)
            except ValueError as exc:
                log.warning("stored setting %s ignored: %s", key, exc)
        self._overrides = overrides
        self._current = with_values(base, overrides)
        if overrides:
            log.info("settings changed with SETCONFIG in force: %s", ", ".join(overrides))

    @property
    def current(self) -> ServerSettings:
        """The settings in force now."""
        return self._current

    def login_policy(self) -> LoginPolicy:
        """The login policy in force now (the throttle's source)."""
        return self._current.login

    @property
    def overrides(self) -> dict[str, Any]:
        return dict(self._overrides)

    def validate(self, key: str, text: str) -> None:
        """``ValueError`` (with the reason) unless SETCONFIG may set ``key`` to ``text``."""
        _parse(key, text)

    def set(self, key: str, text: str) -> str:
        """Apply a SETCONFIG: ``current`` becomes a new settings object. The value
        as GETCONFIG shows it; ``ValueError`` (nothing changes) when refused."""
        value = _parse(key, text)
        overrides = {**self._overrides, key: value}
        self._current = with_values(self.base, overrides)
        self._overrides = overrides
        return format_value(value)

    def value(self, key: str) -> str:
        return format_value(KEYS[key].get(self._current))

    def entries(self, shown: Mapping[str, str]) -> list[tuple[str, str]]:
        """GETCONFIG rows: every listed key in ``KEYS`` order; ``shown`` overrides the
        text of keys whose value in use is known elsewhere (data_dir, licence, TTS)."""
        return [
            (name, shown[name] if name in shown else self.value(name))
            for name, key in KEYS.items()
            if key.spec.listed
        ]
