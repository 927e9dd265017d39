"""Deviations the server suite must catch, written into the notification server
(``system/``). See catalogue.py and mutant.py."""

from __future__ import annotations

from tests.mutation.mutant import Mutant, mutant  # noqa: F401  (entries use mutant())

SERVER: list[Mutant] = [
]
