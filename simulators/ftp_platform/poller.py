"""The poller: every ``interval`` simulated seconds, each client folder's archives.

How it works: ``poll()`` looks at the files directly in each account's folder
(``root/<login>``). Hidden files and temporary names (``.part``, ``.tmp``,
``.filepart``: an upload in progress under another name) are left alone. A
file is ready when no upload into it is open or was cut short (uploads.py)
and either its upload completed and it has not changed since, or (a file
that did not come over FTP) its size and mtime are what the previous poll
saw. Ready files are taken oldest first — by the time in the name, then
mtime — one at a time: a good archive's messages go into the shared
delivery model (intake.py) and the archive is deleted; an archive that
breaks a rule, a wrong name included (ruling 3), is moved to
``<login>/rejected/<name>`` with ``<name>.error.txt`` beside it naming the
problem, the file and the line. Every outcome is a journal record. No
archive, exception or full disk stops the poller: a failure is recorded and
the next archive is taken.
"""

from __future__ import annotations

import collections
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nabat.simulators.ftp_platform.accounts import Account
from nabat.simulators.ftp_platform.archive import ZipLimits, parse_archive_name
from nabat.simulators.ftp_platform.errors import ArchiveError
from nabat.simulators.ftp_platform.intake import accept_batch, plan_archive
from nabat.simulators.ftp_platform.uploads import Stamp, UploadTracker, stamp_of
from nabat.simulators.sms_platform.delivery import SmsDelivery
from nabat.simulators.world.numbering import WorldPlan

log = logging.getLogger(__name__)

REJECTED = "rejected"
TEMPORARY_SUFFIXES = (".part", ".tmp", ".filepart", ".partial")
DEFAULT_INTERVAL = 10.0
MAX_ARCHIVE_BYTES = 256 << 20


@dataclass(slots=True)
class ArchiveRecord:
    at: str  # platform local time of the outcome
    login: str
    name: str
    outcome: str  # accepted | rejected | failed
    messages: int = 0
    first_id: str | None = None
    last_id: str | None = None
    problem: str | None = None
    file: str | None = None
    line: int | None = None
    moved_to: str | None = None
    seconds: float = 0.0  # real time from pickup to the last message accepted

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at,
            "login": self.login,
            "name": self.name,
            "outcome": self.outcome,
            "messages": self.messages,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "problem": self.problem,
            "file": self.file,
            "line": self.line,
            "moved_to": self.moved_to,
            "seconds": round(self.seconds, 4),
        }


def _is_temporary(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(TEMPORARY_SUFFIXES)


class Poller:
    def __init__(
        self,
        root: Path,
        accounts: Mapping[str, Account],
        tracker: UploadTracker,
        delivery: SmsDelivery,
        plan: Callable[[], WorldPlan],
        limits: ZipLimits | None = None,
        journal_size: int = 1000,
    ) -> None:
        self.root = root
        self.accounts = accounts
        self.tracker = tracker
        self.delivery = delivery
        self.plan = plan
        self.limits = limits or ZipLimits()
        self.journal: collections.deque[ArchiveRecord] = collections.deque(maxlen=journal_size)
        self.polls = 0
        self._seen: dict[str, Stamp] = {}

    # --- one pass ------------------------------------------------------------
    def poll(self) -> list[ArchiveRecord]:
        """Process every ready archive of every folder, oldest first; returns the new records."""
        self.polls += 1
        records: list[ArchiveRecord] = []
        seen: dict[str, Stamp] = {}
        for login in sorted(self.accounts):
            account = self.accounts[login]
            try:
                ready = self._ready(self.root / login, seen)
            except OSError as error:
                log.warning("cannot list the folder of %s: %s", login, error)
                continue
            for path in ready:
                record = self._take(account, path)
                self.journal.append(record)
                records.append(record)
        self._seen = seen
        return records

    def _ready(self, folder: Path, seen: dict[str, Stamp]) -> list[Path]:
        found: list[tuple[tuple[str, int, str], Path]] = []
        if not folder.is_dir():
            return []
        with os.scandir(folder) as entries:
            for entry in entries:
                if _is_temporary(entry.name) or not entry.is_file(follow_symlinks=False):
                    continue
                path = Path(entry.path)
                stamp = stamp_of(path)
                if stamp is None:
                    continue
                seen[entry.path] = stamp
                state, uploaded = self.tracker.state(entry.path)
                if state in ("open", "incomplete"):
                    continue
                stable = (
                    uploaded == stamp
                    if state == "complete"
                    else self._seen.get(entry.path) == stamp
                )
                if not stable:
                    continue
                when = entry.name.rsplit("_", 1)[-1] if entry.name.endswith(".zip") else "~"
                found.append(((when, stamp[1], entry.name), path))
        found.sort(key=lambda item: item[0])
        return [path for _, path in found]

    # --- one archive ---------------------------------------------------------
    def _take(self, account: Account, path: Path) -> ArchiveRecord:
        started = time.perf_counter()
        record = ArchiveRecord(self._now(), account.login, path.name, "accepted")
        try:
            parse_archive_name(path.name, account.login)
            size = path.stat().st_size
            if size > MAX_ARCHIVE_BYTES:
                raise ArchiveError(f"archive is larger than {MAX_ARCHIVE_BYTES} bytes")
            data = path.read_bytes()
            batch = plan_archive(data, account, self.limits)
            ids = accept_batch(batch, account, self.delivery, self.plan())
            record.messages = len(ids)
            record.first_id, record.last_id = ids[0], ids[-1]
            record.seconds = time.perf_counter() - started
            self._delete(path, record)
        except ArchiveError as error:
            record.outcome = "rejected"
            record.problem, record.file, record.line = error.problem, error.file, error.line
            self._move_aside(path, record, error.describe())
        except Exception as error:  # never let one archive stop the poller
            log.exception("archive %s could not be processed", path)
            record.outcome = "failed"
            record.problem = f"internal error: {type(error).__name__}: {str(error)[:200]}"
            self._move_aside(path, record, record.problem)
        self.tracker.forget(str(path))
        return record

    def _delete(self, path: Path, record: ArchiveRecord) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            record.problem = f"accepted, but the archive could not be deleted: {error}"

    def _move_aside(self, path: Path, record: ArchiveRecord, problem: str) -> None:
        try:
            folder = path.parent / REJECTED
            folder.mkdir(exist_ok=True)
            target = folder / path.name
            counter = 1
            while target.exists() or target.with_name(target.name + ".error.txt").exists():
                target = folder / f"{path.name}.{counter}"
                counter += 1
            os.replace(path, target)
            report = (
                f"archive: {path.name}\n"
                f"login: {record.login}\n"
                f"time: {record.at}\n"
                f"problem: {problem}\n"
                f"file: {record.file or '-'}\n"
                f"line: {record.line if record.line is not None else '-'}\n"
                "nothing from this archive was sent\n"
            )
            target.with_name(target.name + ".error.txt").write_text(report, encoding="utf-8")
            record.moved_to = f"{REJECTED}/{target.name}"
        except OSError as error:  # a full disk: the archive stays; it is tried again
            log.warning("could not move %s aside: %s", path, error)
            record.problem = f"{record.problem}; could not be moved aside: {error}"

    def _now(self) -> str:
        moment = self.delivery.wall_time(self.delivery.clock.now())
        return str(moment.isoformat(sep=" ", timespec="seconds"))

    def records(self, limit: int = 100, login: str | None = None) -> list[dict[str, object]]:
        chosen = [r for r in self.journal if login is None or r.login == login]
        return [record.to_json() for record in chosen[-limit:]] if limit > 0 else []

    def reset(self) -> None:
        self.journal.clear()
        self._seen.clear()
