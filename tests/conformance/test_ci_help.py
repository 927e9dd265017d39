"""Per-suite help: each suite's --target in its own form, --reserve only where
a target can have one, every option's default shown; ``nabat --version``."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest
from nabat.system.cli.main import build_parser


def _suite_parser(suite: str) -> argparse.ArgumentParser:
    root = build_parser()
    groups = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    conformance = groups.choices["conformance"]
    suites = next(a for a in conformance._actions
                  if isinstance(a, argparse._SubParsersAction))
    parser: argparse.ArgumentParser = suites.choices[suite]
    return parser


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {a.option_strings[-1]: a for a in parser._actions
            if a.option_strings and a.option_strings[-1] != "--help"}


def test_server_suite_target_is_host_port_and_has_no_reserve() -> None:
    parser = _suite_parser("server")
    options = _options(parser)
    assert "--reserve" not in options
    assert options["--target"].metavar == "HOST:PORT"
    assert "HOST:PORT" in parser.format_help()
    assert _options(_suite_parser("ats"))["--target"].metavar == "URL"
    assert "--reserve" in _options(_suite_parser("ats"))


@pytest.mark.parametrize("suite", ["ats", "server"])
def test_every_option_shows_its_default(suite: str) -> None:
    parser = _suite_parser(suite)
    text = parser.format_help()
    for flag, action in _options(parser).items():
        shown = (action.help or "") % {"default": action.default}
        assert "default:" in shown or "(required)" in shown, flag
    assert "(default: 10)" in text  # --target-timeout


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"nabat {version('nabat')}"
