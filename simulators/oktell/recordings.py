"""Recordings of answered calls: a WAV file per commutation under ``rec/``.

When a call that was answered ends, ``Recorder.record`` writes
``rec/<commutation id>.wav`` — 8 kHz 16-bit mono silence as long as the
conversation, cut at ``MAX_SECONDS`` so a long call costs at most 80 KB — and
files it under two keys: the record id (the commutation id, for
``download/rec/<id>``) and the record link (``downloadrecordbylink``: the id's
16 bytes in base32, Oktell's "packed" code). At most ``max_files``
recordings are kept; the oldest file is deleted first.
"""

from __future__ import annotations

import base64
import uuid
import wave
from collections import deque
from pathlib import Path

SAMPLE_RATE = 8000
MAX_SECONDS = 5.0
DEFAULT_MAX_FILES = 1000


def record_link(record_id: str) -> str:
    """The packed link of a record id (a guid): base32 of its bytes, no padding."""
    return base64.b32encode(uuid.UUID(record_id).bytes).decode("ascii").rstrip("=")


class Recorder:
    def __init__(self, folder: Path, max_files: int = DEFAULT_MAX_FILES) -> None:
        self.folder = folder
        self.max_files = max_files
        self.index: dict[str, Path] = {}
        self._order: deque[tuple[str, str, Path]] = deque()

    def record(self, record_id: str, seconds: float) -> tuple[str, Path]:
        """Write the recording of ``seconds`` of talk; returns (link, path)."""
        path = self.folder / f"{record_id}.wav"
        frames = int(max(0.0, min(seconds, MAX_SECONDS)) * SAMPLE_RATE)
        with wave.open(str(path), "wb") as output:
            output.setnchannels(1)
            output.setsampwidth(2)
            output.setframerate(SAMPLE_RATE)
            output.writeframes(bytes(2 * frames))
        link = record_link(record_id)
        self.index[record_id] = path
        self.index[link] = path
        self._order.append((record_id, link, path))
        while len(self._order) > self.max_files:
            old_id, old_link, old_path = self._order.popleft()
            self.index.pop(old_id, None)
            self.index.pop(old_link, None)
            old_path.unlink(missing_ok=True)
        return link, path

    def clear(self) -> None:
        for _, _, path in self._order:
            path.unlink(missing_ok=True)
        self._order.clear()
        self.index.clear()
