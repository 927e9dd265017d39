"""`nabat bench engine`: a tiny run end to end through the CLI, and its target table.

The run is real (a `nabat serve` child, `nabat sim ats`, `nabat sim gsm` with
pseudo-terminal modems, `nabat sim mfms`), scaled down so it takes seconds;
the figures are checked for sense (counts that must agree, ratios within
their range), never against timings.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from nabat.loadtests.bench.engine_bench import targets
from nabat.loadtests.bench.engine_data import ChannelConfig, write_config
from nabat.system.cli.main import build_parser
from nabat.system.server.config import load_settings


def test_a_tiny_run_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # the supervisor's scratch folder
    out = tmp_path / "engine.json"
    args = build_parser().parse_args(
        ["bench", "engine", "--abonents", "40", "--channels", "4", "--speed", "200",
         "--sms-abonents", "500", "--skip-recovery", "--timeout", "120", "--json", str(out)]
    )  # fmt: skip
    code = args.handler(args)
    printed = capsys.readouterr().out
    assert code in (0, 1), printed  # 1: utilisation missed on a busy machine; never 2
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))["figures"]

    voice = figures["voice"]
    assert voice["finished"] and voice["channels_up"] == 4, voice
    assert voice["total"] == voice["processed"] == 40
    assert voice["confirmed"] + voice["failed"] == 40
    assert sum(voice["outcomes"].values()) == voice["attempts"] >= 40
    assert voice["outcomes"].get("answered", 0) >= voice["confirmed"]
    assert voice["targets"].get("confirmed", 0) == voice["confirmed"]
    assert voice["utilisation_samples"] > 0 and 0 < voice["utilisation"] <= 1
    assert voice["server_cpu_seconds"] > 0 and voice["cpu_ms_per_attempt"] > 0
    assert voice["simulated_seconds"] == pytest.approx(voice["seconds"] * 200)

    sms = figures["sms"]
    assert sms["finished"] and sms["total"] == sms["processed"] == 500, sms
    assert sms["attempts"] == 500  # attempts=1: one message each
    assert set(sms["outcomes"]) <= {"delivered", "undelivered", "expired"}, sms["outcomes"]
    assert sms["outcomes"].get("delivered", 0) > 400  # the world delivers most
    assert 0 < sms["sent_seconds"] <= sms["seconds"]
    assert sms["server_peak_rss_bytes"] > 0 and sms["cpu_us_per_message"] > 0

    for text in ("utilisation while work remains", "ms per attempt", "every message handed over",
                 "server peak RSS", "target >= 95 %"):  # fmt: skip
        assert text in printed, printed
    assert not any(temporary.iterdir()), "the scratch folder is removed"


def test_targets_flag_a_missed_utilisation_and_an_unfinished_task() -> None:
    voice = {"finished": True, "processed": 10, "total": 10, "utilisation": 0.9}
    sms = {"finished": False, "processed": 5, "total": 10}
    results = {check.name: check.verdict for check in targets({"voice": voice, "sms": sms})}
    assert results == {
        "voice channel utilisation while work remains": "MISS",
        "voice task finished, every abonent processed": "PASS",
        "SMS task finished, every abonent processed": "MISS",
    }
    failed = {check.name: check.verdict for check in targets({"voice": {"error": "x"}})}
    assert set(failed.values()) == {"SKIP", "MISS"}
    recovery = targets({"recovery": {"lost": 0, "notified_twice": 1}})
    assert [check.verdict for check in recovery] == ["PASS", "MISS"]


def test_the_config_file_is_what_nabat_serve_reads(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "s.toml", tmp_path / "data dir «x»",
        [ChannelConfig("MFMS", "Платформа \"1\"", "base_url=http://127.0.0.1:1/x;poll_interval=1"),
         ChannelConfig("GSM", "GSM", "")],
        clock_speed=200, verification_url="http://127.0.0.1:2", simulated_gsm_modems=1,
    )  # fmt: skip
    settings = load_settings(config, {})
    assert settings.data_dir == str(tmp_path / "data dir «x»")
    assert settings.clock_speed == 200.0 and settings.simulated_gsm_modems == 1
    assert [channel.name for channel in settings.channels] == ['Платформа "1"', "GSM"]
    assert settings.verification is not None
    assert settings.verification.primary_url == "http://127.0.0.1:2"
