"""The store's exceptions: one for protocol-visible failures, one for the schema.

``StoreError`` carries the ``ErrorCode`` the server answers with and a short
message that never contains secrets (no password or hash, no SQL). The server
maps it to ``WORD <code> <text>``. ``SchemaVersionError`` means the database
file was written by a newer version of the code and must not be touched.
"""

from __future__ import annotations

from nabat.system.protocol.errors import ErrorCode


class StoreError(Exception):
    """A command failed for a reason the protocol has an error code for."""

    def __init__(self, error: ErrorCode, message: str | None = None) -> None:
        self.error = error
        self.message = message if message is not None else error.text
        super().__init__(f"{error.code}: {self.message}")


class SchemaVersionError(RuntimeError):
    """The database's schema is newer than this code knows how to use."""

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"database schema version {found} is newer than this code supports "
            f"({supported}); upgrade Nabat or open another data directory"
        )
