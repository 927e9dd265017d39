"""Client of the MFMS simulator's control API (``/__sim/`` at ``--sim-control URL``),
for the cases that declare ``needs={"control"}``: a real platform has no such API.

Through it the suite makes happen what a real platform does only on its own
time or by an operator's hand: the clock moves (frozen for a case, then
advanced), a message is cancelled "manually on the platform", the next message
fails on the platform or the next request meets a system error, an address
is forbidden, a connector with other parameter names exists, the world
decides what becomes of a number (an override the suite asked for). The suite
never reads from it what a case checks, except the journal's text of a
message (the only place the sent text can be seen). Every call is recorded as
evidence; a refused call raises :class:`ControlError` (the case ends in
error). Cases undo what they change (overrides, connectors, config) and never
reset the whole simulator. The HTTP, the clock and the overrides are
``framework.sim_control``'s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from nabat.conformance.framework.sim_control import ControlError, SimControlBase, probe

__all__ = ["ControlError", "SimControl", "probe"]


class SimControl(SimControlBase):
    def cancel(self, provider_id: str) -> None:
        """Cancel the message "manually on the platform"."""
        self._json("POST", f"/messages/{quote(provider_id, safe='')}/cancel")

    def messages(self, limit: int = 1000) -> list[dict[str, Any]]:
        answer = self._json("GET", f"/messages?limit={limit}")
        found = answer.get("messages") if isinstance(answer, dict) else None
        if not isinstance(found, list):
            raise ControlError(f"GET /__sim/messages gave no message list: {answer!r}")
        return [item for item in found if isinstance(item, dict)]

    def platform_errors(self, *, system: int | None = None, failed: int | None = None) -> None:
        """The next ``system`` requests answer error-system; the next ``failed``
        accepted messages fail on the platform."""
        body = {k: v for k, v in (("system", system), ("failed", failed)) if v is not None}
        self._json("PUT", "/platform-errors", body)

    def config(self) -> dict[str, Any]:
        return dict(self._json("GET", "/config"))

    def set_config(self, **values: Any) -> dict[str, Any]:
        return dict(self._json("PUT", "/config", values) or {})

    def add_connector(self, **fields: Any) -> None:
        self._json("POST", "/connectors", fields)

    def remove_connector(self, key: str) -> None:
        self._json("DELETE", "/connectors", {"key": key})

    def override(self, number: str, sms: dict[str, Any]) -> str:
        """The world decides ``number``'s SMS as ``sms`` says; returns the override's key."""
        return self.add_override({"number": number, "sms": sms})
