"""Nabat's pytest plugin (entry point ``pytest11: nabat``): simulators as fixtures.

``ats_simulator`` hands each test a running ATS simulator pair (primary and
reserve on free loopback ports, one per test session) reset to its start-up
state, as an ``AtsSimulatorHandle`` with the URLs and a control-API client.
Imports of the simulators happen inside the fixtures, so loading the plugin
costs nothing for test runs that do not use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator


@dataclass(frozen=True)
class AtsSimulatorHandle:
    url: str
    reserve_url: str
    control: AtsControlClient
    background: BackgroundAtsSimulator


@pytest.fixture(scope="session")
def _ats_simulator_session() -> Iterator[AtsSimulatorHandle]:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator

    simulator = BackgroundAtsSimulator(AtsConfig(port=0, reserve_port=0)).start()
    urls = simulator.urls
    assert urls["primary"] is not None and urls["reserve"] is not None
    control = AtsControlClient(urls["primary"])
    try:
        yield AtsSimulatorHandle(urls["primary"], urls["reserve"], control, simulator)
    finally:
        control.close()
        simulator.stop()


@pytest.fixture
def ats_simulator(_ats_simulator_session: AtsSimulatorHandle) -> AtsSimulatorHandle:
    """A running ATS simulator pair, reset to its start-up state for this test."""
    _ats_simulator_session.control.reset()
    return _ats_simulator_session
