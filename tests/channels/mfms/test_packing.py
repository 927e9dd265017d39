"""Requests packed to the URL limit: exact bound, the codec's own encoding, every message once."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.channels.mfms import QueryPacker
from nabat.system.channels.mfms.requests import _FAST, _UNFILLED, percent_encode
from nabat.system.wire.hpg import Credentials, SendRecord, build_send_query, build_status_query

from .helpers import SEND, STATUS

CREDENTIALS = Credentials("CLIENT", "P@ss w0rd&;", "login", "pass")
ALPHABET = st.sampled_from(list("abcXYZ019 Привет&;#%+=?/[]{}0\n\"'ё€😀"))
TEXTS = st.text(ALPHABET, min_size=1, max_size=300)
NUMBERS = st.from_regex(r"7\d{10}", fullmatch=True)


def packer(limit: int | None, max_batch: int = 1000) -> QueryPacker:
    return QueryPacker(
        CREDENTIALS,
        send_url=SEND,
        status_url=STATUS,
        subject="SUBJECT",
        max_url_length=limit,
        max_batch=max_batch,
    )


@settings(max_examples=40, deadline=None)
@given(
    messages=st.lists(st.tuples(NUMBERS, TEXTS), min_size=1, max_size=25),
    limit=st.integers(300, 3000),
    max_batch=st.integers(1, 50),
)
def test_every_url_fits_exactly_and_matches_the_codec(
    messages: list[tuple[str, str]], limit: int, max_batch: int
) -> None:
    packing = packer(limit, max_batch).pack_send(messages)
    seen = [position for request in packing.requests for position in request.positions]
    assert sorted(seen + packing.too_long) == list(range(len(messages)))
    assert seen == sorted(seen)  # order kept
    one = packer(limit, max_batch)
    for number, request in enumerate(packing.requests):
        url = f"{SEND}?{request.query}"
        assert len(url) <= limit
        assert len(request.positions) <= max_batch
        records = [
            SendRecord("SUBJECT", messages[p][0], messages[p][1], str(i))
            for i, p in enumerate(request.positions)
        ]
        assert request.query == build_send_query(CREDENTIALS, records)
        # tight: the next message would not have fitted (or the batch was full)
        if number + 1 < len(packing.requests):
            following = packing.requests[number + 1].positions[0]
            skipped = [p for p in packing.too_long if request.positions[-1] < p < following]
            if not skipped and len(request.positions) < max_batch:
                longer = [
                    *records,
                    SendRecord(
                        "SUBJECT",
                        messages[following][0],
                        messages[following][1],
                        str(len(records)),
                    ),
                ]
                assert len(f"{SEND}?{build_send_query(CREDENTIALS, longer)}") > limit
    for position in packing.too_long:
        alone = one.pack_send([messages[position]])
        assert alone.requests == [] and alone.too_long == [0]


def test_a_message_too_long_for_any_url_is_set_apart() -> None:
    packing = packer(600).pack_send([("79031111111", "ok"), ("79032222222", "Я" * 200)])
    assert packing.too_long == [1]
    assert [request.positions for request in packing.requests] == [(0,)]


def test_without_a_url_limit_only_the_batch_size_splits() -> None:
    packing = packer(None, max_batch=3).pack_send([("79031111111", "Я" * 500)] * 7)
    assert [len(request.positions) for request in packing.requests] == [3, 3, 1]


@settings(max_examples=50, deadline=None)
@given(ids=st.lists(st.from_regex(r"[0-9]{1,12}", fullmatch=True), min_size=1, max_size=120))
def test_status_requests_fit_and_match_the_codec(ids: list[str]) -> None:
    packing = packer(400).pack_status(ids)
    assert not packing.too_long
    for request in packing.requests:
        assert len(f"{STATUS}?{request.query}") <= 400
        assert request.query == build_status_query(CREDENTIALS, [ids[p] for p in request.positions])


@settings(max_examples=30, deadline=None)
@given(messages=st.lists(st.tuples(NUMBERS, TEXTS), min_size=1, max_size=10))
def test_the_fast_url_is_the_url_httpx_would_build(messages: list[tuple[str, str]]) -> None:
    import httpx
    from nabat.system.channels.mfms.fast_url import url_with_query

    (request,) = packer(None).pack_send(messages).requests
    fast = url_with_query(httpx.URL(SEND), request.query)
    slow = httpx.URL(f"{SEND}?{request.query}")
    assert fast == slow and fast.raw_path == slow.raw_path and str(fast) == str(slow)
    assert fast.params.multi_items() == slow.params.multi_items()


@settings(max_examples=300, deadline=None)
@given(st.text() | st.text(st.sampled_from("aZ9-~ Яё№€😀\u3000\u2fff\ufffe\uffff%&+")))
def test_percent_encode_is_quote(text: str) -> None:
    """The list table (below U+3000, filled as met), the general table, surrogates."""
    try:
        expected = quote(text, safe="")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            percent_encode(text)
        return
    assert percent_encode(text) == expected
    assert percent_encode(text) == expected  # again, with the tables filled


def test_a_character_the_list_table_has_not_met_yet_takes_the_general_table() -> None:
    fresh = chr(0x2FFE)  # a code point no other test writes
    assert _FAST[0x2FFE] == _UNFILLED or _FAST[0x2FFE] == "%E2%BF%BE"
    assert percent_encode(f"Я{fresh}") == "%D0%AF%E2%BF%BE"
    assert _FAST[0x2FFE] == "%E2%BF%BE"
