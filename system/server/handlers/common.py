"""Small helpers shared by the handlers."""

from __future__ import annotations

from collections.abc import Iterable


def ids_param(ids: Iterable[int]) -> str:
    """``1,2,3``: an ids parameter as the wire writes it."""
    return ",".join(str(i) for i in ids)
