"""Typed records of the main entities, exactly as the wire carries them.

Each record class lists its fields' codecs (``CODECS``) and, per ``Form``,
the order in which a line carries them (``FORMS``). ``to_params(form)``
formats and validates every field; ``from_params(params, form)`` checks the
count (``ArgumentCountError``) and parses each field (``InvalidField`` naming
the attribute). Fields a form does not carry keep their default (``None`` for
ids and server-set values). Attribute names are the spec's parameter names
except ``schedule`` (spec: shedule), ``department`` (departament) and
``ptype`` (the PHONE line's ``type``). ``Abonent.phones``/``emails`` travel
as PHONE/EMAIL lines (``requests``, ``messages``), not as parameters.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self

from nabat.system.protocol.exceptions import ArgumentCountError
from nabat.system.protocol.fields import (
    CHANNELS,
    EMAIL,
    FLAG,
    ID,
    KEY,
    NAME,
    OPTIONAL_FILENAME,
    PHONE,
    PIN,
    TEXT,
    TIMESTAMP,
    UINT,
    FieldCodec,
    decode_field,
    encode_field,
    enum_codec,
)
from nabat.system.protocol.values import (
    ChannelState,
    ChannelType,
    MessageType,
    PhoneType,
    RemoteStart,
    Rights,
    TaskStatus,
    TaskType,
)


class Form(enum.Enum):
    """Which of a record's wire layouts a line uses."""

    FULL = "full"  # as the server reports it (ids and server-set fields included)
    NEW = "new"  # as a client creates it (no id, no server-set fields)
    UPDATE = "update"  # as a client changes it
    SUMMARY = "summary"  # the short row of a listing


_FORMATS: dict[tuple[type, Form], tuple[tuple[str, Callable[[Any], str]], ...]] = {}


class WireRecord:
    """Base of the records: generic ``to_params`` / ``from_params``."""

    __slots__ = ()
    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]]
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]]

    @classmethod
    def fields(cls, form: Form = Form.FULL) -> tuple[str, ...]:
        try:
            return cls.FORMS[form]
        except KeyError:
            raise ValueError(f"{cls.__name__} has no {form.value} form") from None

    def to_params(self, form: Form = Form.FULL) -> tuple[str, ...]:
        formats = self._formats(form)
        try:
            return tuple([format_(getattr(self, name)) for name, format_ in formats])
        except (ValueError, TypeError):
            # find the offending field again, for an error naming it
            for name in self.fields(form):
                encode_field(name, self.CODECS[name], getattr(self, name))
            raise

    @classmethod
    def _formats(cls, form: Form) -> tuple[tuple[str, Callable[[Any], str]], ...]:
        """(field, formatter) pairs of a form, computed once per class and form."""
        key = (cls, form)
        formats = _FORMATS.get(key)
        if formats is None:
            formats = _FORMATS[key] = tuple(
                (name, cls.CODECS[name].format) for name in cls.fields(form)
            )
        return formats

    @classmethod
    def from_params(cls, params: Sequence[str], form: Form = Form.FULL) -> Self:
        names = cls.fields(form)
        if len(params) != len(names):
            raise ArgumentCountError(
                f"{cls.__name__} ({form.value}) takes {len(names)} parameters "
                f"({' '.join(names)}), got {len(params)}"
            )
        values = {
            name: decode_field(name, cls.CODECS[name], raw)
            for name, raw in zip(names, params, strict=True)
        }
        return cls(**values)


_TASK_BODY = (
    "name", "listid", "messageid", "priority", "channels",
    "schedule", "rkey", "rpin", "rsms", "confirm", "addinfo",
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Task(WireRecord):
    """A task's parameters (GETTASK, ADDTASK, UPDATETASK)."""

    id: int | None = None
    ttype: TaskType
    status: TaskStatus | None = None
    name: str
    listid: int
    messageid: int
    priority: int = 0
    channels: str = ""
    schedule: str = ""
    rkey: str = ""
    rpin: str = ""
    rsms: str = ""
    confirm: str = ""
    addinfo: str = ""

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "ttype": enum_codec(TaskType), "status": enum_codec(TaskStatus),
        "name": NAME, "listid": ID, "messageid": ID, "priority": UINT, "channels": CHANNELS,
        "schedule": TEXT, "rkey": TEXT, "rpin": TEXT, "rsms": TEXT, "confirm": TEXT,
        "addinfo": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("id", "ttype", *_TASK_BODY),
        Form.NEW: ("ttype", "status", *_TASK_BODY),
        Form.UPDATE: ("id", "ttype", "status", *_TASK_BODY),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSummary(WireRecord):
    """``<id> <name> <ttype> <status>``: GETTASKS rows, ADDTASK/UPDATETASK
    replies, STARTTASK/STOPTASK replies and MONITORING notifications."""

    id: int
    name: str
    ttype: TaskType
    status: TaskStatus

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "name": NAME, "ttype": enum_codec(TaskType), "status": enum_codec(TaskStatus),
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("id", "name", "ttype", "status"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskProgress(WireRecord):
    """GETTASKINFO: how far a task's current or last run has got."""

    id: int
    status: TaskStatus
    total: int = 0
    processed: int = 0
    confirmed: int = 0
    failed: int = 0
    starttime: datetime | None = None
    endtime: datetime | None = None

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "status": enum_codec(TaskStatus), "total": UINT, "processed": UINT,
        "confirmed": UINT, "failed": UINT, "starttime": TIMESTAMP, "endtime": TIMESTAMP,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: tuple(CODECS),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Group(WireRecord):
    """An abonent group: ``<id> <name> <desc>``."""

    id: int | None = None
    name: str
    description: str = ""

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "name": NAME, "description": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("id", "name", "description"),
        Form.NEW: ("name", "description"),
        Form.UPDATE: ("id", "name", "description"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class DistributionList(WireRecord):
    """A distribution list (список рассылки): ``<lid> <name> <desc>``."""

    id: int | None = None
    name: str
    description: str = ""

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = Group.CODECS
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = Group.FORMS


@dataclass(frozen=True, slots=True, kw_only=True)
class Phone(WireRecord):
    """A PHONE line: ``<enabled> <phone> <type>``."""

    enabled: bool = True
    phone: str
    ptype: PhoneType = PhoneType.MOBILE

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "enabled": FLAG, "phone": PHONE, "ptype": enum_codec(PhoneType),
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("enabled", "phone", "ptype"),
    }


_ABONENT_PERSON = ("organization", "department", "rank", "position", "description")
_ABONENT_HEAD = (
    "gid", "remote", "name", "priority", "experiodbegin", "experiodend", "pin", "ipaddress",
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Abonent(WireRecord):
    """An abonent with its phones and e-mail addresses."""

    id: int | None = None
    gid: int
    remote: RemoteStart = RemoteStart.NONE
    name: str
    priority: int = 0
    experiodbegin: datetime | None = None
    experiodend: datetime | None = None
    pin: str = ""
    ipaddress: str = ""
    createtime: datetime | None = None
    edittime: datetime | None = None
    organization: str = ""
    department: str = ""
    rank: str = ""
    position: str = ""
    description: str = ""
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "gid": ID, "remote": enum_codec(RemoteStart), "name": NAME, "priority": UINT,
        "experiodbegin": TIMESTAMP, "experiodend": TIMESTAMP, "pin": PIN, "ipaddress": TEXT,
        "createtime": TIMESTAMP, "edittime": TIMESTAMP, "organization": TEXT,
        "department": TEXT, "rank": TEXT, "position": TEXT, "description": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("id", *_ABONENT_HEAD, "createtime", "edittime", *_ABONENT_PERSON),
        Form.NEW: (*_ABONENT_HEAD, *_ABONENT_PERSON),
    }

    def email_params(self) -> tuple[tuple[str, ...], ...]:
        """One validated parameter tuple per EMAIL line."""
        return tuple((encode_field("email", EMAIL, email),) for email in self.emails)


@dataclass(frozen=True, slots=True, kw_only=True)
class Message(WireRecord):
    """What a task plays or sends."""

    id: int | None = None
    mtype: MessageType
    name: str
    text: str = ""
    file: str = ""
    voice: str = ""
    createtime: datetime | None = None
    edittime: datetime | None = None

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "id": ID, "mtype": enum_codec(MessageType), "name": NAME, "text": TEXT,
        "file": OPTIONAL_FILENAME, "voice": TEXT, "createtime": TIMESTAMP,
        "edittime": TIMESTAMP,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("id", "mtype", "name", "text", "file", "voice", "createtime", "edittime"),
        Form.NEW: ("mtype", "name", "text", "file", "voice"),
        Form.UPDATE: ("id", "mtype", "name", "text", "file", "voice"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class User(WireRecord):
    """A user account; the password travels only in USERADD/USERCHG."""

    login: str
    rights: Rights = Rights.READ_ONLY
    name: str = ""
    description: str = ""
    password: str | None = field(default=None, repr=False)

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "login": NAME, "rights": enum_codec(Rights), "name": TEXT, "description": TEXT,
        "password": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("login", "rights", "name", "description"),
        Form.NEW: ("login", "password", "rights", "name", "description"),
        Form.UPDATE: ("login", "password", "rights", "name", "description"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel(WireRecord):
    """A channel; ``settings`` (``key=value;...``) only in the FULL form."""

    num: int
    ctype: ChannelType | None = None
    name: str = ""
    enabled: bool = True
    state: ChannelState | None = None
    settings: str | None = None

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "num": ID, "ctype": enum_codec(ChannelType), "name": TEXT, "enabled": FLAG,
        "state": enum_codec(ChannelState), "settings": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("num", "ctype", "name", "enabled", "state", "settings"),
        Form.SUMMARY: ("num", "ctype", "name", "enabled", "state"),
        Form.UPDATE: ("num", "name", "enabled", "settings"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Voice(WireRecord):
    """A speech-synthesis voice (GETTTS rows)."""

    name: str
    language: str = ""
    description: str = ""

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "name": NAME, "language": TEXT, "description": TEXT,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {
        Form.FULL: ("name", "language", "description"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigEntry(WireRecord):
    """One server setting (GETCONFIG rows, SETCONFIG)."""

    key: str
    value: str = ""

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {"key": KEY, "value": TEXT}
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {Form.FULL: ("key", "value")}


@dataclass(frozen=True, slots=True, kw_only=True)
class HaspInfo(WireRecord):
    """The ``HASP`` line after ``LOGIN OK``: what the licence allows."""

    haspset: bool = False
    boards: int = 0
    gsmmodems: int = 0
    dynamiccts: bool = False
    email: bool = False
    e1: bool = False

    CODECS: ClassVar[Mapping[str, FieldCodec[Any]]] = {
        "haspset": FLAG, "boards": UINT, "gsmmodems": UINT, "dynamiccts": FLAG,
        "email": FLAG, "e1": FLAG,
    }  # fmt: skip
    FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {Form.FULL: tuple(CODECS)}
