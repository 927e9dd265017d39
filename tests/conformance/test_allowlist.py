"""Allow-list TOML parsing and validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from nabat.conformance.ats.cases import SUITE
from nabat.conformance.framework import AllowListError, RunConfig, Runner, load_allowlist
from nabat.conformance.framework.allowlist import parse_allowlist

GOOD = """
[profile.default.ATS-HELP-NO-CONTENT-DISPOSITION]
reason = "hub sends attachment (HUB-17)"
expires = 2026-06-30

[profile.vendor-x.ATS-DBG-TEXTS]
reason = "texts translated"
expires = "2026-12-31"
"""


def test_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "allow.toml"
    path.write_text(GOOD, encoding="utf-8")
    allowlist = load_allowlist(path)
    entry = allowlist.lookup("default", "ATS-HELP-NO-CONTENT-DISPOSITION")
    assert entry is not None
    assert entry.reason == "hub sends attachment (HUB-17)"
    assert entry.expires == dt.date(2026, 6, 30)
    assert allowlist.lookup("vendor-x", "ATS-DBG-TEXTS") is not None
    assert allowlist.lookup("default", "ATS-DBG-TEXTS") is None
    assert entry.expired(dt.date(2026, 7, 1)) and not entry.expired(dt.date(2026, 6, 30))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[profile.default.ATS-X]\nexpires = 2026-01-01\n', "reason is required"),
        ('[profile.default.ATS-X]\nreason = "r"\n', "expires is required"),
        ('[profile.default.ATS-X]\nreason = "r"\nexpires = "soon"\n', "must be a date"),
        ('[profile.default.ATS-X]\nreason = "r"\nexpires = 2026-01-01\nowner = "me"\n',
         "unknown keys"),
        ('[allow]\nx = 1\n', "unknown top-level"),
        ('[profile.default]\nATS-X = "r"\n', "must be a table"),
    ],
)
def test_bad_entries_are_refused(text: str, message: str) -> None:
    import tomllib

    with pytest.raises(AllowListError, match=message):
        parse_allowlist(tomllib.loads(text))


def test_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "allow.toml"
    path.write_text("[profile", encoding="utf-8")
    with pytest.raises(AllowListError, match="not valid TOML"):
        load_allowlist(path)


def test_runner_refuses_unknown_clause_ids_of_its_spec() -> None:
    import tomllib

    allowlist = parse_allowlist(tomllib.loads(
        '[profile.default.ATS-HELP-TYPO]\nreason = "r"\nexpires = 2030-01-01\n'
        '[profile.default.GSM-SOMETHING]\nreason = "other suite"\nexpires = 2030-01-01\n'
    ))
    with pytest.raises(AllowListError, match="ATS-HELP-TYPO"):
        Runner(SUITE, RunConfig(target="http://127.0.0.1:9", allowlist=allowlist))
