"""ATS wire helpers (bits, messages, hashes) and the suite's plan options."""

from __future__ import annotations

import hashlib

import pytest
from nabat.conformance.ats.options import OPTIONS, settings_from
from nabat.conformance.ats.plan import NumberSource
from nabat.conformance.ats.wire import (
    BIT_TEXTS,
    FREE_MASK,
    NOT_A_OWNER,
    describe_bits,
    number_hash,
    parse_messages,
    parse_modern_bits,
    read_error_headers,
)
from nabat.conformance.framework.options import COMMON_OPTIONS, to_argv


def test_number_hash_is_lowercase_sha256_of_digits() -> None:
    assert number_hash("79000000000") == hashlib.sha256(b"79000000000").hexdigest()
    assert number_hash("79000000000") == number_hash("79000000000").lower()


@pytest.mark.parametrize(("raw", "bits"), [("0x00000003", 3), ("0x0080000A", 0x0080000A),
                                           ("0x3", None), ("00000003", None), ("3", None)])
def test_modern_bits_format(raw: str, bits: int | None) -> None:
    assert parse_modern_bits(raw) == bits


def test_error_header_variants() -> None:
    modern = read_error_headers({"X-Error-Bits": "0x00000003"})
    assert (modern.variant, modern.bits) == ("modern", 3)
    legacy = read_error_headers({"X-Error-Code": "3", "X-errors": "3", "X-errors-hex": "00000003"})
    assert (legacy.variant, legacy.bits, legacy.problems) == ("legacy", 3, ())
    mixed = read_error_headers({"X-Error-Bits": "0x00000003", "X-errors": "3"})
    assert mixed.variant == "mixed"
    disagree = read_error_headers({"X-errors": "3", "X-errors-hex": "00000007"})
    assert disagree.problems
    assert read_error_headers({}).variant == "none"
    assert read_error_headers({"X-Error-Bits": "3"}).problems


def test_messages_format() -> None:
    text = ('[0x00000001] Required POST parameter "a" not found or empty; '
            '[0x00000002] Required POST parameter "b" not found or empty')
    assert parse_messages(text) == [(1, BIT_TEXTS[1]), (2, BIT_TEXTS[2])]
    glued = "[0x00000001] text, [0x00000002] text"
    assert parse_messages(glued) == [(1, "text, [0x00000002] text")]
    assert parse_messages("0x00000001 text") is None
    assert parse_messages("[0x1] text") is None
    assert parse_messages("") is None


def test_describe_bits_and_free_range() -> None:
    assert describe_bits(NOT_A_OWNER | 1) == "0x00800001 (PARAM_A_NOT_FOUND, NOT_A_OWNER)"
    assert FREE_MASK & 0x00008000 and FREE_MASK & 0x00040000
    assert not FREE_MASK & (NOT_A_OWNER | 0x7FFF | 0x80000000)


def test_default_settings_match_the_default_plan() -> None:
    settings = settings_from({})
    assert (settings.a.ip, settings.a.first, settings.a.last, settings.a.id_src) == (
        "127.0.0.1", 79000000000, 79099999999, "1")
    assert (settings.b.ip, settings.b.id_src) == ("127.0.0.2", "2")
    assert (settings.unknown_ip, settings.unknown_number, settings.window) == (
        "127.0.0.9", "79990000000", 60.0)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ats_operator_a_ip": "10.0.0.1"}, "not a loopback"),
        ({"ats_operator_b_ip": "127.0.0.1"}, "distinct"),
        ({"ats_operator_b_numbers": "79050000000-79150000000"}, "overlap"),
        ({"ats_unknown_number": "79000000005"}, "inside"),
        ({"ats_operator_a_numbers": "79-7"}, "empty"),
        ({"ats_operator_a_numbers": "abc"}, "FIRST-LAST|must look like"),
    ],
)
def test_bad_plan_options_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings_from(values)


def test_numbers_are_unique_in_range_and_seeded() -> None:
    settings = settings_from({"ats_operator_a_numbers": "79000000000-79000000049"})
    source = NumberSource(seed=7)
    drawn = [source.number(settings.a) for _ in range(50)]
    assert len(set(drawn)) == 50
    assert all(settings.a.owns(int(n)) for n in drawn)
    with pytest.raises(RuntimeError, match="exhausted"):
        source.number(settings.a)
    assert NumberSource(seed=7).number(settings.b) == NumberSource(seed=7).number(settings.b)
    assert source.call_id() != source.call_id()
    foreign = source.foreign()
    assert foreign.isdigit() and not foreign.startswith("7") and len(foreign) == 11


def test_to_argv_round_trip() -> None:
    specs = (*COMMON_OPTIONS, *OPTIONS)
    values = {"target": "http://127.0.0.1:1", "without": ["dbg", "call"], "profile": "default",
              "ats_window": "30"}
    assert to_argv(specs, values) == ["--target", "http://127.0.0.1:1", "--without", "dbg",
                                      "--without", "call", "--ats-window", "30"]
