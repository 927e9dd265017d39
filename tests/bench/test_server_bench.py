"""`nabat bench server`: a small end-to-end run and its helpers (RSS sampler,
listing checker, reply checks, latency summary, targets)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from nabat.loadtests.bench.memory import MemoryProbeError
from nabat.loadtests.bench.processes import ready_url
from nabat.loadtests.bench.server import ServerBenchOptions, targets
from nabat.loadtests.bench.server_data import bench_abonent
from nabat.loadtests.bench.server_load import (
    Errors,
    LatencySummary,
    ListingChecker,
    check_added,
    ping_check,
)
from nabat.loadtests.bench.server_memory import MIB, RssSampler, window_peak
from nabat.system.cli.main import build_parser
from nabat.system.protocol import Abonent, Reply, abonent_listing, decode_reply_line
from nabat.system.protocol.errors import ErrorReply

SMALL = ["--sessions", "4", "--duration", "0.5", "--warmup", "0.2", "--abonents", "500",
         "--add-count", "50"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}").exists() if Path("/proc").exists() else True


def test_a_small_run_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where mkdtemp puts the data
    out = tmp_path / "server.json"
    args = build_parser().parse_args(["bench", "server", *SMALL, "--json", str(out)])
    code = args.handler(args)
    printed = capsys.readouterr().out
    payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    figures = payload["figures"]
    assert code == 0, printed
    for name in ("ping", "gettask"):
        run = figures[name]
        assert run["replies"] > 0 and run["per_second"] > 0
        assert run["errors"]["count"] == 0
        assert run["latency"]["p50_ms"] is not None and run["latency"]["p99_ms"] is not None
        assert run["sessions"] == 4
    listing = figures["getabonents"]
    assert (listing["data_lines"], listing["phone_lines"]) == (500, 1000)
    assert listing["errors"]["count"] == 0 and listing["decoded_in_full"] > 0
    assert listing["rss"]["peak_bytes"] >= listing["rss"]["before_bytes"] > 0
    add = figures["addabonent"]
    assert add["added"] == add["count"] == 50 and add["errors"]["count"] == 0
    assert {t["name"]: t["result"] for t in payload["targets"]}["invalid replies (all runs)"] == (
        "PASS"
    )
    assert figures["server_stopped"] is True
    assert not _alive(figures["server_pid"])
    assert list(temporary.iterdir()) == []  # the data directory and the logs are gone
    assert "PING commands/s" in printed and "PASS" in printed
    assert payload["settings"]["sessions"] == 4


def test_keep_data_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    args = build_parser().parse_args(["bench", "server", *SMALL, "--keep-data", str(tmp_path)])
    assert args.handler(args) == 2


def test_rss_sampler_sees_growth_of_a_process() -> None:
    sampler = RssSampler(os.getpid(), interval=0.005)
    sampler.start()
    block = bytearray(48 * MIB)  # zero-filled: every page touched
    block[::4096] = b"x" * len(block[::4096])
    figures = sampler.stop()
    del block
    assert figures.growth_bytes >= 40 * MIB
    assert figures.peak_bytes >= figures.before_bytes
    assert figures.samples >= 2
    assert figures.to_json()["growth_mib"] >= 40


def test_rss_sampler_reports_a_missing_process() -> None:
    with pytest.raises(MemoryProbeError):
        RssSampler(2**22 + 12345).start()


def test_window_peak_uses_the_high_water_mark_only_when_it_rose() -> None:
    assert window_peak(100, 500, 500) == (100, False)
    assert window_peak(100, 500, 700) == (700, True)
    assert window_peak(800, 500, 700) == (800, True)


def _listing_bodies(abonents: list[Abonent]) -> list[bytes]:
    return [line.encode()[:-2] for line in abonent_listing("GETABONENTS", abonents)]


def test_listing_checker_counts_a_valid_listing() -> None:
    abonents = [replace(bench_abonent(1, n), id=n + 1) for n in range(10)]
    checker = ListingChecker(decode_every=3)
    for body in _listing_bodies(abonents):
        checker.feed(body)
    assert checker.done and checker.errors.count == 0
    assert (checker.data, checker.phones, checker.emails) == (10, 20, 0)
    assert checker.decoded == 3 + 6


def test_listing_checker_flags_broken_streams() -> None:
    checker = ListingChecker()
    checker.feed(b"GETABONENTS ERR_NOACCESS no")
    assert checker.done and checker.errors.count == 1
    checker = ListingChecker()
    for body in (b"GETABONENTS BEGIN", b"GETABONENTS PHONE 1 123 0", b"GETABONENTS DATA 1 2",
                 b"GETABONENTS END", b"GETABONENTS END"):
        checker.feed(body)
    assert checker.errors.count == 3  # PHONE before DATA, short DATA, line after END


def test_reply_checks() -> None:
    assert ping_check(decode_reply_line(b"PING OK")) is None
    assert ping_check(decode_reply_line(b"PING ERR_BADSYNTAX x")) is not None
    sent = bench_abonent(2, 7)
    saved = replace(sent, id=42)
    assert check_added(Reply("ADDABONENT", "ADDABONENT", abonents=(saved,)), sent) is None
    assert "id" in (check_added(Reply("ADDABONENT", "ADDABONENT", abonents=(sent,)), sent) or "")
    other = replace(saved, phones=saved.phones[:1])
    assert check_added(Reply("ADDABONENT", "ADDABONENT", abonents=(other,)), sent) is not None
    error = ErrorReply("ADDABONENT", "ERR_ADDABONENT", "no")
    refused = Reply("ADDABONENT", "ADDABONENT", error=error)
    assert "refused" in (check_added(refused, sent) or "")


def test_latency_summary_and_errors() -> None:
    summary = LatencySummary.of([0.003, 0.001, 0.002, 0.010])
    assert (summary.count, summary.p50_ms, summary.p99_ms, summary.max_ms) == (4, 2.0, 10.0, 10.0)
    assert LatencySummary.of([]).p50_ms is None
    errors = Errors()
    for n in range(8):
        errors.add(f"e{n}")
    assert errors.count == 8 and len(errors.examples) == 5


def test_ready_url_of_the_simulators_and_of_nabat_serve() -> None:
    assert ready_url({"primary": "http://127.0.0.1:1"}) == "http://127.0.0.1:1"
    assert ready_url({"host": "127.0.0.1", "port": 7021, "cert": "c"}) == "tls://127.0.0.1:7021"
    assert ready_url({"host": "127.0.0.1"}) is None


def _figures(per_second: float, seconds: float, growth_mib: float, errors: int) -> dict[str, Any]:
    def run(count: int = 0) -> dict[str, Any]:
        return {"per_second": per_second, "errors": {"count": count, "examples": []}}

    return {
        "ping": run(errors),
        "gettask": run(),
        "addabonent": run(),
        "getabonents": {
            "seconds": seconds, "data_lines": 100, "phone_lines": 200,
            "rss": {"growth_bytes": int(growth_mib * MIB)},
            "errors": {"count": 0, "examples": []},
        },
    }


def test_targets_pass_and_miss() -> None:
    options = ServerBenchOptions(abonents=100)
    good = {t.name: t.verdict for t in targets(_figures(6000, 4.0, 3.0, 0), options)}
    assert set(good.values()) == {"PASS"}
    bad = {t.name: t.verdict for t in targets(_figures(4000, 6.0, 40.0, 2), options)}
    assert bad["PING commands/s"] == "MISS"
    assert bad["GETABONENTS of 100 (s)"] == "MISS"
    assert bad["GETABONENTS server RSS growth (MiB)"] == "MISS"
    assert bad["invalid replies (all runs)"] == "MISS"
    options = ServerBenchOptions(abonents=101)
    off = {t.name: t.verdict for t in targets(_figures(6000, 4.0, 3.0, 0), options)}
    assert off["GETABONENTS DATA+PHONE lines off count"] == "MISS"
