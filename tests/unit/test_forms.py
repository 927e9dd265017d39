"""Form decoding: round trips through urlencode and hostile bodies."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.http.forms import FormError, parse_form, parse_multipart, parse_urlencoded

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20
)
values = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@given(st.dictionaries(names, values, max_size=8))
def test_urlencoded_round_trip(fields: dict[str, str]) -> None:
    assert parse_urlencoded(urlencode(fields).encode("ascii")) == fields


@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_raise_form_error(body: bytes) -> None:
    try:
        result = parse_urlencoded(body)
    except FormError as error:
        assert str(error)
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.items())


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"a=%zz", "percent-escape"),
        (b"a=%4", "percent-escape"),
        (b"a=1&b=%", "percent-escape"),
        (b"a=%ff%fe", "not UTF-8"),
        (b"a=\xff", "not UTF-8"),
    ],
)
def test_malformed_bodies_are_named(body: bytes, fragment: str) -> None:
    with pytest.raises(FormError, match=fragment):
        parse_urlencoded(body)


def test_last_repeated_parameter_wins_and_plus_is_space() -> None:
    assert parse_urlencoded(b"a=1&a=2&t=x+y&e=") == {"a": "2", "t": "x y", "e": ""}


def test_content_type_dispatch() -> None:
    assert parse_form(None, b"a=1") == {"a": "1"}
    assert parse_form("application/x-www-form-urlencoded; charset=utf-8", b"a=1") == {"a": "1"}
    assert parse_form("application/json", b'{"a": 1}') == {}
    assert parse_form("text/plain", b"") == {}


def _multipart(fields: dict[str, str], boundary: str = "XyZ") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8")


@given(
    st.dictionaries(
        st.text(alphabet="abcxyz_", min_size=1, max_size=8),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n-"), max_size=40),
        max_size=5,
    )
)
def test_multipart_round_trip(fields: dict[str, str]) -> None:
    content_type = "multipart/form-data; boundary=XyZ"
    assert parse_form(content_type, _multipart(fields)) == fields


@pytest.mark.parametrize(
    ("content_type", "body", "fragment"),
    [
        ("multipart/form-data", b"--x--", "without a boundary"),
        ("multipart/form-data; boundary=q", b"nothing", "does not contain"),
        (
            "multipart/form-data; boundary=q",
            b'--q\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n',
            "not terminated",
        ),
        ("multipart/form-data; boundary=q", b"--q\r\nno separator--q--", "separator"),
        (
            "multipart/form-data; boundary=q",
            b"--q\r\nX: y\r\n\r\n1\r\n--q--",
            "Content-Disposition",
        ),
    ],
)
def test_malformed_multipart(content_type: str, body: bytes, fragment: str) -> None:
    with pytest.raises(FormError, match=fragment):
        parse_multipart(content_type, body)
