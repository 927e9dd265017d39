"""Writing a report file: the folders on its path are created first, so
``--junit reports/run.xml`` works in a fresh CI checkout with no ``reports/``."""

from __future__ import annotations

from pathlib import Path


def write_report(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path``, creating the missing parent folders."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
