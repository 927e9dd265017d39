"""Cleanup: everything a case creates is deleted when the case ends, and a
final sweep deletes whatever still carries the run prefix.

Cases register the deletion with ``janitor.later(word, id)`` (or
``janitor.created(reply, word)``) as soon as a create succeeds;
:meth:`Janitor.clean` replays them newest first on the case's administrator
session when it is still in step, else on a fresh one (a task is stopped
before it is deleted) and notes any
refusal in the case's evidence. :func:`sweep` lists tasks, lists, abonents,
groups, messages and users and deletes only those whose name starts with the
run prefix: the suite never touches anything it did not create. Uploaded
files cannot be deleted through the protocol and are left (named with the
prefix).
"""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server.admin_login import AdminLogin
from nabat.conformance.server.client import Connection, Reply

STOP_FIRST = "DELTASK"


class Janitor:
    def __init__(self, admin_login: AdminLogin, ctx: CaseContext) -> None:
        self.admin_login = admin_login
        self.ctx = ctx
        self.pending: list[tuple[str, tuple[str, ...]]] = []

    def later(self, word: str, *params: str) -> None:
        self.pending.append((word, params))

    def created(self, reply: Reply, word: str) -> None:
        """Register ``word <id>`` when ``reply`` is an OK carrying an id (before any check
        of the reply, so a failing check cannot leak what was created)."""
        if reply.ok and reply.args and reply.args[0].isdigit():
            self.later(word, reply.args[0])

    def forget(self, word: str, *params: str) -> None:
        """The case deleted it itself."""
        if (word, params) in self.pending:
            self.pending.remove((word, params))

    def clean(self, session: Connection | None = None) -> None:
        """Run the pending deletions on ``session`` (else on a new administrator one)."""
        if not self.pending:
            return
        try:
            connection = session or self.admin_login.session("cleanup", self.ctx.record)
        except Exception as exc:  # the server is gone: the final sweep will retry
            self.ctx.note(f"cleanup could not log in: {exc}")
            return
        try:
            for word, params in reversed(self.pending):
                if word == STOP_FIRST:
                    connection.request("STOPTASK", *params)
                reply = connection.request(word, *params)
                if not reply.ok:
                    self.ctx.note(f"cleanup {word} {' '.join(params)}: {reply.describe()}")
            self.pending.clear()
        finally:
            if connection is not session:
                connection.close()


def _mine(rows: list[tuple[str, ...]], name_index: int, prefix: str) -> list[str]:
    return [row[0] for row in rows if len(row) > name_index
            and row[name_index].startswith(prefix)]


def sweep(admin_login: AdminLogin, prefix: str) -> dict[str, int]:
    """Delete what carries ``prefix``; returns how many of each kind were found
    (``{"error": 1}`` when no administrator session could be had: the server is
    gone, or a refused login stopped the suite logging in)."""
    found: dict[str, int] = {}
    try:
        connection = admin_login.session("sweep", None)
    except Exception:
        return {"error": 1}
    try:
        tasks = _mine(connection.request("GETTASKS").rows, 1, prefix)
        for task_id in tasks:
            connection.request("STOPTASK", task_id)
            connection.request("DELTASK", task_id)
        lists = _mine(connection.request("GETLISTS").rows, 1, prefix)
        for list_id in lists:
            connection.request("DELLIST", list_id)
        abonents = [a.fields[0] for a in connection.request("GETABONENTS").abonents()
                    if len(a.fields) > 3 and a.fields[3].startswith(prefix)]
        if abonents:
            connection.request("DELABONENTS", ",".join(abonents))
        groups = _mine(connection.request("GETGROUPS").rows, 1, prefix)
        for group_id in groups:
            connection.request("DELGROUP", group_id)
        messages = _mine(connection.request("MESSAGES").rows, 2, prefix)
        for message_id in messages:
            connection.request("DELMESSAGE", message_id)
        users = [row[0] for row in connection.request("USERS").rows
                 if row and row[0].startswith(prefix)]
        for login in users:
            connection.request("USERDEL", login)
        found = {"tasks": len(tasks), "lists": len(lists), "abonents": len(abonents),
                 "groups": len(groups), "messages": len(messages), "users": len(users)}
    finally:
        connection.close()
    return found
