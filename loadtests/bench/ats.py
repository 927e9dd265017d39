"""`nabat bench ats`: the ATS simulator's CheckCall path against a bare responder.

How it works, in one run so the ratios compare like with like:

1. Each round (``--rounds``, default 3) starts the reference responder
   (``reference_responder``) pinned to the server CPU; the load generator
   (wrk, pinned to the load CPU) warms it up, then measures it with the same
   CheckCall requests the simulator gets. It is stopped, and the simulator
   (``nabat sim ats --port 0 --window 3600``) starts on the same CPU: never
   two servers on the core being measured. The measured pair is registered
   (RegisterCall, must be 201) and checked once (CheckCall, must be 200);
   then the load — CheckCall of that pair with a ``call_id`` unique per
   request, so the call-record path runs — warms it up and is measured.
   Every answer must be 200: the wrk script counts statuses and the
   simulator's own counters are compared before and after; anything else
   fails the benchmark loudly (exit 2). Rounds alternate the two servers so
   that drift of a shared machine hits both; the ratio is the median of the
   per-round ratios.
2. Scale phase (``--registrations N``, 0 skips it), in the last round's
   simulator: N pairs that cannot collide with the measured one are added
   through ``POST /__sim/registrations`` in chunks; the simulator's VmRSS
   before and after gives bytes per live registration; ``GET /__sim/state``
   must report at least N registrations; then the load is measured again,
   ``--rounds`` times, against the median of the empty-store runs.
3. The report prints medians of requests/s, p50 and p99 per configuration,
   the ratios and the targets (ratio >= 0.25, simulator p99 <= 10 ms, drop
   at scale < 10%) as PASS/MISS; ``--check`` turns a MISS into exit code 1.
"""

from __future__ import annotations

import json
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from nabat.loadtests.bench.cpus import CpuPlan, affinity_of, plan_cpus, priority_of
from nabat.loadtests.bench.cpuwatch import CpuWatch, wait_for_quiet
from nabat.loadtests.bench.environment import describe_environment
from nabat.loadtests.bench.figures import LoadFigures
from nabat.loadtests.bench.load import LoadGenerator, WrkGenerator, choose_generator
from nabat.loadtests.bench.memory import MemoryProbeError, rss_bytes
from nabat.loadtests.bench.processes import (
    ProcessSupervisor,
    ServerProcess,
    ServerStartError,
    python_module_command,
)
from nabat.loadtests.bench.report import BenchReport, MemoryResult, RunResult, Target, render_text
from nabat.loadtests.bench.wrk import RequestSpec, WrkError
from nabat.simulators.ats.control_client import AtsControlClient, ControlApiError

# The measured pair: operator 1 (client 127.0.0.1) owns 7900xxxxxxx in the default plan.
MEASURED_A = 79000000001
MEASURED_B = 79000000002
# Bulk registrations: (FILL_A_FIRST + i, FILL_B_FIRST + i), never the measured pair.
FILL_A_FIRST = 79001000000
FILL_B_FIRST = 79050000000

# A run during which the rest of the machine took this much CPU (in % of one
# CPU) is measured again (--noise-retries) and flagged if it stays that noisy.
NOISY_PERCENT = 10.0

# Throughput and CPU-per-answer ratios further apart than this get a warning.
DISAGREEMENT = 0.25

TARGET_RATIO = 0.25
TARGET_P99_MS = 10.0
TARGET_DROP_PERCENT = 10.0

EXIT_OK = 0
EXIT_TARGET_MISSED = 1
EXIT_FAILED = 2


class BenchFailure(RuntimeError):
    """The figures cannot be trusted (wrong answers, missing registrations...)."""


@dataclass(frozen=True)
class AtsBenchOptions:
    duration_s: float = 5.0
    warmup_s: float = 1.0
    connections: int = 50
    threads: int = 1
    rounds: int = 3
    noise_retries: int = 2
    quiet_wait_s: float = 10.0
    nice: int = 0
    registrations: int = 5_000_000
    chunk: int = 500_000
    server_cpu: int = 0
    load_cpu: int = 1
    loadgen: str = "auto"
    json_path: Path | None = None
    check: bool = False


def reference_command() -> list[str]:
    return python_module_command(
        "nabat.loadtests.bench.reference_responder", "--host", "127.0.0.1", "--port", "0"
    )


def status_counters(state: dict[str, Any], method: str, path: str) -> dict[int, int]:
    """Per-status counts from the ``"METHOD /path STATUS": n`` counters of the
    server that answered ``/__sim/state`` (``state["counters"][state["server"]]``)."""
    counters = state.get("counters")
    if not isinstance(counters, dict):
        return {}
    role = state.get("server", "primary")
    if isinstance(counters.get(role), dict):
        counters = counters[role]
    prefix = f"{method} {path} "
    result: dict[int, int] = {}
    for key, value in counters.items():
        code = key[len(prefix):] if isinstance(key, str) and key.startswith(prefix) else ""
        if code.isdigit() and isinstance(value, int):
            result[int(code)] = result.get(int(code), 0) + value
    return result


def counter_delta(before: dict[int, int], after: dict[int, int]) -> dict[int, int]:
    """What was counted between two snapshots, per status (zeros dropped)."""
    delta = {code: after.get(code, 0) - before.get(code, 0) for code in after.keys() | before}
    return {code: n for code, n in sorted(delta.items()) if n}


def describe(answer: httpx.Response) -> str:
    bits = answer.headers.get("x-error-bits")
    extra = f", X-Error-Bits {bits}" if bits else ""
    return f"HTTP {answer.status_code}{extra}, body {answer.text[:300]!r}"


def simulator_command() -> list[str]:
    return python_module_command(
        "nabat.system.cli.main", "sim", "ats",
        "--host", "127.0.0.1", "--port", "0", "--window", "3600",
    )


def check_call_spec(call_id_prefix: str) -> RequestSpec:
    return RequestSpec(
        method="POST",
        path="/CheckCall",
        params=(("a", str(MEASURED_A)), ("b", str(MEASURED_B))),
        call_id_prefix=call_id_prefix,
    )


def say(message: str) -> None:
    """Progress goes to stderr; the report goes to stdout."""
    print(message, file=sys.stderr, flush=True)


class AtsBench:
    """One run of the benchmark; ``run()`` returns the exit code."""

    def __init__(self, options: AtsBenchOptions) -> None:
        self.options = options
        self.run_tag = "bench-" + secrets.token_hex(3)
        self.cpus: CpuPlan = plan_cpus(options.server_cpu, options.load_cpu, nice=options.nice)
        self.generator: LoadGenerator
        self.report: BenchReport
        self.children: ProcessSupervisor

    # -- entry point ------------------------------------------------------------

    def run(self) -> int:
        options = self.options
        try:
            generator, warning = choose_generator(options.loadgen, options.threads, self.cpus.load)
        except WrkError as error:
            say(f"BENCHMARK FAILED: {error}")
            return EXIT_FAILED
        self.generator = generator
        self.report = BenchReport(
            title="nabat bench ats: POST /CheckCall of a registered pair "
            "(full logic, call_id unique per request)",
            settings_line=self._settings_line(),
            settings={**asdict(options), "json_path": str(options.json_path or ""),
                      "server_cpu": self.cpus.server_cpu, "load_cpu": self.cpus.load_cpu,
                      "generator": generator.name},
            environment=describe_environment(
                generator.path if isinstance(generator, WrkGenerator) else None
            ),
        )
        for note in (warning, self.cpus.warning):
            if note:
                self.report.warnings.append(note)
                say(f"warning: {note}")
        failure: str | None = None
        try:
            with ProcessSupervisor() as supervisor:
                self.children = supervisor
                self._rounds(supervisor)
        except (BenchFailure, ServerStartError, WrkError, ControlApiError,
                MemoryProbeError) as error:
            failure = str(error)
        except (OSError, httpx.HTTPError) as error:
            failure = f"talking to a server under test failed: {error!r}"
        self._compute_ratios()
        self._evaluate_targets()
        sys.stdout.write(render_text(self.report))
        sys.stdout.flush()
        self._write_json(failure)
        if failure is not None:
            say(f"\nBENCHMARK FAILED: {failure}")
            return EXIT_FAILED
        if options.check and self.report.missed:
            names = ", ".join(t.name for t in self.report.missed)
            say(f"--check: target(s) missed: {names}")
            return EXIT_TARGET_MISSED
        return EXIT_OK

    # -- phases -----------------------------------------------------------------

    def _rounds(self, supervisor: ProcessSupervisor) -> None:
        rounds = self.options.rounds
        for number in range(1, rounds + 1):
            if rounds > 1:
                say(f"round {number} of {rounds}")
            self._reference_round(supervisor, number)
            last = number == rounds
            server, client = self._simulator_round(supervisor, number)
            try:
                if last and self.options.registrations > 0:
                    self._scale_phase(server, client)
            finally:
                client.close()
            supervisor.stop(server.process)

    def _reference_round(self, supervisor: ProcessSupervisor, number: int) -> None:
        say(f"starting the reference responder{self._on_cpu()}")
        server = supervisor.start_server(
            "reference responder", reference_command(), self.cpus.server
        )
        self._check_pinning(server)
        run = self._measure(server, f"r{number}", "reference", "reference responder")
        run.round = number
        self.report.runs.append(run)
        supervisor.stop(server.process)

    def _simulator_round(
        self, supervisor: ProcessSupervisor, number: int
    ) -> tuple[ServerProcess, AtsControlClient]:
        say(f"starting the ATS simulator{self._on_cpu()}")
        server = supervisor.start_server("ATS simulator", simulator_command(), self.cpus.server)
        self._check_pinning(server)
        client = AtsControlClient(server.url, timeout=600.0)
        self._prepare_pair(server.url)
        run = self._measure_simulator(
            client, server, f"s{number}", "simulator", "simulator, empty store"
        )
        run.round = number
        self.report.runs.append(run)
        return server, client

    def _scale_phase(self, server: ServerProcess, client: AtsControlClient) -> None:
        count = self.options.registrations
        self.report.memory = self._fill(client, server, count)
        label = f"simulator, {count:,} registrations"
        for number in range(1, self.options.rounds + 1):
            run = self._measure_simulator(client, server, f"b{number}", "simulator_scaled", label)
            run.round = number
            self.report.runs.append(run)

    def _compute_ratios(self) -> None:
        report = self.report
        references = {run.round: run for run in report.rounds_of("reference")}
        per_round = [
            run.figures.requests_per_s / references[run.round].figures.requests_per_s
            for run in report.rounds_of("simulator")
            if run.round in references and references[run.round].figures.requests_per_s > 0
        ]
        if per_round:
            name = "throughput simulator/reference"
            report.ratios[name] = statistics.median(per_round)
            report.ratio_rounds[name] = per_round
        reference = report.summary("reference")
        empty, scaled = report.summary("simulator"), report.summary("simulator_scaled")
        count = f"{self.options.registrations:,}"
        if empty is not None and scaled is not None and empty.requests_per_s > 0:
            report.ratios[f"throughput at {count} registrations / empty store"] = (
                scaled.requests_per_s / empty.requests_per_s
            )
        # The same comparisons from CPU time per answer, which other load barely moves.
        if reference is not None and empty is not None:
            ratio = _inverse_ratio(reference.server_us_per_request, empty.server_us_per_request)
            if ratio is not None:
                report.ratios["CPU per answer, reference/simulator"] = ratio
        if empty is not None and scaled is not None:
            ratio = _inverse_ratio(empty.server_us_per_request, scaled.server_us_per_request)
            if ratio is not None:
                report.ratios[f"CPU per answer, empty store/{count} registrations"] = ratio
        self._cross_check(
            "throughput simulator/reference", "CPU per answer, reference/simulator"
        )
        self._cross_check(
            f"throughput at {count} registrations / empty store",
            f"CPU per answer, empty store/{count} registrations",
        )

    def _cross_check(self, throughput_name: str, cpu_name: str) -> None:
        """Warn when requests/s and CPU time per answer tell different stories:
        on an idle machine with a CPU-bound server they agree."""
        ratios = self.report.ratios
        by_throughput, by_cpu = ratios.get(throughput_name), ratios.get(cpu_name)
        if by_throughput is None or not by_cpu:
            return
        if abs(by_throughput / by_cpu - 1.0) > DISAGREEMENT:
            self.report.warnings.append(
                f"'{throughput_name}' ({by_throughput:.3f}) and '{cpu_name}' ({by_cpu:.3f}) "
                f"differ by more than {DISAGREEMENT:.0%}: other load disturbed the runs; "
                "the CPU-per-answer figure is the steadier one — rerun on a quiet machine"
            )

    def _prepare_pair(self, url: str) -> None:
        pair = {"a": str(MEASURED_A), "b": str(MEASURED_B)}
        with httpx.Client(base_url=url, timeout=30.0) as http:
            answer = http.post("/RegisterCall", data=pair)
            if answer.status_code != 201:
                raise BenchFailure(
                    f"RegisterCall of the measured pair answered {describe(answer)}; expected 201"
                )
            probe = http.post("/CheckCall", data={**pair, "call_id": f"{self.run_tag}-probe"})
            if probe.status_code != 200:
                raise BenchFailure(
                    f"CheckCall of the registered pair answered {describe(probe)}; expected 200"
                )

    def _measure_simulator(
        self, client: AtsControlClient, server: ServerProcess, phase: str, key: str, label: str
    ) -> RunResult:
        def counters() -> dict[int, int]:
            return status_counters(client.state(), "POST", "/CheckCall")

        return self._measure(server, phase, key, label, counters)

    def _fill(self, client: AtsControlClient, server: ServerProcess, count: int) -> MemoryResult:
        rss_before = rss_bytes(server.pid)
        say(f"adding {count:,} registrations via POST /__sim/registrations "
            f"({self.options.chunk:,} per call)")
        started = time.perf_counter()
        done = 0
        while done < count:
            chunk = min(self.options.chunk, count - done)
            client.bulk_register(chunk, FILL_A_FIRST + done, FILL_B_FIRST + done)
            done += chunk
            say(f"  {done:,} / {count:,} ({time.perf_counter() - started:.1f} s)")
        fill_seconds = time.perf_counter() - started
        rss_after = rss_bytes(server.pid)
        reported = client.state().get("registrations")
        if not isinstance(reported, int) or reported < count:
            raise BenchFailure(
                f"after adding {count:,} registrations /__sim/state reports "
                f"registrations = {reported!r}; expected at least {count:,}"
            )
        return MemoryResult(count, rss_before, rss_after, reported, fill_seconds)

    # -- helpers ----------------------------------------------------------------

    def _measure(
        self,
        server: ServerProcess,
        phase: str,
        key: str,
        label: str,
        counters: Callable[[], dict[int, int]] | None = None,
    ) -> RunResult:
        """Warm up, then measure; re-measure (up to ``noise_retries`` times) when
        other processes took a noticeable share of the CPUs, keeping the quietest
        attempt. Every attempt must be answered with 200 only."""
        options = self.options
        if options.warmup_s > 0:
            say(f"  warming up {label} for {options.warmup_s:g} s")
            self.generator.run(
                self.children, server.url, check_call_spec(f"{self.run_tag}-{phase}w"),
                options.connections, options.warmup_s,
            )
        best: RunResult | None = None
        for attempt in range(1, options.noise_retries + 2):
            waited = wait_for_quiet(options.quiet_wait_s, NOISY_PERCENT, {server.pid})
            if waited >= 1.0:
                say(f"  waited {waited:.0f} s for other processes to quieten")
            before = counters() if counters is not None else None
            say(f"  measuring {label} for {options.duration_s:g} s")
            watch = CpuWatch(server.pid)
            figures = self.generator.run(
                self.children, server.url, check_call_spec(f"{self.run_tag}-{phase}{attempt}"),
                options.connections, options.duration_s,
            )
            other = watch.finish(figures.requests)
            statuses = None
            if counters is not None and before is not None:
                statuses = counter_delta(before, counters())
            self._require_only_200(label, figures, statuses)
            run = RunResult(key, label, figures, statuses or None, cpu=other,
                            kept_attempt=attempt)
            if best is None or _noise(run) < _noise(best):
                best = run
            best.attempts = attempt
            if _noise(run) < NOISY_PERCENT:
                break
            say(f"  other processes took {other.other_processes_percent:.0f}% of a CPU "
                f"(steal {other.steal_percent:.0f}%) during this run"
                + ("; measuring again" if attempt <= options.noise_retries else ""))
        assert best is not None
        if _noise(best) >= NOISY_PERCENT:
            note = (f"{label}: every attempt ran while other processes took >= "
                    f"{NOISY_PERCENT:.0f}% of a CPU; the figure is likely low")
            if note not in self.report.warnings:
                self.report.warnings.append(note)
        return best

    @staticmethod
    def _require_only_200(
        label: str, figures: LoadFigures, server_statuses: dict[int, int] | None
    ) -> None:
        problems = []
        if not figures.statuses:
            problems.append("the load generator counted no answers at all")
        other = figures.count_other_than(200)
        if other:
            problems.append(f"the load generator saw {other:,} answers other than 200 "
                            f"(statuses {dict(sorted(figures.statuses.items()))})")
        if figures.non_2xx_3xx:
            problems.append(f"wrk counted {figures.non_2xx_3xx:,} non-2xx/3xx responses")
        if server_statuses:
            wrong = {code: n for code, n in server_statuses.items() if code != 200}
            if wrong:
                problems.append(f"the simulator's own counters show CheckCall answers {wrong}")
        if problems:
            raise BenchFailure(f"{label}: " + "; ".join(problems))

    def _check_pinning(self, server: ServerProcess) -> None:
        notes = []
        wanted = self.cpus.server_cpu
        actual = affinity_of(server.pid)
        if wanted is not None and actual is not None and actual != {wanted}:
            notes.append(f"{server.name} runs on CPUs {sorted(actual)}, not only CPU {wanted}")
        if self.cpus.nice:
            priority = priority_of(server.pid)
            if priority is not None and priority != self.cpus.nice:
                notes.append(f"{server.name} runs at nice {priority}, not {self.cpus.nice} "
                             "(raising priority needs root or CAP_SYS_NICE)")
        for note in notes:
            if note not in self.report.warnings:
                self.report.warnings.append(note)
                say(f"warning: {note}")

    def _on_cpu(self) -> str:
        return "" if self.cpus.server_cpu is None else f" on CPU {self.cpus.server_cpu}"

    def _settings_line(self) -> str:
        o = self.options
        if self.cpus.pinned:
            where = f"servers on CPU {self.cpus.server_cpu}, load on CPU {self.cpus.load_cpu}"
        else:
            where = "unpinned"
        if self.cpus.nice:
            where += f", nice {self.cpus.nice}"
        return (
            f"load: {self.generator.describe(o.connections)}; {o.duration_s:g} s per run "
            f"after a {o.warmup_s:g} s warm-up; {o.rounds} round(s); {where}; 127.0.0.1"
        )

    def _evaluate_targets(self) -> None:
        report = self.report
        empty = report.summary("simulator")
        report.targets.append(
            Target(
                "throughput simulator/reference",
                report.ratios.get("throughput simulator/reference"),
                ">=",
                TARGET_RATIO,
            )
        )
        report.targets.append(
            Target(
                f"simulator p99 at {self.options.connections} connections",
                None if empty is None else empty.p99_ms,
                "<=",
                TARGET_P99_MS,
                "ms",
            )
        )
        count = self.options.registrations
        if count > 0:
            ratio = report.ratios.get(f"throughput at {count:,} registrations / empty store")
            report.targets.append(
                Target(
                    f"throughput drop at {count:,} registrations",
                    None if ratio is None else 100.0 * (1.0 - ratio),
                    "<",
                    TARGET_DROP_PERCENT,
                    "%",
                )
            )

    def _write_json(self, failure: str | None) -> None:
        path = self.options.json_path
        if path is None:
            return
        data = self.report.to_json()
        data["failure"] = failure
        data["exit_ok"] = failure is None
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        say(f"figures written to {path}")


def _inverse_ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _noise(run: RunResult) -> float:
    cpu = run.cpu
    return 0.0 if cpu is None else max(cpu.other_processes_percent, cpu.steal_percent)


def run_ats(options: AtsBenchOptions) -> int:
    return AtsBench(options).run()
