"""Status polling of an MFMS route: ``/status`` for every message not yet final.

How it works: ``track(provider_id, number)`` adds an accepted message (a
plain ``providerId -> number`` entry: no object per message until the
platform reports on it; the last status word reported and the count of
unknown answers live in two more dicts, only for the ids they concern). Every
``poll_interval`` seconds of the route's clock ``poll_once`` packs the ids
not yet final into STATUS requests bounded by the URL limit (the same
``QueryPacker``) and reads each answer line (``code;providerId;status;
dateTime;reason``) with the wire codec. A status word that differs from the
last one reported becomes a ``DeliveryReport`` event (enqueued, sent,
delayed -> PENDING; delivered -> DELIVERED; undelivered, failed -> FAILED
with the reason; cancelled -> CANCELLED); a final one ends the tracking.
``error-provider-id-unknown`` counts; after ``unknown_tries`` answers in a
row the message is reported UNKNOWN (final) and forgotten. A request-level
``error-auth`` (or 401/403/404) makes the route FAILED; any other failure
(timeouts, 5xx, unreadable answers) only waits for the next round: a status
request changes nothing on the platform, so it is always safe to repeat.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from nabat.system.channels.base import DeliveryReport, DeliveryStatus
from nabat.system.channels.mfms.answers import Verdict, request_verdict
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.wire.hpg import DeliveryStatus as HpgStatus
from nabat.system.wire.hpg import HpgSyntaxError, ResponseCode, body_lines, parse_status_line

if TYPE_CHECKING:
    from nabat.system.channels.mfms.route import MfmsRoute

log = logging.getLogger("nabat.channels.mfms")

STATUS_MAP = {
    HpgStatus.ENQUEUED: DeliveryStatus.PENDING,
    HpgStatus.SENT: DeliveryStatus.PENDING,
    HpgStatus.DELAYED: DeliveryStatus.PENDING,
    HpgStatus.DELIVERED: DeliveryStatus.DELIVERED,
    HpgStatus.UNDELIVERED: DeliveryStatus.FAILED,
    HpgStatus.FAILED: DeliveryStatus.FAILED,
    HpgStatus.CANCELLED: DeliveryStatus.CANCELLED,
}


class StatusPoller:
    def __init__(self, route: MfmsRoute) -> None:
        self._route = route
        self._tracked: dict[str, str] = {}  # providerId -> number, until final
        self._last: dict[str, str] = {}  # the platform's last status word reported
        self._unknown: dict[str, int] = {}  # error-provider-id-unknown answers in a row
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    @property
    def pending(self) -> int:
        return len(self._tracked)

    def track(self, provider_id: str, number: str) -> None:
        tracked = self._tracked
        if provider_id not in tracked:
            tracked[provider_id] = number

    def _forget(self, provider_id: str) -> None:
        del self._tracked[provider_id]
        self._last.pop(provider_id, None)
        self._unknown.pop(provider_id, None)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._poll_forever())

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def _poll_forever(self) -> None:
        route = self._route
        while True:
            await route.clock.sleep(route.settings.poll_interval)
            if self._tracked and not route.health.failed:
                try:
                    await self.poll_once()
                except Exception:  # never let one bad round end the polling
                    log.exception("%s: a status poll failed", route.name)

    async def poll_once(self) -> None:
        """One round over every tracked message."""
        route = self._route
        ids = list(self._tracked)
        packing = route.packer.pack_status(ids)
        self.polls += 1
        for request in packing.requests:
            try:
                response = await route.request(route.settings.status_url, request.query)
            except httpx.HTTPError as error:
                log.info("%s: status request failed (next round): %s", route.name, error)
                continue
            verdict = request_verdict(response.status_code, response.text)
            if verdict is not None:
                if verdict[0] in (Verdict.AUTH, Verdict.CONFIG):
                    route.fail(verdict[1])
                    return
                log.info("%s: status request refused (next round): %s", route.name, verdict[1])
                continue
            self._read(response.text, {ids[position] for position in request.positions})

    def _read(self, body: str, asked: set[str]) -> None:
        for line in body_lines(body):
            try:
                result = parse_status_line(line)
            except HpgSyntaxError as error:
                log.info("%s: unreadable status line: %s", self._route.name, error)
                continue
            provider_id = result.provider_id
            number = self._tracked.get(provider_id)
            if number is None or provider_id not in asked:
                continue
            if result.code is ResponseCode.ERROR_PROVIDER_ID_UNKNOWN:
                unknown = self._unknown[provider_id] = self._unknown.get(provider_id, 0) + 1
                if unknown >= self._route.settings.unknown_tries:
                    self._forget(provider_id)
                    self._publish(
                        provider_id,
                        number,
                        DeliveryStatus.UNKNOWN,
                        "",
                        None,
                        "the platform does not know this providerId",
                    )
                continue
            if result.code is not ResponseCode.OK or result.status is None:
                continue
            self._unknown.pop(provider_id, None)
            status = STATUS_MAP[result.status]
            word = result.status.value
            changed = word != self._last.get(provider_id, "")
            if status.final:
                self._forget(provider_id)
            elif changed:
                self._last[provider_id] = word
            if changed:
                self._publish(
                    provider_id,
                    number,
                    status,
                    result.status.value,
                    result.moment,
                    result.reason,
                )

    def _publish(
        self,
        provider_id: str,
        number: str,
        status: DeliveryStatus,
        word: str,
        moment: datetime | None,
        reason: str,
    ) -> None:
        hub = self._route.hub
        if not hub.has_subscribers:
            return
        hub.publish(
            DeliveryReport(
                self._route.name,
                number,
                0,
                status,
                -1,
                moment,
                provider_id=provider_id,
                platform_status=word,
                reason=reason,
            )
        )
