"""The incremental line splitter: chunking never matters, memory stays bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.protocol.exceptions import (
    BareCarriageReturn,
    BareLineFeed,
    FramingError,
    IncompleteLine,
    LineTooLong,
)
from nabat.system.protocol.framing import LineSplitter
from nabat.system.protocol.lines import encode_line

from tests.protocol.strategies import params, words

Outcome = bytes | type[FramingError]


def drain(splitter: LineSplitter) -> list[Outcome]:
    out: list[Outcome] = []
    while True:
        try:
            line = splitter.next_line()
        except FramingError as exc:
            out.append(type(exc))
            continue
        if line is None:
            return out
        out.append(line)


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(data)) for cut in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def feed_chunks(chunks: list[bytes], max_length: int) -> tuple[list[Outcome], LineSplitter]:
    splitter = LineSplitter(max_length)
    out: list[Outcome] = []
    for chunk in chunks:
        splitter.feed(chunk)
        assert splitter.buffered <= max_length - 1
        out += drain(splitter)
    return out, splitter


def reference(stream: bytes, max_length: int) -> tuple[list[Outcome], bytes]:
    """The splitter's rules applied one byte at a time (the module comment)."""
    out: list[Outcome] = []
    line = bytearray()
    dropping = False
    for byte in stream:
        if dropping:
            dropping = byte != 0x0A
            continue
        if byte == 0x0A:
            out.append(bytes(line[:-1]) if line.endswith(b"\r") else BareLineFeed)
            line.clear()
            continue
        if line.endswith(b"\r"):
            out.append(BareCarriageReturn)
            line.clear()
            dropping = True
            continue
        line.append(byte)
        if len(line) - line.endswith(b"\r") > max_length - 2:
            out.append(LineTooLong)
            line.clear()
            dropping = True
    return out, b"" if dropping else bytes(line)


@given(st.lists(st.tuples(words, params), max_size=10), st.lists(st.integers(0, 2000)))
def test_lines_come_out_the_same_whatever_the_chunking(
    lines: list[tuple[str, list[str]]], cuts: list[int]
) -> None:
    encoded = [encode_line(word, values) for word, values in lines]
    out, splitter = feed_chunks(split_at(b"".join(encoded), cuts), 8192)
    assert out == [data[:-2] for data in encoded]
    splitter.end_of_stream()


hostile_streams = st.lists(
    st.sampled_from([b"A", b"B", b" ", b"\r", b"\n", b"\r\n", b"\xff", b"PING\r\n"]), max_size=60
).map(b"".join)


@given(hostile_streams, st.lists(st.integers(0, 200)), st.integers(3, 12))
def test_hostile_streams_match_the_byte_by_byte_rules_for_any_chunking(
    stream: bytes, cuts: list[int], max_length: int
) -> None:
    expected, partial = reference(stream, max_length)
    whole, _ = feed_chunks([stream], max_length)
    chunked, splitter = feed_chunks(split_at(stream, cuts), max_length)
    assert whole == expected
    assert chunked == expected
    if partial:
        with pytest.raises(IncompleteLine):
            splitter.end_of_stream()
    else:
        splitter.end_of_stream()


def test_an_overlong_line_is_reported_before_it_ends_and_is_never_buffered() -> None:
    splitter = LineSplitter(64)
    splitter.feed(b"GETTASK " + b"1" * 56)  # 64 bytes, no CRLF yet: too long already
    with pytest.raises(LineTooLong) as info:
        splitter.next_line()
    assert info.value.word == "GETTASK"
    assert info.value.code == "line-too-long"
    for _ in range(1000):  # a megabyte more of the same line
        splitter.feed(b"x" * 1024)
        assert splitter.buffered == 0
        assert splitter.next_line() is None
    splitter.feed(b"tail\r\nPING\r\n")
    assert list(splitter) == [b"PING"]


def test_a_line_of_exactly_the_maximum_is_accepted() -> None:
    splitter = LineSplitter(10)
    splitter.feed(b"PING 123\r\nPING 1234\r\n")
    assert splitter.next_line() == b"PING 123"
    with pytest.raises(LineTooLong):
        splitter.next_line()


def test_a_cr_at_the_limit_may_still_be_the_terminator() -> None:
    splitter = LineSplitter(6)
    for byte in b"ABCD\r":
        splitter.feed(bytes([byte]))
    assert splitter.next_line() is None
    splitter.feed(b"\n")
    assert splitter.next_line() == b"ABCD"


def test_each_bad_line_costs_one_error_and_splitting_goes_on() -> None:
    splitter = LineSplitter(32)
    splitter.feed(b"PING\r\nBARE\nCR\rX\r\nQUIT\r\n\r\n")
    out = drain(splitter)
    assert out == [b"PING", BareLineFeed, BareCarriageReturn, b"QUIT", b""]


def test_errors_carry_the_word_when_it_is_readable() -> None:
    splitter = LineSplitter(32)
    splitter.feed(b"LOGIN a\nlogin\rx\r\n")
    with pytest.raises(BareLineFeed) as lf:
        splitter.next_line()
    with pytest.raises(BareCarriageReturn) as cr:
        splitter.next_line()
    assert lf.value.word == "LOGIN"
    assert cr.value.word is None


def test_iteration_stops_at_an_error_and_resumes_after_it() -> None:
    splitter = LineSplitter()
    splitter.feed(b"A\r\nB\nC\r\n")
    iterator = iter(splitter)
    assert next(iterator) == b"A"
    with pytest.raises(BareLineFeed):
        next(iterator)
    assert list(splitter) == [b"C"]


def test_end_of_stream_reports_an_unfinished_line() -> None:
    splitter = LineSplitter()
    splitter.feed(b"PING\r\nQUI")
    assert list(splitter) == [b"PING"]
    with pytest.raises(IncompleteLine) as info:
        splitter.end_of_stream()
    assert info.value.code == "incomplete-line"
    splitter.end_of_stream()  # the partial line is gone now


def test_a_too_small_maximum_is_refused() -> None:
    with pytest.raises(ValueError):
        LineSplitter(2)
