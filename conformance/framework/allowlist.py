"""Allow-list of known deviations, read from a TOML file (``--allow FILE``).

Layout: one table per target profile, one sub-table per clause id::

    [profile.default.ATS-HELP-NO-CONTENT-DISPOSITION]
    reason = "vendor hub sends Content-Disposition: attachment (ticket HUB-17)"
    expires = 2026-06-30

A failure of an allowed clause becomes a *known deviation*; an allowed clause
that passes is an *unexpected pass*; an allowance whose ``expires`` date is
before today no longer excuses anything (using it fails the run). Entries are
validated when loaded: a missing reason or expiry, an unknown key or a date
that is not a date raises :class:`AllowListError`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ENTRY_KEYS = {"reason", "expires"}


class AllowListError(ValueError):
    """The allow-list file is malformed."""


@dataclass(frozen=True)
class Allowance:
    profile: str
    clause_id: str
    reason: str
    expires: dt.date

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


class AllowList:
    """Allowances keyed by (profile, clause id)."""

    def __init__(self, entries: Iterable[Allowance] = (), source: str = "") -> None:
        self.source = source
        self._entries: dict[tuple[str, str], Allowance] = {}
        for entry in entries:
            self._entries[(entry.profile, entry.clause_id)] = entry

    def lookup(self, profile: str, clause_id: str) -> Allowance | None:
        return self._entries.get((profile, clause_id))

    def for_profile(self, profile: str) -> list[Allowance]:
        return [entry for (name, _), entry in self._entries.items() if name == profile]

    def unknown_clauses(self, profile: str, prefix: str, known: Iterable[str]) -> list[str]:
        """Clause ids of ``profile`` that start with ``prefix`` but are not in ``known``."""
        known_ids = set(known)
        return sorted(
            entry.clause_id
            for entry in self.for_profile(profile)
            if entry.clause_id.startswith(prefix) and entry.clause_id not in known_ids
        )

    def __iter__(self) -> Iterator[Allowance]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)


def _parse_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise AllowListError(f"{where}: expires must be a date like 2026-06-30, got {value!r}")


def parse_allowlist(data: Mapping[str, Any], source: str = "<allow-list>") -> AllowList:
    """Build an :class:`AllowList` from parsed TOML data."""
    unknown_top = set(data) - {"profile"}
    if unknown_top:
        raise AllowListError(f"{source}: unknown top-level keys {sorted(unknown_top)}")
    profiles = data.get("profile", {})
    if not isinstance(profiles, Mapping):
        raise AllowListError(f"{source}: [profile] must be a table")
    entries: list[Allowance] = []
    for profile, clauses in profiles.items():
        if not isinstance(clauses, Mapping):
            raise AllowListError(f"{source}: [profile.{profile}] must be a table of clause ids")
        for clause_id, body in clauses.items():
            where = f"{source}: [profile.{profile}.{clause_id}]"
            if not isinstance(body, Mapping):
                raise AllowListError(f"{where} must be a table with reason and expires")
            extra = set(body) - _ENTRY_KEYS
            if extra:
                raise AllowListError(f"{where}: unknown keys {sorted(extra)}")
            reason = body.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise AllowListError(f"{where}: reason is required")
            if "expires" not in body:
                raise AllowListError(f"{where}: expires is required")
            entries.append(
                Allowance(profile, clause_id, reason.strip(), _parse_date(body["expires"], where))
            )
    return AllowList(entries, source)


def load_allowlist(path: str | Path) -> AllowList:
    """Read and validate an allow-list TOML file."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AllowListError(f"cannot read allow-list {file}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AllowListError(f"{file}: not valid TOML: {exc}") from exc
    return parse_allowlist(data, str(file))
