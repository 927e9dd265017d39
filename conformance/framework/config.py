"""The settings of one conformance run, independent of pytest and of any protocol.

Built by the pytest glue from command-line options (or directly by tests).
``suite_options`` carries the suite-specific values, keyed by option dest
(for example ``ats_operator_a_ip``); each suite parses its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nabat.conformance.framework.allowlist import AllowList


@dataclass(frozen=True)
class RunConfig:
    target: str
    reserve: str | None = None
    strict: bool = False
    profile: str = "default"
    without: frozenset[str] = frozenset()
    allowlist: AllowList = field(default_factory=AllowList)
    timeout: float = 10.0
    suite_options: Mapping[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
