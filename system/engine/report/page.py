"""The report as one self-contained HTML page (UTF-8, Russian, inline CSS, no scripts).

How it works: the jinja2 template ``report.html`` (next to this module) is
rendered with autoescaping on, so an abonent named ``<script>`` shows as
text; every value printed passes ``text.clean_text`` first (the page stays
well-formed XML as well as HTML, which the tests check). The page is
generated in chunks and encoded as it goes; dates show as
``DD.MM.YYYY HH:MM:SS`` local time.
"""

from __future__ import annotations

import functools
import importlib.resources
from datetime import datetime
from typing import Any

import jinja2
import markupsafe
from nabat.system.engine.records import AttemptRecord, ReportData, TargetState
from nabat.system.engine.report import labels
from nabat.system.engine.report.tables import naive, state_counts
from nabat.system.engine.report.text import clean_text

TEMPLATE = "report.html"


def _finalize(value: Any) -> Any:
    if isinstance(value, markupsafe.Markup):  # already escaped (join): clean, do not re-escape
        return markupsafe.Markup(clean_text(value))
    return clean_text(value) if isinstance(value, str) else value


def _when(value: datetime | None) -> str:
    local = naive(value)
    return "—" if local is None else local.strftime("%d.%m.%Y %H:%M:%S")


def _seconds(value: float) -> str:
    return f"{value:.1f}" if value else ""


def _outcome(attempt: AttemptRecord) -> str:
    return labels.label(labels.OUTCOMES, attempt.outcome) if attempt.outcome else ""


def _verification(code: str) -> str:
    return labels.label(labels.VERIFICATION, code) if code else ""


@functools.cache
def _template() -> jinja2.Template:
    source = importlib.resources.files(__package__).joinpath(TEMPLATE).read_text("utf-8")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    environment.filters["seconds"] = _seconds
    environment.globals.update(
        target_state=lambda state: labels.label(labels.TARGET_STATES, state),
        attempt_kind=lambda kind: labels.label(labels.ATTEMPT_KINDS, kind),
        remote_via=lambda via: labels.label(labels.REMOTE_VIA, via),
        outcome=_outcome,
        verification=_verification,
        yes_no=labels.yes_no,
    )
    return environment.from_string(source)


def write_html(data: ReportData) -> bytes:
    """The HTML page of ``data``'s report, UTF-8 encoded."""
    counts = state_counts(data)
    chunks = _template().generate(
        data=data,
        task_type=labels.label(labels.TASK_TYPES, data.ttype),
        task_status=labels.label(labels.TASK_STATUSES, data.status),
        state_counts=[
            (labels.label(labels.TARGET_STATES, state), counts[state]) for state in TargetState
        ],
        attempt_count=sum(len(target.attempts) for target in data.targets),
    )
    out = bytearray()
    for chunk in chunks:
        out += chunk.encode("utf-8")
    return bytes(out)
