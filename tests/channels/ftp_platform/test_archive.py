"""Archives built for the FTP platform, opened and parsed back with csv."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.channels import OutgoingSms
from nabat.system.channels.ftp_platform import (
    ArchiveNamer,
    Contact,
    Template,
    plain_archive,
    route_template_archive,
    template_archive,
)


def read_csv(data: bytes, entry: str, encoding: str = "utf-8") -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read(entry).decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_template_variant_layout() -> None:
    archive = template_archive(
        "guest_20120207231932.zip",
        [
            Contact("79031234567", ("Иван", "Петрович")),
            Contact("79031234568", ("Анна",), datetime(2010, 6, 1, 19, 14)),
        ],
        Template("Уважаемый #attr1# #attr2#!", "TESTSMS", 180, datetime(2010, 6, 1, 9), True),
    )
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zf:
        assert zf.namelist() == ["sms/contacts.csv", "sms/template.csv"]
        assert zf.testzip() is None
    assert read_csv(archive.data, "sms/contacts.csv") == [
        ["phone", "senddate", "attr1", "attr2"],
        ["79031234567", "", "Иван", "Петрович"],
        ["79031234568", "20100601T19:14:00", "Анна", ""],
    ]
    assert read_csv(archive.data, "sms/template.csv") == [
        ["message", "sourceaddress", "validity", "senddate", "localtime"],
        ["Уважаемый #attr1# #attr2#!", "TESTSMS", "180", "20100601T09:00:00", "1"],
    ]
    assert archive.messages == 2


TEXTS = st.text(st.sampled_from(list("ab Я;\"\n\r#%&,'ё😀")), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=20))
def test_any_text_survives_both_variants(texts: list[str]) -> None:
    messages = [OutgoingSms(f"7903{index:07d}", text) for index, text in enumerate(texts)]
    plain = plain_archive("guest_20200101000000.zip", messages)
    rows = read_csv(plain.data, "sms/messages.csv")
    assert rows[0] == ["TELRN_LONG", "TEXT"]
    assert [(row[0], row[1]) for row in rows[1:]] == [(m.number, m.text) for m in messages]

    templated = route_template_archive("guest_20200101000000.zip", messages, sender="TESTSMS")
    contacts = read_csv(templated.data, "sms/contacts.csv")
    ((message, *_),) = read_csv(templated.data, "sms/template.csv")[1:]
    expanded = [message.replace("#attr1#", row[2] if len(row) > 2 else "") for row in contacts[1:]]
    assert expanded == [m.text for m in messages]


def test_same_text_goes_into_the_template_once() -> None:
    messages = [OutgoingSms("79031111111", "Учения"), OutgoingSms("79032222222", "Учения")]
    archive = route_template_archive("g_20200101000000.zip", messages, sender="TESTSMS")
    assert read_csv(archive.data, "sms/contacts.csv") == [
        ["phone", "senddate"],
        ["79031111111", ""],
        ["79032222222", ""],
    ]
    assert read_csv(archive.data, "sms/template.csv")[1][0] == "Учения"


def test_other_encodings_and_texts_they_cannot_hold() -> None:
    archive = plain_archive("g_1.zip", [OutgoingSms("79031111111", "Привет")], encoding="cp1251")
    assert read_csv(archive.data, "sms/messages.csv", "cp1251")[1] == ["79031111111", "Привет"]
    with pytest.raises(ValueError, match="line 2"):
        plain_archive("g_1.zip", [OutgoingSms("79031111111", "😀")], encoding="cp1251")
    with pytest.raises(ValueError, match="phone"):
        plain_archive("g_1.zip", [OutgoingSms("+7 903", "x")])


def test_names_are_unique_within_a_second_and_when_the_clock_goes_back() -> None:
    times = iter(
        [
            datetime(2012, 2, 7, 23, 19, 32, 100),
            datetime(2012, 2, 7, 23, 19, 32, 900),
            datetime(2012, 2, 7, 23, 19, 30),
            datetime(2012, 2, 7, 23, 20, 0),
        ]
    )
    namer = ArchiveNamer("guest", lambda: next(times))
    assert [namer.next_name() for _ in range(4)] == [
        "guest_20120207231932.zip",
        "guest_20120207231933.zip",
        "guest_20120207231934.zip",
        "guest_20120207232000.zip",
    ]
