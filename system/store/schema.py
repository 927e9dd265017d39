"""The schema as an ordered list of migrations; the last one's number is the current version.

Each ``Migration`` is a tuple of SQL statements that takes the database from
``version - 1`` to ``version``. Steps are only ever appended: a released step
is never edited, a change is a new step. ``migrate.py`` applies them.
Conventions: ids are ``INTEGER PRIMARY KEY AUTOINCREMENT`` (never reused, so a
client holding a stale id cannot hit another row); timestamps are ISO text;
phones and e-mails keep their order through ``position``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_INITIAL = (
    """CREATE TABLE users (
        login TEXT PRIMARY KEY NOT NULL,
        password_hash TEXT NOT NULL,
        rights INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        create_time TEXT NOT NULL,
        edit_time TEXT NOT NULL
    )""",
    """CREATE TABLE groups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE lists (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE abonents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        remote INTEGER NOT NULL,
        name TEXT NOT NULL,
        priority INTEGER NOT NULL,
        experiod_begin TEXT,
        experiod_end TEXT,
        pin TEXT NOT NULL,
        ipaddress TEXT NOT NULL,
        create_time TEXT NOT NULL,
        edit_time TEXT NOT NULL,
        organization TEXT NOT NULL,
        department TEXT NOT NULL,
        rank TEXT NOT NULL,
        position TEXT NOT NULL,
        description TEXT NOT NULL
    )""",
    "CREATE INDEX abonents_group ON abonents(group_id, id)",
    """CREATE TABLE phones (
        abonent_id INTEGER NOT NULL REFERENCES abonents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        phone TEXT NOT NULL,
        ptype INTEGER NOT NULL,
        PRIMARY KEY (abonent_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE emails (
        abonent_id INTEGER NOT NULL REFERENCES abonents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        email TEXT NOT NULL,
        PRIMARY KEY (abonent_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE list_abonents (
        list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
        abonent_id INTEGER NOT NULL REFERENCES abonents(id) ON DELETE CASCADE,
        PRIMARY KEY (list_id, abonent_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX list_abonents_abonent ON list_abonents(abonent_id)",
    """CREATE TABLE list_groups (
        list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        PRIMARY KEY (list_id, group_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX list_groups_group ON list_groups(group_id)",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mtype INTEGER NOT NULL,
        name TEXT NOT NULL,
        text TEXT NOT NULL,
        file TEXT NOT NULL,
        voice TEXT NOT NULL,
        create_time TEXT NOT NULL,
        edit_time TEXT NOT NULL
    )""",
    """CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ttype INTEGER NOT NULL,
        status INTEGER NOT NULL,
        name TEXT NOT NULL,
        list_id INTEGER NOT NULL REFERENCES lists(id),
        message_id INTEGER NOT NULL REFERENCES messages(id),
        priority INTEGER NOT NULL,
        channels TEXT NOT NULL,
        schedule TEXT NOT NULL,
        rkey TEXT NOT NULL,
        rpin TEXT NOT NULL,
        rsms TEXT NOT NULL,
        confirm TEXT NOT NULL,
        addinfo TEXT NOT NULL,
        create_time TEXT NOT NULL,
        edit_time TEXT NOT NULL
    )""",
    "CREATE INDEX tasks_list ON tasks(list_id)",
    "CREATE INDEX tasks_message ON tasks(message_id)",
)

_CHANNELS_AND_SETTINGS = (
    """CREATE TABLE channels (
        num INTEGER PRIMARY KEY NOT NULL CHECK (num >= 1),
        ctype INTEGER NOT NULL,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        settings TEXT NOT NULL DEFAULT '',
        edit_time TEXT NOT NULL
    )""",
    """CREATE TABLE runtime_settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL,
        edit_time TEXT NOT NULL
    ) WITHOUT ROWID""",
)

_TASK_EVENTS = (
    """CREATE TABLE task_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        time TEXT NOT NULL,
        status INTEGER NOT NULL,
        starts_run INTEGER NOT NULL
    )""",
    "CREATE INDEX task_events_by_task ON task_events (task_id, id)",
)

_TASK_PROGRESS = (
    # one row per abonent of a task's current run: a snapshot of what the run needs
    """CREATE TABLE task_targets (
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        abonent_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        priority INTEGER NOT NULL,
        addresses TEXT NOT NULL,
        state TEXT NOT NULL,
        rounds INTEGER NOT NULL DEFAULT 0,
        next_address INTEGER NOT NULL DEFAULT 0,
        next_time REAL NOT NULL DEFAULT 0,
        confirm_key TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (task_id, abonent_id)
    ) WITHOUT ROWID""",
    # every attempt, written IN_FLIGHT before the channel is asked
    """CREATE TABLE task_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        abonent_id INTEGER NOT NULL,
        round INTEGER NOT NULL,
        kind TEXT NOT NULL,
        address TEXT NOT NULL,
        channel TEXT NOT NULL,
        state TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT '',
        started TEXT NOT NULL,
        ended TEXT,
        ring REAL NOT NULL DEFAULT 0,
        talk REAL NOT NULL DEFAULT 0,
        keys TEXT NOT NULL DEFAULT '',
        confirmed INTEGER NOT NULL DEFAULT 0,
        verification TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        reference TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX task_attempts_by_target ON task_attempts (task_id, abonent_id, id)",
    "CREATE INDEX task_attempts_in_flight ON task_attempts (state) WHERE state = 'in_flight'",
    """CREATE TABLE remote_starts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        via TEXT NOT NULL,
        channel TEXT NOT NULL,
        caller TEXT NOT NULL,
        task_id INTEGER,
        accepted INTEGER NOT NULL,
        reason TEXT NOT NULL,
        key TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX remote_starts_by_task ON remote_starts (task_id, id)",
    "CREATE INDEX remote_starts_by_key ON remote_starts (key) WHERE key != ''",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _INITIAL),
    Migration(2, "channels and runtime settings (SETCONFIG)", _CHANNELS_AND_SETTINGS),
    Migration(3, "task status changes, kept per run (GETTASKINFO, GETREPORT)", _TASK_EVENTS),
    Migration(4, "the engine's durable progress: targets, attempts, remote starts", _TASK_PROGRESS),
)

CURRENT_VERSION = MIGRATIONS[-1].version
