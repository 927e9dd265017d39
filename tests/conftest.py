"""How the whole test run is spread over processes (pytest-xdist).

How it works: ``pyproject.toml`` runs every test session with ``-n auto
--dist loadfile``. ``auto`` means one worker per core, at most four. A
third worker on two cores was 50 s faster (5 min 50 s against 6 min 38 s)
but starved the end-to-end runs at 40x world speed often enough to fail one
(a 10 s key pause is 0.25 s of real time there). ``loadfile`` keeps each test file
in one worker, in order: the hostile-client battery's attacks (one file,
verdicts on real-time deadlines) never run two at once and starve each other
of CPU, and a test that sums up what the file's earlier tests gathered still
finds it. ``pytest -n 0`` runs everything in one process, as before.

Before any worker starts, the four packages are byte-compiled
(``compileall``, about a second the first time, a few stat calls after):
the tests start hundreds of ``nabat`` processes, and where
PYTHONDONTWRITEBYTECODE is set (CI images often set it) each of them
compiled the sources again, about half a second apiece (2.2 s against 1.7 s
to import the CLI and the server). With the report writers loaded lazily
too, a 3-worker run went from 381 s to 352 s.

(``--dist loadgroup`` with ``xdist_group`` marks would be finer, but
pytest-xdist 3.8 marks the group by rewriting ``item._nodeid``, which pytest
9.2 no longer reads: the marks would be silently ignored.)
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import pytest

MAX_WORKERS = 4
PACKAGES = ("system", "simulators", "conformance", "loadtests")
ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the controller did it
        return
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1, workers=0)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))
