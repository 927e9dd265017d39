"""Task reports (GETREPORT): one ``ReportData`` rendered as HTML, XLS (BIFF8) or XLSX.

How it works: ``render`` picks the writer for the format — ``page`` (a jinja2
HTML page), ``xls`` (xlwt) or ``xlsx`` (openpyxl, write-only); the two
spreadsheet writers share the sheets of ``tables`` and the text rules of
``text``, and every format shows the codes in the Russian words of ``labels``.
docs/reports.md is the contract: what each format holds, its limits, how the
format is chosen. The writers are imported on first use: openpyxl, xlwt and
jinja2 took 0.2-0.3 s of every server start, reports or not (``python -X
importtime -c "import nabat.system.engine.report.xlsx"`` and its siblings).
"""

from __future__ import annotations

from nabat.system.engine.records import ReportData
from nabat.system.engine.report.formats import ReportFormat, parse_format
from nabat.system.engine.report.tables import XLS_LIMITS, XLSX_LIMITS, SheetLimits

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
        from nabat.system.engine.report.page import write_html

        return write_html(data)
    if fmt is ReportFormat.XLS:
        from nabat.system.engine.report.xls import write_xls

        return write_xls(data, limits or XLS_LIMITS)
    from nabat.system.engine.report.xlsx import write_xlsx

    return write_xlsx(data, limits or XLSX_LIMITS)
