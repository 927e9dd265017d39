"""HPG requests packed to the URL limit: pure, fast, exact.

How it works: ``QueryPacker`` knows the fixed parts of every request — the
URL, ``?``, the credentials (encoded once by the wire codec's
``build_send_query``/``build_status_query`` with no messages) and the
percent-encoded subject — and percent-encodes each text once (a small
cache: bulk sends repeat texts). ``percent_encode`` is ``urllib.parse.quote(
text, safe="")`` as one ``str.translate`` (a loop in C) over a list indexed
by code point (``_FAST``: every character below U+3000 — Latin, Cyrillic,
punctuation, ``№`` — filled as it is first met); a text with a character
the list does not hold yet, or beyond it, takes the general table
(``_PERCENT``, a dict filled the same way), which also fills the list.
``pack_send`` walks the messages and appends
``&subject[i]=..&address[i]=..&text[i]=..&clientId[i]=i`` (one
``str.format`` per message) while the URL stays within ``max_url_length``
characters and the request within ``max_batch`` messages; the URL is built
from the same strings it is measured by, so the bound is exact. Each
message's clientId is its index in its request (unique within one request,
which is all the spec promises). The resulting query is byte for byte what
``hpg.build_send_query`` would write for the same records (the tests check
this). A message whose own fragment does not fit even alone is returned in
``too_long``. ``pack_status`` does the same for ``providerId[i]``.
``iter_send`` yields the requests one by one, so the route sends the first
while packing the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from nabat.system.wire.hpg import Credentials, build_send_query, build_status_query

_CACHE_LIMIT = 4096
_ALWAYS_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_FAST_LIMIT = 0x3000  # code points the list table holds (96 KiB of references)
_UNFILLED = "\uffff"  # not ASCII: a text meeting it takes the general table, which fills it


def _quote_char(code: int) -> str:
    char = chr(code)
    if char in _ALWAYS_SAFE:
        return char
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


_FAST: list[str] = [_quote_char(code) for code in range(128)]
_FAST += [_UNFILLED] * (_FAST_LIMIT - len(_FAST))


class _PercentTable(dict[int, str]):
    """``quote(char, safe="")`` per code point, for ``str.translate`` (a loop in C).

    Filled as characters are met, at most ``_CACHE_LIMIT`` of them (and every
    one below ``_FAST_LIMIT`` into ``_FAST``); a lone surrogate raises
    ``UnicodeEncodeError`` as ``quote`` does.
    """

    def __missing__(self, code: int) -> str:
        value = _quote_char(code)
        if code < _FAST_LIMIT:
            _FAST[code] = value
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


_PERCENT = _PercentTable()


def percent_encode(text: str) -> str:
    """``urllib.parse.quote(text, safe="")``, in C for every character already met.

    A list table leaves a code point beyond it unchanged (``IndexError`` is a
    ``LookupError``) and maps one not met yet to ``_UNFILLED``: either way the
    result is not ASCII, and the general table does the text (and learns)."""
    encoded = text.translate(_FAST)
    return encoded if encoded.isascii() else text.translate(_PERCENT)


@dataclass(frozen=True, slots=True)
class PackedRequest:
    query: str  # without "?"
    positions: tuple[int, ...]  # indexes into the input; clientId i is positions[i]


@dataclass(frozen=True, slots=True)
class Packing:
    requests: list[PackedRequest]
    too_long: list[int]  # input positions that fit in no request


class QueryPacker:
    def __init__(
        self,
        credentials: Credentials,
        *,
        send_url: str,
        status_url: str,
        subject: str,
        max_url_length: int | None,
        max_batch: int,
    ) -> None:
        self._send_base = build_send_query(credentials, [])
        self._status_base = build_status_query(credentials, [])
        self._send_overhead = len(send_url) + 1  # "?"
        self._status_overhead = len(status_url) + 1
        self._subject = quote(subject, safe="")
        self._limit = max_url_length
        self._max_batch = max_batch
        self._encoded: dict[str, str] = {}

    def encode_text(self, text: str) -> str:
        encoded = self._encoded.get(text)
        if encoded is None:
            encoded = percent_encode(text)
            if len(self._encoded) >= _CACHE_LIMIT:
                self._encoded.clear()
            self._encoded[text] = encoded
        return encoded

    def pack_send(self, messages: Sequence[tuple[str, str]]) -> Packing:
        """``messages`` as (address, text) pairs."""
        return _collect(self.iter_send(messages))

    def iter_send(self, messages: Iterable[tuple[str, str]]) -> Iterator[PackedRequest | int]:
        """``pack_send`` one request at a time (an int is a position too long for any URL),
        so a sender can put the first request on the wire while the rest are packed."""
        encode = self.encode_text
        encoded = (
            (
                address if address.isascii() and address.isalnum() else quote(address, safe=""),
                encode(text),
            )
            for address, text in messages
        )
        # The subject is percent-encoded: it holds no brace.
        layout = (
            f"&subject[{{0}}]={self._subject}&address[{{0}}]={{1}}&text[{{0}}]={{2}}"
            "&clientId[{0}]={0}"
        )
        return self._iter_pack(encoded, layout, self._send_base, self._send_overhead)

    def pack_status(self, provider_ids: Sequence[str]) -> Packing:
        encoded = ((quote(provider_id, safe=""),) for provider_id in provider_ids)
        packed = self._iter_pack(
            encoded, "&providerId[{0}]={1}", self._status_base, self._status_overhead
        )
        return _collect(packed)

    def _iter_pack(
        self, items: Iterable[tuple[str, ...]], layout: str, base: str, overhead: int
    ) -> Iterator[PackedRequest | int]:
        """Fragments ``layout.format(index, *item)``, packed into requests after ``base``."""
        limit = None if self._limit is None else self._limit - overhead
        max_batch = self._max_batch
        fragment_of = layout.format
        parts: list[str] = [base]
        length = len(base)
        positions: list[int] = []
        for position, item in enumerate(items):
            fragment = fragment_of(str(len(positions)), *item)
            if (limit is not None and length + len(fragment) > limit) or len(
                positions
            ) >= max_batch:
                if positions:
                    yield PackedRequest("".join(parts), tuple(positions))
                    parts, length, positions = [base], len(base), []
                    fragment = fragment_of("0", *item)
                if limit is not None and length + len(fragment) > limit:
                    yield position
                    continue
            parts.append(fragment)
            length += len(fragment)
            positions.append(position)
        if positions:
            yield PackedRequest("".join(parts), tuple(positions))


def _collect(packed: Iterable[PackedRequest | int]) -> Packing:
    requests: list[PackedRequest] = []
    too_long: list[int] = []
    for item in packed:
        if isinstance(item, int):
            too_long.append(item)
        else:
            requests.append(item)
    return Packing(requests, too_long)
