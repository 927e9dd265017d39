"""End to end: `nabat conformance ats` and plain `pytest conformance/ats`
against the running simulator, conforming and faulted, with reports and an
allow-list; plus the CLI's argument mapping and pytest outcome mapping."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from nabat.conformance import cli as conformance_cmd
from nabat.conformance.framework import CaseResult, Outcome
from nabat.conformance.framework.pytest_plugin import raise_outcome
from nabat.system.cli.main import build_parser

from tests.conformance.simulator_allowances import write_allowances
from tests.conformance.toy import toy_suite

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)


def _fault(sim: Any, **fault: Any) -> None:
    sim.control.add_fault(**fault)  # the plugin's AtsControlClient


def _allow(tmp_path: Path, *clauses: str, expires: str = "2099-12-31") -> Path:
    path = tmp_path / "allow.toml"
    path.write_text("".join(
        f'[profile.default.{clause}]\nreason = "known"\nexpires = {expires}\n' for clause in clauses
    ), encoding="utf-8")
    return path


def test_cli_against_the_simulator_passes_and_writes_reports(sim: Any, tmp_path: Path) -> None:
    junit, report, page = tmp_path / "j.xml", tmp_path / "r.json", tmp_path / "r.html"
    done = _run([str(NABAT), "conformance", "ats", "--target", sim.url, "--reserve",
                 sim.reserve_url, "--junit", str(junit), "--json", str(report),
                 "--html", str(page), "--strict", "--allow", str(write_allowances(tmp_path))])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    suite = data["suites"][0]
    assert data["verdict"] == "pass"
    assert set(suite["totals"]) <= {"pass", "known-deviation"}
    assert suite["coverage"]["exercised"] == suite["coverage"]["total"]
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "0" and int(root.get("tests") or 0) == len(suite["cases"])
    assert "curl -sS -i" in (root.findtext("testsuite/testcase/system-out") or "")
    total = suite["coverage"]["total"]
    assert f"{total} of {total} clauses exercised" in page.read_text(encoding="utf-8")
    assert "conformance ats: PASS" in done.stdout
    # the pre-flight ran before pytest (once) and left pytest nothing to warn about
    assert "warning" not in done.stdout.lower(), done.stdout[-3000:]


def test_cli_against_a_faulted_simulator_fails(sim: Any, tmp_path: Path) -> None:
    _fault(sim, kind="status", status=500, paths=["/CheckCall"])
    report = tmp_path / "r.json"
    done = _run([str(NABAT), "conformance", "ats", "--target", sim.url, "--json", str(report)])
    assert done.returncode == 1, done.stdout[-3000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    outcomes = {c["name"]: c["outcome"] for c in data["suites"][0]["cases"]}
    assert outcomes["check_registered_call"] == "fail"
    assert outcomes["ping_post"] == "pass"
    assert outcomes["failover_on_server_error"] == "unsupported"  # no --reserve given
    assert data["verdict"] == "fail"


def test_plain_pytest_maps_allowed_failures_to_xfail(sim: Any, tmp_path: Path) -> None:
    _fault(sim, kind="status", status=404, paths=["/help"])
    allow = _allow(tmp_path, "ATS-HELP-200", "ATS-HELP-GET")
    done = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "conformance/ats",
                 "--target", sim.url, "--allow", str(allow), "-k", "help", "-rxs"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 xfailed" in done.stdout
    assert "known deviation: ATS-HELP-200: known" in done.stdout


def test_expired_allowance_that_is_used_fails(sim: Any, tmp_path: Path) -> None:
    _fault(sim, kind="status", status=404, paths=["/help"])
    allow = _allow(tmp_path, "ATS-HELP-GET", expires="2020-01-01")
    done = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "conformance/ats",
                 "--target", sim.url, "--allow", str(allow), "-k", "help_get"])
    assert done.returncode == 1
    assert "allowance expired on 2020-01-01" in done.stdout


def test_unexpected_pass_of_an_allowed_clause_fails(sim: Any, tmp_path: Path) -> None:
    allow = _allow(tmp_path, "ATS-PING-200")
    done = _run([str(NABAT), "conformance", "ats", "--target", sim.url, "--allow", str(allow),
                 "--", "-k", "ping_post"])
    assert done.returncode == 1
    assert "unexpected-pass" in done.stdout and "remove the entry" in done.stdout


def test_target_without_control_api_makes_control_cases_unsupported(tmp_path: Path) -> None:
    import http.server
    import threading

    class Hub(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        report = tmp_path / "r.json"
        done = _run([str(NABAT), "conformance", "ats", "--target",
                     f"http://127.0.0.1:{server.server_port}", "--json", str(report),
                     "--", "-k", "window or legacy or ping_get"])
    finally:
        server.shutdown()
    data = json.loads(report.read_text(encoding="utf-8"))
    outcomes = {c["name"]: (c["outcome"], c["reason"]) for c in data["suites"][0]["cases"]}
    assert outcomes["check_window_expiry"][0] == "unsupported"
    assert "no simulator control API" in outcomes["check_window_expiry"][1]
    assert outcomes["legacy_header_profile"][0] == "unsupported"
    assert outcomes["ping_get"][0] == "fail"
    assert done.returncode == 1


def test_cli_options_become_pytest_arguments() -> None:
    args = build_parser().parse_args([
        "conformance", "ats", "--target", "http://127.0.0.1:8085", "--reserve",
        "http://127.0.0.1:8086", "--strict", "--without", "dbg", "--allow", "a.toml",
        "--profile", "vendor", "--junit", "j.xml", "--ats-unknown-ip", "127.0.0.7",
        "--", "-k", "ping",
    ])
    assert conformance_cmd._argv_from(args, "ats") == [
        "--target", "http://127.0.0.1:8085", "--reserve", "http://127.0.0.1:8086",
        "--allow", "a.toml", "--profile", "vendor", "--without", "dbg", "--junit", "j.xml",
        "--ats-unknown-ip", "127.0.0.7", "--strict", "-k", "ping",
    ]


def test_unknown_suite_and_missing_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert conformance_cmd.run_conformance("gsm-nope", []) == 2
    args = build_parser().parse_args(["conformance", "ats"])
    assert args.handler(args) == 2
    assert "--target URL is required" in capsys.readouterr().err


def _result(outcome: Outcome) -> CaseResult:
    suite = toy_suite()
    suite.case("TOY-MUST-ONE")(lambda ctx, env: None)
    return CaseResult(suite.cases[0], outcome, "why")


@pytest.mark.parametrize(
    ("outcome", "strict", "raised"),
    [
        (Outcome.PASS, True, None),
        (Outcome.NON_STRICT, False, None),
        (Outcome.NON_STRICT, True, pytest.fail.Exception),
        (Outcome.FAIL, False, pytest.fail.Exception),
        (Outcome.ERROR, False, pytest.fail.Exception),
        (Outcome.UNEXPECTED_PASS, False, pytest.fail.Exception),
        (Outcome.UNSUPPORTED, True, pytest.skip.Exception),
        (Outcome.KNOWN_DEVIATION, True, pytest.xfail.Exception),
    ],
)
def test_outcomes_map_to_pytest(outcome: Outcome, strict: bool,
                                raised: type[BaseException] | None) -> None:
    if raised is None:
        raise_outcome(_result(outcome), strict)
    else:
        with pytest.raises(raised):
            raise_outcome(_result(outcome), strict)
