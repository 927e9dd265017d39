"""`nabat conformance SUITE`: run a conformance suite against an implementation.

Each shipped suite (conformance/suites.py) becomes a subcommand whose options
are the framework's common options plus the suite's own, declared once as
OptionSpec objects and shared with the pytest glue. The handler turns the
parsed options back into pytest arguments and runs pytest.main on the
installed suite directory (``run_conformance``) with the suite's own ini
file (``conformance/pytest.ini``), so a caller's pytest configuration and
``PYTEST_ADDOPTS`` never apply; the options come from the plugin
``nabat.conformance.plugin``, the same one plain pytest loads. Arguments
after ``--`` go to pytest unchanged (for example ``-- -k ping -v``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nabat.conformance.framework.runner import Runner

SUITE_INI = Path(__file__).resolve().parent / "pytest.ini"
ADDOPTS_ENV = "PYTEST_ADDOPTS"


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


def run_conformance(suite: str, argv: list[str], runner: Runner[Any] | None = None) -> int:
    """Run the named suite with pytest-style conformance options; return the exit code
    (0 only when no MUST is broken, no allowance misused and, with --strict, no
    SHOULD missed). ``runner``: one whose pre-flight already passed (cli_preflight)."""
    import pytest
    from nabat.conformance.cli_preflight import AdoptRunner
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
        # The suite's own ini file and rootdir: the caller's pytest configuration
        # (addopts, filterwarnings, markers, conftest.py) never reaches the run.
        "-c",
        str(SUITE_INI),
        "--rootdir",
        str(SUITE_INI.parent),
        "-p",
        "no:cacheprovider",  # never write .pytest_cache next to an installed suite
        "-p",
        "no:nabat",  # the suite must not load the simulators' plugin
        "-p",
        "no:asyncio",  # the suites are synchronous; spare the caller's plugin's warnings
        "-p",
        "nabat.conformance.plugin",  # the suites' options and session hooks
        # The suite's conftest is imported by file, never as a top-level
        # ``conformance`` package that could shadow (or be shadowed by) a user's own.
        "--import-mode=importlib",
        *argv,
    ]
    saved = os.environ.pop(ADDOPTS_ENV, None)  # the caller's options, meant for its own tests
    try:
        plugins = [] if runner is None else [AdoptRunner(runner)]
        return _documented_exit_code(int(pytest.main(args, plugins=plugins)))
    finally:
        if saved is not None:
            os.environ[ADDOPTS_ENV] = saved


def _documented_exit_code(code: int) -> int:
    """pytest's own usage error (4) is our 2; "no tests collected" (5, every case
    deselected) is our 3, could not test. 0, 1, 2 and 3 pass through (the
    plugin already sets them; see conformance/framework/setup.py)."""
    from nabat.conformance.framework.setup import EXIT_NOT_TESTED, EXIT_USAGE

    return {4: EXIT_USAGE, 5: EXIT_NOT_TESTED}.get(code, code)


def _argv_from(args: argparse.Namespace, suite: str) -> list[str]:
    from nabat.conformance.framework.options import to_argv
    from nabat.conformance.suites import SUITES

    specs = (*SUITES[suite].common_options(), *SUITES[suite].options())
    argv: list[str] = to_argv(specs, vars(args))
    if args.strict:
        argv.append("--strict")
    return argv + list(args.pytest_args)


def _print_inventory(suite: str) -> int:
    """Every statement of the suite's spec: checked by a case, or why not."""
    from nabat.conformance.framework.inventory import inventory_lines
    from nabat.conformance.suites import SUITES

    try:
        print("\n".join(inventory_lines(SUITES[suite].suite())), flush=True)
    except BrokenPipeError:  # `| head`: the reader has enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
    return 0


def _handler(suite: str) -> Any:
    def handle(args: argparse.Namespace) -> int:
        if args.inventory:
            return _print_inventory(suite)
        if not args.target:
            from nabat.conformance.suites import SUITES

            entry = SUITES[suite]
            print(f"nabat conformance {suite}: {entry.target_flag} {entry.target_form} is "
                  "required", file=sys.stderr)
            return 2
        from nabat.conformance.cli_preflight import preflight

        ready = preflight(suite, vars(args))  # a setup mistake: one line, before pytest
        if isinstance(ready, int):
            return ready
        return run_conformance(suite, _argv_from(args, suite), runner=ready)

    return handle


def register(subparsers: Any) -> None:
    from nabat.conformance.framework.setup import EXIT_CODES_HELP
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
                f"Run the {entry.title} conformance suite against {entry.target_flag}. Exit "
                "code 0 only "
                "when no MUST is broken (with --strict: no SHOULD missed either). See "
                "docs/conformance.md."
            ),
            epilog=EXIT_CODES_HELP,
        )
        for spec in (*entry.common_options(), *entry.options()):
            parser.add_argument(*spec.flags, **spec.argparse_kwargs())
        parser.add_argument(
            "--strict", action="store_true",
            help="a missed SHOULD fails the run too (default: off)",
        )
        parser.add_argument(
            "--inventory", action="store_true",
            help="print the suite's statement inventory (every statement of the spec, "
            "checked or not and why) and exit; needs no target (default: off)",
        )
        parser.add_argument(
            "pytest_args",
            nargs="*",
            metavar="-- PYTEST_ARGS",
            help="extra pytest arguments, after --",
        )
        parser.set_defaults(handler=_handler(entry.name))
