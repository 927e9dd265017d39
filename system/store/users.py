"""User accounts: USERADD, USERCHG, USERDEL, USERS, USER, LOGIN and CHECKPASSW.

Passwords are kept only as salted scrypt hashes (``passwords.py``); records
coming out never carry a password. ``authenticate`` spends the same hashing
time on an unknown login as on a known one (it verifies against a dummy
hash), so timing does not reveal which logins exist. The last administrator
can be neither deleted nor demoted, so the server never locks itself out.
``generation`` counts the changes of accounts (USERCHG, USERDEL) made
through this object: a session compares it with the one it saw to know,
without a query, whether its user's rights may have changed.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from nabat.system.protocol.records import User
from nabat.system.protocol.values import Rights
from nabat.system.store.database import Database
from nabat.system.store.errors import AlreadyExists, ConstraintViolated, Invalid, NotFound
from nabat.system.store.passwords import (
    DEFAULT_PARAMS,
    ScryptParams,
    dummy_hash,
    hash_password,
    verify_password,
)

_COLUMNS = "login, rights, name, description"


def _user(row: tuple[Any, ...]) -> User:
    return User(login=row[0], rights=Rights(row[1]), name=row[2], description=row[3])


def _admins(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM users WHERE rights = ?", (int(Rights.ADMINISTRATOR),)
    ).fetchone()
    return int(row[0])


class Users:
    def __init__(self, db: Database, params: ScryptParams = DEFAULT_PARAMS) -> None:
        self._db = db
        self._params = params
        self._dummy: str | None = None
        self._generation = 0
        self._generation_lock = threading.Lock()

    @property
    def generation(self) -> int:
        """Bumped after every change of an existing account (rights, deletion)."""
        return self._generation

    def _changed(self) -> None:
        with self._generation_lock:
            self._generation += 1

    def add(self, user: User) -> User:
        """USERADD: ``AlreadyExists`` for a taken login, ``Invalid`` without a password."""
        if not user.password:
            raise Invalid("user", user.login, "a password is required")
        password_hash = hash_password(user.password, self._params)  # outside the lock
        with self._db.transaction("user") as conn:
            if conn.execute("SELECT 1 FROM users WHERE login = ?", (user.login,)).fetchone():
                raise AlreadyExists("user", user.login)
            now = self._db.now()
            conn.execute(
                "INSERT INTO users (login, password_hash, rights, name, description,"
                " create_time, edit_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user.login, password_hash, int(user.rights), user.name, user.description,
                 now, now),
            )  # fmt: skip
        return self.get(user.login)

    def update(self, user: User) -> User:
        """USERCHG: an empty or absent password keeps the old one."""
        password_hash = hash_password(user.password, self._params) if user.password else None
        with self._db.transaction("user") as conn:
            row = conn.execute("SELECT rights FROM users WHERE login = ?", (user.login,))
            old = row.fetchone()
            if old is None:
                raise NotFound("user", user.login)
            if (
                old[0] == Rights.ADMINISTRATOR
                and user.rights != Rights.ADMINISTRATOR
                and _admins(conn) <= 1
            ):
                raise ConstraintViolated("user", user.login, "cannot demote the last administrator")
            conn.execute(
                "UPDATE users SET rights = ?, name = ?, description = ?, edit_time = ?,"
                " password_hash = COALESCE(?, password_hash) WHERE login = ?",
                (int(user.rights), user.name, user.description, self._db.now(), password_hash,
                 user.login),
            )  # fmt: skip
        self._changed()
        return self.get(user.login)

    def delete(self, login: str) -> None:
        """USERDEL: ``NotFound`` for an unknown login, ``ConstraintViolated`` for the
        last administrator."""
        with self._db.transaction("user") as conn:
            row = conn.execute("SELECT rights FROM users WHERE login = ?", (login,)).fetchone()
            if row is None:
                raise NotFound("user", login)
            if row[0] == Rights.ADMINISTRATOR and _admins(conn) <= 1:
                raise ConstraintViolated("user", login, "cannot delete the last administrator")
            conn.execute("DELETE FROM users WHERE login = ?", (login,))
        self._changed()

    def find(self, login: str) -> User | None:
        row = self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE login = ?", (login,))
        return None if row is None else _user(row)

    def get(self, login: str) -> User:
        user = self.find(login)
        if user is None:
            raise NotFound("user", login)
        return user

    def all(self) -> list[User]:
        """USERS, ordered by login."""
        return [_user(r) for r in self._db.fetchall(f"SELECT {_COLUMNS} FROM users ORDER BY login")]

    def count(self) -> int:
        row = self._db.fetchone("SELECT COUNT(*) FROM users")
        return 0 if row is None else int(row[0])

    def authenticate(self, login: str, password: str) -> User | None:
        """LOGIN / CHECKPASSW: the user when the password is right, else None."""
        row = self._db.fetchone(
            f"SELECT {_COLUMNS}, password_hash FROM users WHERE login = ?", (login,)
        )
        if row is None:
            if self._dummy is None:
                self._dummy = dummy_hash(self._params)
            verify_password(password, self._dummy)  # same cost as a real check
            return None
        return _user(row) if verify_password(password, row[4]) else None
