"""The engine's durable progress: each run's targets, every attempt, remote starts.

How it works: a run's *targets* (``task_targets``) are a snapshot, taken at
STARTTASK, of the abonents of the task's list with the addresses the task
type may use; the engine moves each through ``TargetState`` (``engine/
targets.py`` holds the table). An *attempt* (``task_attempts``) is written
``in_flight`` in the same transaction that marks its target active, before
any channel is asked, and finished in one transaction with its target's
next state, so a crash leaves at most the attempts that were in flight:
``reconcile`` turns those into ``interrupted`` at the next start (a voice
call is tried again unless its confirmation was already written: ``confirm``
writes it the moment the key arrives; an SMS or e-mail is never resent
blindly: its target becomes ``unknown``). Remote start attempts are kept in
``remote_starts`` (``key``: an incoming SMS's identity, so a redelivered SMS
starts nothing twice).

Targets carry ``next_time`` (seconds on the engine's clock, wall time by
default) and ``seq`` (the order they were planned in). Every method is one
short transaction or read, safe from any thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nabat.system.engine.records import (
    AttemptKind,
    AttemptRecord,
    AttemptState,
    RemoteStartRecord,
    TargetRecord,
    TargetState,
)
from nabat.system.store.clock import from_db, to_db
from nabat.system.store.database import Database

ADDRESS_SEPARATOR = "\n"  # addresses never hold a newline (phones and e-mails are checked)
_IN_FLIGHT = AttemptState.IN_FLIGHT.value


@dataclass(frozen=True, slots=True)
class NewTarget:
    abonent_id: int
    name: str
    priority: int
    addresses: tuple[str, ...]
    state: TargetState = TargetState.PENDING
    note: str = ""
    next_time: float = 0.0


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A target as the scheduler keeps it."""

    abonent_id: int
    seq: int
    name: str
    priority: int
    addresses: tuple[str, ...]
    state: TargetState
    rounds: int
    next_address: int
    next_time: float
    confirm_key: str


@dataclass(frozen=True, slots=True)
class TargetUpdate:
    """A target's next state, written with the attempt that caused it."""

    state: TargetState
    rounds: int
    next_address: int
    next_time: float
    confirm_key: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class AttemptStart:
    abonent_id: int
    round: int
    kind: AttemptKind
    address: str
    channel: str
    target: TargetUpdate  # normally ACTIVE (SMS batches: ACTIVE too)


@dataclass(frozen=True, slots=True)
class AttemptEnd:
    outcome: str
    state: AttemptState = AttemptState.DONE
    ring_seconds: float = 0.0
    talk_seconds: float = 0.0
    keys: str = ""
    confirmed: bool = False
    verification: str | None = None  # None: leave as written
    detail: str = ""
    reference: str | None = None  # None: leave as written


@dataclass(frozen=True, slots=True)
class OpenReference:
    """A sent SMS that still waits for its delivery report (reloaded after a restart)."""

    attempt_id: int
    abonent_id: int
    channel: str
    address: str
    reference: str


@dataclass(frozen=True, slots=True)
class Reconciled:
    interrupted: int  # attempts found in flight
    retried: int  # voice targets given another try
    unknown: int  # SMS / e-mail targets whose fate is unknown


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(ADDRESS_SEPARATOR)) if text else ()


def _target_row(row: tuple[Any, ...]) -> TargetRow:
    return TargetRow(
        abonent_id=row[0], seq=row[1], name=row[2], priority=row[3], addresses=_split(row[4]),
        state=TargetState(row[5]), rounds=row[6], next_address=row[7], next_time=row[8],
        confirm_key=row[9],
    )  # fmt: skip


_TARGET_COLUMNS = (
    "abonent_id, seq, name, priority, addresses, state, rounds, next_address, next_time, "
    "confirm_key"
)
_ATTEMPT_COLUMNS = (
    "id, abonent_id, round, kind, address, channel, state, outcome, started, ended, ring, talk, "
    "keys, confirmed, verification, detail, reference"
)


def _attempt(row: tuple[Any, ...]) -> AttemptRecord:
    started = from_db(row[8])
    assert started is not None
    return AttemptRecord(
        id=row[0], abonent_id=row[1], round=row[2], kind=AttemptKind(row[3]), address=row[4],
        channel=row[5], state=AttemptState(row[6]), outcome=row[7], started=started,
        ended=from_db(row[9]), ring_seconds=row[10], talk_seconds=row[11], keys=row[12],
        confirmed=bool(row[13]), verification=row[14], detail=row[15], reference=row[16],
    )  # fmt: skip


class Progress:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- planning ---------------------------------------------------------------------
    def has_targets(self, task_id: int) -> bool:
        row = self._db.fetchone("SELECT 1 FROM task_targets WHERE task_id = ? LIMIT 1", (task_id,))
        return row is not None

    def plan(self, task_id: int, targets: Iterable[NewTarget], *, restart: bool) -> int:
        """Write the run's targets: ``restart`` forgets the previous run's targets and
        attempts; otherwise only abonents not planned yet are added. Returns how many
        were added."""
        added = 0
        with self._db.transaction("task") as conn:
            if restart:
                conn.execute("DELETE FROM task_targets WHERE task_id = ?", (task_id,))
                conn.execute("DELETE FROM task_attempts WHERE task_id = ?", (task_id,))
            row = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM task_targets WHERE task_id = ?", (task_id,)
            ).fetchone()
            seq = int(row[0])
            for target in targets:
                seq += 1
                cur = conn.execute(
                    "INSERT OR IGNORE INTO task_targets (task_id, abonent_id, seq, name, priority,"
                    " addresses, state, next_time, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (task_id, target.abonent_id, seq, target.name, target.priority,
                     ADDRESS_SEPARATOR.join(target.addresses), target.state.value,
                     target.next_time, target.note),
                )  # fmt: skip
                added += cur.rowcount
        return added

    def targets(self, task_id: int) -> list[TargetRow]:
        rows = self._db.fetchall(
            f"SELECT {_TARGET_COLUMNS} FROM task_targets WHERE task_id = ? ORDER BY seq",
            (task_id,),
        )
        return [_target_row(row) for row in rows]

    def counts(self, task_id: int) -> dict[TargetState, int]:
        rows = self._db.fetchall(
            "SELECT state, COUNT(*) FROM task_targets WHERE task_id = ? GROUP BY state", (task_id,)
        )
        return {TargetState(state): count for state, count in rows}

    # --- attempts ---------------------------------------------------------------------
    def begin_attempts(self, task_id: int, starts: Sequence[AttemptStart]) -> list[int]:
        """Write each attempt in flight and its target's update, in one transaction;
        the attempts' ids in order."""
        ids: list[int] = []
        with self._db.transaction("task") as conn:
            now = self._db.now()
            for start in starts:
                cur = conn.execute(
                    "INSERT INTO task_attempts (task_id, abonent_id, round, kind, address, channel,"
                    " state, started) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (task_id, start.abonent_id, start.round, start.kind.value, start.address,
                     start.channel, _IN_FLIGHT, now),
                )  # fmt: skip
                assert cur.lastrowid is not None
                ids.append(cur.lastrowid)
                self._update_target(conn, task_id, start.abonent_id, start.target)
        return ids

    def note_verification(self, attempt_id: int, verification: str) -> None:
        with self._db.transaction("task") as conn:
            conn.execute(
                "UPDATE task_attempts SET verification = ? WHERE id = ?", (verification, attempt_id)
            )

    def confirm(self, task_id: int, attempt_id: int, abonent_id: int, keys: str) -> None:
        """The confirmation key arrived: written before anything else happens."""
        with self._db.transaction("task") as conn:
            cur = conn.execute(
                "UPDATE task_attempts SET confirmed = 1, keys = ? WHERE id = ?", (keys, attempt_id)
            )
            if not cur.rowcount:
                return  # forgotten by a restart of the task
            conn.execute(
                "UPDATE task_targets SET state = ?, confirm_key = ? WHERE task_id = ? AND"
                " abonent_id = ?",
                (TargetState.CONFIRMED.value, keys, task_id, abonent_id),
            )

    def finish_attempts(
        self,
        task_id: int,
        ends: Sequence[tuple[int, int, AttemptEnd, TargetUpdate | None]],
    ) -> None:
        """(attempt id, abonent id, how it ended, the target's next state or None)."""
        with self._db.transaction("task") as conn:
            now = self._db.now()
            for attempt_id, abonent_id, end, target in ends:
                cur = conn.execute(
                    "UPDATE task_attempts SET state = ?, outcome = ?, ended = ?, ring = ?,"
                    " talk = ?, keys = CASE WHEN ? != '' THEN ? ELSE keys END,"
                    " confirmed = MAX(confirmed, ?), verification = COALESCE(?, verification),"
                    " detail = ?, reference = COALESCE(?, reference) WHERE id = ?",
                    (end.state.value, end.outcome, now, end.ring_seconds, end.talk_seconds,
                     end.keys, end.keys, int(end.confirmed), end.verification, end.detail,
                     end.reference, attempt_id),
                )  # fmt: skip
                # an attempt a restart (STARTTASK restart=1) forgot: its target is another's
                if target is not None and cur.rowcount:
                    self._update_target(conn, task_id, abonent_id, target)

    def update_targets(self, task_id: int, updates: Sequence[tuple[int, TargetUpdate]]) -> None:
        with self._db.transaction("task") as conn:
            for abonent_id, target in updates:
                self._update_target(conn, task_id, abonent_id, target)

    @staticmethod
    def _update_target(conn: Any, task_id: int, abonent_id: int, target: TargetUpdate) -> None:
        conn.execute(
            "UPDATE task_targets SET state = ?, rounds = ?, next_address = ?, next_time = ?,"
            " confirm_key = CASE WHEN ? != '' THEN ? ELSE confirm_key END,"
            " note = CASE WHEN ? != '' THEN ? ELSE note END"
            " WHERE task_id = ? AND abonent_id = ?",
            (target.state.value, target.rounds, target.next_address, target.next_time,
             target.confirm_key, target.confirm_key, target.note, target.note, task_id,
             abonent_id),
        )  # fmt: skip

    def open_references(self, task_id: int) -> list[OpenReference]:
        """Attempts of SENT targets (their latest), for matching delivery reports."""
        rows = self._db.fetchall(
            "SELECT a.id, a.abonent_id, a.channel, a.address, a.reference FROM task_attempts a"
            " JOIN task_targets t ON t.task_id = a.task_id AND t.abonent_id = a.abonent_id"
            " WHERE a.task_id = ? AND t.state = ? AND a.reference != '' AND a.id ="
            " (SELECT MAX(id) FROM task_attempts b WHERE b.task_id = a.task_id"
            "  AND b.abonent_id = a.abonent_id)",
            (task_id, TargetState.SENT.value),
        )
        return [OpenReference(*row) for row in rows]

    # --- after a crash ----------------------------------------------------------------
    def reconcile(self, task_id: int, now: float) -> Reconciled:
        """Attempts in flight when the server stopped become ``interrupted``; their
        targets are tried again (voice, not confirmed) or become ``unknown``."""
        retried = unknown = 0
        with self._db.transaction("task") as conn:
            rows = conn.execute(
                "SELECT id, abonent_id, kind, confirmed FROM task_attempts WHERE task_id = ?"
                " AND state = ?",
                (task_id, _IN_FLIGHT),
            ).fetchall()
            stamp = self._db.now()
            for attempt_id, abonent_id, kind, confirmed in rows:
                conn.execute(
                    "UPDATE task_attempts SET state = ?, outcome = ?, ended = ?, detail = ?"
                    " WHERE id = ?",
                    (AttemptState.INTERRUPTED.value, "interrupted", stamp,
                     "in flight when the server stopped", attempt_id),
                )  # fmt: skip
                if confirmed:
                    continue
                if kind == AttemptKind.VOICE.value:
                    state, note = TargetState.RETRY, ""
                    retried += 1
                else:
                    state = TargetState.UNKNOWN
                    note = "in flight when the server stopped: not sent again"
                    unknown += 1
                conn.execute(
                    "UPDATE task_targets SET state = ?, next_time = ?, note = ? WHERE task_id = ?"
                    " AND abonent_id = ? AND state = ?",
                    (state.value, now, note, task_id, abonent_id, TargetState.ACTIVE.value),
                )
            # an ACTIVE target without an attempt in flight (cannot normally happen)
            conn.execute(
                "UPDATE task_targets SET state = ? WHERE task_id = ? AND state = ?",
                (TargetState.RETRY.value, task_id, TargetState.ACTIVE.value),
            )
        return Reconciled(len(rows), retried, unknown)

    # --- reports ----------------------------------------------------------------------
    def report_targets(self, task_id: int) -> list[TargetRecord]:
        with self._db.locked() as conn:
            targets = conn.execute(
                "SELECT abonent_id, name, priority, state, rounds, confirm_key, addresses, note"
                " FROM task_targets WHERE task_id = ? ORDER BY seq",
                (task_id,),
            ).fetchall()
            attempts = conn.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM task_attempts WHERE task_id = ? ORDER BY id",
                (task_id,),
            ).fetchall()
        by_abonent: dict[int, list[AttemptRecord]] = {}
        for row in attempts:
            record = _attempt(row)
            by_abonent.setdefault(record.abonent_id, []).append(record)
        return [
            TargetRecord(
                abonent_id=row[0],
                name=row[1],
                priority=row[2],
                state=TargetState(row[3]),
                rounds=row[4],
                confirm_key=row[5],
                addresses=_split(row[6]),
                attempts=tuple(by_abonent.get(row[0], ())),
                note=row[7],
            )
            for row in targets
        ]

    # --- remote start -----------------------------------------------------------------
    def log_remote_start(self, record: RemoteStartRecord, key: str = "") -> None:
        with self._db.transaction("task") as conn:
            conn.execute(
                "INSERT INTO remote_starts (time, via, channel, caller, task_id, accepted, reason,"
                " key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (to_db(record.time), record.via, record.channel, record.caller, record.task_id,
                 int(record.accepted), record.reason, key),
            )  # fmt: skip

    def remote_start_seen(self, key: str) -> bool:
        row = self._db.fetchone("SELECT 1 FROM remote_starts WHERE key = ? LIMIT 1", (key,))
        return row is not None

    def remote_starts(self, task_id: int | None = None) -> list[RemoteStartRecord]:
        """Those of one task (and the refused ones that named no task), or all."""
        if task_id is None:
            rows = self._db.fetchall(
                "SELECT time, via, channel, caller, task_id, accepted, reason FROM remote_starts"
                " ORDER BY id"
            )
        else:
            rows = self._db.fetchall(
                "SELECT time, via, channel, caller, task_id, accepted, reason FROM remote_starts"
                " WHERE task_id = ? OR task_id IS NULL ORDER BY id",
                (task_id,),
            )
        records = []
        for time, via, channel, caller, tid, accepted, reason in rows:
            when = from_db(time)
            assert when is not None
            records.append(RemoteStartRecord(when, via, channel, caller, tid, bool(accepted),
                                             reason))  # fmt: skip
        return records

    def now(self) -> datetime:
        when = from_db(self._db.now())
        assert when is not None
        return when
