"""`nabat bench`: benchmarks that print their figures (not timed tests).

How it works: ``register`` adds the ``bench`` group and one leaf per entry of
``BENCHMARKS`` (``ats``, ``verification``, ``server``, ``gsm``, ``sms``, ``oktell``,
``engine``). Each leaf gets
its own options (the wrk-driven ones also the shared ``add_load_arguments``)
and a handler that imports its runner from ``nabat.loadtests.bench`` only when
run, so ``nabat --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import non_negative_int, positive_float, positive_int
from nabat.system.cli.groups import add_group

WRK_HINT = (
    "Load comes from wrk (install it with `apt-get install wrk` on Debian/Ubuntu, "
    "`dnf install wrk` on Fedora, `brew install wrk` on macOS). Without wrk a built-in "
    "Python load generator is used, with a warning: it saturates its CPU sooner than wrk, "
    "so the ratios then measure the generator too. Needs at least 2 CPUs for pinning."
)


def _seconds(text: str) -> int:
    """Whole seconds (wrk's resolution), with or without a trailing ``s``."""
    try:
        value = int(text.removesuffix("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"whole seconds expected, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive_seconds(text: str) -> int:
    value = _seconds(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 second")
    return value


def _non_negative_float_seconds(text: str) -> float:
    try:
        value = float(text.removesuffix("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"seconds expected, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """--json and --check, shared by every benchmark."""
    output = parser.add_argument_group("output")
    output.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write every figure to FILE as JSON",
    )
    output.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed (default: exit 0, print MISS)",
    )


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every benchmark shares: load shape, CPUs, output."""
    load = parser.add_argument_group("load")
    load.add_argument(
        "--duration",
        "--seconds",
        dest="duration",
        type=_positive_seconds,
        default=5,
        metavar="SECONDS",
        help="length of each measured run, whole seconds (default 5; --seconds is the same "
        "option)",
    )
    load.add_argument(
        "--warmup",
        type=_seconds,
        default=1,
        metavar="SECONDS",
        help="unmeasured run before each measured one (default 1; 0 skips)",
    )
    load.add_argument(
        "--rounds",
        type=positive_int,
        default=3,
        help="measure each configuration this many times, alternating "
        "servers, and report medians (default 3)",
    )
    load.add_argument(
        "--noise-retries",
        type=non_negative_int,
        default=2,
        metavar="N",
        help="measure a run again, up to N times, when other processes took "
        ">= 10%% of a CPU during it; the quietest attempt counts (default 2)",
    )
    load.add_argument(
        "--quiet-wait",
        type=_seconds,
        default=10,
        metavar="SECONDS",
        help="before each measured run, wait up to this long for other "
        "processes to use < 10%% of a CPU (default 10; 0 never waits)",
    )
    load.add_argument(
        "--connections", type=positive_int, default=50, help="keep-alive connections (default 50)"
    )
    load.add_argument("--threads", type=positive_int, default=1, help="wrk threads (default 1)")
    load.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when installed (auto), or force one",
    )
    add_placement_arguments(load, "server under test", "load generator")
    load.add_argument(
        "--nice",
        type=int,
        default=0,
        metavar="N",
        help="run the servers and the load generator at this nice value; "
        "-10 makes them win the CPU against other work on a shared machine "
        "(needs root or CAP_SYS_NICE; default 0)",
    )
    add_output_arguments(parser)


def _add_ats(parser: argparse.ArgumentParser) -> None:
    scale = parser.add_argument_group("scale phase")
    scale.add_argument(
        "--registrations",
        type=non_negative_int,
        default=5_000_000,
        metavar="N",
        help="live registrations to add before the second simulator run "
        "(default 5000000; 0 skips the phase)",
    )
    scale.add_argument(
        "--chunk",
        type=positive_int,
        default=500_000,
        metavar="N",
        help="registrations per POST /__sim/registrations call (default 500000)",
    )


def _run_ats(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.ats import AtsBenchOptions, run_ats

    options = AtsBenchOptions(
        duration_s=args.duration,
        warmup_s=args.warmup,
        connections=args.connections,
        rounds=args.rounds,
        noise_retries=args.noise_retries,
        quiet_wait_s=args.quiet_wait,
        nice=args.nice,
        threads=args.threads,
        registrations=args.registrations,
        chunk=args.chunk,
        server_cpu=args.server_cpu,
        load_cpu=args.load_cpu,
        loadgen=args.loadgen,
        json_path=args.json,
        check=args.check,
    )
    return run_ats(options)


def _add_verification(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument(
        "--seconds",
        "--duration",
        dest="seconds",
        type=float,
        default=10.0,
        help="in-system comparison: total seconds, split into rounds (default 10; "
        "--duration, as in the other benchmarks, is the same option)",
    )
    load.add_argument(
        "--rounds",
        type=positive_int,
        default=5,
        help="alternating bare/client rounds; the ratio is their median (default 5)",
    )
    load.add_argument(
        "--concurrency", type=positive_int, default=50, help="verifications in flight (default 50)"
    )
    load.add_argument(
        "--locust-seconds",
        type=float,
        default=8.0,
        help="length of each Locust capacity run (default 8)",
    )
    load.add_argument(
        "--locust-users",
        type=positive_int,
        default=32,
        help="Locust users per capacity run (default 32)",
    )
    load.add_argument(
        "--phase-seconds",
        type=float,
        default=2.0,
        help="failover: length of each phase (default 2)",
    )
    load.add_argument(
        "--ping-interval",
        type=float,
        default=0.5,
        help="failover: the client's background ping interval (default 0.5)",
    )
    add_placement_arguments(load, "simulator", "load side")
    add_output_arguments(parser)


def _run_verification(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.verification import VerificationBenchOptions, run_verification

    return run_verification(
        VerificationBenchOptions(
            seconds=args.seconds,
            rounds=args.rounds,
            concurrency=args.concurrency,
            locust_seconds=args.locust_seconds,
            locust_users=args.locust_users,
            phase_seconds=args.phase_seconds,
            ping_interval=args.ping_interval,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            json_path=args.json,
            check=args.check,
        )
    )


def _add_server(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument(
        "--sessions",
        type=positive_int,
        default=50,
        help="concurrent TLS sessions for PING, GETTASK and ADDABONENT (default 50)",
    )
    load.add_argument(
        "--pipeline",
        type=positive_int,
        default=1,
        metavar="N",
        help="PING/GETTASK requests in flight per session (default 1: request, reply, next)",
    )
    load.add_argument(
        "--duration",
        "--seconds",
        dest="duration",
        type=positive_float,
        default=5.0,
        metavar="SECONDS",
        help="measured length of the PING and the GETTASK run (default 5)",
    )
    load.add_argument(
        "--warmup",
        type=_non_negative_float_seconds,
        default=1.0,
        metavar="SECONDS",
        help="unmeasured load before each of them (default 1)",
    )
    load.add_argument(
        "--abonents",
        type=positive_int,
        default=100_000,
        metavar="N",
        help="abonents (2 phones each) filled in before the start; GETABONENTS streams "
        "them all (default 100000)",
    )
    load.add_argument(
        "--add-count",
        type=positive_int,
        default=5_000,
        metavar="N",
        help="ADDABONENT requests (BEGIN, DATA, 2 PHONE, END) to send (default 5000)",
    )
    add_placement_arguments(load, "server", "load generator")
    load.add_argument(
        "--keep-data",
        type=Path,
        default=None,
        metavar="DIR",
        help="use DIR (new or empty) as the server's data directory and keep it "
        "(default: a temporary directory, removed afterwards)",
    )
    add_output_arguments(parser)


def _run_server(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.server import ServerBenchOptions, run_server_bench

    return run_server_bench(
        ServerBenchOptions(
            sessions=args.sessions,
            pipeline=args.pipeline,
            duration_s=args.duration,
            warmup_s=args.warmup,
            abonents=args.abonents,
            add_count=args.add_count,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            keep_data=args.keep_data,
            json_path=args.json,
            check=args.check,
        )
    )


def _add_gsm(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument(
        "--duration",
        "--seconds",
        dest="duration",
        type=positive_float,
        default=3.0,
        metavar="SECONDS",
        help="length of each measured run (default 3; --seconds is the same option)",
    )
    load.add_argument(
        "--modems",
        type=positive_int,
        default=32,
        metavar="N",
        help="modems in the simulator process of the round-trip runs (default 32, at most 256)",
    )
    load.add_argument(
        "--sms",
        type=positive_int,
        default=300,
        metavar="N",
        help="driver: SMS per figure at most (default 300; each figure also stops after "
        "--duration)",
    )
    load.add_argument(
        "--calls",
        type=positive_int,
        default=50,
        metavar="N",
        help="driver: call attempts per figure at most (default 50; also bounded by --duration)",
    )
    add_placement_arguments(load, "simulator", "benchmark process (and the driver)")
    add_output_arguments(parser)


def _run_gsm(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.gsm import GsmBenchOptions, run_gsm

    if args.modems > 256:
        print("nabat bench gsm: --modems is at most 256", file=sys.stderr)
        return 2
    return run_gsm(
        GsmBenchOptions(
            duration_s=args.duration,
            modems=args.modems,
            sms=args.sms,
            calls=args.calls,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            json_path=args.json,
            check=args.check,
        )
    )


def _add_sms(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument("--messages", type=positive_int, default=100_000, metavar="N",
                      help="MFMS: messages through the route (default 100000)")  # fmt: skip
    load.add_argument("--contacts", type=positive_int, default=100_000, metavar="N",
                      help="FTP: contacts in the one archive (default 100000)")  # fmt: skip
    load.add_argument("--part", choices=("mfms", "ftp", "all"), default="all",
                      help="run one part or both (default all)")  # fmt: skip
    load.add_argument("--url-length", type=positive_int, default=65536, metavar="N",
                      help="MFMS: the route's max_url_length (default 65536, the simulator's "
                      "limit; the route's own default is 8192)")  # fmt: skip
    add_part_arguments(parser, load, "route (this process)")


def _run_sms(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.sms import SmsBenchOptions, run_sms

    if args.url_length < 256:
        print("nabat bench sms: --url-length is at least 256", file=sys.stderr)
        return 2
    return run_sms(
        SmsBenchOptions(
            messages=args.messages,
            contacts=args.contacts,
            part=args.part,
            url_length=args.url_length,
            timeout_s=args.timeout,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            json_path=args.json,
        )
    )


def _add_oktell(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument("--calls", type=positive_int, default=5000, metavar="N",
                      help="simulator: notify calls through its API (default 5000)")  # fmt: skip
    load.add_argument("--concurrency", type=positive_int, default=32, metavar="N",
                      help="simulator: calls in flight, one connection each, as many trunks "
                      "(default 32, at most 256)")  # fmt: skip
    load.add_argument("--channel-calls", type=positive_int, default=200, metavar="N",
                      help="channel: OktellLine calls, for its CPU (default 200)")  # fmt: skip
    load.add_argument("--tts-messages", type=positive_int, default=3, metavar="N",
                      help="TTS: messages synthesised cold (default 3)")  # fmt: skip
    add_part_arguments(parser, load, "load and the channel (this process)")


def _run_oktell(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.oktell import OktellBenchOptions, run_oktell

    if args.concurrency > 256:
        print("nabat bench oktell: --concurrency is at most 256", file=sys.stderr)
        return 2
    return run_oktell(
        OktellBenchOptions(
            calls=args.calls,
            concurrency=args.concurrency,
            channel_calls=args.channel_calls,
            tts_messages=args.tts_messages,
            timeout_s=args.timeout,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            json_path=args.json,
        )
    )


def _add_engine(parser: argparse.ArgumentParser) -> None:
    load = parser.add_argument_group("load")
    load.add_argument("--abonents", type=positive_int, default=10_000, metavar="N",
                      help="voice and recovery: abonents of the task (default 10000)")  # fmt: skip
    load.add_argument("--channels", type=positive_int, default=60, metavar="N",
                      help="voice: GSM channels, one simulated modem each (default 60, at "
                      "most 256)")  # fmt: skip
    load.add_argument("--speed", type=positive_float, default=200.0, metavar="FACTOR",
                      help="voice: simulated seconds per real second of the modems and the "
                      "engine's clock (default 200, at most 10000)")  # fmt: skip
    load.add_argument("--sms-abonents", type=positive_int, default=100_000, metavar="N",
                      help="SMS: abonents of the MFMS task (default 100000)")  # fmt: skip
    load.add_argument("--skip-voice", action="store_true", help="do not run the voice part")
    load.add_argument("--skip-sms", action="store_true", help="do not run the SMS part")
    load.add_argument("--skip-recovery", action="store_true",
                      help="do not run the recovery part")  # fmt: skip
    load.add_argument("--seed", type=int, default=None,
                      help="recovery: seed of the kill point (default: random)")  # fmt: skip
    load.add_argument("--timeout", type=positive_float, default=900.0, metavar="SECONDS",
                      help="hard limit per part (default 900)")  # fmt: skip
    add_placement_arguments(load, "server (nabat serve)", "simulators and this process")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write every figure to FILE as JSON")  # fmt: skip


def _run_engine(args: argparse.Namespace) -> int:
    from nabat.loadtests.bench.engine_bench import EngineBenchOptions, run_engine

    if args.channels > 256 or args.speed > 10_000:
        print("nabat bench engine: --channels is at most 256, --speed at most 10000",
              file=sys.stderr)  # fmt: skip
        return 2
    return run_engine(
        EngineBenchOptions(
            abonents=args.abonents,
            channels=args.channels,
            speed=args.speed,
            sms_abonents=args.sms_abonents,
            skip_voice=args.skip_voice,
            skip_sms=args.skip_sms,
            skip_recovery=args.skip_recovery,
            seed=args.seed,
            timeout_s=args.timeout,
            server_cpu=args.server_cpu,
            load_cpu=args.load_cpu,
            json_path=args.json,
        )
    )


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
    uses_wrk: bool = True  # takes the shared wrk load options


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        name="ats",
        help="ATS simulator CheckCall throughput vs a bare uvloop+httptools responder",
        description=(
            "Measure the ATS simulator's POST /CheckCall path (registered pair, full logic, "
            "call_id unique per request) against a bare uvloop + httptools responder, one "
            "after the other on the same pinned CPU, with wrk on another CPU; then fill the "
            "registration store (--registrations) and measure again. Prints requests/s, "
            "p50/p99, ratios, memory per registration and PASS/MISS per target "
            "(ratio >= 0.25, p99 <= 10 ms, drop at scale < 10%)."
        ),
        add_arguments=_add_ats,
        handler=_run_ats,
    ),
    Benchmark(
        name="verification",
        help="the call-verification path: Locust capacity, in-system client, failover",
        description=(
            "Side by side in one run, against one ATS simulator pair pinned to the server CPU: "
            "the Locust ATS scenario vs a minimal FastHttpUser (target >= 0.85); the system's "
            "verification client vs a bare aiohttp loop (ratio >= 0.8, >= 5,000/s on one core, "
            "added p99 <= 5 ms); failover while the primary refuses connections, answers 5xx, "
            "then 307 (p99 after the first failure <= 50 ms, 0 lost, back on the primary within "
            "one ping interval)."
        ),
        add_arguments=_add_verification,
        handler=_run_verification,
        uses_wrk=False,
    ),
    Benchmark(
        name="server",
        help="the notification server: PING/GETTASK/s, streamed GETABONENTS, ADDABONENT/s",
        description=(
            "Fill a fresh store (a bench user, a task, --abonents abonents with 2 phones), "
            "start `nabat serve` pinned to the server CPU and drive it over TLS from one "
            "asyncio process pinned to the load CPU: PING and GETTASK commands/s over "
            "--sessions sessions (target >= 5,000/s each), one GETABONENTS of every abonent "
            "(target <= 5 s, server RSS growth < 32 MiB), --add-count multi-line ADDABONENT "
            "requests (target >= 1,000/s). Every reply is validated; prints figures, p50/p99 "
            "and PASS/MISS per target."
        ),
        add_arguments=_add_server,
        handler=_run_server,
        uses_wrk=False,
    ),
    Benchmark(
        name="gsm",
        help="GSM modem simulator: SMS/s over a pty, 32 modems' round trips, driver CPU",
        description=(
            "Start `nabat sim gsm` pinned to the server CPU and drive its pseudo-terminals from "
            "this process on the load CPU: SMS submissions/s through one modem with realistic "
            "timing and with timing disabled; --modems modems in one simulator process with one "
            "command in flight each (AT and AT+CLAC round trips/s, bytes/s, p50/p99, simulator "
            "CPU); and, when the system's GSM driver is installed, its CPU per SMS (target "
            "<= 1 ms) and per call attempt. Every run lasts --duration seconds; every "
            "simulator is stopped on exit."
        ),
        add_arguments=_add_gsm,
        handler=_run_gsm,
        uses_wrk=False,
    ),
    Benchmark(
        name="sms",
        help="the MFMS and FTP SMS routes against their simulators: messages/s, pickup time",
        description=(
            "Start `nabat sim mfms` pinned to the server CPU and send --messages messages "
            "(distinct numbers of the world's plan, Latin and Cyrillic texts) through the "
            "system's MFMS route from this process on the load CPU: messages/s accepted end "
            "to end (target >= 20,000), HTTP requests, CPU per message on each side, one "
            "timed status round, peak RSS of both. Then start `nabat sim ftp`, build one "
            "template archive of --contacts contacts with the system's FTP route, upload it "
            "and time the simulator's poller from pickup to every message accepted (target "
            "<= 10 s). Exit 1 when a target is missed, 2 when a part could not run; every "
            "simulator is stopped on exit."
        ),
        add_arguments=_add_sms,
        handler=_run_sms,
        uses_wrk=False,
    ),
    Benchmark(
        name="oktell",
        help="Oktell: simulator notify calls/s, TTS per message, the channel's CPU per call",
        description=(
            "Start `nabat sim oktell` pinned to the server CPU with its clock at top speed "
            "(realistic timing disabled) and run --calls notify scripts through its HTTP API, "
            "--concurrency in flight, from this process on the load CPU: calls/s, p50/p99 of "
            "the requests, the simulator's CPU per call and peak RSS. Then TTS seconds per "
            "message cold and cached (the synthesiser the server would choose), and the "
            "system's Oktell channel's CPU per call attempt (OktellLine.call against a "
            "simulator child). No targets: exit 1 when a call is lost or a count does not "
            "match, 2 when a part could not run; every simulator is stopped on exit."
        ),
        add_arguments=_add_oktell,
        handler=_run_oktell,
        uses_wrk=False,
    ),
    Benchmark(
        name="engine",
        help="the task engine in simulated time: voice utilisation, SMS task, recovery",
        description=(
            "Run `nabat serve` alone on the server CPU against simulator children on the load "
            "CPU. Voice: --channels GSM channels on the pseudo-terminals of one `nabat sim gsm` "
            "(simcom, the default world, --speed) with the ATS hub verifying every call, one "
            "voice task with DTMF confirmation over --abonents abonents: channel utilisation "
            "while work remains (target >= 95%), the server's CPU per call attempt, wall and "
            "simulated time, outcomes. SMS: one task over --sms-abonents abonents through an "
            "MFMS channel into `nabat sim mfms`: time to every message handed over and to every "
            "delivery report in, the server's CPU per message and peak RSS. Recovery: kill -9 "
            "in the middle of a task, restart, finish (abonents lost and notified twice: 0). "
            "Each part stops at --timeout; exit 1 when a target is missed, 2 when a part could "
            "not run; every child is stopped on exit."
        ),
        add_arguments=_add_engine,
        handler=_run_engine,
        uses_wrk=False,
    ),
)


def add_placement_arguments(group: Any, server: str, load: str) -> None:
    """--server-cpu / --load-cpu: where the measured server and its load run."""
    group.add_argument("--server-cpu", type=int, default=0, metavar="CPU",
                       help=f"CPU the {server} is pinned to (default 0)")  # fmt: skip
    group.add_argument("--load-cpu", type=int, default=1, metavar="CPU",
                       help=f"CPU the {load} is pinned to (default 1)")  # fmt: skip


def add_part_arguments(parser: argparse.ArgumentParser, load: Any, placed: str) -> None:
    """--timeout per part, --server-cpu / --load-cpu (``placed``: what runs here), --json:
    the tail of the benches that run parts against a simulator."""
    load.add_argument("--timeout", type=positive_float, default=300.0, metavar="SECONDS",
                      help="hard limit per part (default 300)")  # fmt: skip
    add_placement_arguments(load, "simulator", placed)
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write every figure to FILE as JSON")  # fmt: skip


def register(subparsers: Any) -> None:
    leaves = add_group(subparsers, "bench", "benchmarks that print figures (wrk, pinned CPUs)")
    for bench in BENCHMARKS:
        parser: argparse.ArgumentParser = leaves.add_parser(
            bench.name,
            help=bench.help,
            description=bench.description,
            epilog=WRK_HINT if bench.uses_wrk else None,
        )
        if bench.uses_wrk:
            add_load_arguments(parser)
        bench.add_arguments(parser)
        parser.set_defaults(handler=bench.handler)
