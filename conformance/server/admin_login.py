"""The administrator's login, guarded so a refusal is never repeated.

Every administrator session of a run (cases, cleanup, the final sweep) logs in
through one :class:`AdminLogin`. The pre-flight has already verified the
credentials; if a LOGIN is refused anyway, the gate remembers it and every
later attempt raises :class:`LoginStopped` without sending anything, so the
suite cannot trip the target's brute-force lockout (the runner then marks the
remaining cases as not tested).
"""

from __future__ import annotations

from collections.abc import Callable

from nabat.conformance.framework.setup import LoginStopped
from nabat.conformance.server.client import Connection, Reply, Target
from nabat.conformance.server.options import ServerSettings


def refusal_line(login: str, where: str, reply: Reply) -> str:
    """One line for a refused administrator LOGIN."""
    if reply.code == "ERR_BADLOGIN":
        cause = "wrong --login or --password"
    elif not reply.lines:
        cause = "no answer to LOGIN"
    else:
        cause = "the server refused the login"
    return (f"LOGIN as {login!r} refused by {where} ({reply.describe()}): {cause}; "
            "the suite will not retry, to avoid locking the account")


class AdminLogin:
    def __init__(self, target: Target, settings: ServerSettings) -> None:
        self.target = target
        self.settings = settings
        self.refused: str | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def login(self, connection: Connection) -> None:
        """LOGIN as the administrator on ``connection``; raise :class:`LoginStopped`
        (and remember it) when refused, or when a refusal happened before."""
        if self.refused is not None:
            raise LoginStopped(self.refused)
        reply = connection.login(self.settings.login, self.settings.password)
        if not reply.ok:
            self.refused = refusal_line(self.settings.login, self.where, reply)
            raise LoginStopped(self.refused)

    def session(self, label: str, recorder: Callable[..., None] | None) -> Connection:
        """A new connection logged in as the administrator."""
        if self.refused is not None:
            raise LoginStopped(self.refused)
        connection = self.target.connect(label, recorder)
        try:
            self.login(connection)
        except BaseException:
            connection.close()
            raise
        return connection
