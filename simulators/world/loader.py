"""Loading a world from TOML (or the same shape as JSON), with located errors.

``load_world(path)`` / ``loads_world(text)`` parse with tomllib and hand the
mapping to ``world_from_mapping``, which the control APIs also use for JSON
(``parse_override`` and ``parse_event`` for one item). Every rejected value
raises ``WorldError`` naming the source, the line when it can be found
(locate.py), the key path (``override[1].voice.ring``) and the reason.
Unknown keys are errors, so a typo never silently falls back to a default.
The format is documented in docs/world.md; ``World.to_json()`` produces it.

Value forms: a delay is a number (fixed), ``[low, high]`` (uniform) or
``{min, mode, max}`` (triangular); outcome weights are a table of relative
weights; a probability is within [0, 1]; numbers may be strings or integers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from nabat.simulators.ats.plan import NumberingPlan, PlanError, load_plan_file, range_from_row
from nabat.simulators.world.addresses import AddressError, normalise_number
from nabat.simulators.world.decisions import KeyPress
from nabat.simulators.world.distributions import Delay, RuleValueError, Weights, probability
from nabat.simulators.world.events import (
    EventError,
    EventKind,
    ScriptedEvent,
    Target,
    check_seconds,
    key_presses,
)
from nabat.simulators.world.locate import PathPart, locate
from nabat.simulators.world.numbering import (
    DEFAULT_REGIONS,
    DEFAULT_UTC_OFFSET,
    NumberingError,
    Region,
    WorldPlan,
    parse_utc_offset,
)
from nabat.simulators.world.rules import RULES_CLASSES, Kind, Match, Override
from nabat.simulators.world.world import World

T = TypeVar("T")
_PROBLEMS = (RuleValueError, AddressError, EventError, NumberingError, PlanError, ValueError)
TOP_KEYS = ("seed", "voice", "sms", "email", "override", "event", "plan")


class WorldError(ValueError):
    """A world file or JSON document is invalid; the message says where and why."""


class _Invalid(Exception):
    def __init__(self, path: Sequence[PathPart], reason: str) -> None:
        super().__init__(reason)
        self.path = list(path)
        self.reason = reason


def format_path(path: Sequence[PathPart]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def _guard(path: Sequence[PathPart], make: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``make(*args, **kwargs)``, its rejection turned into an error at ``path``."""
    try:
        return make(*args, **kwargs)
    except _Invalid:
        raise
    except _PROBLEMS as error:
        raise _Invalid(path, str(error)) from None


# --- value readers -----------------------------------------------------------
def _table(value: object, path: Sequence[PathPart], allowed: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid(path, f"must be a table, got {type(value).__name__}")
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            raise _Invalid([*path, str(key)], f"unknown key (expected one of {', '.join(allowed)})")
    return value


def _array(value: object, path: Sequence[PathPart]) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise _Invalid(path, f"must be an array, got {type(value).__name__}")
    return value


def _number(value: object, path: Sequence[PathPart]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(path, f"must be a number, got {value!r}")
    return float(value)


def _text(value: object, path: Sequence[PathPart]) -> str:
    if not isinstance(value, str):
        raise _Invalid(path, f"must be a string, got {value!r}")
    return value


def _digits(value: object, path: Sequence[PathPart]) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value, path)


def parse_delay(value: object, path: Sequence[PathPart] = ()) -> Delay:
    if isinstance(value, Mapping):
        spec = _table(value, path, ("min", "mode", "max"))
        if "min" not in spec or "max" not in spec:
            raise _Invalid(path, "a triangular delay needs min and max (and mode)")
        mode = None if "mode" not in spec else _number(spec["mode"], [*path, "mode"])
        low, high = _number(spec["min"], [*path, "min"]), _number(spec["max"], [*path, "max"])
        return _guard(path, lambda: Delay(low, high, mode))
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise _Invalid(path, "a uniform delay is [low, high]")
        low, high = _number(value[0], [*path, 0]), _number(value[1], [*path, 1])
        return _guard(path, lambda: Delay(low, high))
    seconds = _number(value, path)
    return _guard(path, lambda: Delay.fixed(seconds))


def _weights(value: object, path: Sequence[PathPart], allowed: Sequence[str] | None) -> Weights:
    if not isinstance(value, Mapping):
        raise _Invalid(path, f"must be a table of weights, got {type(value).__name__}")
    numbers = {str(name): _number(weight, [*path, str(name)]) for name, weight in value.items()}
    if allowed is None:
        return _guard(path, lambda: Weights(tuple(numbers.items())))
    return _guard(path, lambda: Weights.of(numbers, allowed))


def _rule_changes(kind: Kind, value: object, path: Sequence[PathPart]) -> dict[str, Any]:
    rules_class = RULES_CLASSES[kind]
    spec = _table(value, path, tuple(rules_class.SPEC))
    changes: dict[str, Any] = {}
    for name, raw in spec.items():
        where = [*path, name]
        shape = rules_class.SPEC[name]
        if shape == "delay":
            changes[name] = parse_delay(raw, where)
        elif shape == "weights":
            enum_class = rules_class.WEIGHTED.get(name)
            allowed = None if enum_class is None else [str(m.value) for m in enum_class]
            changes[name] = _weights(raw, where, allowed)
        elif shape == "probability":
            number = _number(raw, where)
            changes[name] = _guard(where, probability, number, name)
        else:
            text = _text(raw, where)
            if not text:
                raise _Invalid(where, "must not be empty")
            changes[name] = text
    return changes


def _match(spec: Mapping[str, Any], path: Sequence[PathPart]) -> Match:
    given = [key for key in ("number", "address", "range", "domain") if key in spec]
    if len(given) != 1:
        raise _Invalid(path, "an override names exactly one of number, address, range, domain")
    key = given[0]
    where, raw = [*path, key], spec[key]
    if key == "number":
        return _guard(where, lambda: Match.number(_digits(raw, where)))
    if key == "address":
        text = _digits(raw, where)
        return _guard(where, lambda: Match.email(text) if "@" in text else Match.number(text))
    if key == "domain":
        return _guard(where, lambda: Match.domain(_text(raw, where)))
    if isinstance(raw, str) and ".." in raw:
        bounds: Sequence[Any] = raw.split("..", 1)
    else:
        bounds = _array(raw, where)
        if len(bounds) != 2:
            raise _Invalid(where, "a range is [first, last] or 'first..last'")
    first, last = _digits(bounds[0], [*where, 0]), _digits(bounds[1], [*where, 1])
    return _guard(where, lambda: Match.range(first.strip(), last.strip()))


def parse_override(value: object, path: Sequence[PathPart] = ("override",)) -> Override:
    """One override from its TOML/JSON table (the control API's input too)."""
    try:
        return _parse_override(value, path)
    except _Invalid as error:
        raise WorldError(f"{format_path(error.path)}: {error.reason}") from None


def _parse_override(value: object, path: Sequence[PathPart]) -> Override:
    allowed = ("number", "address", "range", "domain", "voice", "sms", "email", "note")
    spec = _table(value, path, allowed)
    match = _match(spec, path)
    changes = {
        kind: _rule_changes(kind, spec[kind.value], [*path, kind.value])
        for kind in Kind
        if kind.value in spec
    }
    note = _text(spec.get("note", ""), [*path, "note"])
    return _guard(
        path,
        lambda: Override.of(
            match,
            voice=changes.get(Kind.VOICE),
            sms=changes.get(Kind.SMS),
            email=changes.get(Kind.EMAIL),
            note=note,
        ),
    )


EVENT_KEYS = (
    "at", "kind", "from", "to", "keys", "first_key", "key_gap",
    "spoofed", "ring_for", "talk_for", "text",
)  # fmt: skip


def _keys(spec: Mapping[str, Any], path: Sequence[PathPart]) -> tuple[KeyPress, ...]:
    raw = spec.get("keys", "")
    if isinstance(raw, str):
        first = _number(spec.get("first_key", 2.0), [*path, "first_key"])
        gap = _number(spec.get("key_gap", 0.5), [*path, "key_gap"])
        return _guard([*path, "keys"], lambda: key_presses(raw, first, gap))
    if "first_key" in spec or "key_gap" in spec:
        raise _Invalid([*path, "keys"], "first_key and key_gap go with keys given as a string")
    presses = []
    for index, item in enumerate(_array(raw, [*path, "keys"])):
        where = [*path, "keys", index]
        press = _table(item, where, ("key", "at"))
        if "key" not in press or "at" not in press:
            raise _Invalid(where, "a key press is {key, at}")
        presses.append(KeyPress(_text(press["key"], [*where, "key"]), _number(press["at"], where)))
    return tuple(presses)


def parse_event(value: object, path: Sequence[PathPart] = ("event",)) -> ScriptedEvent:
    """One scripted event from its TOML/JSON table (the control API's input too)."""
    try:
        return _parse_event(value, path)
    except _Invalid as error:
        raise WorldError(f"{format_path(error.path)}: {error.reason}") from None


def _parse_event(value: object, path: Sequence[PathPart]) -> ScriptedEvent:
    spec = _table(value, path, EVENT_KEYS)
    for required in ("at", "kind", "from", "to"):
        if required not in spec:
            raise _Invalid(path, f"an event needs {required}")
    kind_text = _text(spec["kind"], [*path, "kind"])
    kind = _guard([*path, "kind"], lambda: EventKind(kind_text))
    if kind is EventKind.SMS:
        extra = sorted(set(spec) - {"at", "kind", "from", "to", "text"})
        if extra:
            raise _Invalid([*path, extra[0]], "not a key of an sms event")
    at = _guard([*path, "at"], check_seconds, _number(spec["at"], [*path, "at"]), "at")
    source = _guard([*path, "from"], normalise_number, _digits(spec["from"], [*path, "from"]))
    target = _guard([*path, "to"], lambda: Target.parse(_text(spec["to"], [*path, "to"])))
    text = _text(spec.get("text", ""), [*path, "text"])
    keys = _keys(spec, path) if kind is EventKind.CALL else ()
    spoofed = spec.get("spoofed", False)
    if not isinstance(spoofed, bool):
        raise _Invalid([*path, "spoofed"], f"must be true or false, got {spoofed!r}")
    durations = {}
    default_talk = max(30.0, keys[-1].at) if keys else 30.0
    for name, default in (("ring_for", 60.0), ("talk_for", default_talk)):
        seconds = _number(spec.get(name, default), [*path, name])
        durations[name] = _guard([*path, name], check_seconds, seconds, name)
    ring_for, talk_for = durations["ring_for"], durations["talk_for"]
    return _guard(
        path,
        lambda: ScriptedEvent(at, kind, source, target, keys, text, spoofed, ring_for, talk_for),
    )


def _region(path: Sequence[PathPart], first: int, last: int, name: str, offset: int) -> Region:
    return _guard(path, lambda: Region(first, last, name, offset))


def _plan(value: object, base_dir: Path | None, allow_files: bool) -> WorldPlan:
    path: list[PathPart] = ["plan"]
    spec = _table(value, path, ("csv", "range", "region", "default_utc_offset"))
    if "csv" in spec and "range" in spec:
        raise _Invalid(path, "give the ranges as csv or as range tables, not both")
    numbers: NumberingPlan | None = None
    if "csv" in spec:
        if not allow_files:
            raise _Invalid([*path, "csv"], "files cannot be named here")
        file = Path(_text(spec["csv"], [*path, "csv"]))
        csv_path = file if file.is_absolute() or base_dir is None else base_dir / file
        numbers = _guard([*path, "csv"], lambda: load_plan_file(csv_path))
    if "range" in spec:
        rows = []
        for index, row in enumerate(_array(spec["range"], [*path, "range"])):
            where = [*path, "range", index]
            if not isinstance(row, Mapping):
                raise _Invalid(where, "must be a table")
            rows.append(_guard(where, range_from_row, row))
        numbers = NumberingPlan()
        _guard([*path, "range"], numbers.add, rows, {})
    regions: tuple[Region, ...] = DEFAULT_REGIONS
    if "region" in spec:
        parsed = []
        for index, item in enumerate(_array(spec["region"], [*path, "region"])):
            where = [*path, "region", index]
            row = _table(item, where, ("first", "last", "name", "utc_offset"))
            for required in ("first", "last", "name", "utc_offset"):
                if required not in row:
                    raise _Invalid(where, f"a region needs {required}")
            first = _digits(row["first"], [*where, "first"])
            last = _digits(row["last"], [*where, "last"])
            for bound, where_bound in ((first, "first"), (last, "last")):
                if not bound.isdigit() or not bound.isascii() or len(bound) > 15:
                    raise _Invalid([*where, where_bound], f"{bound!r} is not a number")
            name = _text(row["name"], [*where, "name"])
            offset = _guard([*where, "utc_offset"], parse_utc_offset, row["utc_offset"])
            parsed.append(_region(where, int(first), int(last), name, offset))
        regions = tuple(parsed)
    default_offset = DEFAULT_UTC_OFFSET
    if "default_utc_offset" in spec:
        raw_offset = spec["default_utc_offset"]
        where = [*path, "default_utc_offset"]
        default_offset = _guard(where, lambda: parse_utc_offset(raw_offset))
    if numbers is None:
        return _guard(path, lambda: WorldPlan(regions=regions, default_utc_offset=default_offset))
    plan_numbers = numbers
    return _guard(path, lambda: WorldPlan(plan_numbers, regions, default_offset))


def _world(data: object, base_dir: Path | None, allow_files: bool) -> World:
    spec = _table(data, [], TOP_KEYS)
    seed: object = spec.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise _Invalid(["seed"], f"must be an integer, got {seed!r}")
    rules: dict[Kind, Any] = {}
    for kind in Kind:
        changes = _rule_changes(kind, spec[kind.value], [kind.value]) if kind.value in spec else {}
        rules[kind] = _guard([kind.value], replace, RULES_CLASSES[kind](), **changes)
    overrides = tuple(
        _parse_override(item, ["override", index])
        for index, item in enumerate(_array(spec.get("override", []), ["override"]))
    )
    events = tuple(
        _parse_event(item, ["event", index])
        for index, item in enumerate(_array(spec.get("event", []), ["event"]))
    )
    plan = _plan(spec["plan"], base_dir, allow_files) if "plan" in spec else WorldPlan()
    voice, sms, email = rules[Kind.VOICE], rules[Kind.SMS], rules[Kind.EMAIL]
    return _guard([], World, seed, voice, sms, email, overrides, events, plan)


def world_from_mapping(
    data: object,
    source: str = "<world>",
    *,
    text: str | None = None,
    base_dir: Path | None = None,
    allow_files: bool = True,
) -> World:
    """A world from parsed TOML or JSON. ``text`` (the TOML source) lets errors
    carry a line; ``base_dir`` is where a relative ``plan.csv`` is found;
    ``allow_files=False`` (control APIs) refuses to read any file."""
    try:
        return _world(data, base_dir, allow_files)
    except _Invalid as error:
        line = locate(text, error.path) if text is not None and error.path else None
        where = f"{source}:{line}" if line is not None else source
        raise WorldError(f"{where}: {format_path(error.path)}: {error.reason}") from None


def loads_world(text: str, source: str = "<world>", base_dir: Path | None = None) -> World:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WorldError(f"{source}: not valid TOML: {error}") from None
    return world_from_mapping(data, source, text=text, base_dir=base_dir)


def load_world(path: Path | str) -> World:
    """A world from a TOML file (docs/world.md)."""
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise WorldError(f"{file}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise WorldError(f"{file}: not UTF-8 (byte {error.start})") from None
    return loads_world(text, str(file), file.parent)


def default_world_text() -> str:
    return resources.files("nabat.simulators.world").joinpath("default.toml").read_text("utf-8")


def default_world() -> World:
    """The embedded default world (seed 1; docs/world.md), from default.toml."""
    return loads_world(default_world_text(), "default.toml")
