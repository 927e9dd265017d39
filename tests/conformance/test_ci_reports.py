"""Reports inside someone else's CI: missing report folders are created, and
the HTML page shows its verdict at a glance with readable reasons."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from nabat.conformance.framework import CaseContext, Runner, SuiteRun
from nabat.conformance.framework.reports import render_html, write_html, write_json, write_junit

from tests.conformance.toy import ToyBinding, toy_config, toy_suite


def _run(message: str = "fine", passes: bool = True) -> SuiteRun:
    suite = toy_suite(ToyBinding())

    @suite.case("TOY-MUST-ONE")
    def only(ctx: CaseContext, env: Any) -> None:
        """The one case."""
        ctx.check("TOY-MUST-ONE", passes, message)

    return Runner(suite, toy_config()).run_all()


def test_reports_create_their_missing_folders(tmp_path: Path) -> None:
    run = _run()
    junit = tmp_path / "reports" / "ci" / "x.xml"
    report = tmp_path / "out" / "r.json"
    page = tmp_path / "html" / "deep" / "r.html"
    write_junit([run], junit)
    write_json([run], report)
    write_html([run], page)
    assert ET.parse(junit).getroot().get("tests") == "1"
    assert json.loads(report.read_text(encoding="utf-8"))["verdict"] == "pass"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _errored_run() -> SuiteRun:
    suite = toy_suite(ToyBinding())

    @suite.case("TOY-MUST-ONE")
    def breaks(ctx: CaseContext, env: Any) -> None:
        """Raises inside the suite."""
        raise KeyError("boom")

    return Runner(suite, toy_config()).run_all()


def test_html_banner_gives_the_verdict_at_a_glance() -> None:
    assert '<div class="banner conforms">Conforms' in render_html([_run()])
    assert '<div class="banner fails">Does not conform' in render_html([_run(passes=False)])
    assert '<div class="banner untested">Could not test' in render_html([_errored_run()])
    stopped = _run()
    stopped.setup_error = "connection refused by 127.0.0.1:9: nothing listens there"
    page = render_html([stopped])
    assert '<div class="banner untested">Could not test<small>connection refused by' in page


def test_html_reasons_are_decoded_and_cut_only_at_a_word() -> None:
    words = " ".join(f"word{n}" for n in range(60))
    page = render_html([_run(message=f"no%20such%20group {words}", passes=False)])
    assert "%20" not in page
    summary = re.search(r"<summary><span class=\"o fail.*?</summary>", page, re.S)
    assert summary is not None
    shown = summary.group(0).split(" — ", 1)[1].removesuffix("</summary>")
    assert shown.startswith("TOY-MUST-ONE (MUST): no such group word0")
    assert shown.endswith("…") and re.search(r"word\d+…$", shown)
    last = int(re.findall(r"word(\d+)…$", shown)[0])
    assert f"word{last} word{last + 1}" in page  # the whole reason is in the body


def test_html_error_shows_the_cause_and_folds_the_traceback() -> None:
    page = render_html([_errored_run()])
    assert 'class="cause"><b>Cause:</b>' in page
    assert "<summary class=\"muted\">Python traceback" in page
    assert page.index("<b>Cause:</b>") < page.index("Traceback (most recent call last)")
