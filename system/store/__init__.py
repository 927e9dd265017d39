"""Persistence of the notification server (SQLite, schema migrations).

Open with ``Store.open(data_dir)``; see docs/store.md.
"""

from nabat.system.store.errors import SchemaVersionError, StoreError
from nabat.system.store.passwords import ScryptParams
from nabat.system.store.store import Store

__all__ = ["SchemaVersionError", "ScryptParams", "Store", "StoreError"]
