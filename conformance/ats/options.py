"""ATS suite options: the target's numbering plan, its window and a seed.

Declared as framework :class:`OptionSpec` objects so pytest (conftest) and
``nabat conformance ats`` offer exactly the same flags; :func:`settings_from`
turns their values (keyed by dest) into validated :class:`AtsSettings`.
Defaults match the simulator's default plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nabat.conformance.ats.plan import AtsSettings, Operator, parse_range, validate
from nabat.conformance.framework.options import OptionSpec

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("--ats-operator-a-ip", "source address of operator A", "127.0.0.1", "IP"),
    OptionSpec("--ats-operator-a-numbers", "number range owned by operator A",
               "79000000000-79099999999", "FIRST-LAST"),
    OptionSpec("--ats-operator-a-id-src", "id_src of operator A", "1", "ID"),
    OptionSpec("--ats-operator-b-ip", "source address of operator B", "127.0.0.2", "IP"),
    OptionSpec("--ats-operator-b-numbers", "number range owned by operator B",
               "79100000000-79199999999", "FIRST-LAST"),
    OptionSpec("--ats-operator-b-id-src", "id_src of operator B", "2", "ID"),
    OptionSpec("--ats-unknown-ip", "a loopback address that belongs to no operator",
               "127.0.0.9", "IP"),
    OptionSpec("--ats-unknown-number", "a number in no range of the plan", "79990000000",
               "NUMBER"),
    OptionSpec("--ats-window", "the registration window the target must keep, in seconds "
               "(ruling ATS 3: 60); never read from the target", "60", "SECONDS"),
    OptionSpec("--ats-seed", "seed for the random numbers and call ids (default: random)",
               None, "INT"),
)


def _value(values: Mapping[str, Any], spec: OptionSpec) -> str:
    raw = values.get(spec.dest)
    return str(spec.default if raw is None else raw)


def settings_from(values: Mapping[str, Any]) -> AtsSettings:
    """Validated settings from option values keyed by dest (missing -> default)."""
    get = {spec.dest: spec for spec in OPTIONS}

    def value(dest: str) -> str:
        return _value(values, get[dest])

    a_first, a_last = parse_range(value("ats_operator_a_numbers"))
    b_first, b_last = parse_range(value("ats_operator_b_numbers"))
    seed_raw = values.get("ats_seed")
    return validate(
        AtsSettings(
            a=Operator("A", value("ats_operator_a_ip"), a_first, a_last,
                       value("ats_operator_a_id_src")),
            b=Operator("B", value("ats_operator_b_ip"), b_first, b_last,
                       value("ats_operator_b_id_src")),
            unknown_ip=value("ats_unknown_ip"),
            unknown_number=value("ats_unknown_number"),
            window=float(value("ats_window")),
            seed=None if seed_raw in (None, "") else int(seed_raw),
        )
    )
