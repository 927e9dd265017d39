"""Load loops of `nabat bench server`, driving the line protocol over TLS.

How it works: one asyncio process (uvloop when installed), pinned by the
benchmark to the load CPU, opens TLS sessions with the project's client
(``nabat.system.client.RawSession``: the client's connection, any bytes out,
every decoded line in, so requests can be pipelined) and runs one mode
(the listing alone reads raw bytes through the codec: see ``open_stream``):

- ``rate`` (PING or GETTASK): every session keeps ``pipeline`` requests in
  flight; the protocol answers a session's requests in order, so each reply
  is matched to the oldest outstanding send time, and each reply is
  followed by the next request. The loop
  runs ``warmup`` seconds unmeasured, then ``duration`` seconds in which
  every reply received counts (latency = receive - send); then it stops
  sending and drains. Every reply is validated: PING must be ``PING OK``;
  the first GETTASK reply is decoded in full (``Task`` record, the
  requested id) and every later one must be identical to it (the task
  never changes). Anything else counts as an error, with examples kept.
- ``listing``: one session sends ``GETABONENTS <gid>`` and reads the
  stream, checking its structure line by line (BEGIN first, END last, each
  PHONE after its DATA, DATA lines with the 16 fields of an abonent) and
  decoding every ``decode_every``-th DATA and PHONE line in full; it counts
  DATA and PHONE lines while ``server_memory.RssSampler`` samples the
  server's RSS.
- ``add``: ``sessions`` sessions share ``count`` multi-line ADDABONENT
  requests (BEGIN, DATA, 2 PHONE, END), one in flight per session; each
  reply goes through ``ReplyCollector`` and must be ``ADDABONENT OK`` with an
  id, the name sent and two phones.

Around the measured window ``CpuWatch`` records the server's CPU use (near
100 % of one CPU: the server is the limit) and ``getrusage`` this process's
(near 100 %: the load generator is). Run as
``python -m nabat.loadtests.bench.server_load MODE ...`` it prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import ssl
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpuwatch import CpuWatch
from nabat.loadtests.bench.loadgen import percentile
from nabat.loadtests.bench.server_data import bench_abonent
from nabat.loadtests.bench.server_memory import RssSampler
from nabat.system.client import ClientError, RawSession
from nabat.system.protocol import (
    Abonent,
    Form,
    Line,
    LineSplitter,
    Phone,
    ProtocolError,
    Reply,
    ReplyCollector,
    Task,
    abonent_request,
    decode_reply_line,
    encode_line,
)
from nabat.system.runtime.loop import run, uvloop_installed
from nabat.system.tls import client_context

READ_CHUNK = 65536
CONNECT_TIMEOUT = 30.0
REPLY_TIMEOUT = 60.0  # no byte for this long during a run: the server is stuck
MAX_EXAMPLES = 5


class LoadError(RuntimeError):
    """The run could not be carried out (connect, login, a dead session)."""


# --- statistics (percentiles: loadgen's nearest rank) ----------------------


@dataclass
class LatencySummary:
    count: int
    p50_ms: float | None
    p99_ms: float | None
    max_ms: float | None

    @classmethod
    def of(cls, seconds: list[float]) -> LatencySummary:
        ordered = sorted(seconds)

        def ms(value: float) -> float | None:
            return None if math.isnan(value) else round(value * 1000, 3)

        return cls(
            count=len(ordered),
            p50_ms=ms(percentile(ordered, 50)),
            p99_ms=ms(percentile(ordered, 99)),
            max_ms=ms(ordered[-1] if ordered else math.nan),
        )


@dataclass
class Errors:
    """Replies that failed validation, with the first few for the report."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.count += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(what[:300])


@dataclass
class CpuFigures:
    server_percent: float
    server_us_per_request: float | None
    load_percent: float
    other_processes_percent: float


class CpuWindow:
    """The server's, this process's and other processes' CPU over one window."""

    def __init__(self, server_pid: int | None) -> None:
        self._watch = CpuWatch(server_pid) if server_pid else None
        self._started = time.monotonic()
        self._self_before = _own_cpu_seconds()

    def finish(self, requests: int) -> CpuFigures | None:
        if self._watch is None:
            return None
        use = self._watch.finish(requests)
        elapsed = max(time.monotonic() - self._started, 1e-6)
        return CpuFigures(
            server_percent=use.server_percent,
            server_us_per_request=use.server_us_per_request,
            load_percent=round(100 * (_own_cpu_seconds() - self._self_before) / elapsed, 1),
            other_processes_percent=use.other_processes_percent,
        )


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- one TLS session --------------------------------------------------------


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    cafile: Path
    login: str
    password: str


async def open_session(target: Target, context: ssl.SSLContext, login: bool) -> RawSession:
    """One TLS session of the project's client (``RawSession``), logged in if asked."""
    try:
        session = await RawSession.open(
            target.host, target.port, ssl_context=context, server_hostname="localhost",
            timeout=None,
        )
    except ClientError as exc:
        raise LoadError(f"cannot connect to {target.host}:{target.port}: {exc}") from exc
    if login:
        reply = await asyncio.wait_for(
            session.request("LOGIN", target.login, target.password), REPLY_TIMEOUT
        )
        if not reply.ok:
            await session.close()
            raise LoadError(f"LOGIN {target.login} refused: {reply.error}")
    return session


async def next_line(session: RawSession) -> Line:
    """The next line; ``LoadError`` when the server closed the session."""
    line = await session.next_line(timeout=None)
    if line is None:
        raise LoadError("the server closed the session")
    return line


async def open_sessions(target: Target, sessions: int, login: bool) -> list[RawSession]:
    context = client_context(target.cafile)
    opened = await asyncio.wait_for(
        asyncio.gather(
            *(open_session(target, context, login) for _ in range(sessions)),
            return_exceptions=True,
        ),
        CONNECT_TIMEOUT,
    )
    connections = [c for c in opened if isinstance(c, RawSession)]
    failures = [c for c in opened if isinstance(c, BaseException)]
    if failures:
        await close_all(connections)
        raise LoadError(f"{len(failures)} of {sessions} sessions failed: {failures[0]}")
    return connections


async def close_all(connections: Sequence[RawSession]) -> None:
    await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)


# --- rate: PING / GETTASK ---------------------------------------------------


@dataclass
class RateFigures:
    command: str
    sessions: int
    pipeline: int
    warmup_s: float
    duration_s: float
    replies: int  # validated replies received inside the measured window
    replies_total: int  # every reply, warm-up and drain included
    per_second: float
    latency: LatencySummary
    errors: Errors
    cpu: CpuFigures | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Window:
    start: float
    end: float


Check = Callable[[Line], str | None]  # None when the reply line is right, else why not
PING_OK = Line("PING", ("OK",))


def ping_check(line: Line) -> str | None:
    return None if line == PING_OK else f"expected PING OK, got {line}"


async def gettask_check(session: RawSession, task_id: int) -> Check:
    """Fetch the task once, validate that reply in full, and expect exactly it afterwards."""
    await session.send_line("GETTASK", str(task_id))
    line = await next_line(session)
    if line.command != "GETTASK" or not line.params or line.params[0] != "OK":
        raise LoadError(f"GETTASK {task_id}: expected GETTASK OK, got {line}")
    task = Task.from_params(line.params[1:], Form.FULL)
    if task.id != task_id:
        raise LoadError(f"GETTASK {task_id} answered task {task.id}")
    expected = line

    def check(reply: Line) -> str | None:
        return None if reply == expected else f"GETTASK reply differs: {str(reply)[:120]}"

    return check


async def _rate_session(
    session: RawSession,
    request: bytes,
    pipeline: int,
    check: Check,
    window: _Window,
    latencies: list[float],
    errors: Errors,
    totals: list[int],
) -> None:
    """Keep ``pipeline`` requests in flight; replies come in order, so each
    is matched to the oldest send; a new request follows each reply until
    the window ends, then the session drains."""
    sent: deque[float] = deque()
    await session.send(request * pipeline)
    sent.extend([time.perf_counter()] * pipeline)
    while sent:
        line = await next_line(session)
        now = time.perf_counter()
        started = sent.popleft()
        totals[0] += 1
        problem = check(line)
        if problem is not None:
            errors.add(problem)
        elif window.start <= now < window.end:
            latencies.append(now - started)
        if now < window.end:
            await session.send(request)
            sent.append(now)


async def run_rate(
    target: Target,
    command: str,
    sessions: int,
    pipeline: int,
    warmup_s: float,
    duration_s: float,
    task_id: int | None = None,
    server_pid: int | None = None,
) -> RateFigures:
    connections = await open_sessions(target, sessions, login=command != "PING")
    try:
        if command == "PING":
            check: Check = ping_check
            request = encode_line("PING")
        elif command == "GETTASK":
            if task_id is None:
                raise LoadError("GETTASK needs --task-id")
            check = await gettask_check(connections[0], task_id)
            request = encode_line("GETTASK", (str(task_id),))
        else:
            raise LoadError(f"unknown command {command!r}")
        start = time.perf_counter() + warmup_s
        window = _Window(start, start + duration_s)
        latencies: list[float] = []
        errors = Errors()
        totals = [0]
        loop = asyncio.get_running_loop()
        cpu_box: list[CpuWindow] = []
        # Open the CPU window when the measured window opens, close it when it ends.
        loop.call_at(loop.time() + warmup_s, lambda: cpu_box.append(CpuWindow(server_pid)))
        cpu_result: list[CpuFigures | None] = []

        def close_cpu() -> None:
            counted = len(latencies)
            cpu_result.append(cpu_box[0].finish(counted) if cpu_box else None)

        loop.call_at(loop.time() + warmup_s + duration_s, close_cpu)
        await asyncio.gather(
            *(
                _rate_session(c, request, pipeline, check, window, latencies, errors, totals)
                for c in connections
            )
        )
    finally:
        await close_all(connections)
    return RateFigures(
        command=command,
        sessions=sessions,
        pipeline=pipeline,
        warmup_s=warmup_s,
        duration_s=duration_s,
        replies=len(latencies),
        replies_total=totals[0],
        per_second=round(len(latencies) / duration_s, 1),
        latency=LatencySummary.of(latencies),
        errors=errors,
        cpu=cpu_result[0] if cpu_result else None,
    )


# --- listing: GETABONENTS ---------------------------------------------------


@dataclass
class ListingFigures:
    seconds: float
    first_line_ms: float
    data_lines: int
    phone_lines: int
    email_lines: int
    bytes_received: int
    decoded_in_full: int
    errors: Errors
    rss: dict[str, Any] | None
    cpu: CpuFigures | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


ABONENT_FIELDS = len(Abonent.fields(Form.FULL))


class ListingChecker:
    """Checks and counts the lines of one GETABONENTS reply as they arrive."""

    def __init__(self, word: str = "GETABONENTS", decode_every: int = 100) -> None:
        self.word = word
        self._data = (word + " DATA ").encode()
        self._phone = (word + " PHONE ").encode()
        self._email = (word + " EMAIL ").encode()
        self._begin = (word + " BEGIN").encode()
        self._end = (word + " END").encode()
        self.decode_every = max(1, decode_every)
        self.data = self.phones = self.emails = self.decoded = 0
        self.started = self.done = False
        self._in_abonent = False
        self.errors = Errors()

    def feed(self, body: bytes) -> None:
        if self.done:
            self.errors.add(f"line after END: {body[:120]!r}")
        elif not self.started:
            if body == self._begin:
                self.started = True
            else:
                self.errors.add(f"expected {self.word} BEGIN, got {body[:120]!r}")
                self.done = True  # an error line ends the reply
        elif body.startswith(self._data):
            self.data += 1
            self._in_abonent = True
            if body.count(b" ") != ABONENT_FIELDS + 1:
                self.errors.add(f"DATA line without {ABONENT_FIELDS} fields: {body[:120]!r}")
            elif self.data % self.decode_every == 0:
                self._decode(body, Abonent)
        elif body.startswith(self._phone):
            self.phones += 1
            if not self._in_abonent:
                self.errors.add("PHONE line before any DATA line")
            elif self.phones % self.decode_every == 0:
                self._decode(body, Phone)
        elif body.startswith(self._email):
            self.emails += 1
        elif body == self._end:
            self.done = True
        else:
            self.errors.add(f"unexpected line {body[:120]!r}")
            self.done = True

    def _decode(self, body: bytes, record: type[Abonent] | type[Phone]) -> None:
        try:
            record.from_params(decode_reply_line(body).params[1:], Form.FULL)
            self.decoded += 1
        except ProtocolError as exc:
            self.errors.add(f"{record.__name__} line does not decode ({exc}): {body[:120]!r}")


async def open_stream(
    target: Target,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, LineSplitter]:
    """A logged-in TLS stream read as raw bytes, for the listing only.

    The client (``RawSession``) decodes every line and hands it over through
    a queue: measured here at ~40 us of load CPU per listing line against
    ~8 us for splitting bytes, so 300,000 lines would time the client, not
    the server. The listing therefore reads bytes; connect and LOGIN use the
    codec the client uses (``client_context``, ``encode_line``,
    ``ReplyCollector``).
    """
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                target.host, target.port, ssl=client_context(target.cafile),
                server_hostname="localhost",
            ),
            CONNECT_TIMEOUT,
        )
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        raise LoadError(f"cannot connect to {target.host}:{target.port}: {exc}") from exc
    splitter = LineSplitter()
    params = (target.login, target.password)
    writer.write(encode_line("LOGIN", params))
    collector = ReplyCollector("LOGIN", params)
    reply: Reply | None = None
    while reply is None:
        body = splitter.next_line()
        if body is None:
            data = await asyncio.wait_for(reader.read(READ_CHUNK), REPLY_TIMEOUT)
            if not data:
                raise LoadError("the server closed the session during LOGIN")
            splitter.feed(data)
            continue
        reply = collector.feed(decode_reply_line(body))
    if not reply.ok:
        writer.close()
        raise LoadError(f"LOGIN {target.login} refused: {reply.error}")
    return reader, writer, splitter


async def run_listing(
    target: Target, gid: int, server_pid: int | None, decode_every: int, sample_s: float
) -> ListingFigures:
    reader, writer, splitter = await open_stream(target)
    checker = ListingChecker("GETABONENTS", decode_every)
    received = 0
    sampler = RssSampler(server_pid, sample_s) if server_pid else None
    try:
        if sampler is not None:
            sampler.start()
        cpu = CpuWindow(server_pid)
        started = time.perf_counter()
        first_line: float | None = None
        writer.write(encode_line("GETABONENTS", (str(gid),)))
        while not checker.done:
            data = await asyncio.wait_for(reader.read(READ_CHUNK), REPLY_TIMEOUT)
            if not data:
                raise LoadError("the server closed the session inside GETABONENTS")
            if first_line is None:
                first_line = time.perf_counter()
            received += len(data)
            splitter.feed(data)
            while not checker.done:
                try:
                    body = splitter.next_line()
                except ProtocolError as exc:
                    checker.errors.add(f"malformed line: {exc}")
                    continue
                if body is None:
                    break
                checker.feed(body)
        seconds = time.perf_counter() - started
        cpu_figures = cpu.finish(checker.data)
        rss = sampler.stop().to_json() if sampler is not None else None
    finally:
        writer.close()
    return ListingFigures(
        seconds=round(seconds, 4),
        first_line_ms=round(1000 * ((first_line or started) - started), 3),
        data_lines=checker.data,
        phone_lines=checker.phones,
        email_lines=checker.emails,
        bytes_received=received,
        decoded_in_full=checker.decoded,
        errors=checker.errors,
        rss=rss,
        cpu=cpu_figures,
    )


# --- add: ADDABONENT --------------------------------------------------------


@dataclass
class AddFigures:
    sessions: int
    count: int
    added: int
    seconds: float
    per_second: float
    latency: LatencySummary
    errors: Errors
    cpu: CpuFigures | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def check_added(reply: Reply, sent: Abonent) -> str | None:
    """Why an ADDABONENT reply is wrong, or None."""
    if not reply.ok:
        return f"ADDABONENT refused: {reply.error}"
    if len(reply.abonents) != 1:
        return f"ADDABONENT OK carried {len(reply.abonents)} abonents"
    saved = reply.abonents[0]
    if saved.id is None or saved.id < 1:
        return "ADDABONENT OK without an id"
    if saved.name != sent.name or saved.gid != sent.gid:
        return f"ADDABONENT OK for {saved.name!r} in group {saved.gid}, sent {sent.name!r}"
    if saved.phones != sent.phones:
        return f"ADDABONENT OK with phones {saved.phones}, sent {sent.phones}"
    return None


async def _add_session(
    connection: RawSession,
    gid: int,
    numbers: deque[int],
    latencies: list[float],
    errors: Errors,
    added: list[int],
) -> None:
    while numbers:
        n = numbers.popleft()
        abonent = bench_abonent(gid, 1_000_000 + n)
        lines: list[Line] = abonent_request(abonent)
        started = time.perf_counter()
        await connection.send_lines(lines)
        try:
            reply = await asyncio.wait_for(connection.read_reply("ADDABONENT"), REPLY_TIMEOUT)
        except (ProtocolError, ClientError) as exc:
            errors.add(f"ADDABONENT reply does not parse: {exc}")
            raise LoadError(f"ADDABONENT reply out of sequence: {exc}") from exc
        problem = check_added(reply, abonent)
        if problem is None:
            latencies.append(time.perf_counter() - started)
            added[0] += 1
        else:
            errors.add(problem)


async def run_add(
    target: Target, gid: int, sessions: int, count: int, server_pid: int | None
) -> AddFigures:
    connections = await open_sessions(target, sessions, login=True)
    numbers = deque(range(count))
    latencies: list[float] = []
    errors = Errors()
    added = [0]
    try:
        cpu = CpuWindow(server_pid)
        started = time.perf_counter()
        await asyncio.gather(
            *(_add_session(c, gid, numbers, latencies, errors, added) for c in connections)
        )
        seconds = time.perf_counter() - started
        cpu_figures = cpu.finish(added[0])
    finally:
        await close_all(connections)
    return AddFigures(
        sessions=sessions,
        count=count,
        added=added[0],
        seconds=round(seconds, 4),
        per_second=round(added[0] / seconds, 1) if seconds > 0 else 0.0,
        latency=LatencySummary.of(latencies),
        errors=errors,
        cpu=cpu_figures,
    )


# --- command line -----------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="load loops of nabat bench server (JSON out)")
    parser.add_argument("mode", choices=("rate", "listing", "add"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cafile", type=Path, required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password-env", default="NABAT_BENCH_PASSWORD",
                        help="environment variable holding the password")
    parser.add_argument("--server-pid", type=int, default=None)
    parser.add_argument("--command", choices=("PING", "GETTASK"), default="PING")
    parser.add_argument("--task-id", type=int, default=None)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--pipeline", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--gid", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--decode-every", type=int, default=100)
    parser.add_argument("--sample-interval", type=float, default=0.01)
    return parser


async def _main(args: argparse.Namespace, password: str) -> dict[str, Any]:
    target = Target(args.host, args.port, args.cafile, args.login, password)
    if args.mode == "rate":
        return (
            await run_rate(
                target, args.command, args.sessions, args.pipeline, args.warmup,
                args.duration, args.task_id, args.server_pid,
            )
        ).to_json()
    if args.mode == "listing":
        listing = await run_listing(
            target, args.gid, args.server_pid, args.decode_every, args.sample_interval
        )
        return listing.to_json()
    added = await run_add(target, args.gid, args.sessions, args.count, args.server_pid)
    return added.to_json()


def main(argv: list[str] | None = None) -> int:
    import os

    args = _parser().parse_args(argv)
    password = os.environ.get(args.password_env, "")
    try:
        result = run(_main(args, password))
    except (LoadError, ClientError, ProtocolError, OSError, TimeoutError) as exc:
        print(f"server_load {args.mode}: {exc}", file=sys.stderr)
        return 1
    result["uvloop"] = uvloop_installed()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
