"""The report as a genuine Excel 97-2003 workbook (BIFF8), the spec's XLS.

How it works: xlwt writes the sheets of ``tables.report_tables`` one after
another, each split at ``limits.max_rows`` (65,536 rows in BIFF8, the header
row included) onto "Попытки 2", "Попытки 3", .... Text cells are written as
strings (LABELSST records): xlwt writes a formula only when handed an
``xlwt.Formula``, which this module never does, so a name like ``=HYPERLINK(..)``
stays text. Text is cleaned (``text.clean_text``), limited to the Basic
Multilingual Plane (``text.bmp_only``) and cut at ``limits.max_cell_chars``.
Dates are real Excel dates with a ``DD.MM.YYYY HH:MM:SS`` format. Rows are
flushed to BIFF bytes every ``FLUSH_EVERY`` rows so the cell objects of a
large task do not pile up in memory.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import xlwt
from nabat.system.engine.records import ReportData
from nabat.system.engine.report.tables import (
    DATE_FORMAT,
    XLS_LIMITS,
    Cell,
    Column,
    Sheet,
    SheetLimits,
    report_tables,
    sheets,
)
from nabat.system.engine.report.text import bmp_only, clean_text, truncate

FLUSH_EVERY = 1_000


class _Styles:
    def __init__(self) -> None:
        self.header = xlwt.easyxf(
            "font: bold on; align: wrap on, vert top; pattern: pattern solid, fore_colour gray25"
        )
        self.date = xlwt.easyxf(num_format_str=DATE_FORMAT)
        self.plain = xlwt.easyxf("")
        self._numbers: dict[str, Any] = {}

    def number(self, column: Column) -> Any:
        if not column.number_format:
            return self.plain
        style = self._numbers.get(column.number_format)
        if style is None:
            style = self._numbers[column.number_format] = xlwt.easyxf(
                num_format_str=column.number_format
            )
        return style


def write_xls(data: ReportData, limits: SheetLimits = XLS_LIMITS) -> bytes:
    """The XLS file of ``data``'s report."""
    book = xlwt.Workbook(encoding="utf-8")
    styles = _Styles()
    for table in report_tables(data):
        for sheet in sheets(table, limits):
            _write_sheet(book, sheet, styles, limits)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(book: Any, sheet: Sheet, styles: _Styles, limits: SheetLimits) -> None:
    worksheet = book.add_sheet(sheet.name)
    for number, column in enumerate(sheet.columns):
        worksheet.write(0, number, column.title, styles.header)
        worksheet.col(number).width = min(256 * column.width, 65_535)
    worksheet.set_panes_frozen(True)
    worksheet.set_horz_split_pos(1)
    worksheet.set_remove_splits(True)
    for row_number, row in enumerate(sheet.rows, start=1):
        for number, value in enumerate(row):
            _write_cell(worksheet, row_number, number, value, sheet.columns[number], styles, limits)
        if row_number % FLUSH_EVERY == 0:
            worksheet.flush_row_data()
    worksheet.flush_row_data()


def _write_cell(
    worksheet: Any,
    row: int,
    column: int,
    value: Cell,
    spec: Column,
    styles: _Styles,
    limits: SheetLimits,
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        worksheet.write(row, column, xls_text(value, limits.max_cell_chars), styles.plain)
    elif isinstance(value, datetime):
        worksheet.write(row, column, value, styles.date)
    else:
        worksheet.write(row, column, value, styles.number(spec))


def xls_text(value: str, max_chars: int = XLS_LIMITS.max_cell_chars) -> str:
    """``value`` as an XLS cell holds it (see the module's docstring)."""
    return truncate(bmp_only(clean_text(value)), max_chars)
