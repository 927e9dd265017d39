"""The report-rendering figures command runs and prints one line per format."""

from __future__ import annotations

import pytest
from nabat.loadtests.bench.report_render import build, main, measure


def test_a_small_run_prints_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--abonents", "50", "--attempts", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("report rendering: 50 abonents x 2 attempts")
    assert [line.split()[0] for line in lines[1:]] == ["HTML", "XLS", "XLSX"]


def test_the_figures_describe_the_rendered_file() -> None:
    data = build(20, 3)
    assert len(data.targets) == 20 and all(len(t.attempts) == 3 for t in data.targets)
    got = measure("XLS", 20, 3)
    assert got["bytes"] > 1000 and got["wall"] > 0 and got["cpu"] > 0


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="HTML"):
        main(["--abonents", "1", "--formats", "PDF"])
