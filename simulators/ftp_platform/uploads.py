"""Which files are still being uploaded: the FTP thread tells, the poller asks.

How it works: the FTP server calls ``begin`` when a STOR/APPE opens a file,
``end`` when the transfer completes or is cut short, and ``renamed`` after
RNTO. The poller's ``state(path)`` answers ``open``, ``incomplete`` (the last
transfer into it was cut short: never processed until a complete upload
replaces it), ``complete`` with the (size, mtime) the upload left, or
``unknown`` (a file that did not arrive over FTP). A lock guards the table:
the FTP server and the poller run in different threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

Stamp = tuple[int, int]  # (size, mtime_ns)


def stamp_of(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class UploadTracker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}
        self._incomplete: set[str] = set()
        self._complete: dict[str, Stamp] = {}

    def begin(self, path: str) -> None:
        with self._lock:
            self._open[path] = self._open.get(path, 0) + 1
            self._complete.pop(path, None)

    def end(self, path: str, complete: bool) -> None:
        stamp = stamp_of(Path(path)) if complete else None
        with self._lock:
            count = self._open.get(path, 0) - 1
            if count > 0:
                self._open[path] = count
            else:
                self._open.pop(path, None)
            if complete and stamp is not None:
                self._incomplete.discard(path)
                self._complete[path] = stamp
            elif not complete:
                self._incomplete.add(path)

    def renamed(self, source: str, target: str) -> None:
        with self._lock:
            if source in self._incomplete:
                self._incomplete.discard(source)
                self._incomplete.add(target)
            stamp = self._complete.pop(source, None)
            if stamp is not None:
                self._complete[target] = stamp

    def forget(self, path: str) -> None:
        with self._lock:
            self._incomplete.discard(path)
            self._complete.pop(path, None)

    def state(self, path: str) -> tuple[str, Stamp | None]:
        with self._lock:
            if self._open.get(path):
                return "open", None
            if path in self._incomplete:
                return "incomplete", None
            if path in self._complete:
                return "complete", self._complete[path]
            return "unknown", None

    def open_count(self) -> int:
        with self._lock:
            return sum(self._open.values())
