"""Mapping between ``Abonent`` records and the ``abonents``/``phones``/``emails`` rows.

One place knows the column order; the writer (``abonents.py``) and the
reader (``abonent_reads.py``) both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

from nabat.system.protocol.records import Abonent, Phone
from nabat.system.protocol.values import PhoneType, RemoteStart
from nabat.system.store.clock import from_db, to_db

E = TypeVar("E", bound=IntEnum)


def _member_lookup(enum_type: type[E]) -> Callable[[int], E]:
    """code -> member by a dict lookup, cheaper per row than calling the Enum
    (a hot path of GETABONENTS); an unknown code raises ValueError as the
    Enum call does."""
    members = {member.value: member for member in enum_type}

    def member(code: int) -> E:
        found = members.get(code)
        return enum_type(code) if found is None else found

    return member


_phone_type = _member_lookup(PhoneType)
_remote = _member_lookup(RemoteStart)

# Columns a client sets (the NEW form), in insert order.
CLIENT_COLUMNS = (
    "group_id", "remote", "name", "priority", "experiod_begin", "experiod_end", "pin",
    "ipaddress", "organization", "department", "rank", "position", "description",
)  # fmt: skip
SELECT_COLUMNS = "id, create_time, edit_time, " + ", ".join(CLIENT_COLUMNS)


def client_values(abonent: Abonent) -> tuple[Any, ...]:
    """The row values of ``CLIENT_COLUMNS`` for a record."""
    return (
        abonent.gid, int(abonent.remote), abonent.name, abonent.priority,
        to_db(abonent.experiodbegin), to_db(abonent.experiodend), abonent.pin,
        abonent.ipaddress, abonent.organization, abonent.department, abonent.rank,
        abonent.position, abonent.description,
    )  # fmt: skip


def phone_rows(abonent_id: int, phones: tuple[Phone, ...]) -> list[tuple[Any, ...]]:
    return [
        (abonent_id, position, int(p.enabled), p.phone, int(p.ptype))
        for position, p in enumerate(phones)
    ]


def email_rows(abonent_id: int, emails: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [(abonent_id, position, email) for position, email in enumerate(emails)]


def phone_from_row(enabled: int, phone: str, ptype: int) -> Phone:
    return Phone(enabled=bool(enabled), phone=phone, ptype=_phone_type(ptype))


def abonent_from_row(
    row: tuple[Any, ...], phones: tuple[Phone, ...], emails: tuple[str, ...]
) -> Abonent:
    """A record from a ``SELECT_COLUMNS`` row and its phones and e-mails."""
    (abonent_id, create_time, edit_time, gid, remote, name, priority, begin, end, pin,
     ipaddress, organization, department, rank, position, description) = row  # fmt: skip
    return Abonent(
        id=abonent_id, gid=gid, remote=_remote(remote), name=name, priority=priority,
        experiodbegin=from_db(begin), experiodend=from_db(end), pin=pin, ipaddress=ipaddress,
        createtime=from_db(create_time), edittime=from_db(edit_time),
        organization=organization, department=department, rank=rank, position=position,
        description=description, phones=phones, emails=emails,
    )  # fmt: skip
