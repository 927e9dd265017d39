"""system/protocol stays sans-I/O: no network, no asyncio, no outside packages."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nabat.system.protocol
import pytest

PACKAGE = Path(nabat.system.protocol.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
FORBIDDEN = {
    "asyncio", "socket", "ssl", "selectors", "select", "socketserver", "threading",
    "multiprocessing", "subprocess", "http", "urllib", "uvloop", "aiohttp", "httpx", "trio",
    "anyio", "serial", "time", "random", "os", "io", "logging",
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_only_the_standard_library_and_the_package_itself(path: Path) -> None:
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN, f"{path.name} imports {name}"
        assert top in sys.stdlib_module_names or name.startswith("nabat.system.protocol"), (
            f"{path.name} imports {name}"
        )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_starts_with_a_how_it_works_comment(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and len(docstring.splitlines()) >= 3, path.name


def test_the_package_re_exports_what_it_lists() -> None:
    for name in nabat.system.protocol.__all__:
        assert hasattr(nabat.system.protocol, name), name
