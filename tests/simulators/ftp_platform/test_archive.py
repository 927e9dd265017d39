"""The FTP platform's archive reader: names, hostile zips, both CSV variants."""

from __future__ import annotations

import string
import zipfile
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.ftp_platform.accounts import Account
from nabat.simulators.ftp_platform.archive import ZipLimits, parse_archive_name, read_archive
from nabat.simulators.ftp_platform.errors import ArchiveError
from nabat.simulators.ftp_platform.intake import plan_archive

from tests.simulators.ftp_platform.archives import (
    bomb_zip,
    encrypted_zip,
    lying_zip,
    plain_zip,
    symlink_zip,
    template_zip,
    zip_of,
)

GUEST = Account("guest", "guest")
ACME = Account("acme", "pw", senders=("ACME", "79001234567"), default_sender="ACME")


def refusal(data: bytes, account: Account = GUEST, limits: ZipLimits | None = None) -> ArchiveError:
    with pytest.raises(ArchiveError) as caught:
        plan_archive(data, account, limits)
    return caught.value


# --- names ---------------------------------------------------------------------


def test_a_good_name_gives_login_and_time() -> None:
    name = parse_archive_name("guest_20120207231932.zip", "guest")
    assert name.login == "guest" and name.stamp == datetime(2012, 2, 7, 23, 19, 32)


@pytest.mark.parametrize(
    "name",
    [
        "acme_20120207231932.zip",  # another login
        "guest_2012020723193.zip",  # 13 digits
        "guest_20121307231932.zip",  # month 13
        "guest_20120207231932.ZIP",
        "guest_20120207231932.zip.part",
        "guest-20120207231932.zip",
    ],
)
def test_a_bad_name_is_refused(name: str) -> None:
    with pytest.raises(ArchiveError):
        parse_archive_name(name, "guest")


# --- hostile archives ----------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    ["../sms/list.csv", "/sms/list.csv", "sms/../../x.csv", "sms\\list.csv", "C:/sms/list.csv"],
)
def test_unsafe_entry_names_are_refused(entry: str) -> None:
    error = refusal(zip_of([(entry, b"TELRN_LONG;TEXT\n79031234567;hi\n")]))
    assert "unsafe entry name" in error.problem


def test_a_symlink_entry_is_refused() -> None:
    assert "symbolic link" in refusal(symlink_zip()).problem


def test_an_encrypted_zip_is_refused() -> None:
    assert "password-protected" in refusal(encrypted_zip()).problem


def test_a_zip_bomb_by_ratio_is_refused_while_streaming() -> None:
    error = refusal(bomb_zip())
    assert "zip bomb" in error.problem and error.file == "sms/list.csv"


def test_a_zip_bomb_by_total_size_is_refused() -> None:
    limits = ZipLimits(max_total_bytes=100_000, max_ratio=1e9)
    data = zip_of(
        [
            ("sms/contacts.csv", b"phone\n" + b"79031234567\n" * 6000),
            ("sms/template.csv", b"message;sourceaddress\n" + b"x" * 60_000 + b";TESTSMS\n"),
        ]
    )
    assert "unpacks to more than 100000 bytes" in refusal(data, limits=limits).problem


def test_an_entry_larger_than_its_header_says_is_refused() -> None:
    error = refusal(lying_zip())
    assert error.file == "sms/list.csv"


def test_too_many_entries_are_refused() -> None:
    data = zip_of([(f"sms/{index}.bin", b"") for index in range(40)])
    assert "too many entries" in refusal(data).problem


def test_not_a_zip_is_refused() -> None:
    assert "not a readable zip" in refusal(b"PK\x03\x04 this is not a zip").problem


def test_a_template_without_contacts_is_refused() -> None:
    data = zip_of([("sms/template.csv", b"message;sourceaddress\nhi;TESTSMS\n")])
    assert "sms/contacts.csv" in refusal(data).problem


def test_two_data_files_are_refused() -> None:
    data = zip_of([("sms/a.csv", b"TELRN_LONG;TEXT\n"), ("sms/b.txt", b"TELRN_LONG;TEXT\n")])
    assert "more than one data file" in refusal(data).problem


def test_a_data_file_at_the_root_is_refused() -> None:
    data = zip_of([("list.csv", b"TELRN_LONG;TEXT\n79031234567;hi\n")])
    assert "no data file" in refusal(data).problem


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_escape_as_another_error(data: bytes) -> None:
    try:
        batch = plan_archive(data, GUEST)
    except ArchiveError as error:
        assert error.problem
    else:
        assert batch.messages


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=string.ascii_letters + "/.\\:_-", min_size=1, max_size=20),
            st.binary(max_size=60),
        ),
        max_size=5,
        unique_by=lambda entry: entry[0],
    )
)
def test_arbitrary_entries_are_read_or_refused_with_archive_error(
    entries: list[tuple[str, bytes]],
) -> None:
    data = zip_of(entries, zipfile.ZIP_STORED)
    try:
        files = read_archive(data)
    except ArchiveError:
        return
    assert files.with_template or files.data_name is not None


# --- the template variant ------------------------------------------------------


def test_template_substitution_and_defaults() -> None:
    batch = plan_archive(template_zip(["79031234567;;Ivan;Petrov", "79031234568;;Anna"]), GUEST)
    assert batch.variant == "template"
    assert [m.text for m in batch.messages] == ["Hello Ivan Petrov!", "Hello Anna !"]
    first = batch.messages[0]
    assert first.sender == "TESTSMS" and first.validity_minutes == 1440
    assert first.send_local is None and not first.subscriber_time


def test_a_missing_attribute_column_becomes_empty_and_other_words_stay() -> None:
    batch = plan_archive(
        template_zip(["79031234567;;A;B"], template_line="#attr7#x #tag# #attr1#;TESTSMS;;;"),
        GUEST,
    )
    assert batch.messages[0].text == "x #tag# A"


@pytest.mark.parametrize("spelling", ["20300601T19:14:00", "2030-06-01T19:14:00"])
def test_senddate_in_both_spellings_and_contacts_override(spelling: str) -> None:
    batch = plan_archive(
        template_zip(
            ["79031234567;;A;B", f"79031234568;{spelling};A;B"],
            template_line="hi;TESTSMS;180;2030-01-01T00:00:00;1",
        ),
        GUEST,
    )
    first, second = batch.messages
    assert first.send_local == datetime(2030, 1, 1) and first.subscriber_time
    assert second.send_local == datetime(2030, 6, 1, 19, 14)
    assert first.validity_minutes == 180


def test_localtime_without_a_date_means_nothing() -> None:
    batch = plan_archive(template_zip(["79031234567;;A;B"], template_line="hi;TESTSMS;;;1"), GUEST)
    assert not batch.messages[0].subscriber_time


@pytest.mark.parametrize(
    ("template_line", "problem"),
    [
        ("hi;testsms;;;", "not registered"),  # case matters
        ("hi;ACME;;;", "not registered"),
        ("hi;TOOLONGSENDER1;;;", "not up to 11"),
        ("hi;TESTSMS;0;;", "validity"),
        ("hi;TESTSMS;abc;;", "validity"),
        ("hi;TESTSMS;;2030-13-01T00:00:00;", "senddate"),
        ("hi;TESTSMS;;;2", "localtime"),
        (";TESTSMS;;;", "message is empty"),
    ],
)
def test_bad_template_lines_name_the_file_and_line(template_line: str, problem: str) -> None:
    error = refusal(template_zip(["79031234567;;A;B"], template_line=template_line))
    assert problem in error.problem
    assert (error.file, error.line) == ("sms/template.csv", 2)


def test_sender_registered_for_another_account() -> None:
    batch = plan_archive(template_zip(["79031234567;;A;B"], template_line="hi;ACME;;;"), ACME)
    assert batch.messages[0].sender == "ACME"


def test_a_bad_contact_among_good_ones_rejects_the_whole_archive() -> None:
    error = refusal(template_zip(["79031234567;;A;B", "79031234568;;A;B", "7903x;;A;B"]))
    assert (error.file, error.line) == ("sms/contacts.csv", 4)
    assert "phone" in error.problem


def test_missing_columns_are_named() -> None:
    error = refusal(template_zip(["79031234567"], contacts_header="number;attr1"))
    assert "no phone column" in error.problem and error.line == 1
    error = refusal(plain_zip(["79031234567;hi"], header="TELRN_LONG;BODY"))
    assert "no TEXT column" in error.problem


def test_wrong_encoding_names_the_line() -> None:
    data = template_zip(["79031234567;;Иван;B", "79031234568;;Пётр;B"], encoding="cp1251")
    error = refusal(data)
    assert "not valid utf-8" in error.problem and error.line == 2


def test_an_account_encoding_is_honoured_and_a_bom_tolerated() -> None:
    cp1251 = Account("acme", "pw", encoding="cp1251")
    data = template_zip(
        ["79031234567;;Иван;B"], template_line="Привет #attr1#;TESTSMS;;;", encoding="cp1251"
    )
    assert plan_archive(data, cp1251).messages[0].text == "Привет Иван"
    bom = zip_of([("sms/x.txt", "\ufeffTELRN_LONG;TEXT\n79031234567;привет\n".encode())])
    assert plan_archive(bom, GUEST).messages[0].text == "привет"


# --- the variant without template ----------------------------------------------


def test_plain_variant_uses_the_default_sender() -> None:
    batch = plan_archive(plain_zip(["79031234567;first", '79031234568;"a;b"']), ACME)
    assert batch.variant == "plain"
    assert [(m.address, m.text, m.sender) for m in batch.messages] == [
        ("79031234567", "first", "ACME"),
        ("79031234568", "a;b", "ACME"),
    ]
    assert batch.messages[0].validity_minutes == 1440


def test_plain_variant_with_too_many_fields_is_refused() -> None:
    error = refusal(plain_zip(["79031234567;hi;extra"]))
    assert error.line == 2 and "more than the header" in error.problem


phones = st.from_regex(r"[0-9]{11}", fullmatch=True)
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=';"#'),
    min_size=1,
    max_size=40,
).filter(lambda value: value.strip() == value and value != "")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(phones, texts), min_size=1, max_size=20))
def test_plain_rows_round_trip(rows: list[tuple[str, str]]) -> None:
    batch = plan_archive(plain_zip([f"{phone};{text}" for phone, text in rows]), GUEST)
    assert [(m.address, m.text) for m in batch.messages] == rows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(phones, texts, texts), min_size=1, max_size=20))
def test_template_rows_round_trip(rows: list[tuple[str, str, str]]) -> None:
    data = template_zip([f"{phone};;{a};{b}" for phone, a, b in rows])
    batch = plan_archive(data, GUEST)
    assert [m.text for m in batch.messages] == [f"Hello {a} {b}!" for _, a, b in rows]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_csv_text_is_planned_or_refused_with_archive_error(text: str) -> None:
    try:
        batch = plan_archive(zip_of([("sms/x.csv", text.encode("utf-8", "surrogatepass"))]), GUEST)
    except ArchiveError as error:
        assert error.problem
    else:
        assert all(message.text.strip() for message in batch.messages)
