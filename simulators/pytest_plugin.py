"""Nabat's pytest plugin (entry point ``pytest11: nabat``): simulators and the server as fixtures.

``ats_simulator`` hands each test a running ATS simulator pair (primary and
reserve on free loopback ports, one per test session) reset to its start-up
state, as an ``AtsSimulatorHandle`` with the URLs and a control-API client;
with the ini option ``nabat_ats_control_token`` (or ``$NABAT_ATS_CONTROL_TOKEN``)
the simulator requires that token and the handle's client sends it
(``control_token`` is on the handle for further clients).
``nabat_server`` hands each test a running notification server on a fresh
data directory under ``tmp_path`` (``server_fixture.NabatServerHandle``:
host, port, CA file, admin login and password, data directory, and
``connect()`` for a ready ``NabatClient``); settings come from the
``@pytest.mark.nabat_server(**settings)`` marker, and
``nabat_server_factory(**settings)`` starts as many servers as a test needs.
Every import of Nabat happens inside the fixtures, under the ``nabat.``
namespace, so loading the plugin costs nothing for runs that do not use
them and never collides with a user's own top-level packages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator
    from nabat.simulators.server_fixture import NabatServerHandle


@dataclass(frozen=True)
class AtsSimulatorHandle:
    url: str
    reserve_url: str
    control: AtsControlClient
    background: BackgroundAtsSimulator
    control_token: str | None = None


class NabatServerFactory(Protocol):
    """``nabat_server_factory(**options)``: options of ``start_nabat_server``
    (``licence``, ``users``, ``synthesiser``) and ``ServerSettings`` fields."""

    def __call__(self, **options: Any) -> NabatServerHandle: ...


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "nabat_ats_control_token",
        "control-API token of the ats_simulator fixture (default: $NABAT_ATS_CONTROL_TOKEN)",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "nabat_server(**options): options of the nabat_server fixture's server "
        "(ServerSettings fields, licence, users, synthesiser)",
    )


@pytest.fixture(scope="session")
def _ats_simulator_session(pytestconfig: pytest.Config) -> Iterator[AtsSimulatorHandle]:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator

    configured = str(pytestconfig.getini("nabat_ats_control_token"))
    token = configured or os.environ.get("NABAT_ATS_CONTROL_TOKEN") or None
    config = AtsConfig(port=0, reserve_port=0, control_token=token)
    simulator = BackgroundAtsSimulator(config).start()
    urls = simulator.urls
    assert urls["primary"] is not None and urls["reserve"] is not None
    control = AtsControlClient(urls["primary"], token=token)
    try:
        yield AtsSimulatorHandle(urls["primary"], urls["reserve"], control, simulator, token)
    finally:
        control.close()
        simulator.stop()


@pytest.fixture
def ats_simulator(_ats_simulator_session: AtsSimulatorHandle) -> AtsSimulatorHandle:
    """A running ATS simulator pair, reset to its start-up state for this test."""
    _ats_simulator_session.control.reset()
    return _ats_simulator_session


@pytest.fixture
def nabat_server_factory(tmp_path: Path) -> Iterator[NabatServerFactory]:
    """Starts servers (each on its own data directory); all stop after the test."""
    from nabat.simulators.server_fixture import start_nabat_server

    started: list[NabatServerHandle] = []

    def start(**options: Any) -> NabatServerHandle:
        handle = start_nabat_server(tmp_path / f"nabat-data-{len(started)}", **options)
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in started:
            handle.stop()


@pytest.fixture
def nabat_server(
    nabat_server_factory: NabatServerFactory, request: pytest.FixtureRequest
) -> NabatServerHandle:
    """A running notification server with an admin login, for this test."""
    marker = request.node.get_closest_marker("nabat_server")
    return nabat_server_factory(**(marker.kwargs if marker is not None else {}))
