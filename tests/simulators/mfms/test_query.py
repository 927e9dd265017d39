"""The simulator's query decoding equals the standard library's, component by component."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.mfms.query import _BAD_ESCAPE, QueryError, decode_pairs

components = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def reference(query: str) -> list[tuple[str, str]]:
    pairs = []
    for item in query.split("&"):
        if item:
            name, _, value = item.partition("=")
            pairs.append(
                (unquote(name.replace("+", " "), errors="strict"),
                 unquote(value.replace("+", " "), errors="strict"))
            )  # fmt: skip
    return pairs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(components, components), max_size=8), st.booleans())
def test_decoding_matches_the_standard_library(pairs: list[tuple[str, str]], plus: bool) -> None:
    def encode(text: str) -> str:
        quoted = quote(text, safe="")
        return quoted.replace("%20", "+") if plus else quoted

    query = "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)
    assert decode_pairs(query) == reference(query)


@pytest.mark.parametrize("query", ["a=%00b&c=d", "a=\x00&b=c", "n%00=v", "a=%D0%9F&b=%00"])
def test_nul_in_a_component_stays_in_that_component(query: str) -> None:
    assert decode_pairs(query) == reference(query)


@pytest.mark.parametrize("query", ["a=%D0&b=%9F", "a=%FF", "a=%e2%82"])
def test_bytes_that_are_not_utf8_are_refused_even_across_components(query: str) -> None:
    with pytest.raises(QueryError, match="not UTF-8"):
        decode_pairs(query)


def reference_or_error(query: str) -> list[tuple[str, str]] | str:
    """What decoding must give: the pairs, or which error (checked in that order)."""
    if _BAD_ESCAPE.search(query):
        return "malformed percent-escape"
    try:
        return reference(query)
    except UnicodeDecodeError:
        return "not UTF-8"


raw_queries = st.lists(
    st.sampled_from(["%", "=", "&", "+", "\\", "x", "4", "1", "D0", "9F", "%D0%9F", "%00",
                     "\x00", "П", "a", "%2", "%E2%82", "%AC"]),
    max_size=14,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(raw_queries)
def test_any_query_decodes_as_the_standard_library_or_fails_the_same_way(query: str) -> None:
    """Both paths (every item name=value, or not), bad escapes found only after a failed
    decoding, and a query of nothing but '&'."""
    expected = reference_or_error(query)
    if isinstance(expected, str):
        with pytest.raises(QueryError, match=expected):
            decode_pairs(query)
    else:
        assert decode_pairs(query) == expected


@pytest.mark.parametrize("query", ["&", "&&", "a=1&", "&a=1", "a&b=2", "a=b=c&d"])
def test_items_without_a_value_or_with_two_equals_signs(query: str) -> None:
    assert decode_pairs(query) == reference(query)
