"""MFMS suite options: the connector's credentials, the numbers the suite may text,
the sender, TLS trust, the simulator's control API and the error profile.

Declared as framework :class:`OptionSpec` objects so pytest and ``nabat
conformance mfms`` offer the same flags. ``--login``, ``--password``, ``--ca``,
``--insecure`` and ``--sim-control`` have the same names (and dests) as other
suites' options: pytest registers each name once (conformance/suites.py), and a
run reads only its own suite's values. :func:`settings_from` validates them into
:class:`MfmsSettings`; a bad value raises ValueError with a message meant for
the command line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from nabat.conformance.framework.options import OptionSpec

PROFILES = ("http500", "http200", "any")
#: The simulator's defaults: the spec's example numbers (used only with --sim-control).
SIMULATOR_ADDRESSES = ("79031111111", "79032222222")
_ADDRESS = re.compile(r"^[1-9][0-9]{9,14}$")
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("--login", "the connector's login (required)", metavar="LOGIN"),
    OptionSpec(
        "--password",
        "the connector's password (required); a wrong one is tried ONCE "
        "and never again (platforms lock accounts); never written to the reports",
        metavar="PASSWORD",
    ),
    OptionSpec(
        "--login-param",
        "name of the login parameter in this connector's configuration",
        "login",
        "NAME",
    ),
    OptionSpec(
        "--password-param",
        "name of the password parameter in this connector's "
        "configuration (the spec's example: pass)",
        "password",
        "NAME",
    ),
    OptionSpec(
        "--subject", "a sender (subject) the connector is allowed to use", "SUBJECT", "SUBJECT"
    ),
    OptionSpec(
        "--address",
        "a phone number (E.164 digits, no +) that may receive the suite's "
        "test SMS (repeatable; two are used when given). A real platform charges for "
        "each SMS and delivers it: the suite sends only to these numbers and sends "
        "three accepted messages in all. Required unless --sim-control is given "
        "(then the simulator's defaults 79031111111 and 79032222222 are used)",
        metavar="NUMBER",
        action="append",
    ),
    OptionSpec(
        "--ca",
        "PEM file of the CA (or self-signed certificate) that signed the "
        "platform's certificate, for an https:// target",
        metavar="FILE",
    ),
    OptionSpec("--insecure", "do not verify the platform's certificate", action="store_true"),
    OptionSpec(
        "--sim-control",
        "when the target is Nabat's MFMS simulator: its control API "
        "(http://HOST:PORT), through which the suite moves the clock, cancels a message "
        "and injects a failure; without it the delivery-lifecycle cases are unsupported",
        metavar="URL",
    ),
    OptionSpec(
        "--error-profile",
        "how the target answers a request-level error (ruling 3): "
        "http500 (HTTP 500 with a description), http200 (HTTP 200, the code alone) or "
        "any (either, the report says which)",
        "any",
        "PROFILE",
    ),
)


@dataclass(frozen=True)
class MfmsSettings:
    login: str
    password: str
    login_param: str
    password_param: str
    subject: str
    addresses: tuple[str, ...]
    ca: str | None
    insecure: bool
    sim_control: str | None
    error_profile: str


def _text(values: Mapping[str, Any], dest: str) -> str | None:
    value = values.get(dest)
    return None if value in (None, "") else str(value)


def _param(option: str, value: str) -> str:
    if not _PARAM.match(value):
        raise ValueError(
            f"{option} must be a parameter name (letters, digits, _ . -), got {value!r}"
        )
    return value


def settings_from(values: Mapping[str, Any]) -> MfmsSettings:
    """Validated settings from option values keyed by dest (missing -> default)."""
    login = _text(values, "login")
    password = _text(values, "password")
    if login is None or password is None:
        raise ValueError("--login and --password are required (the connector's credentials)")
    control = _text(values, "sim_control")
    if control is not None:
        parts = urlsplit(control)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--sim-control must be an http:// URL, got {control!r}")
        control = control.rstrip("/").removesuffix("/__sim")
    addresses = tuple(str(a).strip().lstrip("+") for a in values.get("address") or ())
    for address in addresses:
        if not _ADDRESS.match(address):
            raise ValueError(
                f"--address must be 10 to 15 digits (E.164 without +), got {address!r}"
            )
    if not addresses:
        if control is None:
            raise ValueError(
                "--address NUMBER is required against a real platform (the "
                "suite sends SMS only to numbers it is given)"
            )
        addresses = SIMULATOR_ADDRESSES
    profile = _text(values, "error_profile") or "any"
    if profile not in PROFILES:
        raise ValueError(f"--error-profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    subject = _text(values, "subject") or "SUBJECT"
    if any(char in subject for char in "&;\r\n"):
        raise ValueError(f"--subject {subject!r} holds a character no sender has")
    return MfmsSettings(
        login=login,
        password=password,
        login_param=_param("--login-param", _text(values, "login_param") or "login"),
        password_param=_param("--password-param", _text(values, "password_param") or "password"),
        subject=subject,
        addresses=addresses,
        ca=_text(values, "ca"),
        insecure=bool(values.get("insecure")),
        sim_control=control,
        error_profile=profile,
    )
