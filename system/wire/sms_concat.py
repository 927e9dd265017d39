"""Long SMS: split a text into concatenated parts and put received parts back together.

How it works: ``segment_text`` picks the alphabet (GSM 7-bit when every
character fits, else UCS2) and cuts the text where the budget of one part
runs out — 160 septets / 70 UTF-16 units for a single message; 153 / 67 per
part behind an 8-bit-reference concatenation header, 152 / 66 behind a 16-bit
one. It walks whole characters, so an escape sequence (two septets) and a
surrogate pair (two UTF-16 units) always stay in one part. ``split_submit`` and
``split_deliver`` wrap the segments in ``SmsSubmit``/``SmsDeliver`` PDUs with
the concatenation IE; the caller encodes them with ``sms_pdu``.

``Reassembler`` collects parts keyed by (address, reference, total), in any
order; a duplicate of a part already held is ignored, and a message is
returned once every sequence number 1..total is present. Parts are joined as
UTF-16 so that a surrogate pair split across parts by a foreign sender is
mended; a surrogate left alone becomes U+FFFD. Time is passed in (``now``),
never read: ``expire(before)`` drops and returns groups that are too old, and
at most ``max_groups`` groups are held (the oldest goes first).

Public API::

    segment_text(text, *, alphabet=None, wide_reference=False) -> tuple[Alphabet, list[str]]
    split_submit(text, destination: Address | str, *, reference=0, wide_reference=False,
                 alphabet=None, message_reference=0, validity=None,
                 status_report_request=False, reject_duplicates=False,
                 smsc=None) -> list[SmsSubmit]
    split_deliver(text, originator: Address | str, timestamp, *, reference=0,
                  wide_reference=False, alphabet=None, smsc=None) -> list[SmsDeliver]
    @dataclass Message(address, text, data, reference, total)
    @dataclass PartialMessage(address, reference, total, received: tuple[int, ...])
    class Reassembler(max_groups=256):
        add(address: str, pdu: SmsDeliver | SmsSubmit, now: float = 0.0) -> Message | None
        expire(before: float) -> list[PartialMessage]
        pending() -> list[PartialMessage]

No I/O and no clock reads.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from nabat.system.wire import gsm7
from nabat.system.wire.sms_pdu import (
    Address,
    Alphabet,
    Concatenation,
    PduError,
    SmsDeliver,
    SmsSubmit,
)

MAX_PARTS = 255
_SINGLE = {Alphabet.GSM7: 160, Alphabet.UCS2: 70}
_PART = {(Alphabet.GSM7, False): 153, (Alphabet.GSM7, True): 152}
_PART |= {(Alphabet.UCS2, False): 67, (Alphabet.UCS2, True): 66}


def _cost(char: str, alphabet: Alphabet) -> int:
    if alphabet is Alphabet.GSM7:
        return gsm7.septet_length(char)
    return 2 if ord(char) > 0xFFFF else 1


def segment_text(
    text: str, *, alphabet: Alphabet | None = None, wide_reference: bool = False
) -> tuple[Alphabet, list[str]]:
    """The alphabet and the parts of ``text`` (one part when it fits a single SMS)."""
    chosen = alphabet or (Alphabet.GSM7 if gsm7.is_gsm7(text) else Alphabet.UCS2)
    if chosen is Alphabet.DATA_8BIT:
        raise PduError("segment_text splits texts; 8-bit data is not text")
    if chosen is Alphabet.GSM7 and not gsm7.is_gsm7(text):
        raise PduError(f"characters {gsm7.unencodable(text)!r} are not in the GSM 7-bit alphabet")
    costs = [_cost(char, chosen) for char in text]
    if sum(costs) <= _SINGLE[chosen]:
        return chosen, [text]
    budget = _PART[(chosen, wide_reference)]
    parts: list[str] = []
    start = used = 0
    for index, cost in enumerate(costs):
        if used + cost > budget:
            parts.append(text[start:index])
            start, used = index, 0
        used += cost
    parts.append(text[start:])
    if len(parts) > MAX_PARTS:
        raise PduError(f"text needs {len(parts)} parts, more than {MAX_PARTS}")
    return chosen, parts


def _headers(
    count: int, reference: int, wide_reference: bool
) -> list[tuple[Concatenation | None, int]]:
    if count == 1:
        return [(None, 1)]
    return [
        (Concatenation(reference, count, sequence, wide_reference), sequence)
        for sequence in range(1, count + 1)
    ]


def split_submit(
    text: str,
    destination: Address | str,
    *,
    reference: int = 0,
    wide_reference: bool = False,
    alphabet: Alphabet | None = None,
    message_reference: int = 0,
    validity: int | datetime | bytes | None = None,
    status_report_request: bool = False,
    reject_duplicates: bool = False,
    smsc: Address | None = None,
) -> list[SmsSubmit]:
    """SMS-SUBMIT PDUs for ``text``; TP-MR counts up from ``message_reference`` (mod 256)."""
    address = Address.parse(destination) if isinstance(destination, str) else destination
    chosen, parts = segment_text(text, alphabet=alphabet, wide_reference=wide_reference)
    return [
        SmsSubmit(
            destination=address,
            text=part,
            alphabet=chosen,
            message_reference=(message_reference + sequence - 1) % 256,
            validity=validity,
            reject_duplicates=reject_duplicates,
            status_report_request=status_report_request,
            udh=(concat.to_element(),) if concat else (),
            smsc=smsc,
        )
        for part, (concat, sequence) in zip(
            parts, _headers(len(parts), reference, wide_reference), strict=True
        )
    ]


def split_deliver(
    text: str,
    originator: Address | str,
    timestamp: datetime,
    *,
    reference: int = 0,
    wide_reference: bool = False,
    alphabet: Alphabet | None = None,
    smsc: Address | None = None,
) -> list[SmsDeliver]:
    """SMS-DELIVER PDUs for ``text`` as a network hands a long message to a phone."""
    address = Address.parse(originator) if isinstance(originator, str) else originator
    chosen, parts = segment_text(text, alphabet=alphabet, wide_reference=wide_reference)
    return [
        SmsDeliver(
            originator=address,
            timestamp=timestamp,
            text=part,
            alphabet=chosen,
            udh=(concat.to_element(),) if concat else (),
            smsc=smsc,
        )
        for part, (concat, _) in zip(
            parts, _headers(len(parts), reference, wide_reference), strict=True
        )
    ]


@dataclass(frozen=True)
class Message:
    """A whole message: ``text`` for GSM 7-bit/UCS2 parts, ``data`` when all are 8-bit."""

    address: str
    text: str
    data: bytes = b""
    reference: int | None = None
    total: int = 1


@dataclass(frozen=True)
class PartialMessage:
    address: str
    reference: int
    total: int
    received: tuple[int, ...]


@dataclass
class _Group:
    first_seen: float
    parts: dict[int, SmsDeliver | SmsSubmit] = field(default_factory=dict)


def _mend(chunks: list[str]) -> str:
    joined = "".join(chunks).encode("utf-16-be", "surrogatepass")
    return joined.decode("utf-16-be", "replace")


def _assemble(address: str, parts: list[SmsDeliver | SmsSubmit], ref: int | None) -> Message:
    if all(part.alphabet is Alphabet.DATA_8BIT for part in parts):
        return Message(address, "", b"".join(part.data for part in parts), ref, len(parts))
    return Message(address, _mend([part.text for part in parts]), b"", ref, len(parts))


class Reassembler:
    """Concatenated parts in, whole messages out; bounded, and time only as passed in."""

    def __init__(self, max_groups: int = 256) -> None:
        if max_groups < 1:
            raise ValueError("max_groups must be at least 1")
        self._max_groups = max_groups
        self._groups: OrderedDict[tuple[str, int, int], _Group] = OrderedDict()

    def add(self, address: str, pdu: SmsDeliver | SmsSubmit, now: float = 0.0) -> Message | None:
        """Hold a part; the whole message once its last missing part arrives."""
        concat = pdu.concatenation
        if concat is None or concat.total == 1:
            return _assemble(address, [pdu], concat.reference if concat else None)
        key = (address, concat.reference, concat.total)
        group = self._groups.get(key)
        if group is None:
            while len(self._groups) >= self._max_groups:
                self._groups.popitem(last=False)
            group = self._groups[key] = _Group(first_seen=now)
        group.parts.setdefault(concat.sequence, pdu)
        if len(group.parts) < concat.total:
            return None
        del self._groups[key]
        ordered = [group.parts[sequence] for sequence in range(1, concat.total + 1)]
        return _assemble(address, ordered, concat.reference)

    def expire(self, before: float) -> list[PartialMessage]:
        """Drop and return the groups whose first part arrived before ``before``."""
        stale = [key for key, group in self._groups.items() if group.first_seen < before]
        dropped = [self._partial(key) for key in stale]
        for key in stale:
            del self._groups[key]
        return dropped

    def pending(self) -> list[PartialMessage]:
        return [self._partial(key) for key in self._groups]

    def _partial(self, key: tuple[str, int, int]) -> PartialMessage:
        address, reference, total = key
        return PartialMessage(address, reference, total, tuple(sorted(self._groups[key].parts)))
