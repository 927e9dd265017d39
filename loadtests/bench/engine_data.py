"""The store and the config file of `nabat bench engine`, written before the server starts.

How it works: ``prepare_task`` opens (creating) the store in a fresh data
directory and adds a bench user (operator rights, cheap scrypt: LOGIN is not
measured), one group of ``abonents`` abonents, each with one phone, a
distribution list holding that group, a message and one stopped task of the
given type with its confirm/addinfo parameters. The abonents are written in
one transaction through the store's own row mapping (as ``server_data``
does), so 100,000 take about a second instead of minutes of ADDABONENT. The
phones are distinct numbers of the world's numbering plan
(``sms_data.numbers``): every region, so the world decides each call or SMS
with its realistic rates. ``write_config`` writes the TOML settings of
``nabat serve``: free port, the data directory, the engine's clock speed,
the channels and, when given, the ``[verification]`` table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nabat.loadtests.bench.server_data import CHEAP_SCRYPT
from nabat.loadtests.bench.sms_data import numbers
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
from nabat.system.store.passwords import new_password
from nabat.system.store.store import Store

BENCH_LOGIN = "bench"
FILL_CHUNK = 5_000
_INSERT_ABONENT = (
    f"INSERT INTO abonents (id, {', '.join(CLIENT_COLUMNS)}, create_time, edit_time)"
    f" VALUES ({', '.join('?' * (len(CLIENT_COLUMNS) + 3))})"
)
_INSERT_PHONE = (
    "INSERT INTO phones (abonent_id, position, enabled, phone, ptype) VALUES (?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class TaskData:
    login: str
    password: str
    task_id: int
    abonents: int


@dataclass(frozen=True)
class ChannelConfig:
    ctype: str  # GSM, MFMS, ... as the config file spells it
    name: str
    settings: str


def _fill(store: Store, gid: int, phones: Sequence[str]) -> None:
    db = store.db
    with db.transaction("abonent") as conn:
        row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM abonents").fetchone()
        first = int(row[0]) + 1
        now = db.now()
        for start in range(0, len(phones), FILL_CHUNK):
            abonents = []
            phone_list = []
            for n in range(start, min(start + FILL_CHUNK, len(phones))):
                abonent = Abonent(
                    gid=gid,
                    name=f"Абонент {n}",
                    phones=(Phone(phone=phones[n], ptype=PhoneType.MOBILE),),
                )
                abonents.append((first + n, *client_values(abonent), now, now))
                phone_list += phone_rows(first + n, abonent.phones)
            conn.executemany(_INSERT_ABONENT, abonents)
            conn.executemany(_INSERT_PHONE, phone_list)


def prepare_task(
    data_dir: Path,
    ttype: TaskType,
    abonents: int,
    *,
    confirm: str = "",
    addinfo: str = "",
    channels: str = "",
) -> TaskData:
    """A fresh store in ``data_dir`` with one stopped task over ``abonents`` abonents."""
    password = new_password()
    data_dir.mkdir(parents=True, exist_ok=True)
    with Store.open(data_dir, password_params=CHEAP_SCRYPT) as store:
        store.users.add(User(login=BENCH_LOGIN, rights=Rights.OPERATOR, password=password))
        group = store.groups.add(Group(name="bench"))
        dlist = store.lists.add(DistributionList(name="bench"))
        message = store.messages.add(
            Message(mtype=MessageType.SMS, name="Тревога", text="Внимание, учения. Нажмите 1.")
        )
        assert group.id is not None and dlist.id is not None and message.id is not None
        _fill(store, group.id, numbers(abonents))
        store.lists.add_groups(dlist.id, (group.id,))
        task = store.tasks.add(
            Task(
                ttype=ttype,
                status=TaskStatus.STOPPED,
                name="bench engine",
                listid=dlist.id,
                messageid=message.id,
                channels=channels,
                confirm=confirm,
                addinfo=addinfo,
            )
        )
        assert task.id is not None
    return TaskData(BENCH_LOGIN, password, task.id, abonents)


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_config(
    path: Path,
    data_dir: Path,
    channels: Sequence[ChannelConfig],
    *,
    clock_speed: float,
    verification_url: str | None = None,
    simulated_gsm_modems: int = 0,
) -> Path:
    """The ``nabat serve --config`` file of one bench server."""
    lines = [
        "port = 0",
        f"data_dir = {_toml(str(data_dir))}",
        "password_cost = 10",
        f"clock_speed = {float(clock_speed)!r}",
        'tts_command = ""',
        f"simulated_gsm_modems = {int(simulated_gsm_modems)}",
    ]
    if verification_url is not None:
        lines += ["", "[verification]", f"primary_url = {_toml(verification_url)}"]
    for channel in channels:
        lines += [
            "",
            "[[channels]]",
            f"type = {_toml(channel.ctype)}",
            f"name = {_toml(channel.name)}",
            f"settings = {_toml(channel.settings)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
