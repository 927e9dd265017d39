"""The conformance suites this distribution ships, by name.

Each entry names the module holding the suite's option specs (light: imported
by conftest and by ``nabat conformance`` to build their parsers) and its
directory under ``conformance/`` (what pytest is pointed at).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.conformance.framework.options import OptionSpec, common_options


@dataclass(frozen=True)
class SuiteEntry:
    name: str
    title: str
    options_module: str
    target_form: str = "URL"  # what --target names, for messages and help
    target_help: str = "base URL of the implementation under test (the primary server)"
    has_reserve: bool = True  # whether the target can have a reserve (--reserve)
    target_flag: str = "--target"  # the target's option name (--target is always accepted)
    package: str = ""  # its folder under conformance/ when that is not the suite's name

    @property
    def folder(self) -> str:
        return self.package or self.name

    @property
    def directory(self) -> Path:
        return Path(__file__).resolve().parent / self.folder

    def common_options(self) -> tuple[OptionSpec, ...]:
        """The framework's options as this suite's command offers them."""
        specs: tuple[OptionSpec, ...] = common_options(
            self.target_form, self.target_help, self.has_reserve, self.target_flag)
        return specs

    @property
    def cases_module(self) -> str:
        """The package whose import registers every case into its ``SUITE``."""
        return f"nabat.conformance.{self.folder}.cases"

    def suite(self) -> Any:
        """The suite object with every case registered (imports the cases)."""
        return importlib.import_module(self.cases_module).SUITE

    def options(self) -> tuple[OptionSpec, ...]:
        module = importlib.import_module(self.options_module)
        return tuple(module.OPTIONS)


SUITES: dict[str, SuiteEntry] = {
    "ats": SuiteEntry("ats", "ATS call-verification API", "nabat.conformance.ats.options"),
    "server": SuiteEntry("server", "notification server client-server protocol",
                         "nabat.conformance.server.options", target_form="HOST:PORT",
                         target_help="host and port of the notification server under test",
                         has_reserve=False),
    "gsm": SuiteEntry("gsm", "GSM modem AT interface (V.250, 27.007, 27.005)",
                      "nabat.conformance.gsm_modem.options", target_form="DEVICE",
                      target_help="serial device of the modem under test, or a pyserial URL",
                      has_reserve=False, target_flag="--port", package="gsm_modem"),
    "ftp": SuiteEntry("ftp", "FTP/FTPS bulk-SMS platform",
                      "nabat.conformance.ftp_platform.options", target_form="HOST:PORT",
                      target_help="host and port of the platform's FTP server",
                      has_reserve=False, package="ftp_platform"),
    "mfms": SuiteEntry("mfms", "MFMS HPG SMS platform (HTTP-GET)",
                       "nabat.conformance.mfms.options", target_form="BASE_URL",
                       target_help="the connector's base URL, like "
                       "http://HOST:9876/CLIENT/connectorX (send = BASE_URL/send, "
                       "status = BASE_URL/status)", has_reserve=False),
    "oktell": SuiteEntry("oktell", "Oktell PBX server HTTP interface",
                         "nabat.conformance.oktell.options", target_form="URL",
                         target_help="the PBX's server HTTP interface, like "
                         "http://HOST:4055", has_reserve=False),
}


def all_suite_options() -> list[OptionSpec]:
    """Every suite's options for pytest, each name once: suites share some (--login,
    --password, --ca, --insecure, --sim-control); the first declaration is registered."""
    chosen: dict[str, OptionSpec] = {}
    for entry in SUITES.values():
        for spec in entry.options():
            chosen.setdefault(spec.dest, spec)
    return list(chosen.values())
