"""Report writers: JUnit is valid XML with evidence in system-out, JSON has the
documented shape, HTML is self-contained and shows coverage; curl rendering."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from nabat.conformance.framework import CaseContext, Outcome, Runner, SuiteRun
from nabat.conformance.framework.http.curl import render_curl
from nabat.conformance.framework.http.exchange import HttpExchange
from nabat.conformance.framework.reports import (
    render_html,
    render_junit,
    report_dict,
    write_html,
    write_json,
    write_junit,
)

from tests.conformance.toy import ToyBinding, toy_config, toy_suite


def _exchange(**changes: Any) -> HttpExchange:
    values: dict[str, Any] = {
        "label": "operator B",
        "method": "POST",
        "url": "http://127.0.0.1:8085/%D1%81all",
        "path": "/%D1%81all",
        "source_address": "127.0.0.2",
        "request_headers": (("content-type", "application/x-www-form-urlencoded"),),
        "request_body": b"a=79000000001&b=79100000001&call_id=x'y",
        "explicit_headers": (("Content-Type", "application/x-www-form-urlencoded"),),
        "status": 400,
        "response_headers": (("X-Error-Bits", "0x00000003"),),
        "response_body": b"\x00bad <b>",
        "elapsed_ms": 1.25,
    }
    values.update(changes)
    return HttpExchange(**values)


def _run(strict: bool = False) -> SuiteRun:
    suite = toy_suite(ToyBinding())

    @suite.case("TOY-MUST-ONE")
    def breaks_must(ctx: CaseContext, env: Any) -> None:
        """Breaks the MUST."""
        ctx.record(_exchange())
        ctx.check("TOY-MUST-ONE", False, "expected 201, got 400 <&>")

    @suite.case("TOY-SHOULD-ONE", needs={"feature"})
    def skipped(ctx: CaseContext, env: Any) -> None:
        """Never runs."""

    @suite.case("TOY-SHOULD-ONE", "TOY-MAY-ONE")
    def variant(ctx: CaseContext, env: Any) -> None:
        """Records a variant."""
        ctx.accept_any("TOY-SHOULD-ONE", "legacy", ("modern", "legacy"))
        ctx.check("TOY-SHOULD-ONE", False, "a SHOULD missed")

    @suite.case("TOY-NEVER", needs={"feature"})
    def never_runs(ctx: CaseContext, env: Any) -> None:
        """Needs the absent feature, so its clause is never exercised."""

    runner = Runner(suite, toy_config(strict=strict, without=frozenset({"feature"})))
    return runner.run_all()


def test_curl_for_bound_post() -> None:
    line = _exchange().reproduce()
    assert line.startswith("curl -sS -i --interface 127.0.0.2 ")
    assert "-H 'Content-Type: application/x-www-form-urlencoded'" in line
    assert "--data-raw 'a=79000000001&b=79100000001&call_id=x'\"'\"'y'" in line
    assert line.endswith("http://127.0.0.1:8085/%D1%81all")
    assert "-X" not in line


def test_curl_leaves_out_the_default_source_and_handles_methods() -> None:
    assert render_curl("GET", "http://h/ping", interface="127.0.0.1") == "curl -sS -i http://h/ping"
    assert render_curl("HEAD", "http://h/help") == "curl -sS -I http://h/help"
    assert render_curl("PUT", "http://h/RegisterCall") == "curl -sS -i -X PUT http://h/RegisterCall"
    assert render_curl("POST", "http://h/ping") == "curl -sS -i -X POST http://h/ping"
    assert "--interface 127.0.0.9" in render_curl("POST", "http://h/x", interface="127.0.0.9")


def test_exchange_text_and_dict() -> None:
    exchange = _exchange()
    assert exchange.title() == "POST /%D1%81all -> 400 (1.2 ms) [operator B]"
    text = exchange.render_text()
    assert "< X-Error-Bits: 0x00000003" in text and text.startswith("$ curl ")
    data = exchange.to_dict()
    assert data["response"]["status"] == 400
    assert data["curl"] == exchange.reproduce()
    failed = _exchange(status=None, response_headers=(), response_body=b"", error="ConnectError")
    assert failed.to_dict()["response"] is None
    assert "transport error: ConnectError" in failed.render_text()


def test_junit_is_xml_with_evidence(tmp_path: Path) -> None:
    run = _run()
    path = tmp_path / "junit.xml"
    write_junit([run], path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "2")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases["breaks_must"].find("failure")
    assert failure is not None and "expected 201, got 400" in (failure.get("message") or "")
    out = cases["breaks_must"].findtext("system-out") or ""
    assert "curl -sS -i --interface 127.0.0.2" in out
    assert "X-Error-Bits: 0x00000003" in out
    assert "\ufffdbad <b>" in out  # the NUL byte made XML-safe, markup kept as text
    skipped = cases["skipped"].find("skipped")
    assert skipped is not None and skipped.get("type") == "unsupported"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["coverage"] == "3 of 4 clauses exercised"


def test_junit_non_strict_is_a_failure_only_when_strict() -> None:
    for strict, failures in ((False, "1"), (True, "2")):
        root = ET.fromstring(render_junit([_run(strict)]))
        assert root.get("failures") == failures


def test_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_json([_run()], path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "nabat-conformance/1"
    assert (data["verdict"], data["exit_code"]) == ("fail", 1)
    suite = data["suites"][0]
    assert suite["coverage"] == {"exercised": 3, "total": 4, "never_exercised": ["TOY-NEVER"]}
    assert suite["inventory"]["total"] == 5 and suite["inventory"]["checked"] == 4
    assert [(u["id"], u["reason"]) for u in suite["inventory"]["unchecked"]] == [
        ("TOY-UNCHECKED", "untestable from outside")]
    case = suite["cases"][0]
    assert case["outcome"] == "fail"
    assert case["checks"][0] == {"clause": "TOY-MUST-ONE", "level": "MUST", "passed": False,
                                 "message": "expected 201, got 400 <&>"}
    assert case["evidence"][1]["curl"].startswith("curl ")
    assert suite["cases"][2]["variants"] == [
        {"clause": "TOY-SHOULD-ONE", "observed": "legacy", "allowed": ["modern", "legacy"]}
    ]
    assert {c["id"]: c["exercised"] for c in suite["clauses"]}["TOY-NEVER"] is False
    assert set(suite["allowances"]) == {"used", "expired_used", "unexpected_pass", "unused"}


def test_html_is_self_contained_and_shows_coverage(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_html([_run()], path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "clauses exercised" in page
    assert "Never exercised" in page and "TOY-NEVER" in page
    assert "<script" not in page and "http://" not in page.replace("http://127.0.0.1", "")
    assert "expected 201, got 400 &lt;&amp;&gt;" in page
    assert "<details" in page and "--data-raw" in page


def test_coverage_counts_only_cases_that_ran() -> None:
    run = _run()
    coverage = run.coverage()
    assert {c.id for c in coverage.exercised} == {"TOY-MUST-ONE", "TOY-SHOULD-ONE", "TOY-MAY-ONE"}
    assert [c.id for c in coverage.never_exercised] == ["TOY-NEVER"]
    assert "3 of 4 clauses exercised" in render_html([run])
    assert report_dict([run])["suites"][0]["coverage"]["exercised"] == 3


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_renders(outcome: Outcome) -> None:
    run = _run()
    run.results[0].outcome = outcome
    assert outcome.value in render_html([run])
    ET.fromstring(render_junit([run]))
