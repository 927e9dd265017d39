"""The FTP suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.ftp_platform.cases``) register into
:data:`SUITE`; import ``nabat.conformance.ftp_platform.cases`` for the fully
populated suite. ``tls`` is the --tls flag (the FTPS cases); ``control`` is the
simulator's control API, given with --sim-control and probed once: what an
archive became (the spec's personal account) and the simulated clock.
"""

from __future__ import annotations

import ftplib
import ssl

import httpx
from nabat.conformance.framework.suite import Suite
from nabat.conformance.ftp_platform.binding import FtpBinding, FtpEnv
from nabat.conformance.ftp_platform.clauses import FTP
from nabat.conformance.ftp_platform.control import ControlError
from nabat.conformance.ftp_platform.options import OPTIONS

CAPABILITIES = {
    "tls": "--tls: the platform speaks explicit FTPS (AUTH TLS, PROT P) on --target",
    "control": "the simulator's control API (--sim-control URL): the messages an archive "
    "became, the journal of archives, the simulated clock",
}

SUITE: Suite[FtpEnv] = Suite(
    "ftp",
    FTP,
    CAPABILITIES,
    FtpBinding.from_config,
    OPTIONS,
    target_errors=(ftplib.Error, EOFError, ssl.SSLError, ControlError, httpx.HTTPError),
)
