"""Password hashing with scrypt: a random salt per user, parameters stored with the hash.

A stored hash is ``scrypt$<n>$<r>$<p>$<salt hex>$<key hex>``, so the cost
can be raised later without breaking old accounts (``needs_rehash``).
``verify`` recomputes the key with the stored parameters and compares in
constant time; a malformed stored value verifies as False, never raises.
``DUMMY`` lets callers spend the same time on an unknown login.
``new_password`` makes the random passwords the server and the harness
hand out: URL-safe, never starting with ``-`` (a command line would read
``--password -x...`` as a missing value followed by an option).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

_SCHEME = "scrypt"
_SALT_BYTES = 16
_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt's cost: ``n`` (CPU/memory, a power of two), ``r`` (block), ``p`` (parallel).

    The default is one of OWASP's recommended equivalents (N=2^15, r=8, p=3):
    32 MiB and about a third of a second per hash on the reference machine.
    """

    n: int = 2**15
    r: int = 8
    p: int = 3

    @property
    def maxmem(self) -> int:
        return 128 * self.r * (self.n + self.p) + 1024 * 1024


DEFAULT_PARAMS = ScryptParams()


def _derive(password: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=_KEY_BYTES,
    )


def hash_password(password: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    """A fresh salted hash of ``password`` in the stored text form."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, params)
    return f"{_SCHEME}${params.n}${params.r}${params.p}${salt.hex()}${key.hex()}"


def _parse(stored: str) -> tuple[ScryptParams, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return None
    try:
        params = ScryptParams(int(parts[1]), int(parts[2]), int(parts[3]))
        return params, bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except ValueError:
        return None


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` produces ``stored``; constant-time comparison."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    params, salt, key = parsed
    try:
        candidate = _derive(password, salt, params)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, key)


def needs_rehash(stored: str, params: ScryptParams = DEFAULT_PARAMS) -> bool:
    parsed = _parse(stored)
    return parsed is None or parsed[0] != params


def new_password(nbytes: int = 12) -> str:
    """A random URL-safe password of ``nbytes`` random bytes that a shell line can carry."""
    while True:
        password = secrets.token_urlsafe(nbytes)
        if not password.startswith("-"):
            return password


def dummy_hash(params: ScryptParams = DEFAULT_PARAMS) -> str:
    """A hash no password is known for, to verify against for unknown logins."""
    return hash_password(secrets.token_hex(16), params)
