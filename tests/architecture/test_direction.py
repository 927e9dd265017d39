"""Dependencies point one way (architecture principle 9, issue 8).

The product (``nabat.system``) imports no harness package, and the
conformance suites import neither the product nor the simulators, so a bug
shared by both cannot hide. Each rule is checked on the real tree and shown
to catch a small bad example, so a broken checker cannot pass silently.
"""

from __future__ import annotations

from nabat.system.cli.main import build_parser

from tests.architecture.source_imports import Import, SourceFile, forbidden_in, scan

HARNESS = ("nabat.simulators", "nabat.conformance", "nabat.loadtests")
NOT_FOR_CONFORMANCE = ("nabat.system", "nabat.simulators")
EVERY_GROUP = ("serve", "client", "sim", "conformance", "load", "bench", "demo", "up")


def harness_imports(file: SourceFile) -> list[Import]:
    return forbidden_in(file.read(), HARNESS, file.module, file.is_package)


def product_or_simulator_imports(file: SourceFile) -> list[Import]:
    return forbidden_in(file.read(), NOT_FOR_CONFORMANCE, file.module, file.is_package)


def test_the_product_imports_no_harness_package() -> None:
    assert scan(["system"], harness_imports) == []


def test_conformance_imports_neither_the_product_nor_the_simulators() -> None:
    assert scan(["conformance"], product_or_simulator_imports) == []


BAD_CONFORMANCE = """
import importlib
from typing import TYPE_CHECKING

from nabat.conformance.framework import clause

if TYPE_CHECKING:
    from nabat.system.protocol import Line

def late():
    import nabat.simulators.ats.app
    from .... import system
    return importlib.import_module("nabat.system.client")

def later(name):
    return importlib.import_module(name)  # not visible statically
"""


def test_the_checker_finds_every_kind_of_forbidden_import() -> None:
    found = forbidden_in(
        BAD_CONFORMANCE, NOT_FOR_CONFORMANCE, "nabat.conformance.ats.cases.bad", False
    )
    assert sorted((one.line, one.module) for one in found) == [
        (8, "nabat.system.protocol"),
        (8, "nabat.system.protocol.Line"),
        (11, "nabat.simulators.ats.app"),
        (12, "nabat.system"),  # ``from .... import system`` inside nabat.conformance.ats.cases
        (13, "nabat.system.client"),
    ]


def test_the_checker_accepts_allowed_imports() -> None:
    source = "from nabat.conformance.framework import clause\nimport nabat.systemic\n"
    assert forbidden_in(source, NOT_FOR_CONFORMANCE, "nabat.conformance.x") == []
    relative = "from .. import framework\n"
    assert forbidden_in(relative, NOT_FOR_CONFORMANCE, "nabat.conformance.ats.x") == []


def test_the_product_checker_sees_a_harness_import_in_a_function() -> None:
    source = "def handler(args):\n    from nabat.loadtests.bench import ats\n"
    found = forbidden_in(source, HARNESS, "nabat.system.cli.bench_cmd")
    assert [(one.line, one.module) for one in found] == [
        (2, "nabat.loadtests.bench"),
        (2, "nabat.loadtests.bench.ats"),
    ]


def listed_groups(help_text: str) -> list[str]:
    """The command names of ``nabat --help`` (indented four spaces under COMMAND)."""
    return [
        line.split()[0]
        for line in help_text.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]


def test_nabat_help_lists_every_group() -> None:
    # serve and client are the product's; the rest come through the nabat.commands entry points.
    assert listed_groups(build_parser().format_help()) == list(EVERY_GROUP)


def test_listed_groups_reads_wrapped_help() -> None:
    text = "  COMMAND\n    serve      run\n    conformance\n               Check it\n"
    assert listed_groups(text) == ["serve", "conformance"]
