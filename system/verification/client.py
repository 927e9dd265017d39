"""The system's client of the ATS call-verification API (asyncio + aiohttp).

Why aiohttp: on this machine its client does ~10,000 requests/s at
concurrency 50 where httpx's async client does ~500 (performance-facts.md),
and this is the hot path in front of every call.

One verification = one ``_exchange``: under a concurrency semaphore and a
time budget, try the servers in the order the primary's health gives
(failover.py). A connection failure, timeout, 5xx or 307 feeds the health
state machine and moves on to the next server within the same budget, so a
switch loses no verification and answers each exactly once. When no server
answers, the result is UNAVAILABLE and the direction's policy decides
whether the system may proceed. A background task pings an unhealthy primary
(never on a call's path) and brings traffic back when it answers.
"""

from __future__ import annotations

import asyncio
import collections
import json
from collections.abc import Iterable, Mapping
from types import TracebackType
from urllib.parse import quote_plus

import aiohttp
from multidict import CIMultiDictProxy
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.verification.failover import Event, PrimaryHealth, PrimaryState
from nabat.system.verification.results import NumberInfo, Outcome, VerificationResult
from nabat.system.verification.settings import Direction, Policy, VerificationSettings
from nabat.system.verification.stats import VerificationStats
from nabat.system.wire.ats import decode_error_lookup

__all__ = [
    "Direction",
    "NumberInfo",
    "Outcome",
    "Policy",
    "VerificationClient",
    "VerificationError",
    "VerificationResult",
    "VerificationSettings",
]

_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
_TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError)

# For each method: HTTP status -> outcome. Anything else is REJECTED with a detail.
_REGISTER_OUTCOMES = {201: Outcome.REGISTERED, 400: Outcome.REJECTED}
_CHECK_OUTCOMES = {200: Outcome.VERIFIED, 404: Outcome.NOT_FOUND, 400: Outcome.REJECTED}
_UPDATE_OUTCOMES = {200: Outcome.UPDATED, 404: Outcome.NOT_FOUND, 400: Outcome.REJECTED}
_CALL_OUTCOMES = {201: Outcome.REGISTERED, **_CHECK_OUTCOMES}
# Module-level aliases: enum members compared by identity, never hashed (an
# Enum's __hash__ is Python code, and it showed in the hot path's profile).
_REGISTERED, _VERIFIED, _UPDATED = Outcome.REGISTERED, Outcome.VERIFIED, Outcome.UPDATED
_REJECTED, _UNAVAILABLE = Outcome.REJECTED, Outcome.UNAVAILABLE
_HEALTHY, _FAILED = PrimaryState.HEALTHY, PrimaryState.FAILED
FormPairs = Iterable[tuple[str, str | int | None]]


class VerificationError(RuntimeError):
    """numberInfo could not be answered by any server."""


def encode_form(pairs: FormPairs) -> str:
    """``application/x-www-form-urlencoded`` of the pairs whose value is not None,
    equal to ``urllib.parse.urlencode`` of the same pairs.

    Numbers and ids are ASCII letters and digits, which need no quoting; only
    other values go through ``quote_plus`` (urlencode quotes every one, and it
    was a tenth of the client's time on the hot path).
    """
    parts = []
    for name, raw in pairs:
        if raw is None:
            continue
        value = raw if type(raw) is str else str(raw)
        if not (value.isascii() and value.isalnum()):
            value = quote_plus(value)
        if not (name.isascii() and name.isalnum()):
            name = quote_plus(name)
        parts.append(f"{name}={value}")
    return "&".join(parts)


class VerificationClient:
    def __init__(self, settings: VerificationSettings) -> None:
        self.settings = settings
        self.stats = VerificationStats()
        self.health = PrimaryHealth(
            healthy_pings_required=settings.healthy_pings_required,
            manual_failback=settings.failback == "manual",
        )
        self._session: aiohttp.ClientSession | None = None
        self._in_flight = 0
        self._slot_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._prober: asyncio.Task[None] | None = None
        self._reserve_skip_until = 0.0
        # First attempts reuse these (a new ClientTimeout per request showed in profiles).
        self._budget_timeout = aiohttp.ClientTimeout(total=settings.budget)
        self._primary_timeout = aiohttp.ClientTimeout(total=settings.primary_attempt_timeout)
        self._urls = {"primary": settings.primary_url}
        if settings.reserve_url is not None:
            self._urls["reserve"] = settings.reserve_url
        self._has_reserve = settings.reserve_url is not None
        self._healthy_order = ("primary", "reserve") if self._has_reserve else ("primary",)
        # Keyed by the direction's value: hashing an Enum member runs Python code.
        self._fail_open = {
            direction.value: policy is Policy.FAIL_OPEN
            for direction, policy in settings.policies.items()
        }

    # --- lifecycle ----------------------------------------------------------
    async def start(self) -> VerificationClient:
        settings = self.settings
        local_addr = (settings.source_address, 0) if settings.source_address else None
        connector = aiohttp.TCPConnector(
            limit=settings.pool_size * len(self._urls), local_addr=local_addr
        )
        self._session = aiohttp.ClientSession(connector=connector, raise_for_status=False)
        self._prober = asyncio.ensure_future(self._probe_primary_forever())
        return self

    async def close(self) -> None:
        if self._prober is not None:
            await cancel_and_wait(self._prober)
            self._prober = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> VerificationClient:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- the API ------------------------------------------------------------
    async def register_call(
        self,
        a: str,
        b: str | None = None,
        *,
        bh: str | None = None,
        call_id: str | None = None,
        id_dst: str | None = None,
        dbg: bool = False,
    ) -> VerificationResult:
        """RegisterCall before the system places a call from ``a`` to ``b``."""
        body = encode_form(
            (
                ("a", a),
                ("b", b),
                ("bh", bh),
                ("call_id", call_id),
                ("id_dst", id_dst),
                ("dbg", 1 if dbg else None),
            )
        )
        return await self._exchange("/RegisterCall", body, _REGISTER_OUTCOMES, Direction.OUTGOING)

    async def check_call(
        self,
        a: str,
        b: str | None = None,
        *,
        bh: str | None = None,
        c: str | None = None,
        ch: str | None = None,
        d: str | None = None,
        call_id: str | None = None,
        id_src: str | None = None,
        id_dst: str | None = None,
        direction: Direction = Direction.INCOMING,
        dbg: bool = False,
    ) -> VerificationResult:
        """CheckCall for a call the system receives (or one that would start an alert)."""
        body = encode_form(
            (
                ("a", a),
                ("b", b),
                ("bh", bh),
                ("c", c),
                ("ch", ch),
                ("d", d),
                ("call_id", call_id),
                ("id_src", id_src),
                ("id_dst", id_dst),
                ("dbg", 1 if dbg else None),
            )
        )
        return await self._exchange("/CheckCall", body, _CHECK_OUTCOMES, direction)

    async def call(
        self,
        a: str,
        b: str,
        *,
        call_id: str | None = None,
        direction: Direction = Direction.INCOMING,
    ) -> VerificationResult:
        """The universal method: registers when the caller owns ``a``, otherwise checks."""
        body = encode_form((("a", a), ("b", b), ("call_id", call_id)))
        return await self._exchange("/call", body, _CALL_OUTCOMES, direction)

    async def call_update(
        self,
        call_id: str,
        *,
        id_src: str | None = None,
        id_dst: str | None = None,
        dur: int | None = None,
        rc: int | None = None,
        ta: int | None = None,
    ) -> VerificationResult:
        """callUpdate after a call ends (duration, release code, operators)."""
        body = encode_form(
            (
                ("CALL_ID", call_id),
                ("ID_SRC", id_src),
                ("ID_DST", id_dst),
                ("DUR", dur),
                ("RC", rc),
                ("TA", ta),
            )
        )
        return await self._exchange("/callUpdate", body, _UPDATE_OUTCOMES, Direction.INCOMING)

    async def number_info(self, number: str) -> NumberInfo | None:
        """numberInfo: the plan's data for a number, None when the hub does not know it."""
        for role in self._order():
            try:
                status, _, body = await self._post(
                    role, "/numberInfo", encode_form((("n", number),)), self.settings.budget
                )
            except _TRANSPORT_ERRORS:
                continue
            if status == 404:
                return None
            if status == 200:
                return _number_info_from(body)
        raise VerificationError(f"numberInfo for {number}: no server answered")

    async def ping(self, role: str = "primary") -> bool:
        try:
            status, _, _ = await self._post(role, "/ping", "", self.settings.budget)
        except _TRANSPORT_ERRORS:
            return False
        return status == 200

    def return_to_primary(self) -> None:
        """Send traffic back to the primary now (after a 5xx with ``failback='manual'``)."""
        self.health.on(Event.MANUAL_RETURN)

    # --- internals ----------------------------------------------------------
    def _order(self) -> tuple[str, ...]:
        state = self.health.state
        if state is _HEALTHY:
            return self._healthy_order
        order: tuple[str, ...] = ()
        if self._has_reserve and asyncio.get_running_loop().time() >= self._reserve_skip_until:
            order = ("reserve",)
        if state is _FAILED:
            order += ("primary",)  # answers fast; lets a recovered primary take over
        return order

    async def _post(
        self,
        role: str,
        path: str,
        body: str,
        timeout: float | aiohttp.ClientTimeout,
    ) -> tuple[int, CIMultiDictProxy[str], bytes]:
        session = self._session
        if session is None:
            raise RuntimeError("VerificationClient is not started (use 'async with')")
        async with session.post(
            self._urls[role] + path,
            data=body,
            headers=_FORM_HEADERS,
            allow_redirects=False,
            timeout=timeout
            if isinstance(timeout, aiohttp.ClientTimeout)
            else aiohttp.ClientTimeout(total=timeout),
        ) as response:
            content = await response.read()
            return response.status, response.headers, content

    async def _exchange(
        self,
        path: str,
        body: str,
        outcomes: Mapping[int, Outcome],
        direction: Direction,
    ) -> VerificationResult:
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + self.settings.budget
        failures: list[str] = []
        attempts = 0
        if self._in_flight >= self.settings.max_concurrency:
            await self._wait_for_slot()
        self._in_flight += 1
        try:
            session = self._session
            if session is None:
                raise RuntimeError("VerificationClient is not started (use 'async with')")
            for role in self._order():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                timeout = self._attempt_timeout(role, attempts, remaining)
                attempts += 1
                try:
                    # Inline rather than through _post: one coroutine layer less per call.
                    async with session.post(
                        self._urls[role] + path,
                        data=body,
                        headers=_FORM_HEADERS,
                        allow_redirects=False,
                        timeout=timeout,
                    ) as response:
                        await response.read()
                        status = response.status
                        headers = response.headers
                except _TRANSPORT_ERRORS as error:
                    failures.append(f"{role}: {type(error).__name__} {error}".strip())
                    self._server_failed(role, Event.CONNECT_ERROR, loop.time())
                    continue
                if status >= 500 or status == 307:
                    failures.append(f"{role}: HTTP {status}")
                    event = Event.REDIRECT if status == 307 else Event.SERVER_ERROR
                    self._server_failed(role, event, loop.time())
                    continue
                if role == "primary" and self.health.state is not _HEALTHY:
                    self.health.on(Event.ANSWERED)
                outcome = outcomes.get(status, _REJECTED)
                report = decode_error_lookup(headers.get)
                result = VerificationResult(
                    outcome=outcome,
                    allowed=self._allowed(outcome, direction),
                    status=status,
                    error_bits=report.error_bits,
                    warning_bits=report.warning_bits,
                    server=role,
                    elapsed=loop.time() - started,
                    attempts=attempts,
                    detail=report.messages if status in outcomes else f"unexpected HTTP {status}",
                    failures=tuple(failures),
                )
                self.stats.record(result)
                return result
        finally:
            self._release_slot()
        result = VerificationResult(
            outcome=_UNAVAILABLE,
            allowed=self._fail_open[direction.value],
            elapsed=loop.time() - started,
            attempts=attempts,
            detail="no server answered within the budget" if failures else "no server available",
            failures=tuple(failures),
        )
        self.stats.record(result)
        return result

    def _attempt_timeout(self, role: str, attempts: int, remaining: float) -> aiohttp.ClientTimeout:
        """The budget left, and at most primary_attempt_timeout for a primary with a reserve.

        First attempts reuse prepared objects: they are within microseconds of them.
        """
        if role == "primary" and self._has_reserve:
            if attempts == 0:
                return self._primary_timeout
            return aiohttp.ClientTimeout(
                total=min(remaining, self.settings.primary_attempt_timeout)
            )
        if attempts == 0:
            return self._budget_timeout
        return aiohttp.ClientTimeout(total=remaining)

    async def _wait_for_slot(self) -> None:
        """Bounded concurrency without a semaphore on the fast path."""
        while self._in_flight >= self.settings.max_concurrency:
            waiter = asyncio.get_running_loop().create_future()
            self._slot_waiters.append(waiter)
            await waiter

    def _release_slot(self) -> None:
        self._in_flight -= 1
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    def _allowed(self, outcome: Outcome, direction: Direction) -> bool:
        if outcome is _VERIFIED or outcome is _REGISTERED or outcome is _UPDATED:
            return True
        if outcome is _REJECTED:
            # The hub could not verify (e.g. a malformed caller id): the policy decides.
            return self._fail_open[direction.value]
        return False

    def _server_failed(self, role: str, event: Event, now: float) -> None:
        if role == "primary":
            self.health.on(event)
        else:
            self._reserve_skip_until = now + self.settings.ping_interval

    async def _probe_primary_forever(self) -> None:
        interval = self.settings.ping_interval
        while True:
            await asyncio.sleep(interval)
            if self.health.healthy:
                continue
            try:
                status, _, _ = await self._post("primary", "/ping", "", min(interval, 1.0))
            except _TRANSPORT_ERRORS:
                self.health.ping_failed()
                continue
            if status == 200:
                self.health.on(Event.PING_OK)
            elif status == 307:
                self.health.on(Event.REDIRECT)
            elif status >= 500:
                self.health.on(Event.SERVER_ERROR)
            else:
                self.health.ping_failed()


def _number_info_from(body: bytes) -> NumberInfo:
    try:
        data = json.loads(body)["data"]
        return NumberInfo(
            number=int(data["number"]),
            id_src=None if data.get("id_src") is None else str(data["id_src"]),
            inn=data.get("INN"),
            id_uvr_p=data.get("id_uvr_p"),
            id_uvr_s=data.get("id_uvr_s"),
            created=data.get("created"),
            uvr_addresses={
                k: data.get(k) for k in ("IP_UVR_P_P", "IP_UVR_P_S", "IP_UVR_S_P", "IP_UVR_S_S")
            },
        )
    except (ValueError, KeyError, TypeError) as error:
        raise VerificationError(f"numberInfo answered malformed JSON: {error}") from None
