"""Starting, pinning and stopping the servers under test."""

from __future__ import annotations

import os
import sys

import pytest
from nabat.loadtests.bench.ats import reference_command
from nabat.loadtests.bench.cpus import Placement, affinity_of, available_cpus, priority_of
from nabat.loadtests.bench.processes import ProcessSupervisor, ServerStartError


def test_starts_pins_nices_and_stops_the_reference_responder() -> None:
    cpu = min(available_cpus())
    with ProcessSupervisor() as supervisor:
        server = supervisor.start_server("reference", reference_command(), Placement(cpu, 1))
        assert server.url.startswith("http://127.0.0.1:")
        if hasattr(os, "sched_getaffinity"):
            assert affinity_of(server.pid) == {cpu}
        assert priority_of(server.pid) == 1  # lowering priority needs no privilege
        process = server.process
    # Leaving the block stopped it.
    assert process.poll() is not None


def test_a_server_that_dies_is_reported_with_its_output() -> None:
    command = [sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"]
    with ProcessSupervisor() as supervisor, pytest.raises(ServerStartError) as failure:
        supervisor.start_server("broken", command, Placement(), timeout=30)
    assert "code 3" in str(failure.value)
    assert "boom" in str(failure.value)


def test_children_are_stopped_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), ProcessSupervisor() as supervisor:
        server = supervisor.start_server("reference", reference_command(), Placement())
        process = server.process
        raise RuntimeError("interrupted")
    assert process.poll() is not None
