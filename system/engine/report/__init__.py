"""Task reports (GETREPORT): one ``ReportData`` rendered as HTML, XLS (BIFF8) or XLSX.

How it works: ``render`` picks the writer for the format — ``page`` (a jinja2
HTML page), ``xls`` (xlwt) or ``xlsx`` (openpyxl, write-only); the two
spreadsheet writers share the sheets of ``tables`` and the text rules of
``text``, and every format shows the codes in the Russian words of ``labels``.
docs/reports.md is the contract: what each format holds, its limits, how the
format is chosen.
"""

from __future__ import annotations

from nabat.system.engine.records import ReportData
from nabat.system.engine.report.formats import ReportFormat, parse_format
from nabat.system.engine.report.page import write_html
from nabat.system.engine.report.tables import XLS_LIMITS, XLSX_LIMITS, SheetLimits
from nabat.system.engine.report.xls import write_xls
from nabat.system.engine.report.xlsx import write_xlsx

__all__ = [
    "XLSX_LIMITS",
    "XLS_LIMITS",
    "ReportFormat",
    "SheetLimits",
    "parse_format",
    "render",
]


def render(data: ReportData, fmt: ReportFormat, *, limits: SheetLimits | None = None) -> bytes:
    """The report file of ``data`` in ``fmt``; ``limits`` overrides a spreadsheet's limits."""
    if fmt is ReportFormat.HTML:
        return write_html(data)
    if fmt is ReportFormat.XLS:
        return write_xls(data, limits or XLS_LIMITS)
    return write_xlsx(data, limits or XLSX_LIMITS)
