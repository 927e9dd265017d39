"""The data `nabat bench server` needs, written straight into the store
before the server starts.

How it works: ``prepare_store`` opens (creating and migrating) the store in
the benchmark's data directory and adds

- a user ``bench`` with operator rights (ADDABONENT needs them) whose
  password hash uses cheap scrypt parameters: the store keeps the parameters
  with each hash, so the server verifies it at that cost and 50 LOGINs take
  milliseconds instead of ~15 s of set-up (LOGIN is not a measured command);
  because a user exists, the server creates no ``admin`` and prints no
  password;
- a distribution list, a message and one task for GETTASK;
- a group ``bench`` holding ``abonents`` abonents with two phones each, in
  one transaction through the store's own row mapping (``abonent_rows``):
  the same rows ``Abonents.add`` writes, ~10x faster than one transaction
  per abonent (``store_bench`` measures that path);
- an empty group ``bench-add`` that the ADDABONENT run fills, so the
  GETABONENTS count of the ``bench`` group stays exact whatever ran before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from nabat.system.protocol.records import (
    Abonent,
    DistributionList,
    Group,
    Message,
    Phone,
    Task,
    User,
)
from nabat.system.protocol.values import MessageType, PhoneType, Rights, TaskStatus, TaskType
from nabat.system.store.abonent_rows import CLIENT_COLUMNS, client_values, phone_rows
from nabat.system.store.passwords import ScryptParams, new_password
from nabat.system.store.store import Store

BENCH_LOGIN = "bench"
CHEAP_SCRYPT = ScryptParams(n=2**10, r=8, p=1)  # ~1 ms a check; fine for a throwaway store
FILL_CHUNK = 5_000  # abonents per executemany batch

_INSERT_ABONENT = (
    f"INSERT INTO abonents (id, {', '.join(CLIENT_COLUMNS)}, create_time, edit_time)"
    f" VALUES ({', '.join('?' * (len(CLIENT_COLUMNS) + 3))})"
)
_INSERT_PHONE = (
    "INSERT INTO phones (abonent_id, position, enabled, phone, ptype) VALUES (?, ?, ?, ?, ?)"
)


def bench_abonent(gid: int, n: int) -> Abonent:
    """Abonent number ``n`` of the benchmarks: Cyrillic text and two phones."""
    return Abonent(
        gid=gid,
        name=f"Абонент {n}",
        organization="ООО Набат",
        phones=(
            Phone(phone=f"+7900{n:07d}", ptype=PhoneType.MOBILE),
            Phone(phone=f"8495{n:07d}", ptype=PhoneType.LANDLINE),
        ),
    )


@dataclass(frozen=True)
class BenchData:
    login: str
    password: str
    task_id: int
    listing_gid: int  # the group GETABONENTS streams
    add_gid: int  # the group ADDABONENT adds to
    abonents: int
    fill_seconds: float


def fill_abonents(store: Store, gid: int, count: int) -> None:
    """Add ``count`` abonents with 2 phones each to group ``gid`` in one transaction."""
    db = store.db
    with db.transaction("abonent") as conn:
        row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM abonents").fetchone()
        next_id = int(row[0]) + 1
        now = db.now()
        for start in range(0, count, FILL_CHUNK):
            abonent_rows = []
            phones = []
            for n in range(start, min(start + FILL_CHUNK, count)):
                abonent = bench_abonent(gid, n)
                abonent_id = next_id + n
                abonent_rows.append((abonent_id, *client_values(abonent), now, now))
                phones += phone_rows(abonent_id, abonent.phones)
            conn.executemany(_INSERT_ABONENT, abonent_rows)
            conn.executemany(_INSERT_PHONE, phones)


def prepare_store(data_dir: Path, abonents: int) -> BenchData:
    """Write everything the benchmark needs into a fresh store in ``data_dir``."""
    password = new_password()
    with Store.open(data_dir, password_params=CHEAP_SCRYPT) as store:
        store.users.add(User(login=BENCH_LOGIN, rights=Rights.OPERATOR, password=password))
        dlist = store.lists.add(DistributionList(name="bench"))
        message = store.messages.add(Message(mtype=MessageType.SMS, name="bench", text="Тест"))
        assert dlist.id is not None and message.id is not None
        task = store.tasks.add(
            Task(
                ttype=TaskType.SMS,
                status=TaskStatus.STOPPED,
                name="bench task",
                listid=dlist.id,
                messageid=message.id,
                priority=5,
            )
        )
        listing = store.groups.add(Group(name="bench"))
        adding = store.groups.add(Group(name="bench-add"))
        assert task.id is not None and listing.id is not None and adding.id is not None
        started = time.perf_counter()
        fill_abonents(store, listing.id, abonents)
        fill_seconds = time.perf_counter() - started
    return BenchData(
        login=BENCH_LOGIN,
        password=password,
        task_id=task.id,
        listing_gid=listing.id,
        add_gid=adding.id,
        abonents=abonents,
        fill_seconds=fill_seconds,
    )
