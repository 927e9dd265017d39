"""Typed results of the verification client.

Every call returns one ``VerificationResult``: what the hub said (or that no
hub could be reached), the decoded error flags, which server answered, how
long it took, and — after the direction's policy — whether the system may go
ahead with the call.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from nabat.system.wire.ats import ErrorBit, bit_names


class Outcome(enum.Enum):
    REGISTERED = "registered"  # RegisterCall 201 (or call 201)
    VERIFIED = "verified"  # CheckCall 200 (or call 200)
    UPDATED = "updated"  # callUpdate 200
    NOT_FOUND = "not_found"  # CheckCall/callUpdate 404: not registered / no such call
    REJECTED = "rejected"  # 400: the hub named what was wrong in the error flags
    UNAVAILABLE = "unavailable"  # no server answered usefully within the budget


@dataclass(frozen=True, slots=True)
class VerificationResult:
    outcome: Outcome
    allowed: bool
    status: int | None = None
    error_bits: int = 0
    warning_bits: int = 0
    server: str | None = None  # "primary" or "reserve"
    elapsed: float = 0.0
    attempts: int = 1
    detail: str = ""
    failures: tuple[str, ...] = field(default=())

    @property
    def error_flags(self) -> ErrorBit:
        return ErrorBit(self.error_bits)

    @property
    def error_names(self) -> list[str]:
        return bit_names(self.error_bits, ErrorBit)


@dataclass(frozen=True, slots=True)
class NumberInfo:
    number: int
    id_src: str | None
    inn: str | None
    id_uvr_p: int | None
    id_uvr_s: int | None
    created: str | None
    uvr_addresses: dict[str, str | None]
