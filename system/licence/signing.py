"""Optional licence integrity: an HMAC-SHA256 ``signature`` over the other fields.

The key comes from the environment (``NABAT_LICENCE_KEY``, UTF-8 text). With a
key configured every licence file must carry a valid signature; without one,
signatures cannot be checked and unsigned files are accepted. The signed
payload is the file's fields except ``signature`` as canonical JSON (sorted
keys, no spaces, dates as ISO text), so formatting and comments do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from datetime import date
from typing import Any

KEY_ENV = "NABAT_LICENCE_KEY"
SIGNATURE_FIELD = "signature"


class LicenceError(Exception):
    """A licence cannot be used: bad file, bad signature, bad key setting."""


def key_from_env(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The signing key, or None when ``NABAT_LICENCE_KEY`` is not set."""
    env = os.environ if environ is None else environ
    value = env.get(KEY_ENV)
    if value is None:
        return None
    if not value.strip():
        raise LicenceError(f"{KEY_ENV} is set but empty; unset it or give a key")
    return value.encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # datetime too: the file check rejects it anyway
        return value.isoformat()
    return value


def canonical_payload(fields: Mapping[str, Any]) -> bytes:
    """The bytes the signature covers: every field but ``signature``."""
    plain = {k: _plain(v) for k, v in fields.items() if k != SIGNATURE_FIELD}
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def sign(fields: Mapping[str, Any], key: bytes) -> str:
    """The ``signature`` value (lowercase hex HMAC-SHA256) for these fields."""
    return hmac.new(key, canonical_payload(fields), hashlib.sha256).hexdigest()


def signature_matches(fields: Mapping[str, Any], signature: str, key: bytes) -> bool:
    """True when ``signature`` is the HMAC of the fields under ``key``."""
    return hmac.compare_digest(sign(fields, key), signature.lower())
