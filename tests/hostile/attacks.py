"""The hostile clients: each attack is bounded in count and time and closes every socket.

An attack gets a ``Target`` (an endpoint, its ``Wire``, the well-behaved
``probe`` and the listener's ``Limits``) and returns an ``AttackReport``:
how many connections it opened and the listener refused, how many the
listener still held once its own deadline for them had passed (plus
``SLACK``), and the probe's latencies while the attack was under way (a
probe failure or timeout is recorded, not raised, so one report shows
everything). Attacks come from ``ATTACKER_ADDRESS``; the probe from
127.0.0.1. Every wait is bounded by the listener's deadlines plus ``SLACK``,
every loop by a count, and the ``Crowd`` aborts every connection at the end.

- ``slowloris``: N connections trickle a byte every interval, never ending a
  line or a request head; the listener must drop them by ``slow_deadline``.
- ``never_reading``: N clients with a tiny receive buffer pipeline requests
  with large replies and never read; dropped by ``stalled_deadline``.
- ``connection_flood``: more connections than the listener serves, sending
  nothing; the extra ones refused, the rest dropped by ``idle_deadline``.
- ``half_open_tls``: TCP connections to a TLS port (after the wire's
  ``start_tls``: AUTH TLS for explicit FTPS) that send nothing or half a
  ClientHello; dropped by ``handshake_deadline``.
- ``oversized``: inputs far beyond the limits (a line, a header, a body); the
  listener must answer or close before taking it all.
- ``malformed``: bytes that are not the protocol; answered or closed.
- ``login_flood``: connections try fresh login names with wrong passwords as
  fast as they are answered; the probe's login must stay prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tests.hostile.sockets import Connection, Crowd, Endpoint
from tests.hostile.wires import OVERSIZED_BYTES, Wire

SLACK = 1.5  # seconds past a listener's deadline before a held connection counts as held
# A write deadline starts only once the listener's send buffers are full, which
# takes the listener a moment of work per never-reading client; allow for it.
FILL_ALLOWANCE = 3.0
CONNECT_TIMEOUT = 5.0
ANSWER_TIMEOUT = 2.0  # how long a listener may take to react to bad input


@dataclass(frozen=True)
class Limits:
    """A listener's documented limits, as the battery configures them."""

    slow_deadline: float  # a client that never completes a line / request head is closed by then
    idle_deadline: float  # a connection that sends nothing
    stalled_deadline: float  # a client that does not read its replies
    handshake_deadline: float | None  # TLS handshake (None: plain TCP)
    max_connections: int | None  # served at once (None: no cap)
    memory_budget: int  # bytes one battery-sized attack may add to the listener's RSS
    working_memory: int = 0  # bytes of bounded work any request may cost (password hashing)
    probe_deadline: float = 2.0  # a well-behaved request is answered within this


Probe = Callable[[], Awaitable[None]]


@dataclass
class Target:
    endpoint: Endpoint
    wire: Wire
    probe: Probe
    limits: Limits


@dataclass
class AttackReport:
    attack: str
    opened: int = 0
    failed: int = 0  # connections that did not get through (refused, reset, timed out)
    held: int = 0  # still held by the listener past its deadline
    unanswered: list[str] = field(default_factory=list)  # inputs met with silence
    probe_latencies: list[float] = field(default_factory=list)
    probe_failures: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        worst = max(self.probe_latencies, default=0.0)
        return (
            f"{self.attack}: opened {self.opened}, failed {self.failed}, held {self.held}, "
            f"unanswered {self.unanswered}, probe worst {worst:.2f} s, "
            f"probe failures {self.probe_failures}"
        )


async def timed_probe(target: Target, report: AttackReport) -> None:
    """Run the well-behaved probe once under its deadline; record the result."""
    started = time.monotonic()
    try:
        await asyncio.wait_for(target.probe(), target.limits.probe_deadline)
    except TimeoutError:
        report.probe_failures.append(f"no answer within {target.limits.probe_deadline} s")
    except Exception as error:  # any failure of a well-behaved client is a finding
        cause = f" ({error.__cause__!r})" if error.__cause__ is not None else ""
        report.probe_failures.append(f"{type(error).__name__}: {error}{cause}"[:300])
    else:
        report.probe_latencies.append(time.monotonic() - started)


async def _open_many(
    crowd: Crowd, endpoint: Endpoint, count: int, **options: object
) -> list[Connection]:
    opened = await asyncio.gather(*(crowd.open(endpoint, **options) for _ in range(count)))
    return [connection for connection in opened if connection is not None]


def _send(connection: Connection, data: bytes) -> None:
    if not connection.peer_closed():
        with contextlib.suppress(OSError, RuntimeError):
            connection.writer.write(data)


async def slowloris(target: Target, connections: int = 50, interval: float = 0.2) -> AttackReport:
    report = AttackReport("slowloris")
    async with Crowd() as crowd:
        opened = await _open_many(crowd, target.endpoint, connections, timeout=CONNECT_TIMEOUT)
        report.opened, report.failed = len(opened), crowd.failed
        for connection in opened:
            _send(connection, target.wire.slow_start)

        async def trickle() -> None:
            while True:
                await asyncio.sleep(interval)
                for connection in opened:
                    _send(connection, target.wire.slow_byte)

        trickler = asyncio.create_task(trickle())
        try:
            await timed_probe(target, report)
            report.held = await crowd.until_released(target.limits.slow_deadline + SLACK)
            await timed_probe(target, report)
        finally:
            trickler.cancel()
    return report


async def never_reading(target: Target, clients: int = 5, requests: int = 2000) -> AttackReport:
    report = AttackReport("never-reading")
    async with Crowd() as crowd:
        opened = await _open_many(
            crowd,
            target.endpoint,
            clients,
            timeout=CONNECT_TIMEOUT,
            receive_buffer=4096,
            limit=1024,
        )
        logins = await asyncio.gather(
            *(target.wire.become_greedy(c, CONNECT_TIMEOUT) for c in opened),
            return_exceptions=True,
        )  # a client the listener refused (its cap: FTP 421) counts as failed
        greedy = [c for c, outcome in zip(opened, logins, strict=True) if outcome is None]
        report.opened, report.failed = len(greedy), crowd.failed + len(opened) - len(greedy)
        for connection in greedy:
            _send(connection, target.wire.greedy_request * requests)
        await timed_probe(target, report)
        report.held = await crowd.until_released(
            target.limits.stalled_deadline + FILL_ALLOWANCE + SLACK
        )
        await timed_probe(target, report)
    return report


async def connection_flood(target: Target, beyond: int = 20, uncapped: int = 150) -> AttackReport:
    """``beyond`` more than the listener's cap (``uncapped`` when it has none)."""
    cap = target.limits.max_connections
    count = cap + beyond if cap is not None else uncapped
    report = AttackReport("connection flood")
    async with Crowd() as crowd:
        opened = await _open_many(crowd, target.endpoint, count, timeout=CONNECT_TIMEOUT)
        report.opened, report.failed = len(opened), crowd.failed
        await timed_probe(target, report)
        report.held = await crowd.until_released(target.limits.idle_deadline + SLACK)
        await timed_probe(target, report)
    return report


def client_hello(endpoint: Endpoint) -> bytes:
    """The first flight of a real TLS handshake with ``endpoint`` (never sent whole)."""
    context = endpoint.tls or endpoint.upgrade_tls
    assert context is not None
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(
        incoming, outgoing, server_hostname=endpoint.server_hostname or endpoint.host
    )
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


async def half_open_tls(target: Target, connections: int = 40) -> AttackReport:
    """Half the connections send nothing, half send half a ClientHello."""
    assert target.limits.handshake_deadline is not None, "half-open TLS needs a TLS listener"
    report = AttackReport("half-open TLS")
    hello = client_hello(target.endpoint)
    async with Crowd() as crowd:
        opened = await _open_many(
            crowd, target.endpoint, connections, tls=False, timeout=CONNECT_TIMEOUT
        )
        upgrades = await asyncio.gather(
            *(target.wire.start_tls(c, CONNECT_TIMEOUT) for c in opened), return_exceptions=True
        )  # explicit TLS (AUTH TLS) first; a connection refused there counts as failed
        refused = sum(1 for outcome in upgrades if isinstance(outcome, BaseException))
        report.opened, report.failed = len(opened) - refused, crowd.failed + refused
        for connection in opened[::2]:
            _send(connection, hello[: len(hello) // 2])
        await timed_probe(target, report)
        report.held = await crowd.until_released(target.limits.handshake_deadline + SLACK)
        await timed_probe(target, report)
    return report


async def _answered(connection: Connection, timeout: float) -> bool:
    """The listener sent something or closed the connection within ``timeout``."""
    if connection.peer_closed():
        return True
    try:
        await asyncio.wait_for(connection.reader.read(1), timeout)
    except TimeoutError:
        return connection.peer_closed()
    except (OSError, ssl.SSLError):
        return True
    return True  # bytes, or b"" at the end of the stream


async def _offer(connection: Connection, data: bytes, chunk: int = 64 * 1024) -> None:
    """Write ``data`` in chunks, stopping once the listener closes or stops reading."""
    for start in range(0, len(data), chunk):
        if connection.peer_closed() or connection.reader.at_eof():
            return
        connection.writer.write(data[start : start + chunk])
        try:
            await asyncio.wait_for(connection.writer.drain(), ANSWER_TIMEOUT)
        except (TimeoutError, OSError, ssl.SSLError, RuntimeError):
            return


async def oversized(target: Target, size: int = OVERSIZED_BYTES) -> AttackReport:
    report = AttackReport("oversized input")
    for name, build in target.wire.oversized.items():
        async with Crowd() as crowd:
            connection = await crowd.open(target.endpoint, timeout=CONNECT_TIMEOUT)
            report.failed += crowd.failed
            if connection is None:
                continue
            report.opened += 1
            await _offer(connection, build(size))
            if not await _answered(connection, ANSWER_TIMEOUT):
                report.unanswered.append(name)
        await timed_probe(target, report)
    return report


async def malformed(target: Target) -> AttackReport:
    report = AttackReport("malformed input")
    for name, data in target.wire.malformed.items():
        async with Crowd() as crowd:
            connection = await crowd.open(target.endpoint, timeout=CONNECT_TIMEOUT)
            report.failed += crowd.failed
            if connection is None:
                continue
            report.opened += 1
            await _offer(connection, data)
            if not await _answered(connection, ANSWER_TIMEOUT):
                report.unanswered.append(name)
        await timed_probe(target, report)
    return report


async def login_flood(
    target: Target, connections: int = 40, duration: float = 3.0, probes: int = 3
) -> AttackReport:
    """``connections`` clients try fresh names for ``duration`` s; ``probes`` probes meanwhile."""
    assert target.wire.failed_login(0) is not None, "login floods need a wire with a login"
    report = AttackReport("login flood")
    attempts = 0
    loop = asyncio.get_running_loop()
    end = loop.time() + duration

    async def flood(connection: Connection) -> None:
        nonlocal attempts
        while loop.time() < end and not connection.peer_closed():
            attempt = target.wire.failed_login(attempts)
            assert attempt is not None
            attempts += 1
            connection.writer.write(attempt)
            try:
                await asyncio.wait_for(connection.reader.readuntil(b"\r\n"), end - loop.time())
            except (
                TimeoutError,
                OSError,
                ssl.SSLError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
            ):
                return

    async with Crowd() as crowd:
        opened = await _open_many(crowd, target.endpoint, connections, timeout=CONNECT_TIMEOUT)
        report.opened, report.failed = len(opened), crowd.failed
        flooders = [asyncio.create_task(flood(connection)) for connection in opened]
        try:
            for _ in range(probes):
                await asyncio.sleep(duration / (probes + 1))
                await timed_probe(target, report)
        finally:
            for flooder in flooders:
                flooder.cancel()
            await asyncio.gather(*flooders, return_exceptions=True)
    return report
