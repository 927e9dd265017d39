"""Ruling 11's timestamp format, checked on every timestamp field a reply carries.

A timestamp (createtime, edittime, the exclusion period experiodbegin /
experiodend, GETTASKINFO's starttime / endtime) is ISO 8601 local time
without a zone, ``YYYY-MM-DDTHH:MM:SS``, and empty when unset.
``TIMESTAMP_FIELDS`` says where they sit in each record (positions after the
OK/DATA status, as docs/protocol.md lists the fields);
:func:`check_timestamps` checks every one of a record under one clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from nabat.conformance.framework.context import CaseContext

TIMESTAMP = "%Y-%m-%dT%H:%M:%S"
_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")

# record -> (field name, position in the record's fields)
TIMESTAMP_FIELDS: dict[str, tuple[tuple[str, int], ...]] = {
    "abonent": (("experiodbegin", 5), ("experiodend", 6), ("createtime", 9), ("edittime", 10)),
    "message": (("createtime", 6), ("edittime", 7)),
    "progress": (("starttime", 6), ("endtime", 7)),  # GETTASKINFO OK
}


def is_timestamp(value: str) -> bool:
    """``YYYY-MM-DDTHH:MM:SS`` naming a real moment, or empty (unset)."""
    if value == "":
        return True
    if _SHAPE.fullmatch(value) is None:
        return False
    try:
        datetime.strptime(value, TIMESTAMP)
    except ValueError:
        return False
    return True


def check_timestamps(ctx: CaseContext, clause: str, record: str, fields: Sequence[str],
                     what: str) -> None:
    """Every timestamp field of one ``record`` (a key of TIMESTAMP_FIELDS) is well-formed."""
    for name, index in TIMESTAMP_FIELDS[record]:
        value = fields[index] if index < len(fields) else None
        ctx.check(clause, value is not None and is_timestamp(value),
                  f"{what}: {name} must be YYYY-MM-DDTHH:MM:SS or empty (ruling 11), "
                  f"got {value!r}")
