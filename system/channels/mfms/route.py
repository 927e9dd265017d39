"""The MFMS HPG platform as an ``SmsRoute``: batched HTTP GETs, retries without duplicates.

How it works: ``send_batch(messages)`` packs the messages into as few
requests as the URL limit allows (``requests.QueryPacker``), sends up to
``concurrency`` of them at once over one ``httpx.AsyncClient`` (its
transport injectable for tests; each request goes straight to the client's
transport, ``lean_http.py``) and maps each answer (``answers.py``) onto
one ``SmsSubmission`` per message: ``ok`` -> SUBMITTED with the providerId
(and the message joins the status poller), another per-message code ->
REJECTED with that code, no line -> UNKNOWN. ``send_sms`` groups
concurrent single sends into shared requests (``SendBatcher``).

Which failures are retried (the spec has no idempotency key: a clientId is
unique only within one request, so a resent request is a new request):

* certainly not taken -> retried after a jittered exponential backoff, at
  most ``retries`` times, the route RECOVERING meanwhile: the connection
  could not be made (refused, connect timeout, TLS handshake failed), no
  connection was free in the pool, the request could not be written whole
  (a partial GET has no end of header, so a server never acts on it),
  ``error-system`` in either profile, HTTP 429, 502, 503;
* may have been taken -> never resent; every message of the request is
  UNKNOWN and the engine decides: no answer within ``timeout`` after the
  request was written, the connection reset or closed while waiting for the
  answer (also a keep-alive connection the server closed at that instant:
  it cannot be told apart), an answer that cannot be read, HTTP 504 or
  another 5xx without a code;
* fatal -> the route becomes FAILED and raises ``RouteFailed`` now and for
  every later send until ``reset_failure()``: ``error-auth``, HTTP 401, 403,
  404 (the URL or the credentials are wrong; retrying would only repeat it);
* our bug -> the messages are REJECTED with the code, logged, not retried:
  ``error-syntax``, another 4xx (414: the URL limit is set above the
  platform's).

When the retries are used up, ``send_batch`` raises ``PlatformUnavailable``
(a ``ChannelUnavailable``: nothing was taken). Messages of the batch in
requests that did succeed are not lost: the exception carries them in
``submissions`` (the engine records those and tries the rest later).
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
from collections.abc import Callable, Sequence

import httpx
from nabat.system.channels.base import (
    Activity,
    ChannelStatus,
    ChannelUnavailable,
    EventHandler,
    OutgoingSms,
    SmsSubmission,
    SubmitOutcome,
)
from nabat.system.channels.batching import SendBatcher
from nabat.system.channels.clock import Clock, LoopClock
from nabat.system.channels.events import EventHub
from nabat.system.channels.mfms.answers import MessageAnswer, Verdict, read_send_answer
from nabat.system.channels.mfms.fast_url import url_with_query
from nabat.system.channels.mfms.lean_http import LeanRequests
from nabat.system.channels.mfms.poller import StatusPoller
from nabat.system.channels.mfms.requests import PackedRequest, QueryPacker
from nabat.system.channels.mfms.settings import MfmsSettings
from nabat.system.channels.route_health import RouteHealth, backoff_delay
from nabat.system.wire.hpg import Credentials, ResponseCode

log = logging.getLogger("nabat.channels.mfms")

# httpx errors raised before any byte of the request could have reached the platform.
SAFE_TO_RETRY: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)


class RouteFailed(ChannelUnavailable):
    """The route needs an operator (refused credentials, wrong URL): nothing was attempted."""


class PlatformUnavailable(ChannelUnavailable):
    """The platform did not take the batch after every retry; ``submissions`` were taken."""

    def __init__(self, message: str, submissions: list[SmsSubmission | None]) -> None:
        super().__init__(message)
        self.submissions = submissions


def http_client(
    settings: MfmsSettings, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    verify: ssl.SSLContext | bool = settings.verify
    if settings.verify and settings.ca_file:
        verify = ssl.create_default_context(cafile=settings.ca_file)
    timeout = httpx.Timeout(
        settings.timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
    )
    limits = httpx.Limits(
        max_connections=settings.concurrency + 1, max_keepalive_connections=settings.concurrency + 1
    )
    return httpx.AsyncClient(transport=transport, verify=verify, timeout=timeout, limits=limits)


class MfmsRoute:
    """``SmsRoute``, ``BulkSmsRoute`` and ``EventSource`` over MFMS HPG."""

    def __init__(
        self,
        settings: MfmsSettings,
        *,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._clock: Clock = clock or LoopClock()
        self._rng = rng or random.Random()
        self._client = http_client(settings, transport)
        self._http = LeanRequests(self._client)
        self._hub = EventHub(settings.name)
        self._health = RouteHealth(settings.name, self._clock, self._hub)
        credentials = Credentials(
            settings.login, settings.password, settings.login_param, settings.password_param
        )
        self.packer = QueryPacker(
            credentials,
            send_url=settings.send_url,
            status_url=settings.status_url,
            subject=settings.subject,
            max_url_length=None if settings.post else settings.max_url_length,
            max_batch=settings.max_batch,
        )
        self._limit = asyncio.Semaphore(settings.concurrency)
        self._batcher = SendBatcher(
            self.send_batch,
            self._clock,
            window=settings.batch_window,
            max_batch=settings.max_batch * settings.concurrency,
        )
        self.poller = StatusPoller(self)
        self.requests_made = 0
        self._urls: dict[str, httpx.URL] = {}

    # --- what the poller uses ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self._settings.name

    @property
    def settings(self) -> MfmsSettings:
        return self._settings

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def hub(self) -> EventHub:
        return self._hub

    @property
    def health(self) -> RouteHealth:
        return self._health

    async def request(self, url: str, query: str) -> httpx.Response:
        """One HPG request (GET, or POST of the same parameters when configured)."""
        self.requests_made += 1
        if self._settings.post:
            return await self._http.post(url, query.encode("ascii"))
        base = self._urls.get(url)
        if base is None:
            base = self._urls[url] = httpx.URL(url)
        return await self._http.get(url_with_query(base, query))

    # --- the channel interfaces -------------------------------------------------------------
    def status(self) -> ChannelStatus:
        return self._health.status()

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        return self._hub.subscribe(handler)

    async def start(self) -> None:
        if self._health.activity in (Activity.STARTING, Activity.STOPPED):
            self._health.set(Activity.IDLE, "idle")
        self.poller.start()

    async def stop(self) -> None:
        await self._batcher.close()
        await self.poller.stop()
        await self._client.aclose()
        self._hub.close()
        self._health.set(Activity.STOPPED, "stopped")

    async def __aenter__(self) -> MfmsRoute:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def reset_failure(self) -> None:
        if self._health.failed:
            self._health.set(Activity.IDLE, "idle")

    def fail(self, text: str) -> None:
        self._health.set(Activity.FAILED, text)

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        return await self._batcher.send(OutgoingSms(number, text))

    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]:
        if self._health.failed:
            raise RouteFailed(f"{self.name}: {self.status().text}")
        addresses = ((message.number.removeprefix("+"), message.text) for message in messages)
        results: list[SmsSubmission | None] = [None] * len(messages)
        requests: list[PackedRequest] = []
        sending: list[asyncio.Task[list[SmsSubmission]]] = []
        self._health.begin_send()
        try:
            # Each request goes on the wire as soon as it is packed (the sleep lets its
            # task write it), so the platform works while the rest are being packed.
            for packed in self.packer.iter_send(addresses):
                if isinstance(packed, int):
                    results[packed] = self._submission(
                        messages[packed],
                        SubmitOutcome.REJECTED,
                        f"the message does not fit in a {self._settings.max_url_length}"
                        "-character URL",
                    )
                    continue
                requests.append(packed)
                sending.append(asyncio.ensure_future(self._send_request(packed, messages)))
                await asyncio.sleep(0)
            outcomes = await asyncio.gather(*sending, return_exceptions=True)
        except BaseException:
            for task in sending:
                task.cancel()
            raise
        finally:
            self._health.end_send()
        failure: BaseException | None = None
        for request, outcome in zip(requests, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                failure = failure or outcome
                continue
            for position, submission in zip(request.positions, outcome, strict=True):
                results[position] = submission
        if isinstance(failure, PlatformUnavailable):
            raise PlatformUnavailable(str(failure), results) from failure
        if failure is not None:
            raise failure
        return [result for result in results if result is not None]

    async def _send_request(
        self, request: PackedRequest, messages: Sequence[OutgoingSms]
    ) -> list[SmsSubmission]:
        batch = [messages[position] for position in request.positions]
        attempt = 0
        while True:
            if self._health.failed:
                raise RouteFailed(f"{self.name}: {self.status().text}")
            async with self._limit:
                try:
                    response = await self.request(self._settings.send_url, request.query)
                    status, body = response.status_code, response.text
                except SAFE_TO_RETRY as error:
                    verdict, detail = Verdict.RETRY, f"{type(error).__name__}: {error}"
                except httpx.HTTPError as error:
                    verdict, detail = Verdict.UNCERTAIN, f"{type(error).__name__}: {error}"
                else:
                    answer = read_send_answer(status, body, len(batch))
                    verdict, detail = answer.verdict, answer.detail
            if verdict is Verdict.LINES:
                if self._health.activity is Activity.RECOVERING:
                    self._health.set(Activity.IDLE, "idle")
                return self._accepted(batch, answer.messages)
            if verdict is Verdict.UNCERTAIN:
                log.warning("%s: %d messages of unknown fate: %s", self.name, len(batch), detail)
                return [self._submission(m, SubmitOutcome.UNKNOWN, detail) for m in batch]
            if verdict in (Verdict.AUTH, Verdict.CONFIG):
                self.fail(detail)
                raise RouteFailed(f"{self.name}: {detail}")
            if verdict is Verdict.SYNTAX:
                log.error(
                    "%s: the platform refused our request as malformed: %s", self.name, detail
                )
                return [
                    self._submission(
                        m, SubmitOutcome.REJECTED, detail, code=ResponseCode.ERROR_SYNTAX.value
                    )
                    for m in batch
                ]
            if attempt >= self._settings.retries:
                self._health.set(Activity.IDLE, f"idle; last request failed: {detail}")
                raise PlatformUnavailable(f"{self.name}: {detail}", [])
            delay = backoff_delay(
                attempt,
                initial=self._settings.backoff_initial,
                maximum=self._settings.backoff_max,
                rng=self._rng,
            )
            self._health.set(Activity.RECOVERING, f"{detail}; retry in {delay:.1f} s")
            await self._clock.sleep(delay)
            attempt += 1

    def _accepted(
        self, batch: list[OutgoingSms], answers: list[MessageAnswer | None]
    ) -> list[SmsSubmission]:
        out: list[SmsSubmission] = []
        name, ok, submitted = self.name, ResponseCode.OK, SubmitOutcome.SUBMITTED
        track = self.poller.track
        for message, answer in zip(batch, answers, strict=True):
            if answer is None:
                out.append(
                    self._submission(message, SubmitOutcome.UNKNOWN, "no result line for it")
                )
            elif answer.code is ok:
                number = message.number
                track(answer.provider_id, number)
                # positional: a frozen dataclass sets keyword fields no faster, and
                # this runs once per accepted message
                out.append(
                    SmsSubmission(name, number, submitted, (), 1, "", answer.provider_id, "ok")
                )
            else:
                out.append(
                    self._submission(
                        message, SubmitOutcome.REJECTED, answer.code.value, code=answer.code.value
                    )
                )
        return out

    def _submission(
        self, message: OutgoingSms, outcome: SubmitOutcome, detail: str, *, code: str = ""
    ) -> SmsSubmission:
        return SmsSubmission(self.name, message.number, outcome, (), 1, detail, code=code)
