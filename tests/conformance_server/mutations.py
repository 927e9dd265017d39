"""Building blocks for proxy mutations: match a reply line by the request's
word, the reply's word and status, or bytes in the request line; then
replace, drop, rewrite tokens or add lines."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.conformance_server.proxy import Mutator

Change = Callable[[bytes], "list[bytes] | None"]


def when(request: str | None = None, *, reply: str | None = None, status: str | None = None,
         request_has: bytes | None = None, request_re: bytes | None = None,
         not_request: tuple[str, ...] = (),
         change: Change) -> Mutator:
    def mutate(body: bytes, last: bytes) -> list[bytes] | None:
        tokens = body.split(b" ")
        request_word = last.split(b" ", 1)[0].decode("latin-1")
        if request is not None and request_word != request:
            return None
        if request_word in not_request:
            return None
        if reply is not None and tokens[0] != reply.encode():
            return None
        if status is not None and (len(tokens) < 2 or tokens[1] != status.encode()):
            return None
        if request_has is not None and request_has not in last:
            return None
        if request_re is not None and re.search(request_re, last) is None:
            return None
        return change(body)

    return mutate


def either(*mutators: Mutator) -> Mutator:
    def mutate(body: bytes, last: bytes) -> list[bytes] | None:
        for mutator in mutators:
            result = mutator(body, last)
            if result is not None:
                return result
        return None

    return mutate


def sub(old: bytes, new: bytes) -> Change:
    return lambda body: [body.replace(old, new)]


def status_to(new: str, text: str = "") -> Change:
    def change(body: bytes) -> list[bytes]:
        word = body.split(b" ", 1)[0]
        return [b" ".join([word, new.encode()] + ([text.encode()] if text else []))]

    return change


def token(index: int, value: bytes | None) -> Change:
    """Replace token ``index`` (0 is the word), or remove it when ``value`` is None."""
    def change(body: bytes) -> list[bytes]:
        tokens = body.split(b" ")
        if index < len(tokens):
            if value is None:
                del tokens[index]
            else:
                tokens[index] = value
        return [b" ".join(tokens)]

    return change


def word_to(new: bytes) -> Change:
    return lambda body: [new + body[body.index(b" "):] if b" " in body else new]


def drop() -> Change:
    return lambda body: []


def then(extra: bytes) -> Change:
    return lambda body: [body, extra]


def bare_lf() -> Change:
    return lambda body: [body + b"\n"]
