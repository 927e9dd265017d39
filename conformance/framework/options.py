"""Command-line options, declared once and registered both in pytest and in
``nabat conformance``.

An :class:`OptionSpec` names a flag, its default and help; its help text
always shows the default. The framework's common options (target, reserve,
reports, allow-list, ...) are in :data:`COMMON_OPTIONS` (what pytest
registers, for every suite at once); :func:`common_options` gives one suite's
form of them (its --target, and no --reserve where it has none). Each suite
adds its own (for ATS the numbering plan).
``--strict`` is not declared here: pytest (>= 8) already owns that flag, and
the framework reads it from pytest's option namespace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Action = Literal["store", "store_true", "append"]


@dataclass(frozen=True)
class OptionSpec:
    flag: str
    help: str
    default: Any = None
    metavar: str | None = None
    action: Action = "store"
    aliases: tuple[str, ...] = ()  # other names of the same option (one idea, every name)
    dest_name: str | None = None  # when the shown name is not the canonical one

    @property
    def canonical_flag(self) -> str:
        """The name pytest knows the option by (``--`` + dest)."""
        return "--" + self.dest.replace("_", "-")

    @property
    def flags(self) -> tuple[str, ...]:
        """The option's name and its aliases, for argparse and pytest."""
        return (self.flag, *self.aliases)

    @property
    def dest(self) -> str:
        return self.dest_name or self.flag.lstrip("-").replace("-", "_")

    def help_text(self) -> str:
        """The help with its default shown (unless the help already names it);
        ``%`` is escaped for argparse."""
        text = self.help
        if "default:" not in text and "(required)" not in text:
            if self.action == "store_true":
                shown = "off"
            elif self.default in (None, [], ()):
                shown = "none"
            else:
                shown = str(self.default)
            text += f" (default: {shown})"
        return text.replace("%", "%%")

    def argparse_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "dest": self.dest, "help": self.help_text(), "action": self.action,
        }
        if self.action == "store_true":
            kwargs["default"] = bool(self.default)
        else:
            append = self.action == "append"
            kwargs["default"] = list(self.default or []) if append else self.default
            kwargs["metavar"] = self.metavar or self.dest.upper()
        return kwargs


def common_options(
    target_form: str = "TARGET",
    target_help: str = "the implementation under test: a base URL (ats) or HOST:PORT (server)",
    reserve: bool = True,
    target_flag: str = "--target",
) -> tuple[OptionSpec, ...]:
    """The framework's options as one suite's command shows them: its own form
    of --target, and --reserve only for suites whose target can have one.
    (pytest registers one set for every suite: :data:`COMMON_OPTIONS`.)"""
    if target_flag == "--target":
        target = OptionSpec("--target", f"{target_help} (required)", metavar=target_form)
    else:  # a suite whose target has its own name (a serial --port); --target works too
        target = OptionSpec(target_flag, f"{target_help} (required; --target is the same "
                            "option)", metavar=target_form, aliases=("--target",),
                            dest_name="target")
    return (target, *((RESERVE,) if reserve else ()), *_SHARED)


RESERVE = OptionSpec("--reserve", "base URL of the reserve server, when the target has one",
                     metavar="URL")
_SHARED: tuple[OptionSpec, ...] = (
    OptionSpec("--allow", "TOML allow-list of known deviations", metavar="FILE"),
    OptionSpec("--profile", "target profile name used to pick allow-list entries",
               default="default", metavar="NAME"),
    OptionSpec("--without", "declare a capability absent (repeatable); its cases are unsupported",
               metavar="CAP", action="append"),
    OptionSpec("--target-timeout", "seconds to wait for each answer of the target "
               "(--timeout is the same option, as in nabat client and nabat load)",
               default="10", metavar="SECONDS", aliases=("--timeout",)),
    OptionSpec("--junit", "write a JUnit XML report to FILE", metavar="FILE"),
    OptionSpec("--json", "write a JSON report to FILE", metavar="FILE"),
    OptionSpec("--html", "write a self-contained HTML report to FILE", metavar="FILE"),
)
COMMON_OPTIONS: tuple[OptionSpec, ...] = common_options()


def to_argv(specs: Iterable[OptionSpec], values: Mapping[str, Any]) -> list[str]:
    """Turn parsed values (keyed by dest) back into command-line arguments,
    leaving out values equal to their defaults."""
    argv: list[str] = []
    for spec in specs:
        value = values.get(spec.dest)
        flag = spec.canonical_flag if spec.dest_name else spec.flag
        if spec.action == "store_true":
            if value:
                argv.append(flag)
        elif spec.action == "append":
            for item in value or []:
                argv += [flag, str(item)]
        elif value is not None and value != spec.default:
            argv += [flag, str(value)]
    return argv
