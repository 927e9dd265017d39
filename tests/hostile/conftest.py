"""Fixtures of the battery: each listener started once per test session, as a subprocess.

``running_listener(name)`` starts the listener on first use (a directory of
its own under pytest's temporary directory) and keeps it for the battery's
other attacks; ``ChildProcesses`` stops every one of them at the end of the
session, whatever happened. Between attacks a listener is checked alive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from nabat.simulators.processes import ChildProcesses

from tests.hostile.listeners import RunningListener, listener_named

RunningListeners = Callable[[str], RunningListener]


@pytest.fixture(scope="session")
def running_listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningListeners]:
    started: dict[str, RunningListener] = {}
    with ChildProcesses() as children:

        def get(name: str) -> RunningListener:
            if name not in started:
                directory = tmp_path_factory.mktemp("hostile-" + name.replace(" ", "-"))
                started[name] = listener_named(name).start(directory, children)
            running = started[name]
            assert running.gauge.alive(), f"{name} exited: an earlier attack killed it"
            return running

        yield get
