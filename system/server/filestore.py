"""The server's file store: ``<data_dir>/files/<filename>``.

Uploaded files (SENDRAWFILE) are written atomically: into a temporary file
in ``<data_dir>/files.tmp/`` (same file system), flushed and fsynced, then
renamed over the target and the directory fsynced, so a reader sees the old
file or the new one, never a part. A dropped connection never gets here
(the codec assembles the upload and hands it over only at END). Names are
checked again here, whatever the codec did: a plain name (the protocol's
filename type) whose path stays directly inside the store, else
``ValueError``. ``open`` gives a binary file for streaming, or None. Stale
temporary files (a crash mid-write) are removed by ``clean``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from nabat.system.protocol.fields import FILENAME

FILES_DIR = "files"
TEMP_DIR = "files.tmp"


class FileStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / FILES_DIR
        self.temp = data_dir / TEMP_DIR

    def path(self, name: str) -> Path:
        """Where ``name`` lives; ``ValueError`` for anything but a plain name."""
        try:
            FILENAME.parse(name)
        except ValueError as exc:
            raise ValueError(f"bad file name: {exc}") from None
        if "\x00" in name:
            raise ValueError("bad file name: NUL byte")
        path = self.root / name
        if path.parent != self.root or path.name != name:
            raise ValueError(f"bad file name: {name[:40]!r} is not a plain name")
        return path

    def save(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name`` atomically (replacing a file of that name)."""
        target = self.path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        self.temp.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise IsADirectoryError(f"{name!r} is a directory in the file store")
        descriptor, temporary = tempfile.mkstemp(dir=self.temp, prefix="upload-")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_dir(self.root)

    def open(self, name: str) -> BinaryIO | None:
        """The stored file opened for reading, or None when there is no such file."""
        try:
            path = self.path(name)
        except ValueError:
            return None
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # no symlink out of the store
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            return None
        return os.fdopen(descriptor, "rb")

    def exists(self, name: str) -> bool:
        """Whether ``name`` is a stored regular file (what GETRAWFILE would serve)."""
        stream = self.open(name)
        if stream is None:
            return False
        stream.close()
        return True

    def clean(self) -> int:
        """Remove leftover temporary files; how many."""
        removed = 0
        if self.temp.is_dir():
            for leftover in self.temp.iterdir():
                if leftover.is_file():
                    leftover.unlink(missing_ok=True)
                    removed += 1
        return removed


def size_of(stream: BinaryIO) -> int:
    return os.fstat(stream.fileno()).st_size


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
