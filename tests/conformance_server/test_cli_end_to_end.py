"""End to end: `nabat conformance server` and plain `pytest conformance/server`
against our server on loopback: exit codes, reports with wire evidence, no
password anywhere, nothing left on the server; option errors."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from nabat.conformance.server.cases import SUITE
from nabat.simulators.server_fixture import NabatServerHandle
from nabat.system.cli.main import build_parser

from tests.conformance_server.conftest import ADMIN, ADMIN_PASSWORD, leftovers

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)


def _suite_args(server: NabatServerHandle, *extra: str) -> list[str]:
    return ["--target", server.target, "--login", ADMIN, "--password", ADMIN_PASSWORD,
            "--ca", str(server.cafile), "--run-prefix", "conf-e2e", *extra]


def test_cli_against_our_server_passes_and_writes_reports(server: NabatServerHandle,
                                                          tmp_path: Path) -> None:
    report, junit, page = tmp_path / "r.json", tmp_path / "j.xml", tmp_path / "r.html"
    done = _run([str(NABAT), "conformance", "server", *_suite_args(server), "--strict",
                 "--json", str(report), "--junit", str(junit), "--html", str(page)])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    suite = data["suites"][0]
    assert data["verdict"] == "pass"
    assert set(suite["totals"]) == {"pass"}
    assert len(suite["cases"]) == len(SUITE)
    checked = {clause.id for case in SUITE for clause in case.clauses}  # the rest: Unchecked
    assert suite["coverage"]["exercised"] == suite["coverage"]["total"] == len(checked)
    assert suite["target"]["run_prefix"] == "conf-e2e"
    evidence = [e for case in suite["cases"] for e in case["evidence"] if e["kind"] == "line"]
    assert evidence and all(e["request"] or e["reply"] for e in evidence)
    first = next(e for e in evidence if e["reply"])
    assert {"text", "raw", "hex"} <= set(first["reply"][0])
    logins = [line for e in evidence for line in e["request"] if line["text"].startswith("LOGIN ")]
    assert logins and all(line["text"].endswith(" ***") for line in logins)
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "0" and int(root.get("tests") or 0) == len(SUITE)
    for path in (report, junit, page):
        text = path.read_text(encoding="utf-8")
        assert ADMIN_PASSWORD not in text and "Pw-" not in text, path
    assert ADMIN_PASSWORD not in done.stdout
    assert "conformance server: PASS" in done.stdout
    assert leftovers(server, "conf-e2e") == []


def test_plain_pytest_runs_the_suite(server: NabatServerHandle) -> None:
    done = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "conformance/server",
                 *_suite_args(server), "-q", "-k", "cyrillic or lifecycle"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert "passed" in done.stdout and "failed" not in done.stdout


def test_a_wrong_password_stops_the_run_before_any_case(server: NabatServerHandle,
                                                         tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    args = _suite_args(server, "--json", str(report), "--", "-k", "group_errors")
    args[args.index("--password") + 1] = "not-the-password"
    done = _run([str(NABAT), "conformance", "server", *args])
    assert done.returncode == 3, done.stdout[-3000:]  # could not test
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["suites"][0]["cases"] == []
    assert data["exit_code"] == 3
    assert "not-the-password" not in report.read_text(encoding="utf-8")


def test_target_must_be_host_port(tmp_path: Path) -> None:
    done = _run([str(NABAT), "conformance", "server", "--target", "https://127.0.0.1:7021",
                 "--login", "a", "--password", "b", "--insecure"])
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]  # usage
    assert "HOST:PORT" in done.stdout + done.stderr


def test_missing_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["conformance", "server", "--login", "a"])
    assert args.handler(args) == 2
    assert "--target HOST:PORT is required" in capsys.readouterr().err
