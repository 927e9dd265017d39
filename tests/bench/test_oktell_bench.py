"""`nabat bench oktell`: a small run end to end through the CLI (figures printed, counts
matching, every simulator stopped), and the count checks that set its exit code."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from nabat.loadtests.bench.oktell import problems
from nabat.system.cli.main import build_parser


def test_a_small_run_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # the supervisor's scratch folder
    out = tmp_path / "oktell.json"
    args = build_parser().parse_args(
        ["bench", "oktell", "--calls", "60", "--concurrency", "6", "--channel-calls", "3",
         "--tts-messages", "1", "--json", str(out)]
    )  # fmt: skip
    code = args.handler(args)
    printed = capsys.readouterr().out
    assert code == 0, printed
    payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    figures = payload["figures"]
    sim, channel, tts = figures["simulator"], figures["channel"], figures["tts"]
    assert sim["done"] == sim["distinct_call_ids"] == sum(sim["outcomes"].values()) == 60
    assert (sim["lost"], sim["wrong"], sim["still_up"], sim["busy_lines"]) == (0, 0, 0, [])
    assert sim["per_second"] > 0 and sim["p99_ms"] >= sim["p50_ms"] > 0
    assert sim["simulator_peak_rss_bytes"] > 0
    assert (channel["calls"], channel["wrong"], channel["still_up"]) == (3, 0, 0)
    assert channel["cpu_ms_per_call"] > 0
    assert "skipped" in tts or (tts["messages"] == 1 and tts["cold_seconds"] > 0)
    assert payload["problems"] == []
    for text in ("simulator notify calls/s", "request latency p50 / p99",
                 "simulator CPU per call", "simulator peak RSS", "channel CPU per call attempt",
                 "TTS", "counts: match"):  # fmt: skip
        assert text in printed, printed
    assert not any(temporary.iterdir()), "the scratch folder is removed"


GOOD: dict[str, Any] = {
    "simulator": {"calls": 10, "done": 10, "distinct_call_ids": 10, "lost": 0, "wrong": 0,
                  "wrong_example": "", "still_up": 0, "busy_lines": []},
    "tts": {"skipped": "none"},
    "channel": {"wrong": 0, "wrong_example": "", "still_up": 0},
}  # fmt: skip


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [
        ("simulator", "lost", 1),
        ("simulator", "done", 9),
        ("simulator", "distinct_call_ids", 9),
        ("simulator", "wrong", 1),
        ("simulator", "still_up", 1),
        ("simulator", "busy_lines", ["9001"]),
        ("channel", "wrong", 1),
        ("channel", "still_up", 1),
    ],
)
def test_a_lost_call_or_a_count_mismatch_is_a_problem(part: str, field: str, value: Any) -> None:
    assert problems(GOOD) == []
    figures = copy.deepcopy(GOOD)
    figures[part][field] = value
    assert len(problems(figures)) == 1
