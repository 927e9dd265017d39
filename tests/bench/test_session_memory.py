"""`python -m nabat.loadtests.bench.session_memory` runs end to end at a tiny size
and prints both figures (the full-size run is in docs/server.md)."""

from __future__ import annotations

import re

import pytest
from nabat.loadtests.bench import session_memory


def test_prints_memory_per_session_and_login_latency(capsys: pytest.CaptureFixture[str]) -> None:
    code = session_memory.main(
        ["--sessions", "6", "--per-address", "3", "--slowloris", "8", "--seconds", "1"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"memory: 6 of 6 sessions open .* KiB a session", out), out
    match = re.search(r"slowloris: 8 TLS connections from 127\.0\.0\.2 .*admin LOGIN from "
                      r"127\.0\.0\.1: (\d+\.\d+) s", out)  # fmt: skip
    assert match is not None, out
    assert float(match.group(1)) < 10.0
