"""`nabat conformance SUITE`: run a conformance suite against an implementation.

Each shipped suite (conformance/suites.py) becomes a subcommand whose options
are the framework's common options plus the suite's own, declared once as
OptionSpec objects and shared with the pytest glue. The handler turns the
parsed options back into pytest arguments and runs pytest.main on the
installed suite directory (``run_conformance``), so the CLI and plain
``pytest conformance/ats --target ...`` behave identically. Arguments after
``--`` go to pytest unchanged (for example ``-- -k ping -v``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _add_group(subparsers: Any, name: str, help_text: str) -> Any:
    """The ``conformance`` group; it prints its own help when no suite is named.

    (The suites import nothing of the product, so this is not the product's
    ``add_group``: a group parser sets ``group_parser`` for ``nabat`` to show.)
    """
    group: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    group.set_defaults(group_parser=group)
    return group.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")


def run_conformance(suite: str, argv: list[str]) -> int:
    """Run the named suite with pytest-style conformance options; return the exit code
    (0 only when no MUST is broken, no allowance misused and, with --strict, no
    SHOULD missed)."""
    import pytest
    from nabat.conformance.suites import SUITES

    entry = SUITES.get(suite)
    if entry is None:
        print(
            f"nabat conformance: unknown suite {suite!r} (known: {', '.join(SUITES)})",
            file=sys.stderr,
        )
        return 2
    args = [
        str(entry.directory),
        "-p",
        "no:cacheprovider",  # never write .pytest_cache next to an installed suite
        "-p",
        "no:nabat",  # the suite must not load the simulators' plugin
        # The suite's conftest is imported by file, never as a top-level
        # ``conformance`` package that could shadow (or be shadowed by) a user's own.
        "--import-mode=importlib",
        *argv,
    ]
    return int(pytest.main(args))


def _argv_from(args: argparse.Namespace, suite: str) -> list[str]:
    from nabat.conformance.framework.options import COMMON_OPTIONS, to_argv
    from nabat.conformance.suites import SUITES

    specs = (*COMMON_OPTIONS, *SUITES[suite].options())
    argv = to_argv(specs, vars(args))
    if args.strict:
        argv.append("--strict")
    return argv + list(args.pytest_args)


def _handler(suite: str) -> Any:
    def handle(args: argparse.Namespace) -> int:
        if not args.target:
            from nabat.conformance.suites import SUITES

            form = SUITES[suite].target_form
            print(f"nabat conformance {suite}: --target {form} is required", file=sys.stderr)
            return 2
        return run_conformance(suite, _argv_from(args, suite))

    return handle


def register(subparsers: Any) -> None:
    from nabat.conformance.framework.options import COMMON_OPTIONS
    from nabat.conformance.suites import SUITES

    leaves = _add_group(
        subparsers,
        "conformance",
        "Check an implementation (a simulator or real equipment) against a protocol's spec.",
    )
    for entry in SUITES.values():
        parser = leaves.add_parser(
            entry.name,
            help=f"{entry.title} conformance suite",
            description=(
                f"Run the {entry.title} conformance suite against --target. Exit code 0 only "
                "when no MUST is broken (with --strict: no SHOULD missed either). See "
                "docs/conformance.md."
            ),
        )
        for spec in (*COMMON_OPTIONS, *entry.options()):
            parser.add_argument(spec.flag, **spec.argparse_kwargs())
        parser.add_argument(
            "--strict", action="store_true", help="a missed SHOULD fails the run too"
        )
        parser.add_argument(
            "pytest_args",
            nargs="*",
            metavar="-- PYTEST_ARGS",
            help="extra pytest arguments, after --",
        )
        parser.set_defaults(handler=_handler(entry.name))
