"""Resolving line=/user=/wp= values and loading the directory from configuration."""

from __future__ import annotations

import pytest
from nabat.simulators.oktell.directory import (
    Ambiguous,
    DirectoryError,
    LookupFailed,
    default_directory,
    directory_from_mapping,
)


@pytest.mark.parametrize(
    "value",
    [
        "16038",  # the line's number
        "ivan",  # the user's login
        "IVAN",  # any case
        "Иван Смирнов",  # the user's name
        "101",  # the user's number
        "DA803F01-EA77-40FA-BC9D-E2EFB36FD5A8",  # the user's guid, upper case
        "da803f01-ea77-40fa-bc9d-e2efb36fd5a8",
        "Линия 16038",  # the line's name
    ],
)
def test_every_kind_of_value_determines_the_line(value: str) -> None:
    assert default_directory().resolve(value).number == "16038"


def test_a_workplace_determines_its_line() -> None:
    assert default_directory().resolve("operator1").number == "17004"


def test_spec_guids_of_the_chain_example() -> None:
    directory = default_directory()
    assert directory.resolve("2a594b51-bb89-4da6-a69f-f48761baf0d9").number == "17002"
    assert directory.resolve("VIKTIRICH").id == "070aafb0-f47c-4df5-a01f-7bb08ceee269"


def test_unknown_and_empty_values_fail() -> None:
    directory = default_directory()
    with pytest.raises(LookupFailed):
        directory.resolve("nobody")
    with pytest.raises(LookupFailed):
        directory.resolve("  ")


def test_external_lines_are_never_acting_lines() -> None:
    directory = default_directory(external_lines=2)
    assert [line.number for line in directory.external_lines()] == ["9001", "9002"]
    with pytest.raises(LookupFailed):
        directory.resolve("9001")


def test_a_value_naming_two_lines_is_ambiguous() -> None:
    directory = directory_from_mapping(
        {
            "lines": [{"number": "200"}, {"number": "201"}],
            "users": [{"login": "200", "line": "201"}],  # a login equal to another line's number
        }
    )
    with pytest.raises(Ambiguous):
        directory.resolve("200")


def test_configuration_builds_lines_users_groups() -> None:
    directory = directory_from_mapping(
        {
            "external_lines": 1,
            "lines": [{"number": "300", "name": "Дежурный"}],
            "users": [{"login": "petr", "name": "Пётр", "number": "31", "line": "300"}],
            "workplaces": [{"name": "DESK", "line": "300"}],
            "groups": [{"number": "77", "members": ["petr"]}],
        }
    )
    assert directory.resolve("desk").number == "300"
    assert directory.resolve("31").number == "300"
    assert len(directory.external_lines()) == 1
    assert directory.groups["77"].members == (directory.user_by_number("31").id,)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "spec",
    [
        {"users": [{"login": "x"}]},  # no line
        {"lines": [{"number": "1", "kind": "satellite"}]},
        {"lines": [{"number": "1"}, {"number": "1"}]},
        {"lines": [{"number": "1", "id": "not-a-guid"}]},
        {"users": [{"login": "a", "line": "1"}, {"login": "b", "line": "1"}]},
        {"groups": [{"number": "5", "members": ["ghost"]}]},
        {"external_lines": -1},
        {"external_lines": True},
    ],
)
def test_configuration_mistakes_are_named(spec: dict[str, object]) -> None:
    with pytest.raises(DirectoryError):
        directory_from_mapping(spec)


def test_every_trunk_presents_the_shared_caller_id_when_one_is_given() -> None:
    own = directory_from_mapping({"external_lines": 3})
    assert [t.shown_number for t in own.external_lines()] == [
        "79000000091", "79000000092", "79000000093",
    ]  # fmt: skip
    shared = directory_from_mapping({"external_lines": 3, "trunk_caller_id": "74950000000"})
    assert {t.shown_number for t in shared.external_lines()} == {"74950000000"}
    for bad in ("+7495", "74-95", "", 7495):
        with pytest.raises(DirectoryError, match="trunk_caller_id"):
            directory_from_mapping({"trunk_caller_id": bad})
