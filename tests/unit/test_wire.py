"""ATS error headers (nabat.system.wire.ats): every profile decodes back to what was
encoded; the texts come from the tables the server passes; unknown bits get names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.wire.ats import (
    SPEC_ERROR_MESSAGES,
    ErrorBit,
    HeaderProfile,
    MessageTables,
    decode_error_headers,
    encode_error_headers,
    format_messages,
)

bits32 = st.integers(min_value=0, max_value=0xFFFFFFFF)


@given(bits32, bits32, st.booleans(), st.sampled_from(list(HeaderProfile)))
def test_round_trip_in_every_profile(
    errors: int, warnings: int, debug: bool, profile: HeaderProfile
) -> None:
    report = decode_error_headers(encode_error_headers(errors, warnings, debug, profile))
    assert report.error_bits == errors
    assert report.warning_bits == warnings
    assert report.legacy is (profile is HeaderProfile.LEGACY)
    assert bool(report.messages) == (debug and errors != 0)


def test_modern_header_format_matches_ruling_5() -> None:
    headers = dict(encode_error_headers(0x3, 0, True))
    assert headers["X-Error-Bits"] == "0x00000003"
    assert headers["X-Error-Messages"] == (
        '[0x00000001] Required POST parameter "a" not found or empty; '
        '[0x00000002] Required POST parameter "b" not found or empty'
    )


def test_messages_only_with_debug() -> None:
    assert "X-Error-Messages" not in dict(encode_error_headers(0x3, 0, False))


def test_legacy_header_set() -> None:
    headers = dict(encode_error_headers(0x11, 0x1, True, HeaderProfile.LEGACY))
    assert "X-Error-Bits" not in headers
    assert headers["X-Error-Code"] == "17"
    assert headers["X-errors"] == "17"
    assert headers["X-errors-hex"] == "00000011"
    assert headers["X-warnings-hex"] == "00000001"
    assert headers["X-Error-Message"].startswith("[0x00000001]")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-error-bits": "0x00000400"}, 0x400),
        ({"X-Errors-Hex": "400"}, 0x400),
        ({"X-errors": "1024"}, 0x400),
        ({"X-Error-Code": "1024"}, 0x400),
        ({"X-Error-Bits": "garbage", "X-errors": "5"}, 5),
        ({"X-Error-Bits": "garbage"}, 0),
        ({}, 0),
    ],
)
def test_decoder_accepts_any_header_set(headers: dict[str, str], expected: int) -> None:
    assert decode_error_headers(headers).error_bits == expected


def test_every_named_bit_has_a_message_and_names_decode() -> None:
    for bit in ErrorBit:
        assert bit.value in SPEC_ERROR_MESSAGES, bit
    report = decode_error_headers({"X-Error-Bits": "0x00800401"})
    assert report.error_names() == ["PARAM_A_NOT_FOUND", "A_NOT_FOUND_IN_DB", "NOT_A_OWNER"]
    assert decode_error_headers({"X-Error-Bits": "0x00100000"}).error_names() == ["BIT_20"]


def test_unknown_bits_get_a_placeholder_message() -> None:
    assert format_messages(1 << 20, SPEC_ERROR_MESSAGES) == "[0x00100000] Unknown error"


@given(bits32, bits32, st.booleans(), st.sampled_from(list(HeaderProfile)))
def test_case_insensitive_lookup_agrees_with_the_mapping_decoder(
    errors: int, warnings: int, debug: bool, profile: HeaderProfile
) -> None:
    from multidict import CIMultiDict
    from nabat.system.wire.ats import decode_error_lookup

    headers = CIMultiDict(encode_error_headers(errors, warnings, debug, profile))
    assert decode_error_lookup(headers.get) == decode_error_headers(headers.items())


def test_the_codec_knows_only_the_spec_bits() -> None:
    free_range = range(15, 23)  # the spec leaves bits 15..22 FREE for a server's own use
    assert all(bit.value.bit_length() - 1 not in free_range for bit in ErrorBit)
    report = decode_error_headers({"X-Error-Bits": "0x00048001"})
    assert report.error_names() == ["PARAM_A_NOT_FOUND", "BIT_15", "BIT_18"]


def test_the_server_passes_its_own_texts() -> None:
    own = MessageTables(
        errors={**SPEC_ERROR_MESSAGES, 1 << 15: "own error"}, warnings={1: "own warning"}
    )
    for profile in HeaderProfile:
        headers = dict(encode_error_headers(0x8001, 0x1, True, profile, own))
        text = headers.get("X-Error-Messages") or headers["X-Error-Message"]
        assert text.endswith("[0x00008000] own error"), profile
    modern = dict(encode_error_headers(0x8001, 0x1, True, HeaderProfile.MODERN, own))
    assert modern["X-Warning-Messages"] == "[0x00000001] own warning"
    spec_only = dict(encode_error_headers(0x8000, 0, True))
    assert spec_only["X-Error-Messages"] == "[0x00008000] Unknown error"


def test_the_simulator_texts_cover_its_own_bits() -> None:
    from nabat.simulators.ats.bits import SIM_MESSAGES, SimErrorBit, SimWarningBit

    for bit in SimErrorBit:
        assert bit.value in SIM_MESSAGES.errors and bit.value not in SPEC_ERROR_MESSAGES
    for warning in SimWarningBit:
        assert warning.value in SIM_MESSAGES.warnings
    assert set(SPEC_ERROR_MESSAGES) <= set(SIM_MESSAGES.errors)
