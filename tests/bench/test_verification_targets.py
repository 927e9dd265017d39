"""`nabat bench verification`: verdicts come from the figures, and a miss is a MISS."""

from __future__ import annotations

from typing import Any

from nabat.loadtests.bench.verification import render, targets


def figures(ratio: float = 0.9, lost: int = 0, back: float | None = 0.1) -> dict[str, Any]:
    loop = {"per_second": 9000.0, "p50_ms": 4.0, "p99_ms": 6.0, "errors": 0}
    return {
        "locust": {"ratio": 0.88, "solo_ratio": 0.86, "baseline_rps": 9000.0, "ats_rps": 7900.0},
        "in_system": {"bare": loop, "client": {**loop, "per_second": 9000.0 * ratio},
                      "ratio": ratio, "round_ratios": [ratio], "added_p99_ms": 1.5},
        "failover": {"issued": 100, "answered": 100 - lost, "lost": lost, "wrong": 0,
                     "by_server": {"primary": 50, "reserve": 50 - lost},
                     "p99_after_first_failure_ms": 5.0, "max_after_first_failure_ms": 9.0,
                     "back_on_primary_after_s": back, "ping_interval_s": 0.5},
    }


def verdicts(data: dict[str, Any]) -> dict[str, str]:
    return {t.name: t.verdict for t in targets(data)}


def test_all_pass() -> None:
    assert set(verdicts(figures()).values()) == {"PASS"}


def test_each_miss_is_reported() -> None:
    assert verdicts(figures(ratio=0.7))["in-system client / bare aiohttp loop"] == "MISS"
    assert verdicts(figures(lost=1))["failover verifications lost"] == "MISS"
    assert verdicts(figures(back=0.9))["back on the primary after recovery (s)"] == "MISS"
    never_back = verdicts(figures(back=None))["back on the primary after recovery (s)"]
    assert never_back == "MISS"


def test_render_names_every_target() -> None:
    data = figures()
    text = render(data, targets(data))
    for check in targets(data):
        assert check.name in text
