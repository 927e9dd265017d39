"""Self-contained single-file HTML report (inline CSS, no scripts, no fetches).

A coloured banner on top gives the verdict at a glance: green "conforms", red
"does not conform", amber "could not test" (with the cause line of a failed
pre-flight or a stopped run). Reasons and check messages are shown decoded
(``%20`` -> space, :mod:`display`) and whole; a case's one-line summary cuts
its reason at a word. A case that ended in error shows its cause line; the
Python traceback, if any, is folded away for the suite's developers.

Layout per suite: a summary (verdict, outcome counts, target), clause coverage
("N of M clauses exercised" and the list of clauses never exercised), the
allow-list use, then one collapsible block per case with its outcome, reason,
checks, the variants the target chose and its evidence (each exchange
collapsible, with its curl line). Failing cases start expanded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path

from nabat.conformance.framework.outcome import Outcome
from nabat.conformance.framework.reports.display import decoded, shortened
from nabat.conformance.framework.reports.files import write_report
from nabat.conformance.framework.results import CaseResult, SuiteRun, not_tested, verdict

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.o{display:inline-block;padding:0 .5em;border-radius:.3em;font-weight:600;font-size:.9em}
.pass{background:#d8f5d8}.fail,.error,.unexpected-pass{background:#f8d0d0}
.non-strict{background:#fbeec2}.unsupported{background:#e6e6e6}.known-deviation{background:#dce8fb}
details.case{border:1px solid #ddd;border-radius:.3em;margin:.4em 0;padding:.3em .6em}
details.case>summary{cursor:pointer}pre{background:#f8f8f8;padding:.5em;overflow-x:auto;
white-space:pre-wrap;word-break:break-all;font-size:.85em}.miss{color:#b00;font-weight:600}
.ok{color:#070}.muted{color:#666}code{font-size:.9em}
.banner{padding:.6em 1em;border-radius:.4em;font-size:1.3em;font-weight:700;margin:.5em 0;
color:#fff}.banner.conforms{background:#1b7f2a}.banner.fails{background:#b3161b}
.banner.untested{background:#c77700}.banner small{display:block;font-size:.7em;font-weight:400}
.cause{font-weight:600;color:#8a4b00}
"""

# verdict word (results.verdict) -> banner class and headline
_BANNERS = {
    "pass": ("conforms", "Conforms"),
    "fail": ("fails", "Does not conform"),
    "not tested": ("untested", "Could not test"),
}
SUMMARY_REASON = 100  # characters of a reason shown on a case's summary line


def _text(text: str) -> str:
    """Escaped, decoded display text."""
    return escape(decoded(text))


def _banner(word: str, cause: str | None = None) -> str:
    css, headline = _BANNERS.get(word, _BANNERS["not tested"])
    small = f"<small>{_text(cause)}</small>" if cause else ""
    return f'<div class="banner {css}">{headline}{small}</div>'



def _badge(outcome: Outcome) -> str:
    return f'<span class="o {outcome.value}">{escape(outcome.value)}</span>'


def _case(result: CaseResult, strict: bool) -> str:
    failing = result.outcome.is_failure(strict) or result.outcome is Outcome.NON_STRICT
    parts = [
        f'<details class="case" id="case-{escape(result.name)}"{" open" if failing else ""}>',
        f"<summary>{_badge(result.outcome)} <code>{escape(result.name)}</code> "
        f'<span class="muted">{result.duration_ms:.0f} ms</span>'
        + (f" — {_text(shortened(decoded(result.reason), SUMMARY_REASON))}"
           if result.reason and result.outcome is not Outcome.PASS else "")
        + "</summary>",
    ]
    if result.case.doc:
        parts.append(f"<p>{escape(result.case.doc)}</p>")
    if result.reason:
        label = "Cause" if result.outcome is Outcome.ERROR else "Reason"
        css = ' class="cause"' if result.outcome is Outcome.ERROR else ""
        parts.append(f"<p{css}><b>{label}:</b> {_text(result.reason)}</p>")
    parts.append(
        "<p><b>Clauses:</b> "
        + ", ".join(f"<code>{escape(c.id)}</code>" for c in result.case.clauses)
        + (f" &middot; <b>needs:</b> {escape(', '.join(sorted(result.case.needs)))}"
           if result.case.needs else "")
        + "</p>"
    )
    if result.checks:
        rows = "".join(
            f'<tr><td class="{"ok" if r.passed else "miss"}">{"ok" if r.passed else "MISS"}</td>'
            f"<td>{escape(r.clause.level.value)}</td><td><code>{escape(r.clause.id)}</code></td>"
            f"<td>{_text(r.message)}</td></tr>"
            for r in result.checks
        )
        parts.append(
            "<table><tr><th></th><th>level</th><th>clause</th><th>check</th></tr>"
            f"{rows}</table>"
        )
    variants = result.variants()
    if variants:
        items = "".join(
            f"<li><code>{escape(r.clause.id)}</code>: target gave <b>{escape(r.observed or '')}"
            f"</b> (permitted: {escape(', '.join(r.allowed or ()))})</li>"
            for r in variants
        )
        parts.append(f"<p><b>Variants chosen by the target:</b></p><ul>{items}</ul>")
    if result.details and "Traceback (most recent call last)" in result.details:
        parts.append(
            "<details><summary class=\"muted\">Python traceback (for the suite's developers)"
            f"</summary><pre>{escape(result.details)}</pre></details>"
        )
    elif result.details:
        parts.append(f"<pre>{_text(result.details)}</pre>")
    if result.evidence:
        parts.append(f"<p><b>Evidence</b> ({len(result.evidence)} items)</p>")
        for exchange in result.evidence:
            parts.append(
                f"<details><summary><code>{escape(exchange.title())}</code></summary>"
                f"<pre>{escape(exchange.render_text())}</pre></details>"
            )
    parts.append("</details>")
    return "\n".join(parts)


def _suite(run: SuiteRun) -> str:
    coverage = run.coverage()
    counts = run.counts()
    count_cells = "".join(
        f"<tr><td>{_badge(outcome)}</td><td>{counts.get(outcome.value, 0)}</td></tr>"
        for outcome in Outcome
    )
    target_rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
        for k, v in run.target.items()
    )
    absent_rows = "".join(
        f"<li><code>{escape(k)}</code>: {escape(v)}</li>" for k, v in run.absent.items()
    )
    never = "".join(
        f"<li><code>{escape(c.id)}</code> ({escape(c.level.value)}, {escape(c.section)}): "
        f"{escape(c.text)}</li>"
        for c in coverage.never_exercised
    )
    unchecked = "".join(
        f"<li><code>{escape(c.id)}</code> ({escape(c.level.value)}, {escape(c.section)}): "
        f"{escape(c.text)} <em>{escape(str(c.unchecked) if c.unchecked else 'no reason')}"
        "</em></li>"
        for c in (() if run.inventory is None
                  else (*run.inventory.unchecked, *run.inventory.unaccounted))
    )
    inventory_head = (
        f"<h3>Statement inventory: {escape(run.inventory.headline())}</h3>"
        if run.inventory is not None else ""
    )
    allow = run.allowances()
    allow_items = "".join(
        f"<li>{escape(kind.replace('_', ' '))}: <code>{escape(a.clause_id)}</code> — "
        f"{escape(a.reason)} (expires {a.expires.isoformat()})</li>"
        for kind, entries in allow.items()
        for a in entries
    )
    word = verdict([run])
    return "\n".join([
        f"<h2>Suite {escape(run.suite)}: {escape(run.registry.title)}</h2>",
        _banner(word, not_tested(run) if word == "not tested" else None),
        f"<table>{target_rows}<tr><th>profile</th><td>{escape(run.config.profile)}</td></tr>"
        f"<tr><th>strict</th><td>{str(run.config.strict).lower()}</td></tr></table>",
        f"<table><tr><th>outcome</th><th>cases</th></tr>{count_cells}</table>",
        f"<h3>Clause coverage: {len(coverage.exercised)} of {coverage.total} "
        "clauses exercised</h3>",
        (f"<p>Never exercised:</p><ul>{never}</ul>" if never
         else "<p>Every clause was exercised.</p>"),
        inventory_head,
        (f"<details><summary>Statements the suite does not check, with the reason"
         f"</summary><ul>{unchecked}</ul></details>" if unchecked else ""),
        (f"<h3>Capabilities absent</h3><ul>{absent_rows}</ul>" if absent_rows else ""),
        (f"<h3>Allow-list</h3><ul>{allow_items}</ul>" if allow_items else ""),
        "<h3>Cases</h3>",
        *(_case(result, run.config.strict) for result in run.results),
    ])


def render_html(runs: Sequence[SuiteRun]) -> str:
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    word = verdict(runs)
    headline = _BANNERS.get(word, _BANNERS["not tested"])[1]
    body = "\n".join(_suite(run) for run in runs)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Conformance report — {headline}</title><style>{_CSS}</style></head><body>"
        f"<h1>Conformance report</h1>{_banner(word)}<p class=\"muted\">generated {when}</p>"
        f"{body}</body></html>\n"
    )


def write_html(runs: Sequence[SuiteRun], path: str | Path) -> None:
    write_report(path, render_html(runs).encode("utf-8"))
