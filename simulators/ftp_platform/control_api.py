"""The FTP platform simulator's control API under ``/__sim/`` (docs/ftp-platform-simulator.md).

A table maps ``(method, path)`` to one handler each; handlers take the
decoded JSON body and the query and return a JSON-serialisable value or raise
``ControlError`` (an ``{"error": ...}`` answer). Routes: ``state``,
``reset``, ``journal`` (archives and messages: the spec's "personal
account"), ``messages``, ``status?id=``, ``accounts`` (list, add), ``poll``
(poll now), ``clock`` (advance through the scheduler so each due poll runs
at its instant, freeze, speed), ``faults`` (refuse logins, drop the data
connection after N bytes, slow uploads, a full disk). The body is strict
JSON (json_api.py); with a token configured every request needs
``Authorization: Bearer TOKEN`` or ``X-Sim-Token``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from nabat.simulators.control.clock import ClockError
from nabat.simulators.control.json_api import (
    Body,
    ControlError,
    decode_body,
    error_response,
    flag,
    json_response,
    number,
    only,
    query_whole,
    seconds,
    whole,
)
from nabat.simulators.control.routing import control_path, find_route, query_of
from nabat.simulators.ftp_platform.accounts import ConfigError, account_from_mapping
from nabat.simulators.http.messages import HandlerResult, Request

if TYPE_CHECKING:
    from nabat.simulators.ftp_platform.app import FtpPlatform

MAX_LIMIT = 1_000_000
MAX_BYTES_PER_SECOND = 1 << 30
MAX_ADVANCE = 366 * 86400.0

Query = dict[str, str]
ControlHandler = Callable[["FtpControl", Body, Query], object]


class FtpControl:
    def __init__(self, platform: FtpPlatform) -> None:
        self.platform = platform

    def handle(self, request: Request) -> HandlerResult:
        try:
            self._authorize(request)
            body = decode_body(request.body)
            query = query_of(request)
            path = control_path(request)
            handler = find_route(_ROUTES, request.method, path)
            return json_response(200, handler(self, body, query), pretty=True)
        except ControlError as error:
            return error_response(error)
        except (ClockError, ConfigError) as error:
            return json_response(400, {"error": str(error)})

    def _authorize(self, request: Request) -> None:
        token = self.platform.config.control_token
        if not token:
            return
        offered = request.headers.get("x-sim-token")
        if offered is None:
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            offered = credentials.strip() if scheme.lower() == "bearer" else ""
        if not hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8")):
            raise ControlError(
                "the control API needs its token: Authorization: Bearer TOKEN or X-Sim-Token", 401
            )

    # --- handlers ------------------------------------------------------------
    def state(self, body: Body, query: Query) -> object:
        platform = self.platform
        return {
            "endpoints": platform.endpoints(),
            "clock": platform.clock.to_json(),
            "polls": platform.poller.polls,
            "open_uploads": platform.tracker.open_count(),
            "messages": platform.delivery.counts(),
            "faults": platform.faults.to_json(),
        }

    def reset(self, body: Body, query: Query) -> object:
        only(body, ())
        self.platform.reset()
        return {"reset": True}

    def _login(self, query: Query) -> str | None:
        login = query.get("login") or None
        if login is not None and login not in self.platform.accounts:
            raise ControlError(f"no account {login[:64]!r}", 404)
        return login

    def journal(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_LIMIT)
        login = self._login(query)
        return {
            "archives": self.platform.poller.records(limit, login),
            "messages": self.platform.delivery.messages(limit, platform="ftp", account=login),
        }

    def messages(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_LIMIT)
        return self.platform.delivery.messages(limit, platform="ftp", account=self._login(query))

    def status(self, body: Body, query: Query) -> object:
        provider_id = query.get("id", "")
        view = self.platform.delivery.status(provider_id) if provider_id.isdigit() else None
        if view is None:
            raise ControlError(f"no message {provider_id[:40]!r}", 404)
        return {
            "provider_id": view.provider_id,
            "status": view.status.value,
            "at": self.platform.delivery.wall_time(view.at).isoformat(sep=" "),
            "reason": view.reason,
        }

    def accounts(self, body: Body, query: Query) -> object:
        return [account.to_json() for account in self.platform.accounts.values()]

    def add_account(self, body: Body, query: Query) -> object:
        account = account_from_mapping(body)
        self.platform.add_account(account)
        return account.to_json()

    def poll(self, body: Body, query: Query) -> object:
        only(body, ())
        return [record.to_json() for record in self.platform.poll_now()]

    def clock(self, body: Body, query: Query) -> object:
        return self.platform.clock.to_json()

    def set_clock(self, body: Body, query: Query) -> object:
        only(body, ("advance", "freeze", "speed"))
        clock = self.platform.clock
        if "freeze" in body:
            clock.freeze(flag(body["freeze"], "freeze"))
        if "speed" in body:
            clock.set_speed(number(body["speed"], "speed", 1e-6, 1e6))
        if "advance" in body:
            self.platform.advance(seconds(body["advance"], "advance", MAX_ADVANCE))
        return clock.to_json()

    def faults(self, body: Body, query: Query) -> object:
        return self.platform.faults.to_json()

    def set_faults(self, body: Body, query: Query) -> object:
        only(body, ("refuse_logins", "drop_after_bytes", "slow_bytes_per_second", "disk_full"))
        faults = self.platform.faults
        # Check every field before changing anything.
        refuse = flag(body["refuse_logins"], "refuse_logins") if "refuse_logins" in body else None
        disk = flag(body["disk_full"], "disk_full") if "disk_full" in body else None
        drop: int | None = faults.drop_after_bytes
        if "drop_after_bytes" in body:
            value = body["drop_after_bytes"]
            drop = None if value is None else whole(value, "drop_after_bytes", 0, 1 << 40)
        slow = faults.read_limit
        if "slow_bytes_per_second" in body:
            value = body["slow_bytes_per_second"]
            slow = (
                0
                if value is None
                else whole(value, "slow_bytes_per_second", 1, MAX_BYTES_PER_SECOND)
            )
        if refuse is not None:
            faults.refuse_logins = refuse
        if disk is not None:
            faults.disk_full = disk
        faults.drop_after_bytes = drop
        faults.read_limit = slow
        return faults.to_json()

    def clear_faults(self, body: Body, query: Query) -> object:
        self.platform.faults.clear()
        return self.platform.faults.to_json()


_ROUTES: Mapping[tuple[str, str], ControlHandler] = {
    ("GET", "/__sim/state"): FtpControl.state,
    ("POST", "/__sim/reset"): FtpControl.reset,
    ("GET", "/__sim/journal"): FtpControl.journal,
    ("GET", "/__sim/messages"): FtpControl.messages,
    ("GET", "/__sim/status"): FtpControl.status,
    ("GET", "/__sim/accounts"): FtpControl.accounts,
    ("POST", "/__sim/accounts"): FtpControl.add_account,
    ("POST", "/__sim/poll"): FtpControl.poll,
    ("GET", "/__sim/clock"): FtpControl.clock,
    ("POST", "/__sim/clock"): FtpControl.set_clock,
    ("GET", "/__sim/faults"): FtpControl.faults,
    ("PUT", "/__sim/faults"): FtpControl.set_faults,
    ("DELETE", "/__sim/faults"): FtpControl.clear_faults,
}
