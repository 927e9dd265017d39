"""The licence file: TOML, flat keys, every field validated (docs/licence.md).

``load_licence`` turns a path (or no path) into a ``Licence``. Errors name the
file and the field. Without a file the development licence is used, unless a
signing key is configured: then a missing file means no licence key.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nabat.system.licence.model import Licence
from nabat.system.licence.signing import (
    KEY_ENV,
    SIGNATURE_FIELD,
    LicenceError,
    key_from_env,
    signature_matches,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MAX_COUNT = 1000  # boards / GSM modems: a sanity bound that catches typos
COUNTS = ("boards", "gsm_modems")
FLAGS = ("dynamic_tts", "email", "e1")
OPTIONAL_FLAGS = ("sms_gateway",)  # added later: absent means false, older files stay valid
REQUIRED_WITH_DONGLE = ("format", "holder", "expires", *COUNTS, *FLAGS)
ALLOWED_WITHOUT_DONGLE = ("format", "dongle", "holder", SIGNATURE_FIELD)
KNOWN = (*REQUIRED_WITH_DONGLE, *OPTIONAL_FLAGS, "dongle", SIGNATURE_FIELD)
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


class LicenceFileError(LicenceError):
    """The licence file is unreadable or one of its fields is wrong."""

    def __init__(self, path: Path, field: str | None, problem: str) -> None:
        where = f"licence file {path}" + (f": field {field!r}" if field else "")
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.field = field
        self.problem = problem


def read_fields(path: Path) -> dict[str, Any]:
    """The file's TOML table, unvalidated."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise LicenceFileError(path, None, "no such file") from None
    except OSError as e:
        raise LicenceFileError(path, None, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise LicenceFileError(path, None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise LicenceFileError(path, None, f"not valid TOML: {e}") from None


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _check_fields(path: Path, raw: Mapping[str, Any]) -> None:
    unknown = sorted(set(raw) - set(KNOWN))
    if unknown:
        raise LicenceFileError(path, unknown[0], f"unknown field (known: {', '.join(KNOWN)})")
    version = raw.get("format")
    if version is None:
        raise LicenceFileError(path, "format", f"missing (write format = {FORMAT_VERSION})")
    if type(version) is not int or version != FORMAT_VERSION:
        raise LicenceFileError(
            path, "format", f"must be {FORMAT_VERSION}, got {_describe(version)}"
        )
    dongle = raw.get("dongle", True)
    if not isinstance(dongle, bool):
        raise LicenceFileError(path, "dongle", f"must be true or false, got {_describe(dongle)}")
    if not dongle:
        extra = sorted(set(raw) - set(ALLOWED_WITHOUT_DONGLE))
        if extra:
            raise LicenceFileError(path, extra[0], "not allowed when dongle = false")
    else:
        missing = [name for name in REQUIRED_WITH_DONGLE if name not in raw]
        if missing:
            raise LicenceFileError(path, missing[0], "missing")
    if "holder" in raw:
        holder = raw["holder"]
        if not isinstance(holder, str) or not holder.strip():
            raise LicenceFileError(
                path, "holder", f"must be non-empty text, got {_describe(holder)}"
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in holder):
            raise LicenceFileError(path, "holder", "must not contain control characters")
    if "expires" in raw:
        expires = raw["expires"]
        if isinstance(expires, datetime) or not isinstance(expires, date):
            raise LicenceFileError(
                path,
                "expires",
                f"must be a bare TOML date such as 2027-12-31, got {_describe(expires)}",
            )
    for name in COUNTS:
        if name in raw:
            value = raw[name]
            if type(value) is not int or not 0 <= value <= MAX_COUNT:
                raise LicenceFileError(
                    path, name, f"must be an integer 0..{MAX_COUNT}, got {_describe(value)}"
                )
    for name in (*FLAGS, *OPTIONAL_FLAGS):
        if name in raw and not isinstance(raw[name], bool):
            raise LicenceFileError(path, name, f"must be true or false, got {_describe(raw[name])}")
    if SIGNATURE_FIELD in raw:
        sig = raw[SIGNATURE_FIELD]
        if not isinstance(sig, str) or not _HEX64.fullmatch(sig):
            raise LicenceFileError(path, SIGNATURE_FIELD, "must be 64 hex digits (HMAC-SHA256)")


def _check_signature(path: Path, raw: Mapping[str, Any], key: bytes | None) -> None:
    signature = raw.get(SIGNATURE_FIELD)
    if key is None:
        if signature is not None:
            log.warning("licence file %s: signature not checked, %s is not set", path, KEY_ENV)
        return
    if signature is None:
        raise LicenceFileError(
            path, SIGNATURE_FIELD, f"missing: {KEY_ENV} is set, so the file must be signed"
        )
    if not signature_matches(raw, signature, key):
        raise LicenceFileError(
            path, SIGNATURE_FIELD, "does not match the file (altered, or signed with another key)"
        )


def parse_licence(
    path: Path,
    raw: Mapping[str, Any],
    *,
    key: bytes | None,
    clock: Callable[[], date] = date.today,
) -> Licence:
    """Validate fields (and signature when ``key`` is given) into a ``Licence``."""
    _check_fields(path, raw)
    _check_signature(path, raw, key)
    if not raw.get("dongle", True):
        return Licence.no_dongle(f"licence file {path} (dongle = false)", clock=clock)
    return Licence(
        source=f"licence file {path}",
        holder=raw["holder"],
        expires=raw["expires"],
        boards=raw["boards"],
        gsm_modems=raw["gsm_modems"],
        dynamic_tts=raw["dynamic_tts"],
        email=raw["email"],
        e1=raw["e1"],
        sms_gateway=raw.get("sms_gateway", False),
        clock=clock,
    )


def load_licence(
    path: str | os.PathLike[str] | None,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], date] = date.today,
) -> Licence:
    """The licence the server runs with; logs what it found, loudly when not a real one.

    ``path`` None: the development licence, or no licence key when
    ``NABAT_LICENCE_KEY`` is set in ``environ`` (default ``os.environ``).
    """
    key = key_from_env(environ)
    if path is None:
        if key is not None:
            licence = Licence.no_dongle(f"no licence file, but {KEY_ENV} is set", clock=clock)
            log.error("%s", licence.describe())
            return licence
        licence = Licence.development_licence(clock=clock)
        log.warning("%s", licence.describe())
        return licence
    file = Path(path)
    licence = parse_licence(file, read_fields(file), key=key, clock=clock)
    if licence.key_reason() is not None:
        log.error("%s", licence.describe())
    else:
        log.info("%s", licence.describe())
    return licence
