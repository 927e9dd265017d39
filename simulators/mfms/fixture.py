"""What the pytest plugin's ``mfms_simulator`` fixtures hand out.

``start_mfms_simulator(**options)`` starts an MFMS simulator in a background
thread on free loopback ports (HTTP and HTTPS with a minted CA) with any
``MfmsConfig`` options, and returns an ``MfmsSimulatorHandle``: ``url`` and
``tls_url`` (the connector's base is ``url + "/CLIENT/connectorX"``),
``ca_file`` to trust for HTTPS, ``control`` (``MfmsControlClient``) and
``call(fn)`` to run code on the simulator's loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from nabat.simulators.mfms.config import MfmsConfig
from nabat.simulators.mfms.control_client import MfmsControlClient
from nabat.simulators.mfms.runner import BackgroundMfmsSimulator

T = TypeVar("T")


@dataclass(frozen=True)
class MfmsSimulatorHandle:
    url: str
    tls_url: str
    ca_file: Path
    control: MfmsControlClient
    background: BackgroundMfmsSimulator

    def call(self, function: Callable[[], T]) -> T:
        result: T = self.background.call(function)
        return result

    def stop(self) -> None:
        self.control.close()
        self.background.stop()


def start_mfms_simulator(**options: Any) -> MfmsSimulatorHandle:
    config = replace(MfmsConfig(port=0, tls_port=0), **options)
    background = BackgroundMfmsSimulator(config).start()
    urls = background.urls
    assert urls["http"] is not None and urls["https"] is not None and urls["ca_file"] is not None
    control = MfmsControlClient(urls["http"])
    return MfmsSimulatorHandle(
        urls["http"], urls["https"], Path(urls["ca_file"]), control, background
    )
