"""Pickup to accepted for one big archive: ``python -m nabat.simulators.ftp_platform.measure``.

Builds a template archive of N contacts (default 100,000) in memory, writes it
into a client folder as a finished upload would leave it, and times one
poll (read, check, plan, accept every message into the delivery model,
delete). The system's bench target is at most 10 s for 100,000 contacts.
Prints the figures; ``--contacts`` scales it down.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.ftp_platform.accounts import guest_account
from nabat.simulators.ftp_platform.poller import Poller
from nabat.simulators.ftp_platform.uploads import UploadTracker
from nabat.simulators.sms_platform.delivery import SmsDelivery
from nabat.simulators.world.runtime import WorldRuntime


def big_archive(contacts: int) -> bytes:
    lines = ["phone;senddate;attr1;attr2"]
    lines.extend(f"7903{index:07d};;Name{index};{index % 97}" for index in range(contacts))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sms/contacts.csv", ("\n".join(lines) + "\n").encode())
        archive.writestr(
            "sms/template.csv",
            b"message;sourceaddress;validity;senddate;localtime\n"
            b"Dear #attr1#, your code is #attr2#;TESTSMS;180;;\n",
        )
    return buffer.getvalue()


def measure(contacts: int, trace_memory: bool = False) -> dict[str, float]:
    account = guest_account()
    runtime = WorldRuntime(clock=SimClock())
    delivery = SmsDelivery(runtime, max_messages=max(contacts, 1))
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / account.login
        folder.mkdir()
        data = big_archive(contacts)
        path = folder / "guest_20260101120000.zip"
        path.write_bytes(data)
        tracker = UploadTracker()
        tracker.begin(str(path))
        tracker.end(str(path), complete=True)
        poller = Poller(Path(root), {account.login: account}, tracker, delivery,
                        lambda: runtime.world.plan)  # fmt: skip
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        (record,) = poller.poll()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        if trace_memory:
            tracemalloc.stop()
    assert record.outcome == "accepted" and record.messages == contacts, record
    return {
        "contacts": contacts,
        "archive_bytes": len(data),
        "seconds": elapsed,
        "messages_per_second": contacts / elapsed,
        "peak_mib": peak / (1 << 20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--memory", action="store_true", help="also trace peak memory (slower)")
    args = parser.parse_args()
    figures = measure(args.contacts, args.memory)
    print(
        f"{figures['contacts']:,} contacts ({figures['archive_bytes']:,} bytes zipped): "
        f"pickup to all accepted in {figures['seconds']:.2f} s "
        f"({figures['messages_per_second']:,.0f} messages/s)"
        + (f", peak {figures['peak_mib']:.0f} MiB traced" if args.memory else "")
    )


if __name__ == "__main__":
    main()
