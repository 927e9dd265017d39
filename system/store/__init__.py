"""Persistence of the notification server (SQLite, schema migrations).

Open with ``Store.open(data_dir)``; see docs/store.md.
"""

from nabat.system.store.errors import (
    AlreadyExists,
    ConstraintViolated,
    InUse,
    Invalid,
    NotFound,
    SchemaVersionError,
    StoreError,
)
from nabat.system.store.passwords import ScryptParams
from nabat.system.store.store import Store

__all__ = [
    "AlreadyExists",
    "ConstraintViolated",
    "InUse",
    "Invalid",
    "NotFound",
    "SchemaVersionError",
    "ScryptParams",
    "Store",
    "StoreError",
]
