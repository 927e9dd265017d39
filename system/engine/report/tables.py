"""The report as tables: what both spreadsheet formats (XLS, XLSX) write, sheet by sheet.

How it works: ``report_tables`` turns ``ReportData`` into four ``Table``s —
the summary, one row per abonent, one row per attempt (with its abonent's id
and name), and the remote starts. Rows are generated lazily, so a writer that
streams (XLSX) never holds a 100,000-abonent task in cells. A cell is text, a
number, a naive local ``datetime`` (a real date in the file) or None (empty).
``SheetLimits`` names a format's limits; ``sheets`` splits a table's rows over
as many sheets as its row limit needs ("Попытки", "Попытки 2", ...), each
with the header row, and ``sheet_name`` keeps every name within 31 characters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice

from nabat.system.engine.records import (
    AttemptRecord,
    RemoteStartRecord,
    ReportData,
    TargetRecord,
    TargetState,
)
from nabat.system.engine.report import labels

Cell = str | int | float | datetime | None
Row = Sequence[Cell]

MAX_SHEET_NAME = 31  # Excel's limit on a sheet's name, both formats
DATE_FORMAT = "DD.MM.YYYY HH:MM:SS"  # how dates show in the spreadsheets
SECONDS_FORMAT = "0.0"


@dataclass(frozen=True, slots=True)
class SheetLimits:
    """A spreadsheet format's limits: rows per sheet (header included), characters per cell."""

    max_rows: int
    max_cell_chars: int = 32_767

    def __post_init__(self) -> None:
        if self.max_rows < 2:
            raise ValueError("a sheet must hold the header and at least one row")


XLS_LIMITS = SheetLimits(max_rows=65_536)
XLSX_LIMITS = SheetLimits(max_rows=1_048_576)


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int  # in characters
    number_format: str = ""  # for dates and numbers; "" is the format's default


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the first sheet's name; later sheets add " 2", " 3", ...
    columns: tuple[Column, ...]
    rows: Iterable[Row]


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: Iterator[Row]


def naive(value: datetime | None) -> datetime | None:
    """Local time without a zone (ruling 11); an aware value is moved to local time first."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def state_counts(data: ReportData) -> Counter[TargetState]:
    return Counter(target.state for target in data.targets)


def report_tables(data: ReportData) -> tuple[Table, ...]:
    return (
        Table("Сводка", SUMMARY_COLUMNS, summary_rows(data)),
        Table("Абоненты", TARGET_COLUMNS, (target_row(target) for target in data.targets)),
        Table("Попытки", ATTEMPT_COLUMNS, attempt_rows(data.targets)),
        Table(
            "Удалённый запуск",
            REMOTE_COLUMNS,
            (remote_row(start) for start in data.remote_starts),
        ),
    )


SUMMARY_COLUMNS = (Column("Показатель", 40), Column("Значение", 40))


def summary_rows(data: ReportData) -> list[Row]:
    rows: list[Row] = [
        ("Задание №", data.task_id),
        ("Название задания", data.task_name),
        ("Тип задания", labels.label(labels.TASK_TYPES, data.ttype)),
        ("Состояние задания", labels.label(labels.TASK_STATUSES, data.status)),
        ("Сообщение", data.message_name),
        ("Список", data.list_name),
        ("Начато", naive(data.started)),
        ("Завершено", naive(data.ended)),
        ("Отчёт создан", naive(data.generated)),
        ("Всего абонентов", data.total),
        ("Обработано", data.processed),
        ("Подтвердили", data.confirmed),
        ("Не оповещены", data.failed),
    ]
    counts = state_counts(data)
    rows.extend(
        (f"Абонентов: {labels.label(labels.TARGET_STATES, state)}", counts[state])
        for state in TargetState
    )
    rows.append(("Попыток всего", sum(len(target.attempts) for target in data.targets)))
    rows.append(("Попыток удалённого запуска", len(data.remote_starts)))
    return rows


TARGET_COLUMNS = (
    Column("№ абонента", 11),
    Column("Абонент", 30),
    Column("Приоритет", 10),
    Column("Состояние", 28),
    Column("Раундов", 9),
    Column("Ключ подтверждения", 12),
    Column("Адреса", 36),
    Column("Попыток", 9),
    Column("Примечание", 30),
)


def target_row(target: TargetRecord) -> Row:
    return (
        target.abonent_id,
        target.name,
        target.priority,
        labels.label(labels.TARGET_STATES, target.state),
        target.rounds,
        target.confirm_key,
        ", ".join(target.addresses),
        len(target.attempts),
        target.note,
    )


ATTEMPT_COLUMNS = (
    Column("№ абонента", 11),
    Column("Абонент", 30),
    Column("№ попытки", 10),
    Column("Начало", 20, DATE_FORMAT),
    Column("Окончание", 20, DATE_FORMAT),
    Column("Раунд", 7),
    Column("Вид", 8),
    Column("Адрес", 24),
    Column("Канал", 10),
    Column("Состояние попытки", 14),
    Column("Итог", 22),
    Column("Код итога", 14),
    Column("Вызов, с", 9, SECONDS_FORMAT),
    Column("Разговор, с", 11, SECONDS_FORMAT),
    Column("Нажатые клавиши", 10),
    Column("Подтверждено", 13),
    Column("Проверка вызова", 22),
    Column("Подробности", 36),
    Column("Идентификатор", 16),
)


def attempt_rows(targets: Iterable[TargetRecord]) -> Iterator[Row]:
    for target in targets:
        for attempt in target.attempts:
            yield attempt_row(target, attempt)


def attempt_row(target: TargetRecord, attempt: AttemptRecord) -> Row:
    return (
        target.abonent_id,
        target.name,
        attempt.id,
        naive(attempt.started),
        naive(attempt.ended),
        attempt.round,
        labels.label(labels.ATTEMPT_KINDS, attempt.kind),
        attempt.address,
        attempt.channel,
        labels.label(labels.ATTEMPT_STATES, attempt.state),
        labels.label(labels.OUTCOMES, attempt.outcome),
        attempt.outcome,
        attempt.ring_seconds,
        attempt.talk_seconds,
        attempt.keys,
        labels.yes_no(attempt.confirmed),
        labels.label(labels.VERIFICATION, attempt.verification) if attempt.verification else "",
        attempt.detail,
        attempt.reference,
    )


REMOTE_COLUMNS = (
    Column("Время", 20, DATE_FORMAT),
    Column("Способ", 8),
    Column("Канал", 10),
    Column("Номер", 18),
    Column("Задание №", 10),
    Column("Принят", 8),
    Column("Причина", 40),
)


def remote_row(start: RemoteStartRecord) -> Row:
    return (
        naive(start.time),
        labels.label(labels.REMOTE_VIA, start.via),
        start.channel,
        start.caller,
        start.task_id,
        labels.yes_no(start.accepted),
        start.reason,
    )


def sheet_name(base: str, number: int) -> str:
    """The ``number``-th sheet of ``base`` (1 is ``base`` itself), within 31 characters."""
    suffix = "" if number == 1 else f" {number}"
    return base[: MAX_SHEET_NAME - len(suffix)] + suffix


def sheets(table: Table, limits: SheetLimits) -> Iterator[Sheet]:
    """``table`` over as many sheets as ``limits.max_rows`` needs; always at least one.

    Each sheet's rows are taken from the table's iterator as the writer reads
    them, so the sheets must be written one after another, in order.
    """
    per_sheet = limits.max_rows - 1  # the header takes a row
    rows = iter(table.rows)
    number = 1
    while True:
        first = next(rows, None)
        if first is None and number > 1:
            return
        head: tuple[Row, ...] = () if first is None else (first,)
        yield Sheet(
            sheet_name(table.name, number),
            table.columns,
            chain(head, islice(rows, per_sheet - 1)),
        )
        number += 1
