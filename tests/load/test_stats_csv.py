"""Reading Locust's CSV reports."""

from __future__ import annotations

from pathlib import Path

from nabat.loadtests.locust.stats_csv import read_failures, read_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


def test_read_stats_and_failures(tmp_path: Path) -> None:
    prefix = tmp_path / "run"
    (tmp_path / "run_stats.csv").write_text(
        HEADER
        + "POST,CheckCall genuine,2087,1,2,2.7,0.1,17.2,0.0,694.1,0.3,2,3,3,4,6,7,10,11,15,17,17\n"
        + "POST,ping,10,0,2,2.0,0.1,3.0,0.0,3.3,0.0,2,2,2,2,3,3,3,3,3,3,3\n"
        + ",Aggregated,2097,1,2,2.7,0.1,17.2,0.0,697.4,0.3,2,3,3,4,6,7,10,11,15,17,17\n",
        encoding="utf-8",
    )
    table = read_stats(prefix)
    assert table.total_requests == 2097
    assert table.total_failures == 1
    assert [row.name for row in table.rows] == ["CheckCall genuine", "ping"]
    assert table.rows[0].requests_per_s == 694.1
    assert table.rows[0].p99_ms == 11.0
    assert read_failures(prefix) == []
    (tmp_path / "run_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nPOST,ping,expected 200,1\n", encoding="utf-8"
    )
    assert read_failures(prefix)[0]["Error"] == "expected 200"
