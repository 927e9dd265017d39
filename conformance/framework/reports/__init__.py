"""Report writers: JSON (machine-readable), JUnit XML (CI dashboards) and a
self-contained HTML page (people). All take the same list of SuiteRun."""

from nabat.conformance.framework.reports.html_report import render_html, write_html
from nabat.conformance.framework.reports.json_report import report_dict, write_json
from nabat.conformance.framework.reports.junit_report import render_junit, write_junit
from nabat.conformance.framework.reports.text_summary import summary_lines

__all__ = [
    "render_html",
    "render_junit",
    "report_dict",
    "summary_lines",
    "write_html",
    "write_json",
    "write_junit",
]
