"""The SMTP sink assembled: the SMTP listener, the world, bounces, the control API.

How it works: ``SmtpSink`` owns the simulated clock, the world runtime, a
``Scheduler`` (bounces fire at their simulated instant, also when a test
advances a frozen clock), the message store, faults and latency shared by
every connection, the request journal (one entry per notable reply), the
TLS context (certificate from files, or minted with trustme and its CA
written to a folder as ``smtp-ca.pem``: simulators/control/tls.py) and two listeners on one
asyncio loop: SMTP (``protocol`` makes a ``SinkSmtp`` per connection,
protocol.py) and the control API over the project's ``HttpServer``
(control_api.py). Everything runs on that loop's thread.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.faults import FaultSet, LatencyModel
from nabat.simulators.control.journal import Journal
from nabat.simulators.control.scheduler import Scheduler
from nabat.simulators.control.tls import server_context
from nabat.simulators.http.server import HttpServer
from nabat.simulators.smtp.config import SmtpConfig
from nabat.simulators.smtp.dsn import build_dsn, enhanced_status
from nabat.simulators.smtp.protocol import STAGES, SinkSmtp
from nabat.simulators.smtp.store import MessageStore, Recipient, StoredMessage
from nabat.simulators.world import World, WorldRuntime, default_world
from nabat.system.runtime.tasks import cancel_and_wait

JOURNAL_SIZE = 10_000
CA_FILE_NAME = "smtp-ca.pem"


class SmtpSink:
    def __init__(
        self, config: SmtpConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        from nabat.simulators.smtp.control_api import SmtpControl

        self.config = config
        self.clock = clock or SimClock()
        self.runtime = WorldRuntime(world if world is not None else default_world(), self.clock)
        self.scheduler = Scheduler(self.clock)
        self.store = MessageStore(config.journal_messages, config.journal_bytes)
        self.faults = FaultSet(STAGES)
        self.latency = LatencyModel()
        self.journal = Journal(JOURNAL_SIZE)
        self.connections: dict[str, int] = {}
        self.total_connections = 0
        self.connections_opened = 0  # ever: each connection's id in its messages' session
        self.tls_context: ssl.SSLContext | None = None
        self.ca_file: Path | None = None
        self._ca_folder: tempfile.TemporaryDirectory[str] | None = None
        self._server: asyncio.Server | None = None
        self._scheduler_task: asyncio.Task[None] | None = None
        self.control = HttpServer(SmtpControl(self).handle, config.control_limits)
        self.host = config.host
        self.port = config.port

    # --- life cycle ---------------------------------------------------------------
    async def start(self) -> None:
        config = self.config
        if config.tls:
            folder = config.ca_dir
            if folder is None and config.cert_file is None:
                self._ca_folder = tempfile.TemporaryDirectory(prefix="nabat-smtp-")
                folder = Path(self._ca_folder.name)
            self.tls_context, self.ca_file = server_context(
                config.cert_file, config.key_file, folder or Path("."), CA_FILE_NAME
            )
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SinkSmtp(self), config.host, config.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        await self.control.start(config.host, config.control_port)
        self._scheduler_task = loop.create_task(self.scheduler.run())

    async def close(self) -> None:
        if self._scheduler_task is not None:
            await cancel_and_wait(self._scheduler_task)
            self._scheduler_task = None
        if self._server is not None:
            self._server.close()
            self._server = None
        await self.control.close()
        if self._ca_folder is not None:
            self._ca_folder.cleanup()
            self._ca_folder = None

    def reset(self) -> None:
        """Forget messages, bounces, faults, latency, the journal and the world's
        attempts; the clock starts over. Connections in progress carry on."""
        self.scheduler.clear()
        self.clock.reset()
        self.runtime.reset()
        self.store.clear()
        self.faults.clear()
        self.latency = LatencyModel()
        self.journal.clear()

    def ready_info(self) -> dict[str, object]:
        host = self.host
        shown = f"[{host}]" if ":" in host else host
        return {
            "host": host,
            "port": self.port,
            "smtp": f"smtp://{shown}:{self.port}",
            "control": f"http://{shown}:{self.control.port}/__sim/",
            "control_port": self.control.port,
            "ca_file": str(self.ca_file) if self.ca_file is not None else None,
        }

    # --- connections ----------------------------------------------------------------
    def admit(self, ip: str) -> bool:
        config = self.config
        if (
            self.total_connections >= config.max_connections
            or self.connections.get(ip, 0) >= config.max_connections_per_address
        ):
            return False
        self.total_connections += 1
        self.connections[ip] = self.connections.get(ip, 0) + 1
        return True

    def release(self, ip: str) -> None:
        self.total_connections = max(0, self.total_connections - 1)
        left = self.connections.get(ip, 0) - 1
        if left > 0:
            self.connections[ip] = left
        else:
            self.connections.pop(ip, None)

    def note(self, ip: str, command: str, params: dict[str, str], code: int) -> None:
        self.journal.append((self.clock.now(), ip, "SMTP", command, params, code, 0, 0.0))

    # --- messages and bounces -----------------------------------------------------------
    def accept(self, message: StoredMessage, content: bytes) -> None:
        self.store.add(message)
        head = content.split(b"\r\n\r\n", 1)[0]
        for recipient in message.recipients:
            after = recipient.decision.get("bounce_after")
            if recipient.accepted and recipient.decision.get("outcome") == "bounced":
                delay = float(after) if isinstance(after, int | float) else 0.0
                self.scheduler.call_later(
                    delay,
                    functools.partial(self.bounce, message, recipient, head),
                    f"bounce {message.id} {recipient.address}",
                )

    def bounce(self, message: StoredMessage, recipient: Recipient, head: bytes) -> None:
        reason = str(recipient.decision.get("reason") or "550 5.0.0 undeliverable")
        now = self.clock.now()
        record: dict[str, object] = {
            "time": round(now, 3),
            "message_id": message.id,
            "recipient": recipient.address,
            "to": message.mail_from,
            "status": enhanced_status(reason),
            "reason": reason,
        }
        if not message.mail_from:  # a null sender gets no bounce (RFC 5321 4.5.5)
            record["dsn"] = None
            record["note"] = "null reverse-path: no DSN"
        else:
            record["dsn"] = build_dsn(
                reporting_mta=self.config.hostname,
                sender=message.mail_from,
                recipient=recipient.address,
                reason=reason,
                arrival=datetime.fromtimestamp(self.clock.wall_of(message.time), UTC),
                now=datetime.fromtimestamp(self.clock.wall_of(now), UTC),
                original_headers=head,
            ).decode("utf-8", "replace")
        recipient.bounce = self.store.add_bounce(record)
