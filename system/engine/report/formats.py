"""The report formats GETREPORT can return, and how a format's name is read.

How it works: ``ReportFormat``'s values are the tags ``GETREPORT BEGIN``
carries (``HTML``, ``XLS``, ``XLSX``); ``parse_format`` reads a name from a
task's ``addinfo``, the server's ``report_format`` setting or GETREPORT's
optional parameter, in any letter case, and names the allowed values when it
cannot.
"""

from __future__ import annotations

import enum


class ReportFormat(enum.Enum):
    """A report file format; the value is its tag on the wire."""

    HTML = "HTML"
    XLS = "XLS"  # Excel 97-2003 (BIFF8), the spec's XLS
    XLSX = "XLSX"  # Office Open XML workbook (project extension)

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return self.value.lower()


_MEDIA_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.XLS: "application/vnd.ms-excel",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

ALLOWED = ", ".join(fmt.value for fmt in ReportFormat)


def parse_format(text: str) -> ReportFormat:
    """The format named by ``text`` (``html``, ``Xls``, ...); ValueError for anything else."""
    name = text.strip().upper()
    try:
        return ReportFormat(name)
    except ValueError:
        raise ValueError(f"unknown report format {text!r}; allowed: {ALLOWED}") from None
