"""Who may hold a connection: every connection counted by state and peer address.

A connection is in one of three states from accept to close: in the TLS
handshake, a session not logged in, a logged-in session. ``Admission``
counts them (in total and per peer address) and decides, reading the
limits from the live settings at each decision:

- at TCP accept (``begin_handshake``): refused, and closed at once without
  TLS, when ``max_tls_handshakes`` connections are in the handshake, or
  ``max_unauthenticated_per_address`` from this address are;
- after TLS (``Ticket.open_session``): refused with ``ERROR ERR_BUSY`` when
  ``max_sessions`` sessions are open, ``max_unauthenticated`` sessions are
  not logged in, or ``max_unauthenticated_per_address`` from this address
  are not logged in. Sessions not logged in therefore never take the whole
  of ``max_sessions``: the difference is kept for logged-in users.

A ``Ticket`` follows one connection: ``logged_in`` moves it between the
pools (LOGIN sets it, a failed LOGIN clears it), ``close`` releases it.
Single-threaded (the event loop), so no lock.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable

from nabat.system.server.settings import ServerSettings


class State(enum.Enum):
    HANDSHAKE = "handshake"
    UNAUTHENTICATED = "unauthenticated"
    AUTHENTICATED = "authenticated"
    CLOSED = "closed"


class Admission:
    def __init__(self, settings: Callable[[], ServerSettings]) -> None:
        self._settings = settings
        self.counts: Counter[State] = Counter()
        self._by_address: dict[State, Counter[str]] = {
            State.HANDSHAKE: Counter(),
            State.UNAUTHENTICATED: Counter(),
        }

    @property
    def sessions(self) -> int:
        """Sessions open (TLS done), logged in or not."""
        return self.counts[State.UNAUTHENTICATED] + self.counts[State.AUTHENTICATED]

    def from_address(self, state: State, host: str) -> int:
        return self._by_address[state][host]

    def begin_handshake(self, host: str) -> Ticket | None:
        """A ticket in the handshake state, or None: close the connection at once."""
        settings = self._settings()
        if self.counts[State.HANDSHAKE] >= settings.max_tls_handshakes:
            return None
        if self.from_address(State.HANDSHAKE, host) >= settings.max_unauthenticated_per_address:
            return None
        ticket = Ticket(self, host)
        self._enter(ticket, State.HANDSHAKE)
        return ticket

    def refusal(self, host: str) -> str | None:
        """Why a connection that finished TLS may not open a session, or None."""
        settings = self._settings()
        if self.sessions >= settings.max_sessions:
            return f"({settings.max_sessions})"
        limit = settings.max_unauthenticated_per_address
        if self.from_address(State.UNAUTHENTICATED, host) >= limit:
            return f"({limit} sessions not logged in from {host})"
        if self.counts[State.UNAUTHENTICATED] >= settings.max_unauthenticated:
            return f"({settings.max_unauthenticated} sessions not logged in)"
        return None

    def _enter(self, ticket: Ticket, state: State) -> None:
        self._leave(ticket)
        ticket.state = state
        if state is State.CLOSED:
            return
        self.counts[state] += 1
        by_address = self._by_address.get(state)
        if by_address is not None:
            by_address[ticket.host] += 1

    def _leave(self, ticket: Ticket) -> None:
        state = ticket.state
        if state is State.CLOSED:
            return
        self.counts[state] -= 1
        by_address = self._by_address.get(state)
        if by_address is not None:
            by_address[ticket.host] -= 1
            if by_address[ticket.host] <= 0:
                del by_address[ticket.host]  # the table never keeps idle addresses


class Ticket:
    """One connection's place in the counts (made by ``Admission.begin_handshake``)."""

    def __init__(self, admission: Admission, host: str) -> None:
        self.admission = admission
        self.host = host
        self.state = State.CLOSED

    def open_session(self) -> str | None:
        """TLS is done: becomes a session not logged in, or says why it may not
        (then the ticket is closed)."""
        assert self.state is State.HANDSHAKE
        self.admission._enter(self, State.CLOSED)
        reason = self.admission.refusal(self.host)
        if reason is None:
            self.admission._enter(self, State.UNAUTHENTICATED)
        return reason

    def logged_in(self, yes: bool) -> None:
        if self.state in (State.UNAUTHENTICATED, State.AUTHENTICATED):
            self.admission._enter(self, State.AUTHENTICATED if yes else State.UNAUTHENTICATED)

    def close(self) -> None:
        self.admission._enter(self, State.CLOSED)
