"""Client of the Oktell simulator's control API (``/__sim/`` at ``--sim-control URL``)
for the cases that declare ``needs={"control"}``: a real PBX has no such API.

Through it the suite makes happen what only people do on a real PBX: the called
party answers (a world override for ``--number``), an incoming call rings a
line, and the clock stands still or moves (frozen in a case, then advanced), so
a case sees a call's states one by one. The suite never reads from it what a
case checks. Every call is recorded as evidence; a refused call raises
:class:`ControlError`. Cases undo what they change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nabat.conformance.framework.sim_control import ControlError, SimControlBase, probe

__all__ = ["ANSWERS", "ControlError", "SimControl", "probe"]

ANSWERS = {"outcomes": {"answered": 1}, "ring": 1, "listen": 3600, "dtmf": {"none": 1}}


class SimControl(SimControlBase):
    @contextmanager
    def answering(self, number: str) -> Iterator[None]:
        """``number`` answers after a second and stays on the line (a world override)."""
        key = self.add_override({"number": number, "voice": ANSWERS})
        try:
            yield
        finally:
            self.remove_override(key)

    def incoming_call(self, source: str, line: str) -> None:
        self._json("POST", "/calls", {"from": source, "line": line, "ring_for": 600})
