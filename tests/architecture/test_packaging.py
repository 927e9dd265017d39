"""pyproject.toml installs exactly the packages on disk, typed, under ``nabat.*``.

``layout_problems(root)`` reads ``[tool.setuptools]`` with ``tomllib`` and
compares it with the tree: the four folders map to ``nabat.<folder>``, the
``packages`` list equals the directories holding an ``__init__.py`` (a package
missing from the list would be left out of a wheel, silently), and every
folder ships ``py.typed`` through ``package-data``. It is checked on the
repository and on a small broken copy in ``tmp_path``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tests.architecture.source_imports import INSTALLED_AS, REPOSITORY


def packages_on_disk(root: Path) -> set[str]:
    """``nabat.<folder>.<sub>`` for every directory with an ``__init__.py``."""
    found: set[str] = set()
    for folder, installed in INSTALLED_AS.items():
        for init in (root / folder).rglob("__init__.py"):
            inner = init.parent.relative_to(root / folder).parts
            found.add(".".join((installed, *inner)))
    return found


def ships_py_typed(package_data: dict[str, list[str]], package: str) -> bool:
    patterns = package_data.get("*", []) + package_data.get(package, [])
    return "py.typed" in patterns


def layout_problems(root: Path) -> list[str]:
    setuptools: dict[str, Any] = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))[
        "tool"
    ]["setuptools"]
    problems: list[str] = []
    mapping = {folder: name for name, folder in setuptools.get("package-dir", {}).items()}
    if mapping != INSTALLED_AS:
        problems.append(f"package-dir maps {mapping}, expected {INSTALLED_AS}")
    declared = set(setuptools.get("packages", []))
    on_disk = packages_on_disk(root)
    problems += [f"not in packages: {name}" for name in sorted(on_disk - declared)]
    problems += [f"listed but not on disk: {name}" for name in sorted(declared - on_disk)]
    package_data: dict[str, list[str]] = setuptools.get("package-data", {})
    for folder, installed in INSTALLED_AS.items():
        if not (root / folder / "py.typed").is_file():
            problems.append(f"{folder}/py.typed is missing")
        if not ships_py_typed(package_data, installed):
            problems.append(f"package-data does not ship {installed}'s py.typed")
    return problems


def test_pyproject_matches_the_tree() -> None:
    assert layout_problems(REPOSITORY) == []
    assert "nabat.conformance.server.cases" in packages_on_disk(REPOSITORY)


def test_a_broken_layout_is_reported(tmp_path: Path) -> None:
    for folder in INSTALLED_AS:
        (tmp_path / folder / "inner").mkdir(parents=True)
        (tmp_path / folder / "__init__.py").touch()
        (tmp_path / folder / "inner" / "__init__.py").touch()
        (tmp_path / folder / "py.typed").touch()
    (tmp_path / "loadtests" / "py.typed").unlink()
    (tmp_path / "system" / "extra").mkdir()
    (tmp_path / "system" / "extra" / "__init__.py").touch()
    packages = [f"{name}{inner}" for name in INSTALLED_AS.values() for inner in ("", ".inner")]
    packages.append("nabat.simulators.gone")
    package_dir = ", ".join(f'"{name}" = "{folder}"' for folder, name in INSTALLED_AS.items())
    (tmp_path / "pyproject.toml").write_text(
        "[tool.setuptools]\n"
        f"package-dir = {{{package_dir}}}\n"
        f"packages = {packages!r}\n"
        "[tool.setuptools.package-data]\n"
        '"*" = ["*.md"]\n'
        '"nabat.system" = ["py.typed"]\n',
        encoding="utf-8",
    )
    assert layout_problems(tmp_path) == [
        "not in packages: nabat.system.extra",
        "listed but not on disk: nabat.simulators.gone",
        "package-data does not ship nabat.simulators's py.typed",
        "package-data does not ship nabat.conformance's py.typed",
        "loadtests/py.typed is missing",
        "package-data does not ship nabat.loadtests's py.typed",
    ]
