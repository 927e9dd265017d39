"""What the pytest plugin's ``oktell_simulator`` fixtures hand out.

``start_oktell_simulator(**options)`` starts an Oktell simulator in a
background thread on a free loopback port with any ``OktellConfig`` options
(``password="abc"``...), plus ``clock``, ``world`` and ``ats_url``, and
returns an ``OktellSimulatorHandle``: ``url``, ``control``
(``OktellControlClient``) and ``call(fn)`` to run code on the simulator's
loop (``handle.simulator`` is the ``OktellSimulator`` for such code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.oktell.app import OktellSimulator
from nabat.simulators.oktell.config import OktellConfig
from nabat.simulators.oktell.control_client import OktellControlClient
from nabat.simulators.oktell.runner import BackgroundOktellSimulator
from nabat.simulators.world import World

T = TypeVar("T")


@dataclass(frozen=True)
class OktellSimulatorHandle:
    url: str
    control: OktellControlClient
    background: BackgroundOktellSimulator

    @property
    def simulator(self) -> OktellSimulator:
        simulator = self.background.simulator
        assert simulator is not None
        return simulator

    def call(self, function: Callable[[], T]) -> T:
        result: T = self.background.call(function)
        return result

    def stop(self) -> None:
        self.control.close()
        self.background.stop()


def start_oktell_simulator(
    *,
    clock: SimClock | None = None,
    world: World | None = None,
    ats_url: str | None = None,
    **options: Any,
) -> OktellSimulatorHandle:
    config = replace(OktellConfig(port=0), **options)
    background = BackgroundOktellSimulator(config, clock, world, ats_url).start()
    return OktellSimulatorHandle(background.url, OktellControlClient(background.url), background)
