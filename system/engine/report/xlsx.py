"""The report as an Office Open XML workbook (XLSX), the project's extension.

How it works: an openpyxl write-only workbook streams each sheet's rows of
``tables.report_tables`` to its part as they are appended, so a
100,000-abonent task never sits in memory as cells; sheets split at
``limits.max_rows`` (1,048,576, the header row included) like the XLS ones.
Text is cleaned of what XML 1.0 forbids (openpyxl would raise
IllegalCharacterError) and cut at ``limits.max_cell_chars``. openpyxl turns a
string that starts with ``=`` into a formula; ``xlsx_cell`` writes every text
that starts with one of ``FORMULA_LEADS`` as a string cell (``t="s"`` or
inline text, never ``<f>``) with the quote-prefix style, so editing it in a
spreadsheet does not turn it into a formula either. Dates are real dates with
a ``DD.MM.YYYY HH:MM:SS`` format.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from nabat.system.engine.records import ReportData
from nabat.system.engine.report.tables import (
    DATE_FORMAT,
    XLSX_LIMITS,
    Cell,
    Column,
    Sheet,
    SheetLimits,
    report_tables,
    sheets,
)
from nabat.system.engine.report.text import clean_text, truncate
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_LEADS = ("=", "+", "-", "@")


def write_xlsx(data: ReportData, limits: SheetLimits = XLSX_LIMITS) -> bytes:
    """The XLSX file of ``data``'s report."""
    book = Workbook(write_only=True)
    for table in report_tables(data):
        for sheet in sheets(table, limits):
            _write_sheet(book, sheet, limits)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(book: Any, sheet: Sheet, limits: SheetLimits) -> None:
    worksheet = book.create_sheet(sheet.name)
    for number, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = column.width
    worksheet.freeze_panes = "A2"
    worksheet.append([_header_cell(worksheet, column) for column in sheet.columns])
    for row in sheet.rows:
        worksheet.append(
            [
                xlsx_cell(worksheet, value, column, limits)
                for value, column in zip(row, sheet.columns, strict=True)
            ]
        )


def _header_cell(worksheet: Any, column: Column) -> Any:
    cell = WriteOnlyCell(worksheet, value=clean_text(column.title))
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDDDDD")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def xlsx_cell(worksheet: Any, value: Cell, column: Column, limits: SheetLimits) -> Any:
    """What ``worksheet.append`` gets for ``value``: the value itself or a styled cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = truncate(clean_text(value), limits.max_cell_chars)
        if not text.startswith(FORMULA_LEADS):
            return text
        cell = WriteOnlyCell(worksheet, value=text)
        cell.data_type = "s"  # openpyxl made "=..." a formula
        cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, float) and column.number_format:
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = column.number_format
        return cell
    return value
