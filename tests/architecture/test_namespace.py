"""The project's own packages are imported only as ``nabat.*`` (issue 8, section 2).

The folders ``system/``, ``simulators/``, ``conformance/`` and ``loadtests/``
install as ``nabat.system`` etc.; a bare ``import system`` would work only by
accident (the repository root on ``sys.path``) and collide with a user's own
folder. The same holds for modules that child interpreters run (``-m``).
"""

from __future__ import annotations

from tests.architecture.source_imports import (
    Import,
    SourceFile,
    bare_in,
    project_sources,
    scan,
    subprocess_modules,
    unprefixed_subprocess_modules,
)

FOLDERS = ("system", "simulators", "conformance", "loadtests", "tests")
# Third-party tools a child interpreter may run with -m; everything else is nabat.*.
EXTERNAL_TOOLS = ("pytest", "locust", "mypy")


def bare_imports(file: SourceFile) -> list[Import]:
    return bare_in(file.read(), file.module, file.is_package)


def unprefixed_modules(file: SourceFile) -> list[Import]:
    return unprefixed_subprocess_modules(file.read(), EXTERNAL_TOOLS)


def test_the_scan_sees_the_whole_tree() -> None:
    names = {file.module for file in project_sources(FOLDERS)}
    assert {
        "nabat.system.cli.main",
        "nabat.simulators.pytest_plugin",
        "nabat.conformance.ats",
        "nabat.loadtests.locust",
        "tests.architecture.test_namespace",
    } <= names
    assert len(names) > 200


def test_no_bare_imports_of_the_project() -> None:
    assert scan(FOLDERS, bare_imports) == []


def test_every_subprocess_module_is_under_nabat() -> None:
    assert scan(FOLDERS, unprefixed_modules) == []
    seen = {
        one.module for file in project_sources(FOLDERS) for one in subprocess_modules(file.read())
    }
    assert {"nabat.system.cli.main", "locust"} <= seen  # the scan reads the real commands


def test_bare_imports_are_found_in_every_form() -> None:
    source = (
        "import system.server\n"
        "from simulators.ats import app\n"
        "def f():\n"
        "    import conformance\n"
        "    return __import__('loadtests.bench')\n"
        "import nabat.system.server, systemd, tests.server\n"
    )
    found = bare_in(source, "tests.server.test_x")
    assert sorted({(one.line, one.module.split(".")[0]) for one in found}) == [
        (1, "system"),
        (2, "simulators"),
        (4, "conformance"),
        (5, "loadtests"),
    ]


def test_subprocess_modules_are_read_from_lists_tuples_and_calls() -> None:
    source = (
        "WORKER = 'system.speech.worker'\n"
        "A = [sys.executable, '-m', 'simulators.ats.app']\n"
        "B = (sys.executable, '-P', '-m', WORKER)\n"
        "run(sys.executable, '-m', 'nabat.system.cli.main', 'serve')\n"
        "C = [sys.executable, '-m', 'pytest', '-m', 'slow']\n"
    )
    assert [(one.line, one.module) for one in subprocess_modules(source)] == [
        (2, "simulators.ats.app"),
        (3, "system.speech.worker"),
        (4, "nabat.system.cli.main"),
        (5, "pytest"),  # the second -m is pytest's marker option
    ]
    bad = unprefixed_subprocess_modules(source, EXTERNAL_TOOLS)
    assert [one.module for one in bad] == ["simulators.ats.app", "system.speech.worker"]
