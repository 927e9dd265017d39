"""The e-mail route: messages to an SMTP server, batched, retried on 4xx only.

How it works: ``send_emails(messages)`` turns each message into work items
of at most ``max_recipients`` recipients and runs SMTP sessions with the
stdlib's ``smtplib`` in a worker thread (``asyncio.to_thread``: smtplib is
synchronous, ubiquitous and easy to reason about reply by reply; the event
loop never blocks). One session: connect, EHLO, STARTTLS (as the settings
say; the certificate is checked against ``ca_file``), EHLO again, AUTH when
a login is set, then up to ``max_messages_per_connection`` transactions with
RSET between them. A transaction is MAIL FROM (SMTPUTF8 / BODY=8BITMIME /
SIZE as compose.py decided), one RCPT per recipient (each answer is that
recipient's result), DATA, the message, and the reply to the final dot.

Results per recipient: 2xx to RCPT and to the data -> SENT; a 5xx anywhere
-> REJECTED (final); a 4xx, or a connection lost before the data went out ->
retried in the next round after ``backoff_delay``; after ``retries`` rounds
-> DEFERRED. Duplicates: once the final dot is written, only the server's
reply counts — a 4xx/5xx proves the message was not taken (retry / final);
a lost connection or a timeout there means it may have been taken, so the
recipients get UNKNOWN and are never resent by the route (the engine
decides). An AUTH failure (535), no AUTH offered while a login is set, or
STARTTLS required but not offered puts the route in FAILED: the recipients
not yet settled get DEFERRED at once (no more rounds: retrying cannot help)
and the route stays FAILED until a later call gets through.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import smtplib
import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from nabat.system.channels.base import (
    Activity,
    ChannelStatus,
    EmailOutcome,
    EmailSubmission,
    EventHandler,
    OutgoingEmail,
)
from nabat.system.channels.clock import Clock, LoopClock
from nabat.system.channels.events import EventHub
from nabat.system.channels.route_health import RouteHealth, backoff_delay
from nabat.system.channels.smtp.compose import compose, needs_smtputf8
from nabat.system.channels.smtp.settings import SmtpSettings, StartTls

LEADING_DOT = re.compile(rb"(?m)^\.")
Sleep = Callable[[float], Awaitable[None]]


class _RouteFailure(Exception):
    """Nothing can be sent with these settings (AUTH refused, no STARTTLS)."""


@dataclass(slots=True)
class _Work:
    index: int
    message: OutgoingEmail
    recipients: list[str]
    attempts: int = 0
    data_sent: bool = False  # the final dot is on the wire, its reply not yet read
    in_data: list[str] = field(default_factory=list)  # recipients the data went to


@dataclass(slots=True)
class _Round:
    """What one session decided: final results, and what to try again."""

    final: dict[tuple[int, str], tuple[EmailOutcome, str]] = field(default_factory=dict)
    again: dict[tuple[int, str], str] = field(default_factory=dict)
    failure: str | None = None  # nothing can be sent with these settings (no more rounds)


def _reply(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(shown.split())}"[:500]


class SmtpRoute:
    def __init__(
        self,
        settings: SmtpSettings,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._clock = clock or LoopClock()
        self._sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._hub = EventHub(settings.name)
        self._health = RouteHealth(settings.name, self._clock, self._hub)
        self._health.set(Activity.IDLE, "ready")
        self.connections = 0  # SMTP sessions opened so far (for figures and tests)

    @property
    def name(self) -> str:
        name: str = self.settings.name
        return name

    def status(self) -> ChannelStatus:
        return self._health.status()

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        unsubscribe: Callable[[], None] = self._hub.subscribe(handler)
        return unsubscribe

    # --- the engine's call --------------------------------------------------------------
    async def send_emails(self, messages: Sequence[OutgoingEmail]) -> list[EmailSubmission]:
        settings = self.settings
        works: list[_Work] = []
        for index, message in enumerate(messages):
            for start in range(0, len(message.recipients), settings.max_recipients):
                chunk = list(message.recipients[start : start + settings.max_recipients])
                works.append(_Work(index, message, chunk))
        final: dict[tuple[int, str], tuple[EmailOutcome, str]] = {}
        attempts: dict[tuple[int, str], int] = {}
        failure: str | None = None
        self._health.begin_send()
        try:
            for round_number in range(settings.retries + 1):
                if not works:
                    break
                if round_number:
                    self._health.set(Activity.RECOVERING, "retrying after temporary failures")
                    await self._sleep(
                        backoff_delay(
                            round_number - 1,
                            initial=settings.backoff_initial,
                            maximum=settings.backoff_max,
                            rng=self._rng,
                        )
                    )
                for work in works:
                    for recipient in work.recipients:
                        key = (work.index, recipient)
                        attempts[key] = attempts.get(key, 0) + 1
                outcome = await self._run_round(works)
                failure = outcome.failure
                final.update(outcome.final)
                works = [
                    _Work(
                        w.index,
                        w.message,
                        [r for r in w.recipients if (w.index, r) in outcome.again],
                    )
                    for w in works
                ]
                works = [w for w in works if w.recipients]
                for work in works:
                    for recipient in work.recipients:
                        final[(work.index, recipient)] = (
                            EmailOutcome.DEFERRED,
                            outcome.again[(work.index, recipient)],
                        )
                if failure is not None:
                    break  # retrying cannot help: the settings are wrong or the server changed
            if failure is None:
                self._health.set(Activity.IDLE, "ready")
        finally:
            self._health.end_send()
        return [
            EmailSubmission(
                settings.name,
                recipient,
                final[(index, recipient)][0],
                final[(index, recipient)][1],
                attempts.get((index, recipient), 1),
                message.key,
            )
            for index, message in enumerate(messages)
            for recipient in message.recipients
        ]

    async def send_email(
        self, recipients: Sequence[str], subject: str, body: str
    ) -> list[EmailSubmission]:
        return await self.send_emails([OutgoingEmail(tuple(recipients), subject, body)])

    async def _run_round(self, works: list[_Work]) -> _Round:
        outcome = _Round()
        per = self.settings.max_messages_per_connection
        for start in range(0, len(works), per):
            batch = works[start : start + per]
            try:
                await asyncio.to_thread(self._session, batch, outcome)
            except _RouteFailure as failure:
                self._health.set(Activity.FAILED, str(failure))
                outcome.failure = str(failure)
                for work in works[start:]:  # this batch and the ones never tried
                    for recipient in work.recipients:
                        outcome.again.setdefault((work.index, recipient), str(failure))
                break
        return outcome

    # --- one SMTP session (in a worker thread) -----------------------------------------------
    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file)

    def _session(self, batch: list[_Work], outcome: _Round) -> None:
        settings = self.settings
        client: smtplib.SMTP | None = None
        current: _Work | None = None
        try:
            self.connections += 1
            # The host given here is also the name STARTTLS checks the certificate for.
            client = smtplib.SMTP(
                settings.host,
                settings.port,
                local_hostname=settings.helo_name,
                timeout=settings.connect_timeout,
            )
            client.sock.settimeout(settings.timeout)  # type: ignore[union-attr]
            code, text = client.ehlo()
            if code != 250:
                code, text = client.helo()
                if code != 250:
                    raise smtplib.SMTPHeloError(code, text)
            if settings.starttls is not StartTls.OFF:
                if client.has_extn("starttls"):
                    client.starttls(context=self._context())
                    client.ehlo()
                elif settings.starttls is StartTls.REQUIRED:
                    raise _RouteFailure("the server does not offer STARTTLS (required)")
            if settings.login:
                try:
                    client.login(settings.login, settings.password)
                except smtplib.SMTPAuthenticationError as error:
                    raise _RouteFailure(
                        f"AUTH refused: {_reply(error.smtp_code, error.smtp_error)}"
                    ) from None
                except smtplib.SMTPNotSupportedError:
                    raise _RouteFailure("the server offers no AUTH (a login is set)") from None
            for position, work in enumerate(batch):
                current = work
                if position:
                    client.rset()
                self._transaction(client, work, outcome)
            current = None
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
        except _RouteFailure:
            if client is not None:
                client.close()
            raise
        except smtplib.SMTPResponseException as error:
            # A 4xx/5xx to the greeting, EHLO or RSET: the whole session failed.
            reply = _reply(error.smtp_code, error.smtp_error)
            self._unresolved(
                batch, outcome, reply, permanent=500 <= error.smtp_code < 600 and current is None
            )
            if client is not None:
                client.close()
        except (smtplib.SMTPException, OSError) as error:
            if current is not None and current.data_sent:
                for recipient in current.in_data:
                    key = (current.index, recipient)
                    if key not in outcome.final and key not in outcome.again:
                        outcome.final[key] = (
                            EmailOutcome.UNKNOWN,
                            f"no reply to the data: {error!r}"[:300],
                        )
            self._unresolved(batch, outcome, f"connection lost: {error!r}"[:300], permanent=False)
            if client is not None:
                client.close()

    @staticmethod
    def _unresolved(batch: list[_Work], outcome: _Round, reply: str, *, permanent: bool) -> None:
        for work in batch:
            for recipient in work.recipients:
                key = (work.index, recipient)
                if key in outcome.final or key in outcome.again:
                    continue
                if permanent:
                    outcome.final[key] = (EmailOutcome.REJECTED, reply)
                else:
                    outcome.again[key] = reply

    def _settle(
        self, work: _Work, recipients: list[str], outcome: _Round, code: int, reply: str
    ) -> None:
        for recipient in recipients:
            key = (work.index, recipient)
            if 200 <= code < 300:
                outcome.final[key] = (EmailOutcome.SENT, reply)
            elif 400 <= code < 500:
                outcome.again[key] = reply
            else:
                outcome.final[key] = (EmailOutcome.REJECTED, reply)

    def _transaction(self, client: smtplib.SMTP, work: _Work, outcome: _Round) -> None:
        settings = self.settings
        message = work.message
        offers_utf8 = client.has_extn("smtputf8")
        if needs_smtputf8(settings.from_address, *work.recipients) and not offers_utf8:
            self._settle(work, work.recipients, outcome, 553,
                         "553 the server lacks SMTPUTF8 for a non-ASCII address")  # fmt: skip
            return
        non_ascii_headers = not (message.subject.isascii() and "".join(work.recipients).isascii())
        composed = compose(
            sender=settings.from_address,
            recipients=tuple(work.recipients),
            subject=message.subject,
            body=message.body,
            smtputf8=offers_utf8 and non_ascii_headers,
            eightbit=client.has_extn("8bitmime"),
            size_offered=client.has_extn("size"),
            domain=settings.helo_name,
        )
        code, text = client.mail(settings.from_address, list(composed.mail_options))
        if code != 250:
            self._settle(work, work.recipients, outcome, code, _reply(code, text))
            return
        accepted: list[str] = []
        for recipient in work.recipients:
            code, text = client.rcpt(recipient)
            if code in (250, 251):
                accepted.append(recipient)
            else:
                self._settle(work, [recipient], outcome, code, _reply(code, text))
        if not accepted:
            return
        code, text = client.docmd("DATA")
        if code != 354:
            self._settle(work, accepted, outcome, code, _reply(code, text))
            return
        data = LEADING_DOT.sub(b"..", composed.data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        work.in_data = accepted
        work.data_sent = True
        client.send(data + b".\r\n")
        code, text = client.getreply()
        work.data_sent = False
        self._settle(work, accepted, outcome, code, _reply(code, text))
