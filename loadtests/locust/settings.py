"""The suite's settings, read from Locust's parsed options.

How it works: ``OPTIONS`` is the one table of the suite's custom Locust
arguments (flag, environment variable, default, help); ``arguments.py``
registers it with Locust's parser and ``nabat load ats`` forwards its own
options to those flags. ``AtsSettings.from_options`` turns the parsed
namespace (on a worker: the master's values, which Locust forwards) into a
validated immutable object. No Locust import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nabat.loadtests.locust.mix import Action, format_mix, parse_mix
from nabat.loadtests.locust.numbers import NumberRange, PartitionError

DEFAULT_OP1_NUMBERS = "79000000000-79099999999"  # client 127.0.0.1, id_src 1
DEFAULT_OP2_NUMBERS = "79100000000-79199999999"  # client 127.0.0.2, id_src 2


@dataclass(frozen=True, slots=True)
class OptionSpec:
    flag: str
    env: str
    default: str
    help: str

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "--ats-mix",
        "NABAT_ATS_MIX",
        "",
        "task weights, e.g. 'genuine=40,cross=20,spoofed=20,malformed=5,update=10,ping=5' "
        "(unnamed actions keep these defaults; 0 disables)",
    ),
    OptionSpec(
        "--ats-op1-numbers",
        "NABAT_ATS_OP1_NUMBERS",
        DEFAULT_OP1_NUMBERS,
        "FIRST-LAST numbers owned by operator 1 (the client address --ats-op1-source)",
    ),
    OptionSpec(
        "--ats-op2-numbers",
        "NABAT_ATS_OP2_NUMBERS",
        DEFAULT_OP2_NUMBERS,
        "FIRST-LAST numbers owned by operator 2 (the client address --ats-op2-source)",
    ),
    OptionSpec(
        "--ats-op1-source",
        "NABAT_ATS_OP1_SOURCE",
        "",
        "source address of operator 1's connections ('' = let the OS choose)",
    ),
    OptionSpec(
        "--ats-op2-source",
        "NABAT_ATS_OP2_SOURCE",
        "127.0.0.2",
        "source address of operator 2's connections ('' = no operator 2: cross weight must be 0)",
    ),
    OptionSpec(
        "--ats-wait-min",
        "NABAT_ATS_WAIT_MIN",
        "0",
        "think time between tasks: minimum seconds",
    ),
    OptionSpec(
        "--ats-wait-max",
        "NABAT_ATS_WAIT_MAX",
        "0",
        "think time between tasks: maximum seconds",
    ),
    OptionSpec(
        "--ats-user-rate",
        "NABAT_ATS_USER_RATE",
        "0",
        "tasks per second per user (constant throughput; 0 = use the think time)",
    ),
    OptionSpec(
        "--ats-timeout",
        "NABAT_ATS_TIMEOUT",
        "10",
        "seconds before a request counts as failed (connect and read)",
    ),
    OptionSpec(
        "--ats-max-workers",
        "NABAT_ATS_MAX_WORKERS",
        "16",
        "number-partition bound: worker processes (indexes 0..N-1)",
    ),
    OptionSpec(
        "--ats-slots-per-worker",
        "NABAT_ATS_SLOTS_PER_WORKER",
        "2000",
        "number-partition bound: users alive at once in one worker",
    ),
    OptionSpec(
        "--ats-reserve",
        "NABAT_ATS_RESERVE",
        "",
        "system scenario: the reserve server's URL ('' = none)",
    ),
    OptionSpec(
        "--ats-budget",
        "NABAT_ATS_BUDGET",
        "0",
        "system scenario: the client's time budget per verification (0 = its default)",
    ),
)


class SettingsError(ValueError):
    """Inconsistent suite settings."""


def _float(name: str, value: Any, minimum: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a number, got {value!r}") from None
    if number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {number}")
    return number


def _int(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be an integer, got {value!r}") from None
    if number < 1:
        raise SettingsError(f"{name} must be at least 1, got {number}")
    return number


@dataclass(frozen=True, slots=True)
class AtsSettings:
    mix: dict[Action, int]
    op1_numbers: NumberRange
    op2_numbers: NumberRange
    op1_source: str | None
    op2_source: str | None
    wait_min: float
    wait_max: float
    user_rate: float
    timeout: float
    max_workers: int
    slots_per_worker: int
    reserve: str | None
    budget: float | None

    @property
    def slots(self) -> int:
        return self.max_workers * self.slots_per_worker

    @classmethod
    def from_options(cls, options: Any) -> AtsSettings:
        """From Locust's parsed options (or any object with the ``ats_*`` attributes)."""
        values = {
            spec.dest: getattr(options, spec.dest, None) if options is not None else None
            for spec in OPTIONS
        }
        for spec in OPTIONS:
            if values[spec.dest] is None:
                values[spec.dest] = spec.default
        try:
            settings = cls(
                mix=parse_mix(str(values["ats_mix"])),
                op1_numbers=NumberRange.parse(str(values["ats_op1_numbers"])),
                op2_numbers=NumberRange.parse(str(values["ats_op2_numbers"])),
                op1_source=str(values["ats_op1_source"]).strip() or None,
                op2_source=str(values["ats_op2_source"]).strip() or None,
                wait_min=_float("--ats-wait-min", values["ats_wait_min"]),
                wait_max=_float("--ats-wait-max", values["ats_wait_max"]),
                user_rate=_float("--ats-user-rate", values["ats_user_rate"]),
                timeout=_float("--ats-timeout", values["ats_timeout"], minimum=0.001),
                max_workers=_int("--ats-max-workers", values["ats_max_workers"]),
                slots_per_worker=_int("--ats-slots-per-worker", values["ats_slots_per_worker"]),
                reserve=str(values["ats_reserve"]).strip() or None,
                budget=_float("--ats-budget", values["ats_budget"]) or None,
            )
        except (ValueError, PartitionError) as error:
            if isinstance(error, SettingsError):
                raise
            raise SettingsError(str(error)) from None
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.wait_max < self.wait_min:
            raise SettingsError("--ats-wait-max must not be below --ats-wait-min")
        a, b = self.op1_numbers, self.op2_numbers
        if a.first <= b.last and b.first <= a.last:
            raise SettingsError(f"operator ranges overlap: {a} and {b}")
        if self.mix.get(Action.CROSS, 0) and self.op2_source is None:
            raise SettingsError(
                "the 'cross' action needs operator 2's source address (--ats-op2-source); "
                f"set it or give 'cross=0' in the mix ({format_mix(self.mix)})"
            )
        for numbers in (a, b):
            if numbers.size // 3 < self.slots:
                raise SettingsError(
                    f"range {numbers} is too small for {self.slots} user slots "
                    "(lower --ats-max-workers or --ats-slots-per-worker)"
                )


_CACHE: dict[tuple[Any, ...], AtsSettings] = {}


def settings_for(options: Any) -> AtsSettings:
    """``AtsSettings.from_options`` memoised on the option values (users share one object)."""
    key = tuple(getattr(options, spec.dest, None) for spec in OPTIONS)
    settings = _CACHE.get(key)
    if settings is None:
        settings = _CACHE[key] = AtsSettings.from_options(options)
    return settings
