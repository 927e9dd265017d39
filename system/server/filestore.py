"""The server's file store: ``<data_dir>/files/<filename>``.

Uploaded files (SENDRAWFILE) are streamed to disk and stored atomically:
``begin_upload`` checks the name and opens a temporary file in
``<data_dir>/files.tmp/`` (same file system); the upload's chunks are
written to it as they arrive (a 64 KiB buffer: an open upload costs that
much memory, whatever its size); ``commit`` flushes and fsyncs it, renames
it over the target and fsyncs the directory, so a reader sees the old file
or the new one, never a part; ``discard`` (a dropped connection, a bad
line, a failed commit) removes it. A name that is not allowed is reported
at ``commit`` (the upload's bytes are swallowed meanwhile). Names are
checked here, whatever the codec did: a plain name (the protocol's filename
type) whose path stays directly inside the store, else ``ValueError``.
``save`` stores bytes in one go the same way. ``open`` gives a binary file
for streaming, or None. Stale temporary files (a crash mid-write) are
removed by ``clean``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from nabat.system.protocol.fields import FILENAME

FILES_DIR = "files"
TEMP_DIR = "files.tmp"
UPLOAD_BUFFER = 64 * 1024  # bytes an open upload holds in memory at most


class Upload:
    """One upload on its way to disk: ``write`` chunks, then ``commit`` or ``discard``."""

    def __init__(
        self,
        root: Path,
        target: Path | None,
        temporary: tuple[BinaryIO, Path] | None,
        error: Exception | None,
    ) -> None:
        self._root = root
        self._target = target
        self._temporary = temporary
        self.error = error  # why it cannot be stored (raised by commit)

    def write(self, chunk: bytes) -> None:
        if self._temporary is None:
            return  # failed or ended: the bytes are swallowed
        try:
            self._temporary[0].write(chunk)
        except OSError as exc:
            self.error = exc
            self.discard()

    def commit(self) -> None:
        """Store the upload atomically; its error (``OSError``/``ValueError``) if it cannot."""
        if self.error is not None:
            self.discard()
            raise self.error
        assert self._temporary is not None and self._target is not None, "already ended"
        stream, temporary = self._temporary
        try:
            if self._target.is_dir():
                raise IsADirectoryError(f"{self._target.name!r} is a directory in the file store")
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            os.replace(temporary, self._target)
        except BaseException:
            self.discard()
            raise
        self._temporary = None
        _fsync_dir(self._root)

    def discard(self) -> None:
        """Remove the temporary file; idempotent."""
        temporary, self._temporary = self._temporary, None
        if temporary is not None:
            stream, path = temporary
            with suppress(OSError):
                stream.close()
            path.unlink(missing_ok=True)


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
        upload = self.begin_upload(name)
        upload.write(data)
        upload.commit()

    def begin_upload(self, name: str) -> Upload:
        """A streamed upload of ``name``; see the module comment."""
        try:
            target = self.path(name)
            self.root.mkdir(parents=True, exist_ok=True)
            self.temp.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.temp, prefix="upload-")
        except (OSError, ValueError) as exc:
            return Upload(self.root, None, None, exc)
        stream = os.fdopen(descriptor, "wb", buffering=UPLOAD_BUFFER)
        return Upload(self.root, target, (stream, Path(temporary)), None)

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
