"""What an HTTP simulator does for a fault that breaks the connection.

``connection_fault`` turns a ``Fault`` (simulators/control/faults.py) of
kind ``reset``, ``garbage`` or ``hang`` into the handler's result: a TCP
reset, the fault's random bytes then a close, or a close after the fault's
seconds of silence. Faults that answer (``status`` and each simulator's
own kinds) stay with the simulator; it checks them first.
"""

from __future__ import annotations

import asyncio

from nabat.simulators.control.faults import Fault
from nabat.simulators.http.messages import Action, Close, HandlerResult, RawThenClose, Reset


def connection_fault(fault: Fault) -> HandlerResult:
    """A reset, garbage then close, or (any other kind) a hang then close."""
    if fault.kind == "reset":
        return Reset()
    if fault.kind == "garbage":
        return RawThenClose(fault.rng.randbytes(fault.nbytes))
    return hang(fault.seconds)


async def hang(seconds: float) -> Action:
    """Say nothing for ``seconds``, then close the connection."""
    await asyncio.sleep(seconds)
    return Close()
