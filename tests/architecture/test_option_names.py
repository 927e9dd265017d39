"""One name for one idea across commands: where commands grew different names for
the same thing, each accepts the others' name too (aliases; nothing renamed)."""

from __future__ import annotations

import pytest
from nabat.system.cli.main import build_parser


@pytest.mark.parametrize(
    ("argv", "dest", "value"),
    [
        (["load", "ats", "--target", "http://127.0.0.1:8085"], "host", "http://127.0.0.1:8085"),
        (["load", "ats", "--host", "http://127.0.0.1:8085"], "host", "http://127.0.0.1:8085"),
        (["load", "ats", "--target-timeout", "3"], "timeout", "3"),
        (["conformance", "ats", "--timeout", "4"], "target_timeout", "4"),
        (["conformance", "server", "--timeout", "4"], "target_timeout", "4"),
        (["bench", "verification", "--duration", "3"], "seconds", 3.0),
        (["bench", "ats", "--seconds", "3"], "duration", 3),
        (["bench", "server", "--seconds", "2.5"], "duration", 2.5),
        (["client", "--target-timeout", "7", "PING"], "timeout", 7.0),
    ],
)
def test_every_name_of_an_idea_is_accepted(argv: list[str], dest: str, value: object) -> None:
    args = build_parser().parse_args(argv)
    assert getattr(args, dest) == value
