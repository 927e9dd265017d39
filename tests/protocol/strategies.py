"""Hypothesis strategies for the protocol codec's tests."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any

from hypothesis import strategies as st
from nabat.system.protocol import values
from nabat.system.protocol.fields import INT_MAX, FieldCodec
from nabat.system.protocol.records import Form, WireRecord

# Every character windows-1251 can represent (all bytes but the undefined 0x98).
CP1251_CHARS = [bytes([b]).decode("cp1251") for b in range(256) if b != 0x98]
cp1251_char = st.sampled_from(CP1251_CHARS)
cp1251_text = st.text(alphabet=cp1251_char, max_size=40)
nonempty_text = st.text(alphabet=cp1251_char, min_size=1, max_size=40)
words = st.from_regex(r"[A-Z]{1,16}", fullmatch=True)
params = st.lists(cp1251_text, max_size=8)
# Characters outside windows-1251 (CJK, emoji, other scripts).
UNENCODABLE = ["中", "😀", "ß", "ł", "Ω", "→", "\u0301"]

timestamps = st.none() | st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)
).map(lambda value: value.replace(microsecond=0))

_ENUMS = {
    name: st.sampled_from(list(getattr(values, name)))
    for name in ("TaskType", "TaskStatus", "Rights", "PhoneType", "RemoteStart",
                 "MessageType", "ChannelType", "ChannelState")
}  # fmt: skip

BY_KIND: dict[str, st.SearchStrategy[Any]] = {
    "id": st.integers(1, INT_MAX),
    "uint": st.integers(0, INT_MAX),
    "flag": st.booleans(),
    "text": cp1251_text,
    "name": nonempty_text,
    "timestamp": timestamps,
    "channels": st.from_regex(r"[01]{0,40}", fullmatch=True),
    "phone": st.from_regex(r"\+?[0-9]{1,32}", fullmatch=True),
    "email": st.from_regex(r"[a-z0-9._]{1,10}@[a-z0-9.]{1,10}", fullmatch=True),
    "pin": st.from_regex(r"[0-9]{0,16}", fullmatch=True),
    "key": st.from_regex(r"[A-Za-z0-9_.\-]{1,64}", fullmatch=True),
    "filename?": st.just("") | st.from_regex(r"[a-zA-Zа-я0-9_ ]{1,20}\.wav", fullmatch=True),
    **_ENUMS,
}


def for_codec(codec: FieldCodec[Any]) -> st.SearchStrategy[Any]:
    return BY_KIND[codec.kind]


def records(cls: type[WireRecord], form: Form = Form.FULL) -> st.SearchStrategy[Any]:
    """Records whose every field the form carries is random; the others default."""
    names = cls.fields(form)
    return st.builds(cls, **{name: for_codec(cls.CODECS[name]) for name in names})


def required_fields(cls: type[WireRecord]) -> set[str]:
    return {
        f.name
        for f in fields(cls)  # type: ignore[arg-type]
        if f.default is MISSING and f.default_factory is MISSING
    }
