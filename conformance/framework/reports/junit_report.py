"""JUnit XML writer (xml.etree), independent of pytest's own junitxml.

One ``<testsuite>`` per suite inside ``<testsuites>``. Mapping of outcomes:
fail / unexpected-pass -> ``<failure>``, error -> ``<error>``, unsupported and
known-deviation -> ``<skipped>`` (with the reason), non-strict -> ``<failure>``
only under --strict, otherwise a pass. Every case carries its checks and its
full evidence (wire text and curl lines) in ``<system-out>``. A run that
could not test its target (its pre-flight failed) has one ``preflight`` case
in ``<error>`` with the cause, so a CI never reads it as a green run of 0 tests.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from nabat.conformance.framework.outcome import Outcome
from nabat.conformance.framework.reports.files import write_report
from nabat.conformance.framework.reports.text_summary import case_text
from nabat.conformance.framework.results import CaseResult, SuiteRun

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _testcase(parent: ET.Element, suite: str, result: CaseResult, strict: bool) -> str | None:
    element = ET.SubElement(
        parent,
        "testcase",
        classname=f"conformance.{suite}",
        name=result.name,
        time=f"{result.duration_ms / 1000.0:.3f}",
    )
    message = _clean(result.reason)
    kind: str | None = None
    outcome = result.outcome
    if outcome is Outcome.ERROR:
        kind = "error"
        ET.SubElement(element, "error", message=message, type="error").text = _clean(
            result.details or result.reason
        )
    elif outcome in (Outcome.FAIL, Outcome.UNEXPECTED_PASS) or (
        outcome is Outcome.NON_STRICT and strict
    ):
        kind = "failure"
        ET.SubElement(element, "failure", message=message, type=outcome.value).text = message
    elif outcome in (Outcome.UNSUPPORTED, Outcome.KNOWN_DEVIATION):
        kind = "skipped"
        ET.SubElement(element, "skipped", message=message, type=outcome.value)
    ET.SubElement(element, "system-out").text = _clean(case_text(result))
    return kind


def render_junit(runs: Sequence[SuiteRun]) -> bytes:
    root = ET.Element("testsuites", name="nabat conformance")
    grand = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for run in runs:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"conformance.{run.suite}",
            timestamp=run.started.replace(microsecond=0).isoformat(),
            hostname=socket.gethostname(),
        )
        properties = ET.SubElement(suite, "properties")
        props = {f"target.{k}": str(v) for k, v in run.target.items()}
        props.update({f"absent.{k}": v for k, v in run.absent.items()})
        props["profile"] = run.config.profile
        props["strict"] = str(run.config.strict).lower()
        coverage = run.coverage()
        props["coverage"] = f"{len(coverage.exercised)} of {coverage.total} clauses exercised"
        if run.inventory is not None:
            props["inventory"] = run.inventory.headline()
        for name, text in props.items():
            ET.SubElement(properties, "property", name=name, value=_clean(text))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        seconds = 0.0
        if run.setup_error:
            case = ET.SubElement(suite, "testcase", classname=f"conformance.{run.suite}",
                                 name="preflight", time="0.000")
            cause = _clean(f"could not test: {run.setup_error}")
            ET.SubElement(case, "error", message=cause, type="not-tested").text = cause
            counts["tests"] += 1
            counts["errors"] += 1
        for result in run.results:
            kind = _testcase(suite, run.suite, result, run.config.strict)
            counts["tests"] += 1
            if kind == "failure":
                counts["failures"] += 1
            elif kind == "error":
                counts["errors"] += 1
            elif kind == "skipped":
                counts["skipped"] += 1
            seconds += result.duration_ms / 1000.0
        for key, value in counts.items():
            suite.set(key, str(value))
            grand[key] += value
        suite.set("time", f"{seconds:.3f}")
        total_time += seconds
    for key, value in grand.items():
        root.set(key, str(value))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def write_junit(runs: Sequence[SuiteRun], path: str | Path) -> None:
    write_report(path, render_junit(runs))
