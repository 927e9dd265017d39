"""The simulator's query decoding equals the standard library's, component by component."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.mfms.query import QueryError, decode_pairs

components = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


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
    encode = (lambda text: quote(text, safe="").replace("%20", "+")) if plus else (
        lambda text: quote(text, safe=""))  # fmt: skip
    query = "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)
    assert decode_pairs(query) == reference(query)


@pytest.mark.parametrize("query", ["a=%00b&c=d", "a=\x00&b=c", "n%00=v", "a=%D0%9F&b=%00"])
def test_nul_in_a_component_stays_in_that_component(query: str) -> None:
    assert decode_pairs(query) == reference(query)


@pytest.mark.parametrize("query", ["a=%D0&b=%9F", "a=%FF", "a=%e2%82"])
def test_bytes_that_are_not_utf8_are_refused_even_across_components(query: str) -> None:
    with pytest.raises(QueryError, match="not UTF-8"):
        decode_pairs(query)
