"""The backend order of ``find_synthesiser``: ``tts_command`` when set ("" for
none), else the pip-installed library, else ``espeak-ng`` on PATH, else none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from nabat.system.speech import choice
from nabat.system.speech.choice import find_synthesiser
from nabat.system.speech.executable import ExecutableSynthesiser
from nabat.system.speech.library import LibrarySynthesiser

from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists


def executable(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(f"#!{sys.executable}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def path_with_espeak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH holding only a folder with an ``espeak-ng`` of ours."""
    espeak = executable(tmp_path, "espeak-ng")
    monkeypatch.setenv("PATH", str(tmp_path))
    return espeak


@pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)
def test_unset_prefers_the_library_over_espeak_on_path(path_with_espeak: Path) -> None:
    assert isinstance(find_synthesiser(None), LibrarySynthesiser)


def test_without_the_library_espeak_on_path_is_used(
    path_with_espeak: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(choice, "library_installed", lambda: False)
    found = find_synthesiser(None)
    assert isinstance(found, ExecutableSynthesiser) and found.source == str(path_with_espeak)
    monkeypatch.setenv("PATH", "")
    assert find_synthesiser(None) is None


def test_a_command_selects_that_executable(path_with_espeak: Path, tmp_path: Path) -> None:
    other = executable(tmp_path, "my-tts")
    for command in (str(other), "my-tts"):  # a path, or a name looked up on PATH
        found = find_synthesiser(command)
        assert isinstance(found, ExecutableSynthesiser) and found.source == str(other)


def test_empty_or_unusable_command_means_none(path_with_espeak: Path, tmp_path: Path) -> None:
    not_executable = tmp_path / "plain-file"
    not_executable.write_text("", encoding="utf-8")
    for command in ("", str(tmp_path / "missing"), str(not_executable)):
        assert find_synthesiser(command) is None, command
