"""The store the server opens: one database and a repository per entity.

``Store.open(data_dir)`` opens (creating and migrating) ``<data_dir>/nabat.db``
and exposes ``users``, ``groups``, ``lists``, ``abonents``, ``messages``,
``tasks``, ``channels``, ``runtime_settings`` (SETCONFIG values) and
``progress`` (the engine's runs: targets, attempts, remote starts).
Every method is synchronous and thread-safe; each change is one transaction;
refusals raise the store's own errors (``errors.py``: ``NotFound``,
``AlreadyExists``, ``InUse`` ... under ``StoreError``); the server maps them
to protocol codes.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from nabat.system.store.abonents import Abonents
from nabat.system.store.channels import Channels
from nabat.system.store.clock import Clock, system_clock
from nabat.system.store.database import Database
from nabat.system.store.groups import Groups
from nabat.system.store.lists import Lists
from nabat.system.store.messages import Messages
from nabat.system.store.passwords import DEFAULT_PARAMS, ScryptParams
from nabat.system.store.progress import Progress
from nabat.system.store.runtime_settings import RuntimeSettings
from nabat.system.store.tasks import Tasks
from nabat.system.store.users import Users


class Store:
    def __init__(self, db: Database, password_params: ScryptParams = DEFAULT_PARAMS) -> None:
        self.db = db
        self.users = Users(db, password_params)
        self.groups = Groups(db)
        self.lists = Lists(db)
        self.abonents = Abonents(db)
        self.messages = Messages(db)
        self.tasks = Tasks(db)
        self.channels = Channels(db)
        self.runtime_settings = RuntimeSettings(db)
        self.progress = Progress(db)  # the engine's runs: targets, attempts, remote starts

    @classmethod
    def open(
        cls,
        data_dir: str | Path,
        *,
        clock: Clock = system_clock,
        password_params: ScryptParams = DEFAULT_PARAMS,
    ) -> Store:
        return cls(Database.open(data_dir, clock), password_params)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
