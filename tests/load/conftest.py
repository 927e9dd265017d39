"""Shared helpers of the load-suite tests: a running simulator subprocess.

The tests in this package never import ``locust`` into the pytest process
(Locust monkey-patches the interpreter with gevent on import); Locust only
runs in the subprocesses that ``nabat load ats`` starts.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from nabat.system.runtime.ready import ReadyFileError, wait_for_ready_file


@pytest.fixture(scope="module")
def simulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `nabat sim ats` subprocess on a free loopback port; its primary URL."""
    ready = tmp_path_factory.mktemp("sim") / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "nabat.system.cli.main", "sim", "ats", "--port", "0",
         "--ready-file", str(ready)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        try:
            info = wait_for_ready_file(
                ready, process, timeout=20, accept=lambda info: bool(info.get("primary"))
            )
        except ReadyFileError as error:
            raise RuntimeError(f"simulator did not start: {error}") from error
        yield str(info["primary"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
