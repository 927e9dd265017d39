"""What the pytest plugin's ``smtp_sink`` fixtures hand out.

``start_smtp_sink(**options)`` starts an SMTP sink in a background thread on
free loopback ports (STARTTLS with a minted CA) with any ``SmtpConfig``
options and returns an ``SmtpSinkHandle``: ``host``, ``port``, ``ca_file``
to trust for STARTTLS, ``control`` (``SmtpControlClient``), ``accounts``
and ``call(fn)`` to run code on the sink's loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from nabat.simulators.smtp.config import SmtpConfig
from nabat.simulators.smtp.control_client import SmtpControlClient
from nabat.simulators.smtp.runner import BackgroundSmtpSink

T = TypeVar("T")


@dataclass(frozen=True)
class SmtpSinkHandle:
    host: str
    port: int
    ca_file: Path | None
    accounts: Mapping[str, str]
    control: SmtpControlClient
    background: BackgroundSmtpSink

    def call(self, function: Callable[[], T]) -> T:
        result: T = self.background.call(function)
        return result

    def stop(self) -> None:
        self.control.close()
        self.background.stop()


def start_smtp_sink(**options: Any) -> SmtpSinkHandle:
    config = SmtpConfig(**{"port": 0, "control_port": 0, **options})
    background = BackgroundSmtpSink(config).start()
    info = background.info
    ca = info["ca_file"]
    control = SmtpControlClient(str(info["control"]))
    return SmtpSinkHandle(
        str(info["host"]),
        int(str(info["port"])),
        Path(str(ca)) if ca is not None else None,
        config.accounts,
        control,
        background,
    )
