"""One SMTP connection of the sink: aiosmtpd's ``SMTP`` with the sink's rules.

``SinkSmtp`` (one per connection, made by ``SmtpSink.protocol``) adds to
aiosmtpd what a sink facing untrusted clients and tests needs:

* limits: connections in all and per client address (over the cap the
  greeting is ``421`` and the connection closes), the line length (the
  reader's limit), the idle deadline (aiosmtpd's timer: restarted by each
  valid command only, so a client trickling an endless line is dropped by
  then too), a separate deadline for the whole DATA phase, and at most
  ``max_auth_failures`` failed AUTHs per connection;
* a client that never reads its replies: the socket's send buffer is small
  (``REPLY_SEND_BUFFER``), so its unread replies soon stop the command loop
  in ``drain()`` and the idle deadline (not restarted while stalled) fires;
  more than ``MAX_REPLY_BACKLOG`` reply bytes unsent in the transport cuts it
  at once. A cut is a reset (SO_LINGER 0, then abort), never a close: a FIN
  queued behind unread data never reaches the client, which would keep its
  end open (docs/hostile-clients.md);
* faults at each stage (``connect`` greeting, ``ehlo``, ``mail``, ``rcpt``,
  ``data``, ``end_of_data``) from the shared ``FaultSet``: ``status`` answers
  that 4xx/5xx code instead, ``reset`` drops the connection (at ``data``:
  after the 354 and the first line of the message, i.e. mid-DATA), ``hang``
  waits that many seconds before answering normally; and the shared
  ``LatencyModel`` delays every reply (slow responses);
* the handler (``SinkHandler``): each RCPT asks the world
  (``WorldRuntime.email``): rejected -> the world's 550 for that recipient
  only; accepted and bounced -> 250, the bounce is scheduled when the
  message is complete; beyond ``max_recipients`` -> 452. The end of DATA
  stores the message (store.py) and answers 250 with its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import TYPE_CHECKING, Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from nabat.simulators.smtp.message import describe
from nabat.simulators.smtp.store import Recipient, StoredMessage

if TYPE_CHECKING:
    from nabat.simulators.smtp.app import SmtpSink

REPLY_SEND_BUFFER = 16 * 1024  # SO_SNDBUF of a connection (the kernel doubles it)
MAX_REPLY_BACKLOG = 64 * 1024  # reply bytes waiting in the transport before a cut
STAGES = ("connect", "ehlo", "mail", "rcpt", "data", "end_of_data")
ACCEPTED_RCPT = "250 2.1.5 OK"


def fault_reply(code: int) -> str:
    if code < 500:
        return f"{code} 4.3.0 simulated temporary failure"
    return f"{code} 5.3.0 simulated permanent failure"


def rejection(reason: str | None) -> str:
    """The world's reason as an SMTP reply: ``550 5.1.1 mailbox unavailable``."""
    text = (reason or "5.1.1 mailbox unavailable").strip()
    if len(text) >= 3 and text[:3].isdigit() and text[0] == "5":
        return text
    return f"550 {text}"


class SinkEnvelope(Envelope):
    def __init__(self) -> None:
        super().__init__()
        self.recipients: list[Recipient] = []


async def _forever() -> None:
    """Wait until the connection's task is cancelled (after an abort)."""
    await asyncio.Event().wait()


class SinkSmtp(SMTP):
    def __init__(self, sink: SmtpSink) -> None:
        config = sink.config
        self.sink = sink
        self.line_length_limit = config.max_line_bytes
        self._counted_ip: str | None = None
        self._refused = False
        self._greeted = False
        self._auth_failed = False
        self._auth_failures = 0
        sink.connections_opened += 1
        self.connection_id = sink.connections_opened  # messages of one session share it
        super().__init__(
            SinkHandler(sink),
            data_size_limit=config.max_message_bytes,
            enable_SMTPUTF8=config.smtputf8,
            hostname=config.hostname,
            ident="Nabat SMTP sink",
            tls_context=sink.tls_context,
            require_starttls=config.require_starttls,
            timeout=config.idle_timeout,
            auth_required=config.auth_required,
            auth_require_tls=config.auth_require_tls,
            authenticator=self._check_login,
        )

    def _create_envelope(self) -> SinkEnvelope:
        return SinkEnvelope()

    # --- connections and deadlines ----------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self.transport is None:  # the TCP connection, not the STARTTLS upgrade
            raw = transport.get_extra_info("socket")
            if raw is not None:
                with contextlib.suppress(OSError):
                    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, REPLY_SEND_BUFFER)
            peer = transport.get_extra_info("peername")
            ip = str(peer[0]) if peer else "?"
            if self.sink.admit(ip):
                self._counted_ip = ip
            else:
                self._refused = True
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._counted_ip is not None:
            self.sink.release(self._counted_ip)
            self._counted_ip = None
        super().connection_lost(error)

    def abort(self) -> None:
        """Cut the connection with a reset: the kernel drops what the client never read."""
        tcp = self._original_transport or self.transport
        raw = tcp.get_extra_info("socket") if tcp is not None else None
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        for transport in (self._original_transport, self.transport):
            abort = getattr(transport, "abort", None)  # uvloop's transports are not asyncio's
            if abort is not None:
                abort()

    def _timeout_cb(self) -> None:
        self.abort()

    def _peer_ip(self) -> str:
        return self._counted_ip or "?"

    async def push(self, status: Any) -> None:
        sink = self.sink
        if not self._greeted:
            self._greeted = True
            if self._refused:
                sink.note(self._peer_ip(), "CONNECT", {}, 421)
                await super().push("421 4.7.0 too many connections, try again later")
                assert self.transport is not None
                self.transport.close()
                return
            if await self._stage_fault("connect"):
                assert self.transport is not None
                self.transport.close()
                return
        if sink.latency.active:
            await asyncio.sleep(sink.latency.sample())
        transport = self.transport
        if transport is None:
            return  # cut already: nobody to answer
        if transport.get_write_buffer_size() > MAX_REPLY_BACKLOG:  # type: ignore[attr-defined]
            self.abort()
            await _forever()
        await super().push(status)

    async def _stage_fault(self, stage: str) -> bool:
        """Apply a fault of ``stage`` if one is active; True when it answered instead."""
        sink = self.sink
        if not sink.faults:
            return False
        fault = sink.faults.match(stage, sink.clock.now())
        if fault is None:
            return False
        sink.note(self._peer_ip(), stage.upper(), {"fault": fault.kind}, fault.status)
        if fault.kind == "status":
            await SMTP.push(self, fault_reply(fault.status))
            return True
        if fault.kind == "reset":
            self.abort()
            await _forever()
        await asyncio.sleep(fault.seconds)  # hang: a slow answer, then the normal one
        return False

    # --- commands with stages -----------------------------------------------------
    async def smtp_EHLO(self, hostname: str) -> None:
        if not await self._stage_fault("ehlo"):
            await super().smtp_EHLO(hostname)

    async def smtp_HELO(self, hostname: str) -> None:
        if not await self._stage_fault("ehlo"):
            await super().smtp_HELO(hostname)

    async def smtp_MAIL(self, arg: str | None) -> None:
        if not await self._stage_fault("mail"):
            await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg: str | None) -> None:
        if not await self._stage_fault("rcpt"):
            await super().smtp_RCPT(arg)

    async def smtp_DATA(self, arg: str) -> None:
        sink = self.sink
        fault = None
        if sink.faults and self.envelope is not None and self.envelope.rcpt_tos and not arg:
            fault = sink.faults.match("data", sink.clock.now())
        if fault is not None:
            sink.note(self._peer_ip(), "DATA", {"fault": fault.kind}, fault.status)
            if fault.kind == "status":
                await SMTP.push(self, fault_reply(fault.status))
                return
            if fault.kind == "reset":  # mid-DATA: after the 354 and the first line
                await SMTP.push(self, "354 End data with <CR><LF>.<CR><LF>")
                with contextlib.suppress(
                    asyncio.LimitOverrunError, asyncio.IncompleteReadError, TimeoutError
                ):
                    await asyncio.wait_for(
                        self._reader.readuntil(b"\r\n"), sink.config.data_timeout
                    )
                self.abort()
                await _forever()
            await asyncio.sleep(fault.seconds)
        self._reset_timeout(sink.config.data_timeout)
        await super().smtp_DATA(arg)

    async def smtp_AUTH(self, arg: str) -> None:
        self._auth_failed = False
        await super().smtp_AUTH(arg)
        if self._auth_failed:
            self._auth_failures += 1
            self.sink.note(self._peer_ip(), "AUTH", {"failures": str(self._auth_failures)}, 535)
            if self._auth_failures >= self.sink.config.max_auth_failures:
                await SMTP.push(self, "421 4.7.0 too many failed logins, closing")
                assert self.transport is not None
                self.transport.close()

    def _check_login(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = data.login.decode("utf-8", "replace")
            password = data.password.decode("utf-8", "replace")
            if self.sink.config.accounts.get(login) == password:
                return AuthResult(success=True, auth_data=login)
        self._auth_failed = True
        return AuthResult(success=False, handled=False)


class SinkHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self,
        server: SinkSmtp,
        session: Session,
        envelope: SinkEnvelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        sink = self.sink
        ip = server._peer_ip()
        if len(envelope.rcpt_tos) >= sink.config.max_recipients:
            sink.note(ip, "RCPT", {"to": address[:300]}, 452)
            return "452 4.5.3 Too many recipients"
        try:
            decision = sink.runtime.email(address)
        except ValueError as error:
            sink.note(ip, "RCPT", {"to": address[:300]}, 553)
            return f"553 5.1.3 {str(error)[:200]}"
        fields = decision.fields()
        if decision.outcome.value == "rejected":
            reply = rejection(decision.reason)
        else:
            reply = ACCEPTED_RCPT
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
        envelope.recipients.append(Recipient(address, reply, fields, decision.rule))
        sink.note(
            ip, "RCPT", {"to": address[:300], "outcome": str(fields["outcome"])}, int(reply[:3])
        )
        return reply

    async def handle_DATA(self, server: SinkSmtp, session: Session, envelope: SinkEnvelope) -> str:
        sink = self.sink
        ip = server._peer_ip()
        fault = sink.faults.match("end_of_data", sink.clock.now()) if sink.faults else None
        if fault is not None and fault.kind == "status":
            sink.note(ip, "END-OF-DATA", {"fault": "status"}, fault.status)
            return fault_reply(fault.status)
        if fault is not None and fault.kind == "hang":
            await asyncio.sleep(fault.seconds)
        content = envelope.original_content or b""
        message = StoredMessage(
            id=sink.store.new_id(),
            time=sink.clock.now(),
            peer=ip,
            session={
                "ehlo": session.host_name,
                "login": session.auth_data if isinstance(session.auth_data, str) else None,
                "tls": session.ssl is not None,
                "connection": server.connection_id,
            },
            mail_from=envelope.mail_from or "",
            mail_options=list(envelope.mail_options),
            recipients=list(envelope.recipients),
            size=len(content),
            described=describe(content, sink.config.max_body_chars),
            reply="",
        )
        message.reply = f"250 2.0.0 OK: queued as {message.id}"
        sink.accept(message, content)
        if fault is not None and fault.kind == "reset":
            # The message was taken but the answer is lost: the client cannot know.
            message.reply = "(connection dropped before the reply)"
            sink.note(ip, "END-OF-DATA", {"fault": "reset", "id": str(message.id)}, 0)
            server.abort()
            await _forever()
        sink.note(ip, "END-OF-DATA", {"id": str(message.id)}, 250)
        reply: str = message.reply
        return reply
