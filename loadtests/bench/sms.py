"""`nabat bench sms`: the system's SMS routes against the MFMS and FTP platform simulators.

How it works: each part starts its simulator as a child process
(``ProcessSupervisor``: every child stopped on exit, Ctrl-C or SIGTERM)
pinned to the server CPU, while this process, pinned to the load CPU, drives
the system's route (sms_mfms.py, sms_ftp.py). Each part runs under a hard
timeout (``--timeout`` seconds); a part that fails or times out is reported
and the next part still runs. Targets (issue 12):

* MFMS: >= 20,000 messages/s accepted end to end (every providerId back),
  with each side on one core;
* FTP: <= 10 s from the poller picking the archive up to every message
  accepted.

Counts are checked too (every message submitted, as many accepted by the
simulator, every status final / every message reported picked up): a
wrong count is a MISS whatever the speed. Prints the figures and a target
table; ``--json`` writes them all; the exit code is 1 when a target is
missed, 2 when a part could not run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.printout import heading, mib, num, target_table
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.report import Target
from nabat.loadtests.bench.running import bounded, cpu_plan, run_pinned, say, write_figures

MFMS_TARGET_PER_SECOND = 20_000.0
FTP_TARGET_SECONDS = 10.0
PARTS = ("mfms", "ftp")


@dataclass(frozen=True)
class SmsBenchOptions:
    messages: int = 100_000
    contacts: int = 100_000
    part: str = "all"  # mfms | ftp | all
    url_length: int = 65536
    timeout_s: float = 300.0
    server_cpu: int = 0
    load_cpu: int = 1
    json_path: Path | None = None


async def measure(
    options: SmsBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    from nabat.loadtests.bench.sms_ftp import measure_ftp
    from nabat.loadtests.bench.sms_mfms import measure_mfms

    figures: dict[str, Any] = {}
    if options.part in ("mfms", "all"):
        say(f"MFMS: {options.messages:,} messages through the MFMS route ...")
        figures["mfms"] = await bounded(
            measure_mfms(options.messages, options.url_length, supervisor, plan),
            options.timeout_s,
        )
    if options.part in ("ftp", "all"):
        say(f"FTP: one archive of {options.contacts:,} contacts through the FTP route ...")
        figures["ftp"] = await bounded(
            measure_ftp(options.contacts, supervisor, plan, options.timeout_s),
            options.timeout_s,
        )
    return figures


def targets(figures: dict[str, Any]) -> list[Target]:
    checks: list[Target] = []
    mfms = figures.get("mfms")
    if mfms is not None:
        ok = "error" not in mfms and (
            mfms["submitted"] == mfms["messages"] == mfms["accepted_by_simulator"]
            == mfms["distinct_provider_ids"]
            and mfms["status_poll"]["final"] == mfms["status_poll"]["polled"]
        )  # fmt: skip
        checks += [
            Target(
                "MFMS messages/s accepted end to end",
                mfms.get("per_second"),
                ">=",
                MFMS_TARGET_PER_SECOND,
                "/s",
            ),
            Target("MFMS counts match (sent, accepted, final)", float(ok), ">=", 1.0),
        ]
    ftp = figures.get("ftp")
    if ftp is not None:
        ok = "error" not in ftp and (
            ftp["submitted"] == ftp["contacts"] == ftp["accepted"]
            == ftp["accepted_by_simulator"] == ftp["picked_up_reports"]
        )  # fmt: skip
        checks += [
            Target(
                "FTP pickup to all accepted",
                ftp.get("pickup_to_accepted_seconds"),
                "<=",
                FTP_TARGET_SECONDS,
                "s",
            ),
            Target("FTP counts match (archive, accepted, reports)", float(ok), ">=", 1.0),
        ]
    return checks


def render(figures: dict[str, Any], checks: list[Target], plan: CpuPlan) -> str:
    lines = heading("nabat bench sms", plan, this="this process (the route)")
    mfms = figures.get("mfms")
    if mfms is not None and "error" in mfms:
        lines.append(f"MFMS: FAILED: {mfms['error']}")
    elif mfms is not None:
        poll = mfms["status_poll"]
        lines += [
            f"MFMS  {mfms['messages']:,} messages in {mfms['seconds']:.2f} s: "
            f"{num(mfms['per_second'])} messages/s accepted end to end "
            f"(target >= {MFMS_TARGET_PER_SECOND:,.0f}); {mfms['submitted']:,} submitted, "
            f"{mfms['distinct_provider_ids']:,} distinct providerIds, "
            f"{mfms['accepted_by_simulator']:,} accepted by the simulator",
            f"      {mfms['requests']:,} HTTP requests, {num(mfms['messages_per_request'], '.0f')}"
            f" messages per request (URLs up to {mfms['url_length']:,} characters, "
            f"{mfms['concurrency']} in flight)",
            f"      CPU per message: route {num(mfms['route_cpu_us_per_message'], '.1f')} us, "
            f"simulator {num(mfms['simulator_cpu_us_per_message'], '.1f')} us -> "
            f"{num(mfms['per_second_one_core_each'])} messages/s with one free core each",
            f"      status round of {poll['polled']:,} providerIds: {poll['seconds']:.2f} s "
            f"({num(poll['per_second'])}/s), {poll['requests']:,} requests, "
            f"{poll['final']:,} final",
            f"      peak RSS: route process {mib(mfms['peak_rss_bytes']['route'])}, "
            f"simulator {mib(mfms['peak_rss_bytes']['simulator'])}",
        ]
    ftp = figures.get("ftp")
    if ftp is not None and "error" in ftp:
        lines.append(f"FTP:  FAILED: {ftp['error']}")
    elif ftp is not None:
        lines += [
            f"FTP   {ftp['contacts']:,} contacts, one archive ({ftp['archive_bytes']:,} bytes): "
            f"pickup to all accepted {num(ftp['pickup_to_accepted_seconds'], '.2f')} s "
            f"(target <= {FTP_TARGET_SECONDS:g} s; poll call {ftp['poll_call_seconds']:.2f} s)",
            f"      build {ftp['build_seconds']:.2f} s; build + upload (route send_batch) "
            f"{ftp['build_upload_seconds']:.2f} s; {ftp['accepted']:,} accepted "
            f"({ftp['outcome']}), {ftp['accepted_by_simulator']:,} in the simulator, "
            f"{ftp['picked_up_reports']:,} reported picked up by the route",
            f"      peak RSS: route process {mib(ftp['peak_rss_bytes']['route'])}, "
            f"simulator {mib(ftp['peak_rss_bytes']['simulator'])}",
        ]
    lines += target_table(checks)
    return "\n".join(lines)


def run_sms(options: SmsBenchOptions) -> int:
    cpus = cpu_plan(options.server_cpu, options.load_cpu)
    figures = run_pinned(cpus, lambda supervisor: measure(options, supervisor, cpus))
    checks = targets(figures)
    say(render(figures, checks, cpus))
    write_figures(
        options.json_path, options, cpus, figures, targets=[check.to_json() for check in checks]
    )
    if any("error" in part for part in figures.values()):
        print("nabat bench sms: a part could not run (see above)", file=sys.stderr)
        return 2
    return 1 if any(check.passed is False for check in checks) else 0
