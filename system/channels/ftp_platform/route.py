"""The FTP/FTPS SMS platform as an ``SmsRoute``: messages become zip archives uploaded atomically.

How it works: ``send_batch(messages)`` checks every message (digits of an
international number, 10-15 digits; a text the configured encoding can hold) — the bad
ones are REJECTED with the reason, the rest become one archive (template or
plain variant, ``archive.py``) named ``<login>_<YYYYMMDDhhmmss>.zip`` and
uploaded under a temporary name, then renamed (``transfer.py``), in a
worker thread. ``send_sms`` groups concurrent single sends into one
archive (``SendBatcher``: ``batch_window`` seconds, ``max_batch``).

What may be retried: an upload that failed before the rename
(``FtpNotDelivered``: nothing but a ``.part`` the poller ignores was ever on
the server) is tried again after a jittered exponential backoff, up to
``retries`` times, the route RECOVERING meanwhile; then the batch raises
``FtpNotDelivered`` (a ``ChannelUnavailable``: the engine tries later or
elsewhere). A refused login makes the route FAILED (no retries: every
further send raises at once until ``reset_failure()``). A rename whose
outcome could not be learnt makes every message UNKNOWN: the engine
decides, nothing is uploaded twice by the route.

Tracking: the platform shows statuses only in its web "personal account";
the protocol's only signal is that the poller deletes an archive once it
has taken it. So an accepted message is SUBMITTED with ``provider_id``
``<archive>#<n>`` (n: its data line, from 1); the route lists the folder
every ``watch_interval`` seconds and, when the archive is gone, reports
each of its messages as ``DeliveryReport(PENDING, platform_status=
"picked-up")`` — the last report this protocol can give. An archive still
there after ``pickup_deadline`` is reported once as ``"not-picked-up"``
(still PENDING: it may yet be taken) and the route's status says so.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from nabat.system.channels.base import (
    Activity,
    ChannelStatus,
    ChannelUnavailable,
    DeliveryReport,
    DeliveryStatus,
    EventHandler,
    OutgoingSms,
    SmsSubmission,
    SubmitOutcome,
)
from nabat.system.channels.batching import SendBatcher
from nabat.system.channels.clock import Clock, LoopClock
from nabat.system.channels.events import EventHub
from nabat.system.channels.ftp_platform.archive import (
    Archive,
    ArchiveNamer,
    is_international,
    plain_archive,
    route_template_archive,
)
from nabat.system.channels.ftp_platform.settings import FtpPlatformSettings
from nabat.system.channels.ftp_platform.transfer import (
    FtpLoginRefused,
    FtpNameTaken,
    FtpNotDelivered,
    FtpUncertain,
    list_names,
    upload_atomically,
)
from nabat.system.channels.route_health import RouteHealth, backoff_delay
from nabat.system.runtime.tasks import cancel_and_wait

log = logging.getLogger("nabat.channels.ftp_platform")

Uploader = Callable[[FtpPlatformSettings, Archive], None]
Lister = Callable[[FtpPlatformSettings], set[str]]


class RouteFailed(ChannelUnavailable):
    """The route needs an operator (refused login): nothing was attempted."""


@dataclass(slots=True)
class _Watched:
    archive: str
    numbers: tuple[str, ...]
    uploaded_at: float
    overdue_reported: bool = False


class FtpPlatformRoute:
    """``SmsRoute``, ``BulkSmsRoute`` and ``EventSource`` over the FTP SMS platform."""

    def __init__(
        self,
        settings: FtpPlatformSettings,
        *,
        clock: Clock | None = None,
        wall_clock: Callable[[], datetime] = datetime.now,
        uploader: Uploader = upload_atomically,
        lister: Lister = list_names,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._clock: Clock = clock or LoopClock()
        self._namer = ArchiveNamer(settings.login, wall_clock)
        self._uploader = uploader
        self._lister = lister
        self._rng = rng or random.Random()
        self._hub = EventHub(settings.name)
        self._health = RouteHealth(settings.name, self._clock, self._hub)
        self._batcher = SendBatcher(
            self.send_batch, self._clock, window=settings.batch_window, max_batch=settings.max_batch
        )
        self._watched: dict[str, _Watched] = {}
        self._watcher: asyncio.Task[None] | None = None
        self._upload_lock = asyncio.Lock()
        self.uploads = 0  # archives on the platform (for status and benchmarks)

    @property
    def name(self) -> str:
        return self._settings.name

    @property
    def settings(self) -> FtpPlatformSettings:
        return self._settings

    def watching(self) -> list[str]:
        """Archives uploaded and not yet seen picked up."""
        return list(self._watched)

    def status(self) -> ChannelStatus:
        return self._health.status()

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        return self._hub.subscribe(handler)

    async def start(self) -> None:
        if self._health.activity is Activity.STARTING or self._health.activity is Activity.STOPPED:
            self._health.set(Activity.IDLE, "idle")
        if self._watcher is None:
            self._watcher = asyncio.ensure_future(self._watch_forever())

    async def stop(self) -> None:
        await self._batcher.close()
        if self._watcher is not None:
            await cancel_and_wait(self._watcher)
            self._watcher = None
        self._hub.close()
        self._health.set(Activity.STOPPED, "stopped")

    async def __aenter__(self) -> FtpPlatformRoute:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def reset_failure(self) -> None:
        """An operator fixed the settings: take work again."""
        if self._health.failed:
            self._health.set(Activity.IDLE, "idle")

    # --- sending -----------------------------------------------------------------------
    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        """One message, grouped with concurrent ones into one archive."""
        return await self._batcher.send(OutgoingSms(number, text))

    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]:
        if self._health.failed:
            raise RouteFailed(f"{self.name}: {self.status().text}")
        results: list[SmsSubmission | None] = [self._refusal(message) for message in messages]
        accepted = [m for m, result in zip(messages, results, strict=True) if result is None]
        if accepted:
            self._health.begin_send()
            try:
                async with self._upload_lock:
                    archive = self._build(accepted)
                    outcome, name = await self._upload(archive, accepted)
            finally:
                self._health.end_send()
            line = 0
            for index, result in enumerate(results):
                if result is None:
                    line += 1
                    results[index] = self._submission(messages[index], name, line, outcome)
        return [result for result in results if result is not None]

    def _refusal(self, message: OutgoingSms) -> SmsSubmission | None:
        number = message.number.removeprefix("+")
        problem = ""
        if not is_international(number):
            problem = "the number must be 10-15 digits of an international number"
        else:
            try:
                message.text.encode(self._settings.encoding)
            except UnicodeEncodeError:
                problem = f"the text cannot be written in {self._settings.encoding}"
        if not problem:
            return None
        return SmsSubmission(self.name, message.number, SubmitOutcome.REJECTED, (), 1, problem)

    def _build(self, messages: Sequence[OutgoingSms]) -> Archive:
        plain = [OutgoingSms(m.number.removeprefix("+"), m.text, m.key) for m in messages]
        name = self._namer.next_name()
        if self._settings.variant == "plain":
            return plain_archive(
                name, plain, file_name=self._settings.plain_file, encoding=self._settings.encoding
            )
        return route_template_archive(
            name,
            plain,
            sender=self._settings.sender,
            validity=self._settings.validity,
            localtime=self._settings.localtime,
            encoding=self._settings.encoding,
        )

    async def _upload(
        self, archive: Archive, messages: Sequence[OutgoingSms]
    ) -> tuple[SubmitOutcome, str]:
        """The outcome and the name the archive was finally uploaded under."""
        attempt = 0
        while True:
            try:
                await asyncio.to_thread(self._uploader, self._settings, archive)
            except FtpLoginRefused as error:
                self._health.set(Activity.FAILED, str(error))
                raise RouteFailed(f"{self.name}: {error}") from error
            except FtpUncertain as error:
                log.warning("%s: %s", self.name, error)
                self._health.set(Activity.IDLE, "idle")
                self._watch(archive, messages)
                return SubmitOutcome.UNKNOWN, archive.name
            except FtpNameTaken:
                archive = dataclasses.replace(archive, name=self._namer.next_name())
                continue
            except FtpNotDelivered as error:
                if attempt >= self._settings.retries:
                    self._health.set(Activity.IDLE, f"idle; last upload failed: {error}")
                    raise
                delay = backoff_delay(
                    attempt,
                    initial=self._settings.backoff_initial,
                    maximum=self._settings.backoff_max,
                    rng=self._rng,
                )
                self._health.set(Activity.RECOVERING, f"{error}; retry in {delay:.1f} s")
                await self._clock.sleep(delay)
                attempt += 1
                continue
            self.uploads += 1
            self._health.set(Activity.IDLE, "idle")
            self._watch(archive, messages)
            return SubmitOutcome.SUBMITTED, archive.name

    def _submission(
        self, message: OutgoingSms, archive: str, line: int, outcome: SubmitOutcome
    ) -> SmsSubmission:
        detail = (
            f"in {archive}"
            if outcome is SubmitOutcome.SUBMITTED
            else f"{archive}: upload uncertain"
        )
        return SmsSubmission(
            self.name, message.number, outcome, (), 1, detail, provider_id=f"{archive}#{line}"
        )

    # --- tracking ----------------------------------------------------------------------
    def _watch(self, archive: Archive, messages: Sequence[OutgoingSms]) -> None:
        numbers = tuple(message.number for message in messages)
        self._watched[archive.name] = _Watched(archive.name, numbers, self._clock.now())

    async def _watch_forever(self) -> None:
        while True:
            await self._clock.sleep(self._settings.watch_interval)
            if self._watched:
                await self.check_pickups()

    async def check_pickups(self) -> None:
        """List the folder once: report archives picked up or overdue."""
        try:
            names = await asyncio.to_thread(self._lister, self._settings)
        except FtpLoginRefused as error:
            self._health.set(Activity.FAILED, str(error))
            return
        except Exception as error:  # a listing that failed tells nothing: try next time
            log.warning("%s: listing the folder failed: %s", self.name, error)
            return
        now = self._clock.now()
        for name, watched in list(self._watched.items()):
            if name not in names:
                del self._watched[name]
                self._report(watched, "picked-up", "")
            elif (
                not watched.overdue_reported
                and now - watched.uploaded_at > self._settings.pickup_deadline
            ):
                watched.overdue_reported = True
                reason = f"still on the server after {self._settings.pickup_deadline:.0f} s"
                self._health.set(self._health.activity, f"{name} {reason}")
                self._report(watched, "not-picked-up", reason)

    def _report(self, watched: _Watched, platform_status: str, reason: str) -> None:
        if not self._hub.has_subscribers:
            return
        for line, number in enumerate(watched.numbers, start=1):
            self._hub.publish(
                DeliveryReport(
                    self.name,
                    number,
                    0,
                    DeliveryStatus.PENDING,
                    -1,
                    None,
                    provider_id=f"{watched.archive}#{line}",
                    platform_status=platform_status,
                    reason=reason,
                )
            )
