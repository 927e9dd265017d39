"""Task reports: HTML, XLS (BIFF8, read back with xlrd) and XLSX (read back with openpyxl)."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta

import openpyxl
import pytest
import xlrd
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.system.engine.records import (
    AttemptKind,
    AttemptRecord,
    AttemptState,
    RemoteStartRecord,
    ReportData,
    TargetRecord,
    TargetState,
)
from nabat.system.engine.report import (
    XLS_LIMITS,
    XLSX_LIMITS,
    ReportFormat,
    SheetLimits,
    parse_format,
    render,
)
from nabat.system.engine.report.tables import (
    ATTEMPT_COLUMNS,
    MAX_SHEET_NAME,
    Table,
    sheet_name,
    sheets,
)
from nabat.system.engine.report.text import (
    REPLACEMENT,
    TRUNCATED_MARK,
    clean_text,
    truncate,
    utf16_length,
)
from nabat.system.engine.report.xls import xls_text

T0 = datetime(2024, 5, 1, 9, 30, 15)
SHEETS = ["Сводка", "Абоненты", "Попытки", "Удалённый запуск"]


def attempt(
    attempt_id: int,
    abonent_id: int,
    *,
    round_: int = 1,
    outcome: str = "answered",
    confirmed: bool = False,
    detail: str = "",
    kind: AttemptKind = AttemptKind.VOICE,
    address: str = "+79161234567",
) -> AttemptRecord:
    started = T0 + timedelta(minutes=attempt_id)
    return AttemptRecord(
        id=attempt_id,
        abonent_id=abonent_id,
        round=round_,
        kind=kind,
        address=address,
        channel=f"gsm{attempt_id % 3 + 1}",
        state=AttemptState.DONE,
        outcome=outcome,
        started=started,
        ended=started + timedelta(seconds=42),
        ring_seconds=7.5,
        talk_seconds=30.25 if outcome == "answered" else 0.0,
        keys="1" if confirmed else "",
        confirmed=confirmed,
        verification="registered",
        detail=detail,
    )


def report(
    targets: tuple[TargetRecord, ...],
    remote: tuple[RemoteStartRecord, ...] = (),
    name: str = "Учения «Гроза»",
) -> ReportData:
    return ReportData(
        task_id=12,
        task_name=name,
        ttype=0,
        status=3,
        message_name="Сбор персонала",
        list_name="Дежурная смена",
        started=T0,
        ended=T0 + timedelta(hours=1),
        generated=T0 + timedelta(hours=2),
        total=len(targets),
        processed=len(targets),
        confirmed=sum(t.state is TargetState.CONFIRMED for t in targets),
        failed=sum(t.state is TargetState.EXHAUSTED for t in targets),
        targets=targets,
        remote_starts=remote,
    )


def sample() -> ReportData:
    ivanov = TargetRecord(
        abonent_id=1,
        name="Иванов Иван Иванович",
        priority=1,
        state=TargetState.CONFIRMED,
        rounds=2,
        confirm_key="1",
        addresses=("+79161234567", "+74951234567"),
        attempts=(
            attempt(1, 1, outcome="busy", detail="BUSY"),
            attempt(2, 1, round_=2, confirmed=True),
        ),
    )
    hacker = TargetRecord(
        abonent_id=2,
        name='<script>alert("x")</script> & Петров',
        priority=2,
        state=TargetState.EXHAUSTED,
        rounds=1,
        confirm_key="",
        addresses=("<b>@x",),
        attempts=(attempt(3, 2, outcome="no_answer", detail="NO ANSWER"),),
    )
    formula = TargetRecord(
        abonent_id=3,
        name='=HYPERLINK("http://evil","Сидоров")',
        priority=3,
        state=TargetState.PENDING,
        rounds=0,
        confirm_key="",
        addresses=("+79160000000",),
        attempts=(),
        note="@SUM(1+1)",
    )
    remote = (
        RemoteStartRecord(T0, "call", "gsm1", "+79161112233", 12, True, "started"),
        RemoteStartRecord(T0, "sms", "gsm2", "", None, False, "wrong PIN"),
    )
    return report((ivanov, hacker, formula), remote)


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("HTML", ReportFormat.HTML), ("xls", ReportFormat.XLS), (" Xlsx ", ReportFormat.XLSX)],
)
def test_format_names_are_read_in_any_case(text: str, fmt: ReportFormat) -> None:
    assert parse_format(text) is fmt


def test_an_unknown_format_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"'PDF'.*HTML, XLS, XLSX"):
        parse_format("PDF")


# --- HTML ----------------------------------------------------------------------------------


def page_tree(data: ReportData) -> ET.Element:
    page = render(data, ReportFormat.HTML)
    assert page.startswith(b"<!DOCTYPE html>")
    return ET.fromstring(page)  # well-formed XML: a stricter check than an HTML parser


def all_text(element: ET.Element) -> str:
    return "".join(element.itertext())


def test_the_html_page_is_self_contained_utf8_and_russian() -> None:
    page = render(sample(), ReportFormat.HTML)
    tree = ET.fromstring(page)
    assert tree.find("./head/meta").get("charset") == "utf-8"  # type: ignore[union-attr]
    assert tree.get("lang") == "ru"
    assert tree.findall(".//script") == []
    assert b"src=" not in page and b"href=" not in page and b"@import" not in page
    text = all_text(tree)
    for words in (
        "Отчёт о выполнении задания",
        "Учения «Гроза»",
        "Обзвон (голосовое оповещение)",
        "Завершено",
        "Сбор персонала",
        "Дежурная смена",
        "01.05.2024 09:30:15",
        "Иванов Иван Иванович",
        "Подтвердил",
        "Занято",
        "wrong PIN",
    ):
        assert words in text


def test_the_html_page_escapes_names_and_addresses() -> None:
    page = render(sample(), ReportFormat.HTML)
    assert b"<script>" not in page and b"<b>@x" not in page
    assert b"&lt;script&gt;" in page and b"&lt;b&gt;@x" in page
    assert b"&amp;lt;" not in page  # escaped once, not twice
    assert '<script>alert("x")</script> & Петров' in all_text(ET.fromstring(page))


def test_the_html_page_has_a_row_per_abonent_followed_by_its_attempts() -> None:
    tree = page_tree(sample())
    grid = tree.find(".//table[@class='grid']")
    assert grid is not None
    bodies = grid.findall("tbody")
    assert len(bodies) == 3
    names = [all_text(body.findall("tr")[0].findall("td")[1]) for body in bodies]
    assert names == [t.name for t in sample().targets]
    attempt_rows = [len(body.findall(".//td[@class='at']/table/tr")) - 1 for body in bodies[:2]]
    assert attempt_rows == [2, 1]
    assert len(bodies[2].findall("tr")) == 1  # no attempts: no attempt table
    ivanov_attempts = bodies[0].findall(".//td[@class='at']/table/tr")
    assert [all_text(td) for td in ivanov_attempts[2].findall("td")][:7] == [
        "01.05.2024 09:32:15",
        "01.05.2024 09:32:57",
        "2",
        "Звонок",
        "+79161234567",
        "gsm3",
        "Ответил",
    ]


def test_the_html_summary_counts_abonents_per_state() -> None:
    summary = page_tree(sample()).findall(".//table[@class='kv']")[1]
    rows = {all_text(tr.find("th")): all_text(tr.find("td")) for tr in summary}  # type: ignore[arg-type]
    assert rows["Всего абонентов"] == "3"
    assert rows["Подтвердили"] == "1"
    assert rows["Абонентов: Подтвердил"] == "1"
    assert rows["Абонентов: Не оповещён (попытки исчерпаны)"] == "1"
    assert rows["Абонентов: Ожидает"] == "1"
    assert rows["Попыток всего"] == "3"


def test_an_empty_task_renders_in_every_format() -> None:
    empty = report(())
    assert "В списке задания нет абонентов." in all_text(page_tree(empty))
    book = xlrd.open_workbook(file_contents=render(empty, ReportFormat.XLS))
    assert book.sheet_names() == SHEETS
    assert book.sheet_by_name("Попытки").nrows == 1  # the header only
    xbook = openpyxl.load_workbook(io.BytesIO(render(empty, ReportFormat.XLSX)))
    assert xbook.sheetnames == SHEETS


# --- XLS -----------------------------------------------------------------------------------


def xls_book(data: ReportData, limits: SheetLimits = XLS_LIMITS) -> xlrd.Book:
    return xlrd.open_workbook(file_contents=render(data, ReportFormat.XLS, limits=limits))


def test_xls_is_a_biff8_workbook_with_the_four_sheets() -> None:
    raw = render(sample(), ReportFormat.XLS)
    assert raw[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 compound document
    book = xlrd.open_workbook(file_contents=raw)
    assert book.biff_version == 80
    assert book.sheet_names() == SHEETS


def test_xls_values_survive_in_cyrillic() -> None:
    book = xls_book(sample())
    sheet = book.sheet_by_name("Сводка")
    summary = {sheet.cell_value(r, 0): sheet.cell_value(r, 1) for r in range(1, sheet.nrows)}
    assert summary["Название задания"] == "Учения «Гроза»"
    assert summary["Тип задания"] == "Обзвон (голосовое оповещение)"
    assert summary["Всего абонентов"] == 3
    abonents = book.sheet_by_name("Абоненты")
    assert abonents.row_values(0)[:4] == ["№ абонента", "Абонент", "Приоритет", "Состояние"]
    assert abonents.row_values(1)[:7] == [
        1,
        "Иванов Иван Иванович",
        1,
        "Подтвердил",
        2,
        "1",
        "+79161234567, +74951234567",
    ]
    attempts = book.sheet_by_name("Попытки")
    assert attempts.nrows == 4
    assert [attempts.cell_value(r, 0) for r in range(1, 4)] == [1, 1, 2]
    assert attempts.cell_value(2, 1) == "Иванов Иван Иванович"
    assert attempts.cell_value(1, 10) == "Занято"
    assert attempts.cell_value(1, 11) == "busy"
    assert attempts.cell_value(2, 13) == 30.25
    assert attempts.cell_value(2, 15) == "Да"
    remote = book.sheet_by_name("Удалённый запуск")
    assert remote.row_values(2)[1:] == ["SMS", "gsm2", "", "", "Нет", "wrong PIN"]


def test_xls_dates_are_real_excel_dates() -> None:
    book = xls_book(sample())
    attempts = book.sheet_by_name("Попытки")
    assert attempts.cell_type(1, 3) == xlrd.XL_CELL_DATE
    assert xlrd.xldate_as_datetime(attempts.cell_value(1, 3), book.datemode) == T0 + timedelta(
        minutes=1
    )
    summary = book.sheet_by_name("Сводка")
    started = next(r for r in range(summary.nrows) if summary.cell_value(r, 0) == "Начато")
    assert summary.cell_type(started, 1) == xlrd.XL_CELL_DATE


def biff_record_types(raw: bytes) -> set[int]:
    """The record types of the workbook stream (every sheet's records included)."""
    ole = xlrd.compdoc.CompDoc(raw)
    stream = ole.get_named_stream("Workbook")
    types = set()
    position = 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        types.add(record)
        position += 4 + length
    return types


def test_xls_writes_formula_like_names_as_text() -> None:
    raw = render(sample(), ReportFormat.XLS)
    assert 0x0006 not in biff_record_types(raw)  # no FORMULA record anywhere
    book = xlrd.open_workbook(file_contents=raw)
    abonents = book.sheet_by_name("Абоненты")
    assert abonents.cell_type(3, 1) == xlrd.XL_CELL_TEXT
    assert abonents.cell_value(3, 1) == '=HYPERLINK("http://evil","Сидоров")'
    assert abonents.cell_value(3, 8) == "@SUM(1+1)"


def many_attempts(count: int, per_target: int = 1) -> ReportData:
    targets = tuple(
        TargetRecord(
            abonent_id=number,
            name=f"Абонент {number}",
            priority=1,
            state=TargetState.NOTIFIED,
            rounds=per_target,
            confirm_key="",
            addresses=("+79160000000",),
            attempts=tuple(
                attempt(number * per_target + k, number, round_=k + 1) for k in range(per_target)
            ),
        )
        for number in range(count // per_target)
    )
    return report(targets)


def test_xls_attempts_continue_on_numbered_sheets_past_the_row_limit() -> None:
    book = xls_book(many_attempts(7), SheetLimits(max_rows=4))
    assert [n for n in book.sheet_names() if not n.startswith("Сводка")] == [
        "Абоненты",
        "Абоненты 2",
        "Абоненты 3",
        "Попытки",
        "Попытки 2",
        "Попытки 3",
        "Удалённый запуск",
    ]
    rows = [book.sheet_by_name(name).nrows for name in ("Попытки", "Попытки 2", "Попытки 3")]
    assert rows == [4, 4, 2]  # each with the header row
    ids = [
        book.sheet_by_name(name).cell_value(r, 2)
        for name in ("Попытки", "Попытки 2", "Попытки 3")
        for r in range(1, book.sheet_by_name(name).nrows)
    ]
    assert ids == list(range(7))
    assert book.sheet_by_name("Попытки 3").row_values(0)[0] == "№ абонента"


def test_rows_that_fill_the_last_sheet_exactly_open_no_empty_one() -> None:
    book = xls_book(many_attempts(6), SheetLimits(max_rows=4))
    assert "Попытки 3" not in book.sheet_names()
    assert book.sheet_by_name("Попытки 2").nrows == 4


def test_the_real_xls_row_limit_splits_at_65536_rows_with_the_header() -> None:
    rows = ((n,) for n in range(65_537))
    split = [
        (sheet.name, sum(1 for _ in sheet.rows))
        for sheet in sheets(Table("Попытки", ATTEMPT_COLUMNS[:1], rows), XLS_LIMITS)
    ]
    assert split == [("Попытки", 65_535), ("Попытки 2", 2)]
    sheet = xlwt.Workbook().add_sheet("x")
    sheet.write(65_535, 0, "the last row BIFF8 has")
    with pytest.raises(ValueError):
        sheet.write(65_536, 0, "one too many")


def test_xlsx_row_limit_is_excels() -> None:
    assert XLSX_LIMITS.max_rows == 1_048_576 and XLS_LIMITS.max_rows == 65_536


def test_sheet_names_stay_within_31_characters() -> None:
    assert sheet_name("Попытки", 1) == "Попытки"
    assert sheet_name("Попытки", 2) == "Попытки 2"
    long = "Очень длинное название листа отчёта"
    assert len(long) > MAX_SHEET_NAME
    assert sheet_name(long, 1) == long[:31]
    assert sheet_name(long, 123) == long[:27] + " 123"
    assert all(len(name) <= 31 for name in SHEETS)


def test_xls_cells_are_cut_at_32767_characters_with_a_mark() -> None:
    long_detail = "Ж" * 40_000
    target = TargetRecord(
        1,
        "Ж" * 33_000,
        1,
        TargetState.NOTIFIED,
        1,
        "",
        ("+7916",),
        (attempt(1, 1, detail=long_detail),),
    )
    book = xls_book(report((target,)))
    name = book.sheet_by_name("Абоненты").cell_value(1, 1)
    detail = book.sheet_by_name("Попытки").cell_value(1, 17)
    for value in (name, detail):
        assert len(value) == 32_767
        assert value.endswith(TRUNCATED_MARK)
        assert value.startswith("Ж" * 32_000)


def test_a_smaller_cell_limit_can_be_injected() -> None:
    book = xls_book(sample(), SheetLimits(max_rows=100, max_cell_chars=15))
    assert book.sheet_by_name("Абоненты").cell_value(1, 1) == "Иван" + TRUNCATED_MARK


def test_truncation_counts_utf16_units_as_excel_does() -> None:
    emoji = "😀" * 10
    assert utf16_length(emoji) == 20
    cut = truncate(emoji, 15)
    assert utf16_length(cut) <= 15 and cut.endswith(TRUNCATED_MARK)
    assert truncate("короткий", 15) == "короткий"


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_book(data: ReportData, limits: SheetLimits = XLSX_LIMITS) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render(data, ReportFormat.XLSX, limits=limits)))


def test_xlsx_has_the_same_sheets_and_values() -> None:
    book = xlsx_book(sample())
    assert book.sheetnames == SHEETS
    abonents = book["Абоненты"]
    assert [c.value for c in abonents[2]][:4] == [
        1,
        "Иванов Иван Иванович",
        1,
        "Подтвердил",
    ]
    attempts = book["Попытки"]
    assert attempts.max_row == 4
    assert attempts.cell(3, 2).value == "Иванов Иван Иванович"
    assert attempts.cell(3, 14).value == 30.25
    started = attempts.cell(2, 4)
    assert started.is_date and started.value == T0 + timedelta(minutes=1)
    assert started.number_format == "DD.MM.YYYY HH:MM:SS"


def test_xlsx_writes_formula_like_text_as_strings() -> None:
    raw = render(sample(), ReportFormat.XLSX)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    cell = book["Абоненты"].cell(4, 2)
    assert cell.value == '=HYPERLINK("http://evil","Сидоров")'
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert book["Абоненты"].cell(4, 9).data_type == "s"
    with zipfile.ZipFile(io.BytesIO(raw)) as parts:
        for part in parts.namelist():
            if part.startswith("xl/worksheets/"):
                assert b"<f>" not in parts.read(part) and b"<f " not in parts.read(part)


def test_xlsx_attempts_continue_on_numbered_sheets() -> None:
    book = xlsx_book(many_attempts(5), SheetLimits(max_rows=3))
    assert [n for n in book.sheetnames if n.startswith("Попытки")] == [
        "Попытки",
        "Попытки 2",
        "Попытки 3",
    ]
    assert [book[n].max_row for n in ("Попытки", "Попытки 2", "Попытки 3")] == [3, 3, 2]


# --- any text ------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)


def as_xml_reads(text: str) -> str:
    """What an XML reader gives back for ``text`` written as element content."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_forbidden_characters_are_replaced() -> None:
    assert clean_text("a\x00b\x1fc\td\ne\rf\ud800\ufffe") == (
        f"a{REPLACEMENT}b{REPLACEMENT}c\td\ne\nf{REPLACEMENT}{REPLACEMENT}"
    )
    assert xls_text("Жук 😀") == f"Жук {REPLACEMENT}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=ANY_TEXT, detail=ANY_TEXT, address=ANY_TEXT)
def test_any_text_renders_and_reads_back(name: str, detail: str, address: str) -> None:
    target = TargetRecord(
        7,
        name,
        1,
        TargetState.NOTIFIED,
        1,
        "",
        (address,),
        (attempt(1, 7, detail=detail, address=address),),
        note=detail,
    )
    data = report((target,), name=name)

    tree = page_tree(data)  # never raises, always well-formed
    first_row = tree.find(".//table[@class='grid']/tbody/tr")
    assert first_row is not None
    assert all_text(first_row.findall("td")[1]) == as_xml_reads(clean_text(name))

    xls = xls_book(data)
    assert xls.sheet_by_name("Абоненты").cell_value(1, 1) == xls_text(name)
    assert xls.sheet_by_name("Попытки").cell_value(1, 17) == xls_text(detail)

    xlsx = xlsx_book(data)
    assert (xlsx["Абоненты"].cell(2, 2).value or "") == as_xml_reads(clean_text(name))
    assert (xlsx["Попытки"].cell(2, 18).value or "") == as_xml_reads(clean_text(detail))
    assert (xlsx["Попытки"].cell(2, 8).value or "") == as_xml_reads(clean_text(address))


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(
        st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], max_codepoint=0xFFFD),
        min_size=1,
        max_size=30,
    )
)
def test_ordinary_text_round_trips_unchanged(name: str) -> None:
    data = report((TargetRecord(1, name, 1, TargetState.PENDING, 0, "", (), ()),))
    assert xls_book(data).sheet_by_name("Абоненты").cell_value(1, 1) == name
    assert xlsx_book(data)["Абоненты"].cell(2, 2).value == name
