"""FTP suite options: the account, TLS, the numbers it may text, the poll period.

Declared as framework :class:`OptionSpec` objects so pytest and ``nabat
conformance ftp`` offer the same flags (``--login``, ``--password``, ``--ca``,
``--insecure`` and ``--sim-control`` share their names with other suites).
:func:`settings_from` validates them into :class:`FtpSettings`; a bad value
raises ValueError with a message meant for the command line (exit code 2).
A real platform charges for every SMS: archives the suite lets through go
only to ``--address`` numbers, which are required unless ``--sim-control``
names the simulator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from nabat.conformance.framework.options import OptionSpec

PASSWORD_ENV = "NABAT_CONFORMANCE_PASSWORD"
DEFAULT_POLL_PERIOD = 10.0  # the spec's "1 раз в 10 секунд"
# Numbers for the simulator when no --address is given: the default world's Moscow (+03:00)
# and Vladivostok (+10:00) ranges, so localtime=1 puts them at different instants.
SIMULATOR_ADDRESSES = ("79030000001", "79160000001")
# In bad archives only: a well-formed number in no operator's range (7 000...).
UNDELIVERABLE = "70000000000"

_HOST_PORT = re.compile(r"^(?P<host>[^:/\s\[\]]+):(?P<port>[0-9]{1,5})$")
_ADDRESS = re.compile(r"^[0-9]{10,15}$")
_SENDER = re.compile(r"^(?:(?=.*[A-Za-z])[A-Za-z0-9]{1,11}|[0-9]{1,15})$")

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "--login",
        "the client's login on the platform (also the first part of every archive name)",
        metavar="LOGIN",
    ),
    OptionSpec(
        "--password",
        f"that login's password (or set {PASSWORD_ENV}); never written to the reports",
        metavar="PASSWORD",
    ),
    OptionSpec(
        "--tls",
        "explicit FTPS (AUTH TLS, PBSZ 0, PROT P) for every session, and the FTPS cases",
        action="store_true",
    ),
    OptionSpec(
        "--ca",
        "PEM file of the CA (or self-signed certificate) that signed the server's certificate",
        metavar="FILE",
    ),
    OptionSpec("--insecure", "do not verify the server's certificate", action="store_true"),
    OptionSpec(
        "--address",
        "a number (79031234567) the suite may text: every archive it lets "
        "through goes to these only (repeatable; give two in different time zones for "
        "the localtime case); required unless --sim-control is given",
        metavar="NUMBER",
        action="append",
    ),
    OptionSpec("--sender", "a sender (sourceaddress) registered for --login", "TESTSMS", "SENDER"),
    OptionSpec(
        "--poll-period",
        "the platform's poll period in seconds (the spec's 10); the "
        "suite waits at most twice that for an archive to be processed",
        str(DEFAULT_POLL_PERIOD),
        "SECONDS",
    ),
    OptionSpec(
        "--sim-control",
        "when the target is Nabat's simulator: its control API "
        "(http://HOST:PORT); the suite reads the messages an archive became and "
        "advances the simulated clock instead of waiting; without it those cases are "
        "unsupported",
        metavar="URL",
    ),
)


@dataclass(frozen=True)
class FtpSettings:
    host: str
    port: int
    login: str
    password: str
    tls: bool
    ca: str | None
    insecure: bool
    addresses: tuple[str, ...]
    sender: str
    poll_period: float
    sim_control: str | None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def _addresses(values: Any, control: str | None) -> tuple[str, ...]:
    found: list[str] = []
    for value in values or []:
        text = str(value).strip().lstrip("+").replace(" ", "").replace("-", "")
        if not _ADDRESS.match(text):
            raise ValueError(f"--address must be 10 to 15 digits like 79031234567, got {value!r}")
        if text not in found:
            found.append(text)
    if found:
        return tuple(found)
    if control is None:
        raise ValueError(
            "--address NUMBER is required against a real platform (it charges for "
            "and delivers every SMS the suite lets through); give --sim-control "
            "URL when the target is Nabat's simulator"
        )
    return SIMULATOR_ADDRESSES


def settings_from(target: str, values: Mapping[str, Any], env: Mapping[str, str]) -> FtpSettings:
    match = _HOST_PORT.match(target.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ValueError(f"--target must be HOST:PORT of the FTP server, got {target!r}")
    login = str(values.get("login") or "")
    if not login or any(c in login for c in " \r\n/_"):
        raise ValueError("--login is required (the platform's login: no spaces, '/' or '_')")
    password = str(values.get("password") or env.get(PASSWORD_ENV) or "")
    if not password:
        raise ValueError(f"--password is required (or set {PASSWORD_ENV})")
    control = values.get("sim_control") or None
    if control is not None:
        parts = urlsplit(str(control))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--sim-control must be an http:// URL, got {control!r}")
        control = str(control).rstrip("/").removesuffix("/__sim")  # either form
    raw = values.get("poll_period")
    try:
        period = float(DEFAULT_POLL_PERIOD if raw in (None, "") else raw)
    except ValueError:
        raise ValueError(f"--poll-period must be a number of seconds, got {raw!r}") from None
    if not 0 < period <= 600:
        raise ValueError("--poll-period must be above 0 and at most 600 seconds")
    sender = str(values.get("sender") or "TESTSMS")
    if not _SENDER.match(sender):
        raise ValueError(f"--sender {sender!r} is not up to 11 Latin letters or 15 digits")
    ca = values.get("ca") or None
    if ca is not None and values.get("insecure"):
        raise ValueError("give either --ca FILE or --insecure, not both")
    return FtpSettings(
        host=match["host"],
        port=int(match["port"]),
        login=login,
        password=password,
        tls=bool(values.get("tls")),
        ca=None if ca is None else str(ca),
        insecure=bool(values.get("insecure")),
        addresses=_addresses(values.get("address"), control),
        sender=sender,
        poll_period=period,
        sim_control=control,
    )
