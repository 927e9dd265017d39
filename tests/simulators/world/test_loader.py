"""World files: the embedded default, the example, JSON round trips, located errors."""

from __future__ import annotations

import contextlib
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.world import (
    Delay,
    EventKind,
    World,
    WorldError,
    default_world,
    load_world,
    loads_world,
    parse_event,
    world_from_mapping,
)
from nabat.simulators.world.locate import locate

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = resources.files("nabat.simulators.world")


def test_the_embedded_default_world_is_the_world_built_in_code() -> None:
    world = default_world()
    assert world == World()
    assert world.seed == 1 and world.overrides == () and world.events == ()


def test_the_shipped_example_loads_with_its_overrides_and_events() -> None:
    world = loads_world(PACKAGE.joinpath("example.toml").read_text("utf-8"), "example.toml")
    assert world.seed == 42
    assert [o.key for o in world.overrides] == [
        "number 79000000001",
        "range 79000000100..79000000199",
        "domain old.example.org",
    ]
    call, spoofed, sms = world.events
    assert (call.at, call.source, str(call.target), call.pressed) == (
        30,
        "79000000002",
        "gsm:2",
        "123#",
    )
    assert [press.at for press in call.keys] == [2.0, 2.5, 3.0, 3.5]
    assert spoofed.spoofed and str(spoofed.target) == "oktell:101"
    assert (sms.kind, sms.text, str(sms.target)) == (EventKind.SMS, "PIN 1234", "gsm:0")
    assert world.sms.delivery == Delay(2, 60, mode=5)
    assert world.voice.ring == World().voice.ring  # not named: the default


def toml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", markdown, flags=re.S)


def test_every_toml_block_of_the_docs_loads() -> None:
    blocks = toml_blocks((ROOT / "docs" / "world.md").read_text("utf-8"))
    assert len(blocks) >= 2
    assert blocks[0] == PACKAGE.joinpath("example.toml").read_text("utf-8")  # the shipped file
    for block in blocks:
        loads_world(block, "docs/world.md")


@pytest.mark.parametrize("name", ["default.toml", "example.toml"])
def test_json_round_trip(name: str) -> None:
    world = loads_world(PACKAGE.joinpath(name).read_text("utf-8"))
    data = json.loads(json.dumps(world.to_json()))
    again = world_from_mapping(data, allow_files=False)
    assert again == world
    assert again.to_json() == data


def test_a_csv_plan_is_read_relative_to_the_world_file(tmp_path: Path) -> None:
    (tmp_path / "numbers.csv").write_text(
        "first,last,id_src,client_ips\n74950000000,74959999999,7,127.0.0.7\n", "utf-8"
    )
    (tmp_path / "world.toml").write_text('[plan]\ncsv = "numbers.csv"\n', "utf-8")
    world = load_world(tmp_path / "world.toml")
    assert world.plan.operator_address("74951234567") == "127.0.0.7"
    assert world.plan.operator("79000000001") is None
    with pytest.raises(WorldError, match=r"plan\.csv: files cannot be named here"):
        world_from_mapping({"plan": {"csv": "numbers.csv"}}, allow_files=False)


def test_the_csv_plan_of_the_docs_is_the_default_plan() -> None:
    world = loads_world(f'[plan]\ncsv = "{ROOT / "docs" / "example-numbers.csv"}"\n')
    assert world.plan.numbers == World().plan.numbers


BAD = [
    ("seed = 1.5\n", "<t>:1: seed: must be an integer"),
    ("seed = -1\n", "<t>: (top level): seed must be within"),
    ("sead = 1\n", "<t>:1: sead: unknown key"),
    ("[voice]\nring = [5, 1]\n", "<t>:2: voice.ring: a delay's high bound (1.0) is below"),
    ("[voice]\n\nring = { min = 1, mode = 9, max = 5 }\n", "<t>:3: voice.ring: a delay's mode"),
    ("[voice]\nlisten = -3\n", "<t>:2: voice.listen: a delay must be within"),
    ("[voice]\noutcomes = { answered = 0 }\n", "<t>:2: voice.outcomes: at least one weight"),
    ("[voice]\noutcomes = { answerd = 1 }\n", "<t>:2: voice.outcomes: unknown 'answerd'"),
    ("[sms]\nreport = 2\n", "<t>:2: sms.report: report must be within [0, 1]"),
    ("[email]\nreject_reason = ''\n", "<t>:2: email.reject_reason: must not be empty"),
    (
        '[[override]]\nnumber = "1"\nvoice = { busy = 1 }\n',
        "<t>:3: override[0].voice.busy: unknown key",
    ),
    (
        '[[override]]\nnumber = "1"\nsms = {report = 1}\n[[override]]\nrange = ["9", "3"]\n'
        "sms = {report = 1}\n",
        "<t>:5: override[1].range: range last (3) is below first (9)",
    ),
    (
        '[[override]]\nnumber = "1"\ndomain = "a.b"\n',
        "<t>:1: override[0]: an override names exactly one",
    ),
    (
        '[[override]]\nnumber = "x1"\nsms = {report = 1}\n',
        "<t>:2: override[0].number: 'x1' is not a phone number",
    ),
    (
        '[[event]]\nat = 5\nkind = "call"\nfrom = "1"\nto = "gsm"\n',
        "<t>:5: event[0].to: target 'gsm' is not 'system:port'",
    ),
    (
        '[[event]]\nat = -5\nkind = "call"\nfrom = "1"\nto = "gsm:1"\n',
        "<t>:2: event[0].at: at must be",
    ),
    (
        '[[event]]\nat = 5\nkind = "fax"\nfrom = "1"\nto = "gsm:1"\n',
        "<t>:3: event[0].kind: 'fax' is not",
    ),
    (
        '[[event]]\nat = 5\nkind = "sms"\nfrom = "1"\nto = "gsm:1"\nkeys = "1"\n',
        "<t>:6: event[0].keys: not a key of an sms",
    ),
    (
        '[[event]]\nat = 5\nkind = "call"\nfrom = "1"\nto = "gsm:1"\nkeys = "1x"\n',
        "event[0]: key 'x' is not one of",
    ),
    (
        '[[event]]\nat = 5\nkind = "call"\nfrom = "1"\nto = "gsm:1"\nkeys = "1"\n'
        "first_key = 40\ntalk_for = 10\n",
        "<t>:1: event[0]: the last key (40.0 s) comes after the caller hangs up",
    ),
    ('[[event]]\nkind = "call"\nfrom = "1"\nto = "gsm:1"\n', "<t>:1: event[0]: an event needs at"),
    (
        '[plan]\n[[plan.range]]\nfirst = "2"\nlast = "1"\nid_src = "1"\n',
        "<t>:2: plan.range[0]: last (1) is below first (2)",
    ),
    (
        '[[plan.region]]\nfirst = "1"\nlast = "5"\nname = "A"\nutc_offset = 3\n'
        '[[plan.region]]\nfirst = "4"\nlast = "9"\nname = "B"\nutc_offset = "+03:30"\n',
        "<t>:1: plan: regions 'A' and 'B' overlap",
    ),
    (
        '[[plan.region]]\nfirst = "1"\nlast = "5"\nname = "A"\nutc_offset = "3h"\n',
        "<t>:5: plan.region[0].utc_offset: UTC offset '3h' is not",
    ),
    ("[voice\n", "<t>: not valid TOML: Expected ']' at the end of a table declaration (at line 1"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_errors_name_the_line_the_key_and_the_reason(text: str, message: str) -> None:
    with pytest.raises(WorldError) as caught:
        loads_world(text, "<t>")
    assert message in str(caught.value)


def test_unreadable_and_non_utf8_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match="cannot read"):
        load_world(tmp_path / "missing.toml")
    (tmp_path / "latin.toml").write_bytes(b"# caf\xe9\n")
    with pytest.raises(WorldError, match="not UTF-8"):
        load_world(tmp_path / "latin.toml")


def test_event_keys_as_a_list_round_trip() -> None:
    event = parse_event(
        {"at": 1, "kind": "call", "from": 79000000001, "to": "gsm:1",
         "keys": [{"key": "1", "at": 3}, {"key": "#", "at": 4.5}]}
    )  # fmt: skip
    assert event.pressed == "1#" and event.keys[1].at == 4.5 and event.talk_for == 30
    assert parse_event(event.to_json()) == event
    with pytest.raises(WorldError, match=r"event.keys\[0\]: a key press is"):
        parse_event({"at": 1, "kind": "call", "from": "1", "to": "gsm:1", "keys": [{"key": "1"}]})


def test_locate_finds_nested_tables_and_arrays() -> None:
    text = '[[override]]\nnumber = "1"\n[override.voice]\nring = 1\n[[override]]\n\nrange = []\n'
    assert locate(text, ["override", 0, "voice", "ring"]) == 4
    assert locate(text, ["override", 1, "range"]) == 7
    assert locate(text, ["override", 1, "domain"]) == 5
    assert locate(text, ["nothing"]) is None


# --- hostile input: anything yields a world or a WorldError, nothing else ------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["seed", "voice", "sms", "email", "override", "event", "plan", "outcomes", "ring",
             "number", "range", "domain", "at", "kind", "from", "to", "keys", "region", "first",
             "last", "name", "utc_offset", "csv", "min", "max", "mode", "answered", "report"]
        ) | st.text(max_size=5),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["seed", "voice", "sms", "email", "override", "event", "plan"]),
        json_values,
        max_size=4,
    )
)
def test_hostile_documents_give_a_world_or_a_world_error(data: dict[str, object]) -> None:
    try:
        world = world_from_mapping(data, allow_files=False)
    except WorldError:
        return
    assert world_from_mapping(json.loads(json.dumps(world.to_json()))) == world


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_hostile_text_gives_a_world_or_a_world_error(text: str) -> None:
    with contextlib.suppress(WorldError):
        loads_world(text)
