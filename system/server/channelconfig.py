"""The configured channel set and the grammar of a channel's ``settings``.

The server has no hardware layer yet, so channels are configured: the
``channels`` list of the TOML config file (``[[channels]]`` tables with
``type``, ``name``, optional ``enabled`` and ``settings``; numbered 1, 2, ...
in file order), or, without it, the default set derived from the licence:
one GSM channel per licensed GSM modem and one SMTP channel when e-mail is
licensed. ``settings`` is ``key=value`` pairs separated by ``;``: keys are
1-64 of ``A-Z a-z 0-9 _ . -``, unique; values are any text without ``;``
(``=`` allowed); the empty string means no settings; an empty pair is an
error. ``check_settings`` raises ``ValueError`` with a message naming the
problem.

A GSM channel's settings are also the settings of its modem driver
(``GsmModemSettings.from_pairs``: ``port``, ``pin``, ``dialect``,
``baudrate``, ... ; see docs/gsm-channel.md): ``check_settings(text,
ChannelType.GSM)`` refuses a key the driver does not know and a bad value,
and ``gsm_modem_settings`` builds the driver's settings, or None when the
text names no ``port`` (such a channel is not driven: the in-process
engine's ``simulated_gsm_modems`` decides its state). ``name`` is not a
settings key: the driver is named after the channel number. An Oktell
channel's settings are its line driver's (``OktellLineSettings``: ``url``,
``line``, ``password``, ``script``, ... ; docs/oktell-channel.md), checked the
same way by ``oktell_line_settings`` (None without a ``url``). MFMS, FTP
platform and SMTP channels' settings are their routes' (``MfmsSettings``:
``base_url``, ``login``, ``password``, ``subject``, ...; ``FtpPlatformSettings``:
``host``, ``port``, ``login``, ``sender``, ...; ``SmtpSettings``: ``host``,
``port``, ``starttls``, ``from_address``, ...), checked and built the same
way (``DRIVER_SETTINGS`` by type; None without ``base_url`` / ``host``: such a
channel stays undriven and IDLE).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from nabat.system.channels.ftp_platform.settings import FtpPlatformSettings
from nabat.system.channels.gsm.settings import GsmModemSettings
from nabat.system.channels.mfms.settings import MfmsSettings
from nabat.system.channels.oktell.settings import OktellLineSettings
from nabat.system.channels.smtp.settings import SmtpSettings
from nabat.system.licence import Licence
from nabat.system.protocol import ChannelType

_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_FIELDS = frozenset({"type", "name", "enabled", "settings"})
PORT_KEY = "port"  # a GSM channel whose settings name a port is driven by a GsmModem
URL_KEY = "url"  # an Oktell channel whose settings name a url is driven by an OktellLine
BASE_URL_KEY = "base_url"  # an MFMS channel whose settings name a base_url: an MfmsRoute
HOST_KEY = "host"  # FTP platform and SMTP channels whose settings name a host: their route


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelSpec:
    """One configured channel (its number is its position, from 1)."""

    ctype: ChannelType
    name: str
    enabled: bool = True
    settings: str = ""


def check_settings(text: str, ctype: ChannelType | None = None) -> str:
    """``text`` if it is valid ``key=value;key=value`` (and, for a driven ``ctype``,
    valid settings of its driver), else ``ValueError``."""
    driver_settings = DRIVER_SETTINGS.get(ctype) if ctype is not None else None
    if driver_settings is not None:
        driver_settings(text, ctype.name.lower() if ctype is not None else "channel")
        return text
    if text == "":
        return text
    seen: set[str] = set()
    for index, pair in enumerate(text.split(";"), start=1):
        key, sep, _ = pair.partition("=")
        if not sep:
            raise ValueError(f"settings: pair {index} ({pair[:40]!r}) is not key=value")
        if _KEY.fullmatch(key) is None:
            raise ValueError(
                f"settings: pair {index}: key {key[:40]!r} is not 1-64 of A-Z a-z 0-9 _ . -"
            )
        if key in seen:
            raise ValueError(f"settings: key {key!r} given twice")
        seen.add(key)
    return text


def settings_pairs(text: str) -> dict[str, str]:
    """The keys and values of a valid settings text (``check_settings`` it first)."""
    if text == "":
        return {}
    return {key: value for key, _, value in (pair.partition("=") for pair in text.split(";"))}


_Settings = TypeVar("_Settings")


def _driver_settings(
    text: str,
    name: str,
    *,
    build: Callable[..., _Settings],
    kind: str,
    drive_key: str,
) -> _Settings | None:
    """``build(text, name=name)`` for a channel named ``name`` (None: ``drive_key`` not given,
    not driven); ``ValueError`` naming the key (never quoting a password) otherwise."""
    check_settings(text)
    pairs = settings_pairs(text)
    if not pairs:
        return None  # no settings: not driven (and nothing to check)
    if "name" in pairs:
        raise ValueError(f"settings: name: set by the server, not {kind} setting")
    try:
        settings = build(text, name=name)
    except ValueError as exc:
        raise ValueError(f"settings: {exc}") from None
    return settings if drive_key in pairs else None


def gsm_modem_settings(text: str, name: str) -> GsmModemSettings | None:
    """The driver settings of a GSM channel (None: no ``port``, not driven)."""
    return _driver_settings(text, name, build=GsmModemSettings.from_pairs,
                            kind="a GSM channel", drive_key=PORT_KEY)  # fmt: skip


def oktell_line_settings(text: str, name: str) -> OktellLineSettings | None:
    """The driver settings of an Oktell channel (None: no ``url``, not driven)."""
    return _driver_settings(text, name, build=OktellLineSettings.from_pairs,
                            kind="an Oktell channel", drive_key=URL_KEY)  # fmt: skip


def mfms_route_settings(text: str, name: str) -> MfmsSettings | None:
    """The route settings of an MFMS channel (None: no ``base_url``, not driven)."""
    return _driver_settings(text, name, build=MfmsSettings.from_pairs,
                            kind="an MFMS channel", drive_key=BASE_URL_KEY)  # fmt: skip


def ftp_route_settings(text: str, name: str) -> FtpPlatformSettings | None:
    """The route settings of an FTP platform channel (None: no ``host``, not driven)."""
    return _driver_settings(text, name, build=FtpPlatformSettings.from_pairs,
                            kind="an FTP platform channel", drive_key=HOST_KEY)  # fmt: skip


def smtp_route_settings(text: str, name: str) -> SmtpSettings | None:
    """The route settings of an SMTP channel (None: no ``host``, not driven)."""
    return _driver_settings(text, name, build=SmtpSettings.from_pairs,
                            kind="an SMTP channel", drive_key=HOST_KEY)  # fmt: skip


DRIVER_SETTINGS: Mapping[ChannelType, Callable[[str, str], object | None]] = {
    ChannelType.GSM: gsm_modem_settings,
    ChannelType.OKTELL: oktell_line_settings,
    ChannelType.MFMS: mfms_route_settings,
    ChannelType.FTP_PLATFORM: ftp_route_settings,
    ChannelType.SMTP: smtp_route_settings,
}


def parse_channel_type(value: object) -> ChannelType:
    if isinstance(value, str) and value.upper() in ChannelType.__members__:
        return ChannelType[value.upper()]
    names = ", ".join(ChannelType.__members__)
    raise ValueError(f"type must be one of {names}, got {value!r}")


def parse_channels(value: Any) -> tuple[ChannelSpec, ...]:
    """The config file's ``channels`` list of tables, validated."""
    if not isinstance(value, list):
        raise ValueError("must be a list of tables ([[channels]])")
    specs: list[ChannelSpec] = []
    for num, entry in enumerate(value, start=1):
        where = f"channel {num}"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}: must be a table (type, name, enabled, settings)")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        name, enabled, settings = (entry.get("name"), entry.get("enabled", True),
                                   entry.get("settings", ""))  # fmt: skip
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}: name must be a non-empty string")
        if not isinstance(enabled, bool):
            raise ValueError(f"{where}: enabled must be true or false")
        if not isinstance(settings, str):
            raise ValueError(f"{where}: settings must be a string key=value;key=value")
        try:
            ctype = parse_channel_type(entry.get("type"))
            check_settings(settings, ctype)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        specs.append(ChannelSpec(ctype=ctype, name=name, enabled=enabled, settings=settings))
    return tuple(specs)


def default_channels(licence: Licence) -> tuple[ChannelSpec, ...]:
    """Without a ``channels`` list: GSM channels for the licensed modems, plus SMTP."""
    if licence.key_reason() is not None:
        return ()
    gsm = [ChannelSpec(ctype=ChannelType.GSM, name=f"GSM {n}")
           for n in range(1, licence.gsm_modems + 1)]  # fmt: skip
    smtp = [ChannelSpec(ctype=ChannelType.SMTP, name="E-mail")] if licence.email else []
    return (*gsm, *smtp)
