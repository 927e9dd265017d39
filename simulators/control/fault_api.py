"""The control APIs' ``DELETE /__sim/faults/<id>``, one handler for every simulator.

``delete_fault`` reads the id from the path's last segment (ASCII digits, at
most 12), removes that fault from the ``FaultSet`` and answers
``{"removed": id}``; a bad id is a 400, an unknown one a 404 (``where``
names the server it was looked for on, when a simulator has several).
"""

from __future__ import annotations

from nabat.simulators.control.faults import FaultSet
from nabat.simulators.control.json_api import ControlError


def delete_fault(faults: FaultSet, path: str, where: str = "") -> dict[str, object]:
    """Remove the fault ``path`` ends with; ``where``: e.g. " on the reserve server"."""
    ident = path.rsplit("/", 1)[1]
    if not (ident.isascii() and ident.isdigit()) or len(ident) > 12:
        raise ControlError("fault id must be an integer")
    if not faults.remove(int(ident)):
        raise ControlError(f"no fault {ident}{where}", 404)
    return {"removed": int(ident)}
