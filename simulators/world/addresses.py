"""Subscriber addresses as the world keys them.

A phone number is E.164 without ``+``: 1 to 15 ASCII digits, a leading ``+``
is dropped. An e-mail address is ``local@domain``; the domain is lowercased
(domains are case-insensitive, local parts are not). Anything else is an
``AddressError``. ``normalise_address`` is applied to every address before a
decision, so ``+79000000001`` and ``79000000001`` are the same subscriber.
"""

from __future__ import annotations

MAX_NUMBER_DIGITS = 15
MAX_EMAIL_LENGTH = 254


class AddressError(ValueError):
    """Not a phone number (E.164) nor an e-mail address."""


def is_number(address: str) -> bool:
    """True for a normalised phone number (digits only)."""
    return 0 < len(address) <= MAX_NUMBER_DIGITS and address.isascii() and address.isdigit()


def normalise_number(value: str) -> str:
    """E.164 without ``+``; raises ``AddressError`` for anything else."""
    digits = value[1:] if value.startswith("+") else value
    if not is_number(digits):
        raise AddressError(f"{value!r} is not a phone number (1 to 15 digits, optional '+')")
    return digits


def normalise_address(value: str) -> str:
    """A phone number without ``+`` or an e-mail address with a lowercase domain."""
    if "@" not in value:
        return normalise_number(value)
    local, _, domain = value.rpartition("@")
    if (
        not local
        or not domain
        or len(value) > MAX_EMAIL_LENGTH
        or any(c.isspace() or ord(c) < 32 for c in value)
        or "." not in domain.strip(".")
    ):
        raise AddressError(f"{value!r} is not an e-mail address")
    return f"{local}@{domain.lower()}"


def normalise_domain(value: str) -> str:
    domain = value.strip().lower()
    if not domain or "@" in domain or any(c.isspace() for c in domain) or "." not in domain:
        raise AddressError(f"{value!r} is not an e-mail domain")
    return domain


def domain_of(address: str) -> str | None:
    """The domain of a normalised e-mail address, None for a phone number."""
    if "@" not in address:
        return None
    return address.rpartition("@")[2]
