"""The store's own exceptions: what went wrong with which item, in the store's terms.

The store knows nothing of the line protocol: the server maps these to
``ERR_...`` codes at its boundary (``system/server/error_map.py``), one table
per command. The tree:

``StoreError`` (root: a write or read was refused; nothing changed)
  ``NotFound``        the item (``entity`` ``key``) does not exist
  ``AlreadyExists``   an item with that key exists already
  ``InUse``           the item is still used (``by`` names the user, e.g. ``task 7``)
  ``Invalid``         the request itself is unusable (a required value missing)
  ``ConstraintViolated``  a rule of the data would break (the last
                      administrator; an SQLite integrity failure)

Each carries ``entity`` (``"group"``, ``"task"`` ...), ``key`` (the id or login,
or ``None``) and a short English ``message``: never a password, a hash or SQL.
``SchemaVersionError`` means the database file was written by a newer version
of the code and must not be touched.
"""

from __future__ import annotations


class StoreError(Exception):
    """A store operation refused; the transaction (if any) was rolled back."""

    def __init__(self, entity: str, key: object = None, detail: str | None = None) -> None:
        self.entity = entity
        self.key = key
        self.message = detail if detail is not None else self._describe()
        super().__init__(self.message)

    def _describe(self) -> str:
        return f"{self.entity} {self.key}" if self.key is not None else self.entity


class NotFound(StoreError):
    def _describe(self) -> str:
        return f"no such {self.entity}" + (f": {self.key}" if self.key is not None else "")


class AlreadyExists(StoreError):
    def _describe(self) -> str:
        return f"{self.entity} {self.key} already exists"


class InUse(StoreError):
    def __init__(self, entity: str, key: object, by: str) -> None:
        self.by = by
        super().__init__(entity, key)

    def _describe(self) -> str:
        return f"{self.entity} {self.key} is used by {self.by}"


class Invalid(StoreError):
    """The request cannot be carried out as given (``detail`` says why)."""


class ConstraintViolated(StoreError):
    """A rule of the stored data would break (``detail`` says which)."""


class SchemaVersionError(RuntimeError):
    """The database's schema is newer than this code knows how to use."""

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"database schema version {found} is newer than this code supports "
            f"({supported}); upgrade Nabat or open another data directory"
        )
