"""Field codecs and typed records: round trips, and errors that name the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.protocol import records as records_module
from nabat.system.protocol.exceptions import ArgumentCountError, InvalidField
from nabat.system.protocol.fields import (
    DATE,
    FILENAME,
    HEX,
    ID,
    ID_LIST,
    TIMESTAMP,
    UINT,
    FieldCodec,
    decode_field,
    encode_field,
    enum_codec,
)
from nabat.system.protocol.records import (
    Abonent,
    Channel,
    Form,
    Group,
    HaspInfo,
    Message,
    Phone,
    Task,
    TaskSummary,
    User,
    WireRecord,
)
from nabat.system.protocol.values import TaskStatus, TaskType

from tests.protocol.strategies import BY_KIND, records, required_fields

RECORD_CLASSES: list[type[WireRecord]] = [
    cls
    for cls in vars(records_module).values()
    if isinstance(cls, type) and issubclass(cls, WireRecord) and cls is not WireRecord
]
RECORD_FORMS = [(cls, form) for cls in RECORD_CLASSES for form in cls.FORMS]


def test_every_record_kind_is_covered_by_a_strategy() -> None:
    kinds = {codec.kind for cls in RECORD_CLASSES for codec in cls.CODECS.values()}
    assert kinds <= set(BY_KIND)
    assert len(RECORD_CLASSES) == 13


@pytest.mark.parametrize(
    ("cls", "form"), RECORD_FORMS, ids=lambda v: v.__name__ if isinstance(v, type) else v.name
)
def test_a_form_leaves_out_only_fields_with_defaults(cls: type[WireRecord], form: Form) -> None:
    assert required_fields(cls) <= set(cls.fields(form))
    assert set(cls.fields(form)) <= set(cls.CODECS)


@pytest.mark.parametrize(
    ("cls", "form"), RECORD_FORMS, ids=lambda v: v.__name__ if isinstance(v, type) else v.name
)
@given(data=st.data())
def test_every_record_survives_every_form(
    cls: type[WireRecord], form: Form, data: st.DataObject
) -> None:
    record = data.draw(records(cls, form))
    params = record.to_params(form)
    assert all(isinstance(p, str) for p in params)
    assert len(params) == len(cls.fields(form))
    assert cls.from_params(params, form) == record


def test_spec_field_counts() -> None:
    assert len(Task.fields(Form.FULL)) == 13  # GETTASK OK
    assert len(Task.fields(Form.NEW)) == 13  # ADDTASK
    assert len(Task.fields(Form.UPDATE)) == 14  # UPDATETASK
    assert len(TaskSummary.fields()) == 4
    assert len(Abonent.fields(Form.FULL)) == 16  # GETABONENTS DATA, ADDABONENT OK
    assert len(Abonent.fields(Form.NEW)) == 13  # ADDABONENT DATA
    assert len(Phone.fields()) == 3
    assert len(HaspInfo.fields()) == 6


TASK = Task(
    id=5, ttype=TaskType.SMS, status=TaskStatus.STOPPED, name="Учения", listid=1, messageid=2
)


@pytest.mark.parametrize(
    ("form", "field", "bad"),
    [
        (Form.FULL, "id", "0"),
        (Form.FULL, "id", "-1"),
        (Form.FULL, "id", "+1"),
        (Form.FULL, "id", " 1"),
        (Form.FULL, "id", "2147483648"),
        (Form.FULL, "ttype", "4"),
        (Form.FULL, "ttype", "SMS"),
        (Form.NEW, "status", "9"),
        (Form.NEW, "status", ""),
        (Form.NEW, "name", ""),
        (Form.NEW, "listid", "x"),
        (Form.NEW, "priority", "1.5"),
        (Form.NEW, "channels", "0120"),
        (Form.NEW, "channels", "1 1"),
    ],
)
def test_task_decode_errors_name_the_field(form: Form, field: str, bad: str) -> None:
    params = list(TASK.to_params(form))
    params[Task.fields(form).index(field)] = bad
    with pytest.raises(InvalidField) as info:
        Task.from_params(params, form)
    assert info.value.field == field
    assert info.value.message.startswith(f"field {field}: ")
    assert info.value.code == "bad-field"
    assert info.value.reply_code == "ERR_BADSYNTAX"


ABONENT = Abonent(id=3, gid=1, name="Иванов", phones=(Phone(phone="79001112233"),))


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("gid", ""),
        ("remote", "7"),
        ("experiodbegin", "2025-01-01 10:00:00"),
        ("experiodend", "2025-02-30T10:00:00"),
        ("experiodend", "2025-01-01T10:00"),
        ("createtime", "2025-01-01T10:00:00Z"),
        ("edittime", "2025-01-01T25:00:00"),
        ("pin", "12a4"),
    ],
)
def test_abonent_decode_errors_name_the_field(field: str, bad: str) -> None:
    params = list(ABONENT.to_params())
    params[Abonent.fields().index(field)] = bad
    with pytest.raises(InvalidField) as info:
        Abonent.from_params(params)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("record", "form", "field"),
    [
        (replace(TASK, channels="0102"), Form.FULL, "channels"),
        (replace(TASK, id=0), Form.FULL, "id"),
        (replace(TASK, id=None), Form.FULL, "id"),
        (replace(TASK, status=None), Form.NEW, "status"),
        (replace(TASK, name=""), Form.FULL, "name"),
        (replace(TASK, priority=-1), Form.FULL, "priority"),
        (replace(ABONENT, pin="12 34"), Form.FULL, "pin"),
        (replace(ABONENT, createtime=datetime(2025, 1, 1, tzinfo=UTC)), Form.FULL, "createtime"),
        (Phone(phone="+7 900"), Form.FULL, "phone"),
        (Phone(phone=""), Form.FULL, "phone"),
        (Message(mtype=1, name="m", file="../etc/passwd"), Form.NEW, "file"),  # type: ignore[arg-type]
        (Channel(num=1, enabled=1), Form.UPDATE, "enabled"),  # type: ignore[arg-type]
        (User(login="ivan", rights=7), Form.FULL, "rights"),  # type: ignore[arg-type]
        (Group(name="g"), Form.UPDATE, "id"),
    ],
)
def test_encode_errors_name_the_field(record: WireRecord, form: Form, field: str) -> None:
    with pytest.raises(InvalidField) as info:
        record.to_params(form)
    assert info.value.field == field


def test_abonent_emails_are_validated_when_encoded() -> None:
    with pytest.raises(InvalidField) as info:
        replace(ABONENT, emails=("not-an-address",)).email_params()
    assert info.value.field == "email"


def test_wrong_parameter_count_is_an_argument_count_error() -> None:
    with pytest.raises(ArgumentCountError) as info:
        Task.from_params(TASK.to_params()[:-1])
    assert info.value.reply_code == "ERR_BADARGUMENT_COUNT"
    assert "13" in info.value.message
    with pytest.raises(ArgumentCountError):
        Group.from_params(("1", "g", "d", ""))
    with pytest.raises(ValueError):
        TaskSummary.from_params((), Form.NEW)


def test_the_password_never_shows_in_a_repr_or_the_full_form() -> None:
    user = User(login="ivan", password="s3cret")
    assert "s3cret" not in repr(user)
    assert "s3cret" not in user.to_params(Form.FULL)
    assert "s3cret" in user.to_params(Form.NEW)


def test_timestamps_drop_microseconds_and_accept_empty() -> None:
    assert encode_field("t", TIMESTAMP, datetime(2025, 3, 4, 5, 6, 7, 890)) == "2025-03-04T05:06:07"
    assert encode_field("t", TIMESTAMP, None) == ""
    assert decode_field("t", TIMESTAMP, "") is None
    assert decode_field("t", TIMESTAMP, "0999-01-01T00:00:00") == datetime(999, 1, 1)
    assert encode_field("t", TIMESTAMP, datetime(999, 1, 1)) == "0999-01-01T00:00:00"


@pytest.mark.parametrize(
    ("codec", "good", "value"),
    [
        (ID_LIST, "1", (1,)),
        (ID_LIST, "1,2,30", (1, 2, 30)),
        (UINT, "0", 0),
        (UINT, "2147483647", 2**31 - 1),
        (DATE, "2025-06-01", date(2025, 6, 1)),
        (FILENAME, "запись 1.wav", "запись 1.wav"),
        (FILENAME, "..wav", "..wav"),
        (HEX, "00ff10", b"\x00\xff\x10"),
        (HEX, "", b""),
        (enum_codec(TaskStatus), "2", TaskStatus.WAITING),
    ],
)
def test_codecs_accept(codec: FieldCodec[Any], good: str, value: object) -> None:
    assert decode_field("f", codec, good) == value


@pytest.mark.parametrize(
    ("codec", "bad"),
    [
        (ID_LIST, ""),
        (ID_LIST, "1,,2"),
        (ID_LIST, "1, 2"),
        (ID_LIST, ",1"),
        (ID_LIST, "1,0"),
        (ID, "1e3"),
        (ID, "١"),  # an Arabic-Indic digit: int() would take it, the wire does not
        (DATE, "2025-6-1"),
        (DATE, "2025-02-30"),
        (FILENAME, ""),
        (FILENAME, "."),
        (FILENAME, ".."),
        (FILENAME, "a/b"),
        (FILENAME, "a\\b"),
        (FILENAME, "c:x"),
        (FILENAME, "a\tb"),
        (FILENAME, "x" * 256),
        (HEX, "abc"),
        (HEX, "zz"),
        (enum_codec(TaskStatus), "5"),
    ],
)
def test_codecs_reject(codec: FieldCodec[Any], bad: str) -> None:
    with pytest.raises(InvalidField) as info:
        decode_field("myfield", codec, bad)
    assert info.value.field == "myfield"


def test_encoding_checks_types_too() -> None:
    cases: list[tuple[FieldCodec[Any], object]] = [
        (ID, True),
        (ID, "1"),
        (UINT, 1.0),
        (ID_LIST, ()),
    ]
    for codec, value in cases:
        with pytest.raises(InvalidField):
            encode_field("f", codec, value)
    assert encode_field("f", HEX, b"\xab") == "AB"
    assert encode_field("f", DATE, date(2025, 1, 2)) == "2025-01-02"
    with pytest.raises(InvalidField):
        encode_field("f", DATE, datetime(2025, 1, 2) + timedelta(0))
