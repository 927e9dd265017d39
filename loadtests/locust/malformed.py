"""The catalogue of malformed requests and the 400 answer each must get.

How it works: each ``MalformedCase`` builds a form body from the sending
user's own numbers (``CaseNumbers``) and names the exact X-Error-Bits
Appendix 1 of the spec gives for it. All cases are sent from operator 1 and
carry a ``call_id``, so no simulator-specific bit (SIM_CALL_ID_REQUIRED)
joins the expected ones; only bits defined by the spec are expected, so the
same catalogue holds for a real hub. A 400 registers nothing, so these never
disturb the genuine/spoofed invariants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nabat.loadtests.locust.expectations import Expectation

PARAM_A_NOT_FOUND = 0x00000001
PARAM_A_NOT_INT = 0x00000004
PARAM_B_NOT_INT = 0x00000008
PARAM_B_HASH_BAD_REGEX = 0x00000010
PARAM_C_NOT_INT = 0x00000020
PARAM_C_HASH_BAD_REGEX = 0x00000040
PARAM_D_NOT_INT = 0x00000080
A_NOT_FOUND_IN_DB = 0x00000400
NOT_A_OWNER = 0x00800000
PARAM_A_NOT_RUS = 0x01000000

BAD_HASH = "NOT-A-SHA256"  # not 64 lowercase hex digits


@dataclass(frozen=True, slots=True)
class CaseNumbers:
    a: str  # a genuine a of operator 1 (this user's)
    b: str  # a b of operator 1 (this user's)
    foreign_a: str  # a number of operator 2 (not owned by operator 1)
    call_id: str


@dataclass(frozen=True, slots=True)
class MalformedCase:
    name: str
    path: str
    body: Callable[[CaseNumbers], str]
    expect: Expectation

    @property
    def request_name(self) -> str:
        return f"{self.path[1:]} malformed: {self.name}"


def _bad(bits: int) -> Expectation:
    return Expectation(400, error_bits=bits)


MALFORMED_CASES: tuple[MalformedCase, ...] = (
    MalformedCase(
        "a missing",
        "/RegisterCall",
        lambda n: f"b={n.b}&call_id={n.call_id}",
        _bad(PARAM_A_NOT_FOUND),
    ),
    MalformedCase(
        "b not a number",
        "/RegisterCall",
        lambda n: f"a={n.a}&b=79x{n.b[3:]}&call_id={n.call_id}",
        _bad(PARAM_B_NOT_INT),
    ),
    MalformedCase(
        "bad bh",
        "/RegisterCall",
        lambda n: f"a={n.a}&bh={BAD_HASH}&call_id={n.call_id}",
        _bad(PARAM_B_HASH_BAD_REGEX),
    ),
    MalformedCase(
        "a not owned",
        "/RegisterCall",
        lambda n: f"a={n.foreign_a}&b={n.b}&call_id={n.call_id}",
        _bad(NOT_A_OWNER),
    ),
    MalformedCase(
        "a not Russian",
        "/RegisterCall",
        lambda n: f"a=12345&b={n.b}&call_id={n.call_id}",
        _bad(A_NOT_FOUND_IN_DB | PARAM_A_NOT_RUS),
    ),
    MalformedCase(
        "a not a number",
        "/CheckCall",
        lambda n: f"a=abc&b={n.b}&call_id={n.call_id}",
        _bad(PARAM_A_NOT_INT),
    ),
    MalformedCase(
        "bad ch",
        "/CheckCall",
        lambda n: f"a={n.a}&b={n.b}&ch={BAD_HASH}&call_id={n.call_id}",
        _bad(PARAM_C_HASH_BAD_REGEX),
    ),
    MalformedCase(
        "c and d not numbers",
        "/CheckCall",
        lambda n: f"a={n.a}&b={n.b}&c=x1&d=zz&call_id={n.call_id}",
        _bad(PARAM_C_NOT_INT | PARAM_D_NOT_INT),
    ),
)
