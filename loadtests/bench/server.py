"""`nabat bench server`: the notification server's throughput and streaming.

How it works: a fresh data directory (a temporary one unless ``--keep-data``)
is filled straight through the store before the server starts
(server_data.py: a bench user, a task, ``--abonents`` abonents with two
phones each). ``nabat serve`` then runs under ``ProcessSupervisor`` pinned to
the server CPU, and each measurement is one run of ``server_load`` (a
separate asyncio process pinned to the load CPU, printing JSON):

1. PING commands/s over ``--sessions`` TLS sessions (``--pipeline``
   requests in flight per session), warm-up then ``--duration`` seconds;
2. GETTASK commands/s on the existing task, the same way;
3. one GETABONENTS of the filled group: seconds, DATA/PHONE line counts,
   the server's RSS before, peak and growth (server_memory.py);
4. ``--add-count`` multi-line ADDABONENT requests from ``--sessions``
   sessions: abonents/s.

Every reply is validated by the load process; the figures, the targets and
PASS/MISS are printed as a table and written to ``--json``. The server is
stopped and the temporary directory removed however the run ends (errors,
Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan, plan_cpus
from nabat.loadtests.bench.environment import describe_environment
from nabat.loadtests.bench.processes import (
    ProcessSupervisor,
    ServerStartError,
    python_module_command,
)
from nabat.loadtests.bench.report import Target
from nabat.loadtests.bench.server_data import BenchData, prepare_store
from nabat.simulators.processes import ChildProcesses

MIB = 1024 * 1024
RATE_TARGET = 5_000.0  # PING / GETTASK commands/s, server on one core
LISTING_SECONDS_TARGET = 5.0
ADD_TARGET = 1_000.0  # ADDABONENT abonents/s
# "Flat" memory: a streamed GETABONENTS holds one 200-abonent batch and a 64 KiB
# write buffer at a time; SQLite's page cache of the snapshot connection (2 MiB
# by default) and allocator slack come on top. Building the whole reply would
# hold the listing itself: for 100,000 abonents ~20 MB of wire text and several
# times that as Python objects. 32 MiB separates the two with room for noise.
RSS_GROWTH_BOUND_MIB = 32.0
PASSWORD_ENV = "NABAT_BENCH_PASSWORD"


@dataclass(frozen=True)
class ServerBenchOptions:
    sessions: int = 50
    pipeline: int = 8
    duration_s: float = 5.0
    warmup_s: float = 1.0
    abonents: int = 100_000
    add_count: int = 5_000
    server_cpu: int = 0
    load_cpu: int = 1
    keep_data: Path | None = None
    json_path: Path | None = None
    check: bool = False


class BenchFailed(RuntimeError):
    """A step of the benchmark could not be carried out."""


def say(message: str) -> None:
    print(message, flush=True)


def _run_load(
    children: ChildProcesses,
    mode: str,
    arguments: list[str],
    plan: CpuPlan,
    password: str,
    timeout: float,
) -> dict[str, Any]:
    command = python_module_command("nabat.loadtests.bench.server_load", mode, *arguments)
    try:
        completed = children.run(
            command, timeout=timeout, preexec=plan.load.preexec(), env={PASSWORD_ENV: password}
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchFailed(f"the {mode} load run did not finish within {timeout:.0f} s") from exc
    if completed.returncode != 0:
        raise BenchFailed(f"the {mode} load run failed:\n{completed.stderr[-3000:]}")
    try:
        result: dict[str, Any] = json.loads(completed.stdout)
    except ValueError as exc:
        raise BenchFailed(
            f"the {mode} load run printed no JSON: {completed.stdout[-500:]}"
        ) from exc
    return result


def measure(
    options: ServerBenchOptions, plan: CpuPlan, data_dir: Path, supervisor: ProcessSupervisor
) -> dict[str, Any]:
    say(f"filling the store: {options.abonents:,} abonents x 2 phones ...")
    data: BenchData = prepare_store(data_dir, options.abonents)
    say(f"  filled in {data.fill_seconds:.1f} s")
    figures: dict[str, Any] = {"fill_seconds": round(data.fill_seconds, 3)}
    server = supervisor.start_server(
        "server",
        python_module_command(
            "nabat.system.cli.main", "serve", "--host", "127.0.0.1", "--port", "0",
            "--data-dir", str(data_dir),
        ),
        plan.server,
    )
    ready = server.ready
    figures["server_pid"] = server.pid
    say(f"server: {server.url} (pid {server.pid})")
    common = [
        "--host", str(ready["host"]), "--port", str(ready["port"]),
        "--cafile", str(ready["cert"]), "--login", data.login,
        "--password-env", PASSWORD_ENV, "--server-pid", str(server.pid),
    ]
    rate_timeout = options.warmup_s + options.duration_s + 120
    rate = [
        "--sessions", str(options.sessions), "--pipeline", str(options.pipeline),
        "--warmup", str(options.warmup_s), "--duration", str(options.duration_s),
    ]
    say(f"1/4 PING: {options.sessions} sessions x {options.pipeline} in flight, "
        f"{options.warmup_s:g} s warm-up + {options.duration_s:g} s ...")
    figures["ping"] = _run_load(
        supervisor, "rate", [*common, *rate, "--command", "PING"], plan, data.password, rate_timeout
    )
    say("2/4 GETTASK on the existing task, the same way ...")
    figures["gettask"] = _run_load(
        supervisor, "rate",
        [*common, *rate, "--command", "GETTASK", "--task-id", str(data.task_id)],
        plan, data.password, rate_timeout,
    )
    say(f"3/4 GETABONENTS of {options.abonents:,} abonents, sampling the server's RSS ...")
    figures["getabonents"] = _run_load(
        supervisor, "listing", [*common, "--gid", str(data.listing_gid)], plan, data.password,
        timeout=300 + options.abonents / 1000,
    )
    say(f"4/4 ADDABONENT x {options.add_count:,} from {options.sessions} sessions ...")
    figures["addabonent"] = _run_load(
        supervisor, "add",
        [*common, "--gid", str(data.add_gid), "--sessions", str(options.sessions),
         "--count", str(options.add_count)],
        plan, data.password, timeout=300 + options.add_count / 100,
    )
    supervisor.stop(server.process)
    figures["server_stopped"] = server.process.poll() is not None
    return figures


def _errors(figures: dict[str, Any]) -> int:
    return sum(figures[k]["errors"]["count"] for k in ("ping", "gettask", "getabonents",
                                                       "addabonent"))


def targets(figures: dict[str, Any], options: ServerBenchOptions) -> list[Target]:
    listing = figures["getabonents"]
    rss = listing.get("rss") or {}
    growth = rss.get("growth_bytes")
    missing = abs(listing["data_lines"] - options.abonents) + abs(
        listing["phone_lines"] - 2 * options.abonents
    )
    return [
        Target("PING commands/s", figures["ping"]["per_second"], ">=", RATE_TARGET),
        Target("GETTASK commands/s", figures["gettask"]["per_second"], ">=", RATE_TARGET),
        Target(
            f"GETABONENTS of {options.abonents:,} (s)",
            listing["seconds"], "<=", LISTING_SECONDS_TARGET,
        ),
        Target(
            "GETABONENTS server RSS growth (MiB)",
            None if growth is None else growth / MIB, "<", RSS_GROWTH_BOUND_MIB,
        ),
        Target("GETABONENTS DATA+PHONE lines off count", float(missing), "<=", 0.0),
        Target("ADDABONENT abonents/s", figures["addabonent"]["per_second"], ">=", ADD_TARGET),
        Target("invalid replies (all runs)", float(_errors(figures)), "<=", 0.0),
    ]


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _cpu(cpu: dict[str, Any] | None) -> str:
    if not cpu:
        return "CPU n/a"
    return (
        f"server CPU {cpu['server_percent']:.0f}%, load CPU {cpu['load_percent']:.0f}%, "
        f"other {cpu['other_processes_percent']:.0f}%"
    )


def _format(target: Target) -> str:
    value = target.measured
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def render(
    figures: dict[str, Any], checks: list[Target], options: ServerBenchOptions,
    environment: dict[str, Any], plan: CpuPlan,
) -> str:
    ping, gettask = figures["ping"], figures["gettask"]
    listing, add = figures["getabonents"], figures["addabonent"]
    rss = listing.get("rss") or {}
    placement = (
        f"server pinned to CPU {plan.server_cpu}, load generator to CPU {plan.load_cpu}"
        if plan.pinned
        else f"unpinned ({plan.warning})"
    )
    lines = [
        "",
        "nabat bench server",
        f"machine: {environment.get('cpu_model') or '?'}, {environment.get('cpu_count')} CPUs; "
        f"{placement}; Python {environment.get('python')} "
        f"(uvloop {environment.get('uvloop') or 'no'}); code {environment.get('git') or '?'}; "
        f"{environment.get('measured_at')}",
        "",
    ]
    for name, run in (("PING", ping), ("GETTASK", gettask)):
        latency = run["latency"]
        lines.append(
            f"{name:<8} {run['per_second']:>9,.0f}/s  {run['sessions']} sessions x "
            f"{run['pipeline']} in flight, {run['duration_s']:g} s; p50 {_ms(latency['p50_ms'])} "
            f"ms, p99 {_ms(latency['p99_ms'])} ms; {run['replies']:,} replies, "
            f"{run['errors']['count']} errors; {_cpu(run['cpu'])}"
        )
    lines.append(
        f"GETABONENTS {listing['seconds']:.2f} s for {listing['data_lines']:,} DATA + "
        f"{listing['phone_lines']:,} PHONE lines ({listing['bytes_received'] / MIB:.1f} MiB, "
        f"{listing['decoded_in_full']:,} decoded in full), first line after "
        f"{listing['first_line_ms']:.1f} ms, {listing['errors']['count']} errors; "
        f"{_cpu(listing['cpu'])}"
    )
    if rss:
        lines.append(
            f"  server RSS {rss['before_mib']:.1f} MiB before, peak {rss['peak_mib']:.1f} MiB, "
            f"growth {rss['growth_mib']:.1f} MiB ({rss['samples']} samples"
            f"{'; peak from VmHWM' if rss['hwm_rose'] else ''}); flat = growth < "
            f"{RSS_GROWTH_BOUND_MIB:g} MiB"
        )
    add_latency = add["latency"]
    lines.append(
        f"ADDABONENT {add['per_second']:,.0f} abonents/s: {add['added']:,} of {add['count']:,} "
        f"in {add['seconds']:.2f} s from {add['sessions']} sessions; p50 "
        f"{_ms(add_latency['p50_ms'])} ms, p99 {_ms(add_latency['p99_ms'])} ms, "
        f"{add['errors']['count']} errors; {_cpu(add['cpu'])}"
    )
    for name in ("ping", "gettask", "getabonents", "addabonent"):
        for example in figures[name]["errors"]["examples"]:
            lines.append(f"  {name} error: {example}")
    width = max(len("measure"), *(len(t.name) for t in checks))
    header = f"{'measure':<{width}}  {'figure':>10}  {'target':>12}  result"
    lines += ["", header, "-" * len(header)]
    for check in checks:
        wanted = f"{check.comparison} {check.threshold:,g}"
        lines.append(f"{check.name:<{width}}  {_format(check):>10}  {wanted:>12}  {check.verdict}")
    return "\n".join(lines)


def _environment() -> dict[str, Any]:
    environment = describe_environment(None)
    for key in ("wrk", "httptools"):
        environment.pop(key, None)
    environment["python"] = platform.python_version()
    return environment


def run_server_bench(options: ServerBenchOptions) -> int:
    plan = plan_cpus(options.server_cpu, options.load_cpu)
    if plan.warning:
        say(f"warning: {plan.warning}")
    if options.keep_data is not None:
        if options.keep_data.exists() and any(options.keep_data.iterdir()):
            print(f"nabat bench server: --keep-data {options.keep_data} is not empty",
                  file=sys.stderr)
            return 2
        data_dir = options.keep_data
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="nabat-bench-server-"))
    try:
        with ProcessSupervisor() as supervisor:
            figures = measure(options, plan, data_dir, supervisor)
    except (BenchFailed, ServerStartError, OSError) as error:
        print(f"nabat bench server: {error}", file=sys.stderr)
        return 2
    finally:
        if options.keep_data is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    environment = _environment()
    checks = targets(figures, options)
    say(render(figures, checks, options, environment, plan))
    if options.keep_data is not None:
        say(f"data kept in {options.keep_data}")
    if options.json_path is not None:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "settings": {k: str(v) if isinstance(v, Path) else v
                         for k, v in asdict(options).items()},
            "placement": {"server_cpu": plan.server_cpu, "load_cpu": plan.load_cpu,
                          "warning": plan.warning},
            "environment": environment,
            "figures": figures,
            "targets": [t.to_json() for t in checks],
        }
        options.json_path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        say(f"figures written to {options.json_path}")
    missed = [t for t in checks if t.passed is False]
    return 1 if options.check and missed else 0
