"""Server suite options and the parsing of --target HOST:PORT.

Declared as framework :class:`OptionSpec` objects so pytest (conftest) and
``nabat conformance server`` offer the same flags. :func:`settings_from`
validates them into :class:`ServerSettings`; a bad value raises ValueError
with a message meant for the command line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nabat.conformance.framework.options import OptionSpec

PASSWORD_ENV = "NABAT_CONFORMANCE_PASSWORD"

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("--login", "an ADMINISTRATOR login of the server under test (the suite creates "
               "and deletes its own users, groups, lists, abonents, messages and tasks)",
               metavar="LOGIN"),
    OptionSpec("--password", f"that login's password (or set {PASSWORD_ENV}); never written "
               "to the reports", metavar="PASSWORD"),
    OptionSpec("--ca", "PEM file of the CA (or self-signed certificate) that signed the "
               "server's certificate", metavar="FILE"),
    OptionSpec("--insecure", "do not verify the server's certificate", action="store_true"),
    OptionSpec("--server-name", "host name to send (SNI) and verify in the certificate "
               "(default: the --target host)", metavar="NAME"),
    OptionSpec("--run-prefix", "prefix of every name the suite creates (default: conf-<random>)",
               metavar="PREFIX"),
)

_HOST_PORT = re.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:/\s\[\]]+)):(?P<port>\d{1,5})$"
)
_PREFIX = re.compile(r"^[a-z][a-z0-9-]{2,23}$")


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    login: str
    password: str
    ca: str | None
    insecure: bool
    server_name: str | None
    prefix: str | None


def parse_target(target: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) -> (host, port)."""
    match = _HOST_PORT.match(target.strip())
    if match is None:
        raise ValueError(
            f"--target must be HOST:PORT for the server suite (for example 127.0.0.1:7021), "
            f"got {target!r}"
        )
    port = int(match["port"])
    if not 0 < port < 65536:
        raise ValueError(f"--target port must be 1-65535, got {port}")
    return match["v6"] or match["host"], port


def settings_from(target: str, values: Mapping[str, Any]) -> ServerSettings:
    host, port = parse_target(target)
    login = values.get("login")
    password = values.get("password") or os.environ.get(PASSWORD_ENV)
    if not login:
        raise ValueError("the server suite needs --login (an administrator account)")
    if not password:
        raise ValueError(f"the server suite needs --password (or {PASSWORD_ENV})")
    ca = values.get("ca") or None
    insecure = bool(values.get("insecure"))
    if ca and insecure:
        raise ValueError("give either --ca FILE or --insecure, not both")
    if ca and not os.path.isfile(ca):
        raise ValueError(f"--ca {ca}: no such file")
    prefix = values.get("run_prefix") or None
    if prefix is not None and not _PREFIX.match(prefix):
        raise ValueError("--run-prefix must be 3-24 of a-z 0-9 -, starting with a letter")
    return ServerSettings(host, port, str(login), str(password), ca, insecure,
                          values.get("server_name") or None, prefix)
