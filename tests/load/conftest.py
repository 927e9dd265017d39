"""Shared helpers of the load-suite tests: a running simulator subprocess.

The tests in this package never import ``locust`` into the pytest process
(Locust monkey-patches the interpreter with gevent on import); Locust only
runs in the subprocesses that ``nabat load ats`` starts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


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
        deadline = time.monotonic() + 20
        while not _ready(ready):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"simulator did not start: {process.stderr!r}")
            time.sleep(0.05)
        yield str(json.loads(ready.read_text())["primary"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready(path: Path) -> bool:
    try:
        return bool(json.loads(path.read_text()).get("primary"))
    except (OSError, ValueError):
        return False
