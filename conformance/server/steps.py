"""Setup steps shared by the server cases: create a group, list, abonent,
message, task or user with a run-prefixed name and register its deletion
with the janitor. A step that fails raises :class:`SetupFailed` (the case
ends in error); a step that needs a project command the server lacks makes
the case unsupported.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from nabat.conformance.server.binding import ServerEnv, SetupFailed
from nabat.conformance.server.checks import gate
from nabat.conformance.server.client import Connection, Reply

EMAIL_TASK, SMS_TASK, CALL_TASK = "3", "2", "0"
EMAIL_MESSAGE, SMS_MESSAGE, TTS_MESSAGE = "3", "2", "1"


def _created(reply: Reply, what: str) -> str:
    if not reply.ok or not reply.args:
        raise SetupFailed(f"could not create {what}: {reply.describe()}")
    return reply.args[0]


def group(env: ServerEnv, description: str = "", conn: Connection | None = None) -> str:
    reply = (conn or env.admin).request("ADDGROUP", env.name("group"), description)
    gid = _created(reply, "a group")
    env.janitor.later("DELGROUP", gid)
    return gid


def dlist(env: ServerEnv, description: str = "") -> str:
    reply = env.admin.request("ADDLIST", env.name("list"), description)
    lid = _created(reply, "a distribution list")
    env.janitor.later("DELLIST", lid)
    return lid


def abonent_lines(gid: str, name: str, phones: Sequence[tuple[str, str, str]] = (),
                  emails: Sequence[str] = (), header: Sequence[str] = ("BEGIN",),
                  organization: str = "",
                  excluded: tuple[str, str] = ("", "")) -> list[list[str]]:
    data = ["DATA", gid, "0", name, "1", *excluded, "", "", organization, "", "", "", ""]
    lines: list[list[str]] = [list(header), data]
    lines += [["PHONE", *phone] for phone in phones]
    lines += [["EMAIL", email] for email in emails]
    lines.append(["END"])
    return lines


def abonent(env: ServerEnv, gid: str, phones: Sequence[tuple[str, str, str]] = (),
            emails: Sequence[str] = ()) -> tuple[str, Reply]:
    reply = env.admin.request_multiline("ADDABONENT", abonent_lines(gid, env.name("abonent"),
                                                                phones, emails))
    aid = _created(reply, "an abonent")
    env.janitor.later("DELABONENTS", aid)
    return aid, reply


def message(env: ServerEnv, mtype: str = EMAIL_MESSAGE) -> str:
    reply = env.admin.request("ADDMESSAGE", mtype, env.name("message"), "conformance test",
                              "", "")
    gate(env.ctx, reply, "ADDMESSAGE")
    mid = _created(reply, "a message")
    env.janitor.later("DELMESSAGE", mid)
    return mid


def task_params(name: str, lid: str, mid: str, ttype: str = EMAIL_TASK, status: str = "0",
                priority: str = "1") -> list[str]:
    return [ttype, status, name, lid, mid, priority, "", "", "", "", "", "", ""]


def task(env: ServerEnv, lid: str, mid: str, ttype: str = EMAIL_TASK) -> tuple[str, str]:
    name = env.name("task")
    reply = env.admin.request("ADDTASK", *task_params(name, lid, mid, ttype))
    tid = _created(reply, "a task")
    env.janitor.later("DELTASK", tid)
    return tid, name


HARMLESS_EMAIL = "nobody@nabat-conformance.invalid"  # RFC 2606: can never be delivered


def held_abonent(env: ServerEnv, lid: str) -> str:
    """An abonent in list ``lid`` that no task may notify: excluded from notification
    from yesterday for a year (``experiodbegin``/``experiodend``), and with only an
    e-mail address at a reserved ``.invalid`` domain, so that even a server that ignored
    the exclusion could reach nobody. A task on such a list stays running (its one
    abonent waits for the end of the exclusion) without notifying anyone."""
    now = datetime.now().replace(microsecond=0)
    period = ((now - timedelta(days=1)).isoformat(), (now + timedelta(days=365)).isoformat())
    gid = group(env, "conformance: excluded abonent")
    lines = abonent_lines(gid, env.name("abonent"), (), (HARMLESS_EMAIL,), excluded=period)
    reply = env.admin.request_multiline("ADDABONENT", lines)
    aid = _created(reply, "an excluded abonent")
    env.janitor.later("DELABONENTS", aid)
    gate(env.ctx, env.admin.request("LISTADDABONENTS", lid, aid), "LISTADDABONENTS")
    return aid


def task_with_list(env: ServerEnv, ttype: str = EMAIL_TASK, mtype: str = EMAIL_MESSAGE,
                   held: bool = True) -> tuple[str, str, str, str]:
    """A task whose start notifies nobody: id, name, lid, mid. Its list holds one
    ``held_abonent`` (the task keeps running) or, with ``held`` False, nobody (a
    server may finish it at once)."""
    mid = message(env, mtype)
    lid = dlist(env)
    if held:
        held_abonent(env, lid)
    tid, name = task(env, lid, mid, ttype)
    return tid, name, lid, mid


def user(env: ServerEnv, rights: str) -> tuple[str, str]:
    login = env.name("user")
    password = "Pw-" + secrets.token_urlsafe(12)
    reply = env.admin.request("USERADD", login, password, rights, "Conformance", "temporary")
    gate(env.ctx, reply, "USERADD")
    if not reply.ok:
        raise SetupFailed(f"could not create a user: {reply.describe()}")
    env.janitor.later("USERDEL", login)
    return login, password


