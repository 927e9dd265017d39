"""Oktell suite options: the password, whom the state-changing cases may touch, the
names of two harmless service scripts, an internal number to call, and the
simulator's control API.

Declared as framework :class:`OptionSpec` objects so pytest and ``nabat
conformance oktell`` offer the same flags (``--password`` and ``--sim-control``
share their dest with other suites' options). :func:`settings_from` validates
them into :class:`OktellSettings`; a bad value raises ValueError with a message
meant for the command line. With ``--sim-control`` the simulator's defaults fill
in what is not given (user ivan on line 16038, number 79031111111, internal
number 17006, scripts SvcScript1 and sleep).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from nabat.conformance.framework.options import OptionSpec

SIMULATOR_USER, SIMULATOR_LINE, SIMULATOR_NUMBER = "ivan", "16038", "79031111111"
SIMULATOR_INTERNAL = "17006"  # an internal line of the simulator's directory with no user
SIMULATOR_ECHO, SIMULATOR_SLEEP = "SvcScript1", "sleep"
_VALUE = re.compile(r"^[^\x00-\x1f&=#?]{1,128}$")
_NUMBER = re.compile(r"^[0-9*#+]{1,32}$")

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "--password",
        "the PBX's QueryWebServerPassword, sent as password= in every "
        "request; a refused one is tried ONCE and never again; never written to the "
        "reports",
        metavar="PASSWORD",
    ),
    OptionSpec(
        "--user",
        "a user the state-changing cases may act for (login, name or GUID); "
        "their state is changed and put back",
        metavar="USER",
    ),
    OptionSpec(
        "--line",
        "the internal line number of --user (the cases call from it and read its state)",
        metavar="LINE",
    ),
    OptionSpec(
        "--number",
        "a number the suite may call from --line (a phone that rings: the "
        "suite places short calls to it and stops them)",
        metavar="NUMBER",
    ),
    OptionSpec(
        "--internal-number",
        "an internal number of the PBX (a line or user other than --line's) the suite may "
        "call from --line with direction=pbx: a phone inside that rings (none: the inside-"
        "call case is unsupported)",
        metavar="NUMBER",
    ),
    OptionSpec(
        "--allow-state-changes",
        "let the suite change state on the PBX: place and stop "
        "calls from --line to --number, change --user's state and modes, upload files; "
        "off: only read-only cases run",
        action="store_true",
    ),
    OptionSpec(
        "--echo-script",
        "a service script that returns startparam1 as its return value "
        "and starts its output with it (none: the script cases are unsupported)",
        metavar="NAME",
    ),
    OptionSpec(
        "--sleep-script",
        "a service script that waits startparam1 seconds and has no other effect",
        metavar="NAME",
    ),
    OptionSpec(
        "--sim-control",
        "when the target is Nabat's Oktell simulator: its control API "
        "(http://HOST:PORT), through which the suite freezes and advances the clock, "
        "makes the called party answer and scripts an incoming call",
        metavar="URL",
    ),
)


@dataclass(frozen=True)
class OktellSettings:
    password: str | None
    user: str | None
    line: str | None
    number: str | None
    internal_number: str | None
    allow_state_changes: bool
    echo_script: str | None
    sleep_script: str | None
    sim_control: str | None


def _text(values: Mapping[str, Any], dest: str) -> str | None:
    value = values.get(dest)
    return None if value in (None, "") else str(value)


def _value(option: str, value: str | None) -> str | None:
    if value is not None and not _VALUE.match(value):
        raise ValueError(f"{option} {value!r} holds a character no Oktell name has")
    return value


def settings_from(values: Mapping[str, Any]) -> OktellSettings:
    """Validated settings from option values keyed by dest (missing -> default)."""
    control = _text(values, "sim_control")
    if control is not None:
        parts = urlsplit(control)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--sim-control must be an http:// URL, got {control!r}")
        control = control.rstrip("/").removesuffix("/__sim")
    simulated = control is not None
    user = _value("--user", _text(values, "user") or (SIMULATOR_USER if simulated else None))
    line = _value("--line", _text(values, "line") or (SIMULATOR_LINE if simulated else None))
    number = _text(values, "number") or (SIMULATOR_NUMBER if simulated else None)
    if number is not None and not _NUMBER.match(number):
        raise ValueError(f"--number must be a phone number (digits), got {number!r}")
    internal = _text(values, "internal_number") or (SIMULATOR_INTERNAL if simulated else None)
    if internal is not None and not _NUMBER.match(internal):
        raise ValueError(f"--internal-number must be a number (digits), got {internal!r}")
    allow = bool(values.get("allow_state_changes"))
    if allow and (user is None or line is None or number is None):
        raise ValueError(
            "--allow-state-changes needs --user, --line and --number (whom the suite may touch)"
        )
    return OktellSettings(
        password=_text(values, "password"),
        user=user,
        line=line,
        number=number,
        internal_number=internal,
        allow_state_changes=allow,
        echo_script=_value(
            "--echo-script", _text(values, "echo_script") or (SIMULATOR_ECHO if simulated else None)
        ),
        sleep_script=_value(
            "--sleep-script",
            _text(values, "sleep_script") or (SIMULATOR_SLEEP if simulated else None),
        ),
        sim_control=control,
    )
