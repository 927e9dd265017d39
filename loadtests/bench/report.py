"""Targets, the printed table and the JSON figures of a benchmark run.

How it works: the runner collects ``RunResult`` rows (one per measured run;
a configuration measured in several rounds has one row per round under the
same key), an optional ``MemoryResult`` and ``Target`` checks into a
``BenchReport``. ``summarize`` reduces the rounds of one key to medians
(and the min-max range of requests/s), which is what the table shows and
the targets use; ``render_text`` lays it out as fixed-width tables for a
terminal; ``to_json`` gives every round and every summary as a JSON-able
dict. A target whose figure could not be measured is ``SKIP``, neither PASS
nor MISS.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from nabat.loadtests.bench.cpuwatch import CpuUse
from nabat.loadtests.bench.figures import LoadFigures


@dataclass
class RunResult:
    key: str
    label: str
    figures: LoadFigures
    server_statuses: dict[int, int] | None = None  # from the server's own counters
    round: int = 1
    cpu: CpuUse | None = None
    attempts: int = 1  # measurements made (more than one when the machine was busy)
    kept_attempt: int = 1  # the quietest one, whose figures these are

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label, "round": self.round, "attempts": self.attempts,
            "kept_attempt": self.kept_attempt,
            **self.figures.to_json(),
        }
        if self.cpu is not None:
            data["cpu"] = asdict(self.cpu)
        if self.server_statuses is not None:
            data["server_statuses"] = {str(c): n for c, n in sorted(self.server_statuses.items())}
        return data


@dataclass
class Summary:
    """The rounds of one configuration reduced to medians."""

    key: str
    label: str
    rounds: int
    requests_per_s: float
    requests_per_s_min: float
    requests_per_s_max: float
    p50_ms: float | None
    p99_ms: float | None
    p99_ms_max: float | None
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    other_cpu_percent: float | None = None  # medians over rounds from here on
    server_cpu_percent: float | None = None
    server_us_per_request: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "rounds": self.rounds,
            "requests_per_s_median": round(self.requests_per_s, 2),
            "requests_per_s_min": self.requests_per_s_min,
            "requests_per_s_max": self.requests_per_s_max,
            "p50_ms_median": _round(self.p50_ms),
            "p99_ms_median": _round(self.p99_ms),
            "p99_ms_max": self.p99_ms_max,
            "statuses": {str(c): n for c, n in sorted(self.statuses.items())},
            "socket_errors": self.socket_errors,
            "other_cpu_percent_median": _round(self.other_cpu_percent, 1),
            "server_cpu_percent_median": _round(self.server_cpu_percent, 1),
            "server_cpu_us_per_request_median": _round(self.server_us_per_request, 2),
        }


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(runs: list[RunResult]) -> Summary:
    """Medians over the rounds of one key (``runs`` must be non-empty)."""
    rps = [run.figures.requests_per_s for run in runs]
    p50 = [run.figures.p50_ms for run in runs if run.figures.p50_ms is not None]
    p99 = [run.figures.p99_ms for run in runs if run.figures.p99_ms is not None]
    statuses: dict[int, int] = {}
    socket_errors: dict[str, int] = {}
    cpus = [run.cpu for run in runs if run.cpu is not None]
    us_per_request = [c.server_us_per_request for c in cpus if c.server_us_per_request is not None]
    for run in runs:
        for code, n in (run.figures.statuses or run.server_statuses or {}).items():
            statuses[code] = statuses.get(code, 0) + n
        for name, n in run.figures.socket_errors.items():
            socket_errors[name] = socket_errors.get(name, 0) + n
    return Summary(
        key=runs[0].key,
        label=runs[0].label,
        rounds=len(runs),
        requests_per_s=statistics.median(rps),
        requests_per_s_min=min(rps),
        requests_per_s_max=max(rps),
        p50_ms=_median(p50),
        p99_ms=_median(p99),
        p99_ms_max=max(p99) if p99 else None,
        statuses=statuses,
        socket_errors={k: v for k, v in socket_errors.items() if v},
        other_cpu_percent=_median([c.other_processes_percent for c in cpus]),
        server_cpu_percent=_median([c.server_percent for c in cpus]),
        server_us_per_request=_median(us_per_request),
    )


@dataclass
class MemoryResult:
    registrations_added: int
    rss_before_bytes: int
    rss_after_bytes: int
    registrations_reported: int | None
    fill_seconds: float

    @property
    def bytes_per_registration(self) -> float:
        if self.registrations_added <= 0:
            return math.nan
        return (self.rss_after_bytes - self.rss_before_bytes) / self.registrations_added

    def to_json(self) -> dict[str, Any]:
        return {
            "registrations_added": self.registrations_added,
            "registrations_reported": self.registrations_reported,
            "rss_before_bytes": self.rss_before_bytes,
            "rss_after_bytes": self.rss_after_bytes,
            "bytes_per_registration": round(self.bytes_per_registration, 1),
            "fill_seconds": round(self.fill_seconds, 3),
        }


@dataclass
class Target:
    name: str
    measured: float | None
    comparison: str  # ">=", "<=", "<"
    threshold: float
    unit: str = ""

    @property
    def passed(self) -> bool | None:
        if self.measured is None or math.isnan(self.measured):
            return None
        if self.comparison == ">=":
            return self.measured >= self.threshold
        if self.comparison == "<=":
            return self.measured <= self.threshold
        if self.comparison == "<":
            return self.measured < self.threshold
        raise ValueError(f"unknown comparison {self.comparison!r}")

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "SKIP"}[self.passed]

    def format_value(self, value: float | None) -> str:
        if value is None or math.isnan(value):
            return "n/a"
        if self.unit == "%":
            return f"{value:.1f}%"
        if self.unit == "ms":
            return f"{value:.2f} ms"
        return f"{value:.3f}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "measured": None if self.measured is None else round(self.measured, 4),
            "comparison": self.comparison,
            "threshold": self.threshold,
            "unit": self.unit,
            "result": self.verdict,
        }


@dataclass
class BenchReport:
    title: str
    settings_line: str
    settings: dict[str, Any]
    runs: list[RunResult] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)
    ratio_rounds: dict[str, list[float]] = field(default_factory=dict)
    memory: MemoryResult | None = None
    targets: list[Target] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)

    @property
    def missed(self) -> list[Target]:
        return [t for t in self.targets if t.passed is False]

    def rounds_of(self, key: str) -> list[RunResult]:
        return [run for run in self.runs if run.key == key]

    def summaries(self) -> list[Summary]:
        keys = list(dict.fromkeys(run.key for run in self.runs))
        return [summarize(self.rounds_of(key)) for key in keys]

    def summary(self, key: str) -> Summary | None:
        rounds = self.rounds_of(key)
        return summarize(rounds) if rounds else None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "settings": self.settings,
            "environment": self.environment,
            "summaries": {summary.key: summary.to_json() for summary in self.summaries()},
            "runs": [run.to_json() for run in self.runs],
            "ratios": {k: round(v, 4) for k, v in self.ratios.items()},
            "ratio_rounds": {k: [round(x, 4) for x in v] for k, v in self.ratio_rounds.items()},
            "memory": None if self.memory is None else self.memory.to_json(),
            "targets": [t.to_json() for t in self.targets],
            "warnings": self.warnings,
        }


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _answers(statuses: dict[int, int]) -> str:
    if not statuses:
        return "?"
    return ", ".join(f"{n:,} x {code}" for code, n in sorted(statuses.items()))


def _us(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _range(summary: Summary) -> str:
    if summary.rounds < 2:
        return ""
    return f"{summary.requests_per_s_min:,.0f}-{summary.requests_per_s_max:,.0f}"


def render_text(report: BenchReport) -> str:
    lines = [report.title, report.settings_line]
    env = report.environment
    if env:
        lines.append(
            f"machine: {env.get('cpu_model') or '?'}, {env.get('cpu_count') or '?'} CPUs, "
            f"Python {env.get('python') or '?'}; code {env.get('git') or '?'}; "
            f"{env.get('measured_at') or ''}"
        )
    lines.append("")
    summaries = report.summaries()
    label_width = max([len("run"), *(len(s.label) for s in summaries)])
    range_width = max([len("range"), *(len(_range(s)) for s in summaries)])
    header = (
        f"{'run':<{label_width}}  {'requests/s':>11}  {'range':<{range_width}}  "
        f"{'p50 ms':>8}  {'p99 ms':>8}  {'CPU us/req':>10}  {'server CPU':>10}  "
        f"{'other CPU':>9}  answers"
    )
    lines += [header, "-" * len(header)]
    for summary in summaries:
        lines.append(
            f"{summary.label:<{label_width}}  {summary.requests_per_s:>11,.0f}  "
            f"{_range(summary):<{range_width}}  {_ms(summary.p50_ms):>8}  "
            f"{_ms(summary.p99_ms):>8}  {_us(summary.server_us_per_request):>10}  "
            f"{_percent(summary.server_cpu_percent):>10}  "
            f"{_percent(summary.other_cpu_percent):>9}  {_answers(summary.statuses)}"
        )
        if summary.socket_errors:
            detail = ", ".join(f"{k} {v:,}" for k, v in summary.socket_errors.items())
            lines.append(f"{'':<{label_width}}  socket errors: {detail}")
    rounds = max((s.rounds for s in summaries), default=1)
    if rounds > 1:
        lines.append(
            f"(every figure is the median over {rounds} rounds; range is requests/s min-max)"
        )
    lines.append(
        "(CPU us/req: the server's CPU time per answer; server CPU: its CPU use; other CPU: "
        "processes outside the benchmark; in % of one CPU)"
    )
    if report.ratios:
        lines.append("")
        for name, value in report.ratios.items():
            per_round = report.ratio_rounds.get(name, [])
            detail = (
                f" (median of rounds: {', '.join(f'{x:.3f}' for x in per_round)})"
                if len(per_round) > 1
                else ""
            )
            lines.append(f"{name}: {value:.3f}{detail}")
    if report.memory is not None:
        m = report.memory
        reported = (
            "?" if m.registrations_reported is None else f"{m.registrations_reported:,}"
        )
        lines += [
            "",
            f"memory: {m.registrations_added:,} registrations added in {m.fill_seconds:.1f} s; "
            f"simulator RSS {m.rss_before_bytes / 2**20:,.1f} MiB -> "
            f"{m.rss_after_bytes / 2**20:,.1f} MiB = "
            f"{m.bytes_per_registration:,.0f} bytes per live registration; "
            f"/__sim/state registrations = {reported}",
        ]
    if report.targets:
        name_width = max(len("target"), *(len(t.name) for t in report.targets))
        lines += [
            "",
            f"{'target':<{name_width}}  {'measured':>10}  {'wanted':>12}  result",
        ]
        for t in report.targets:
            wanted = f"{t.comparison} {t.format_value(t.threshold)}"
            lines.append(
                f"{t.name:<{name_width}}  {t.format_value(t.measured):>10}  {wanted:>12}  "
                f"{t.verdict}"
            )
    if report.warnings:
        lines.append("")
        lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
