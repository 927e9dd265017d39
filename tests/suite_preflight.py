"""What the conformance suites' pre-flight tests share: the CLI and ports that fail.

How it works: ``nabat_conformance(suite, *args)`` runs ``nabat conformance
SUITE ARGS`` (the console script beside this Python) and returns its
completed process, output captured as text; ``free_port`` is a loopback port
nobody listens on (bound, read, released: connecting is refused);
``silent_listener`` is a loopback port that listens but never accepts, so a
client's connection is queued and never answered.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NABAT = Path(sys.executable).with_name("nabat")


def nabat_conformance(
    suite: str, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NABAT), "conformance", suite, *args], capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def silent_listener() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield int(listener.getsockname()[1])
