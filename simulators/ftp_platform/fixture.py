"""Starting an FTP platform simulator for the pytest plugin (``ftp_platform`` fixtures).

``start_ftp_platform(root, **options)`` runs one on free loopback ports (FTP
and control API) with its folders under ``root`` and, unless
``frozen_clock=False`` is passed, a frozen simulated clock: polls happen only
when the test advances it (``handle.control.advance_clock(10)``). Any
``FtpPlatformConfig`` field may be passed. The handle is a
``BackgroundFtpPlatform``: host, port, endpoints (with ``ca_file``),
control (``FtpControlClient``), call(fn), stop().
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nabat.simulators.ftp_platform.app import FtpPlatformConfig
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform


def start_ftp_platform(root: Path, **options: Any) -> BackgroundFtpPlatform:
    settings: dict[str, Any] = {"port": 0, "control_port": 0, "root": root, "frozen_clock": True}
    settings.update(options)
    return BackgroundFtpPlatform(FtpPlatformConfig(**settings)).start()
