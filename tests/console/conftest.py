"""One whole system (every simulator and the server, free ports) with its console, per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.simulators.console import ConsoleHandle, start_console
from nabat.simulators.system.config import load_config, with_free_ports
from nabat.simulators.system.stack import SystemStack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SystemStack]:
    config = with_free_ports(load_config(None))
    with SystemStack(config, Path(tmp_path_factory.mktemp("console-stack"))) as running:
        yield running


@pytest.fixture(scope="module")
def console(stack: SystemStack) -> Iterator[ConsoleHandle]:
    handle = start_console(stack, "127.0.0.1", 0, interval=0.2)
    try:
        yield handle
    finally:
        handle.stop()
