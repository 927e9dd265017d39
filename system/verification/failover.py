"""Which server a verification goes to: the primary's health as a state machine.

The primary is HEALTHY, UNREACHABLE (connection failure or timeout), FAILED
(a 5xx: "the server is down", spec intro 6) or REDIRECTED (307: "temporarily
unavailable, return when /ping answers 200"). Events come from answers to
verifications and from background /ping probes. The transition table below
is the whole policy; an event not in it raises instead of drifting.

While the primary is not HEALTHY, verifications go straight to the reserve
(the circuit is open, so a dead primary costs no timeout per call) and a
background task pings the primary every ``ping_interval``. One 200 ends a
redirect (spec: return as soon as the 307 is lifted); after a failure,
``healthy_pings_required`` consecutive 200s are needed, and with
``failback="manual"`` only ``return_to_primary()`` ends a 5xx period, as the
spec advises ("return only in agreement with support").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class PrimaryState(enum.Enum):
    HEALTHY = "healthy"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    REDIRECTED = "redirected"


class Event(enum.Enum):
    ANSWERED = "answered"  # any non-5xx, non-307 HTTP answer
    CONNECT_ERROR = "connect_error"  # refused, reset, timeout, garbage
    SERVER_ERROR = "server_error"  # 5xx
    REDIRECT = "redirect"  # 307
    PING_OK = "ping_ok"  # background /ping answered 200
    MANUAL_RETURN = "manual_return"  # an operator says the primary is back


class IllegalTransition(RuntimeError):
    pass


S, E = PrimaryState, Event
# (state, event) -> next state; PING_OK's target is guarded by the ping count.
TRANSITIONS: dict[tuple[PrimaryState, Event], PrimaryState] = {
    (S.HEALTHY, E.ANSWERED): S.HEALTHY,
    (S.HEALTHY, E.CONNECT_ERROR): S.UNREACHABLE,
    (S.HEALTHY, E.SERVER_ERROR): S.FAILED,
    (S.HEALTHY, E.REDIRECT): S.REDIRECTED,
    (S.HEALTHY, E.PING_OK): S.HEALTHY,
    (S.HEALTHY, E.MANUAL_RETURN): S.HEALTHY,
    # An answer while unhealthy comes from a last-resort attempt: the primary is back.
    (S.UNREACHABLE, E.ANSWERED): S.HEALTHY,
    (S.UNREACHABLE, E.CONNECT_ERROR): S.UNREACHABLE,
    (S.UNREACHABLE, E.SERVER_ERROR): S.FAILED,
    (S.UNREACHABLE, E.REDIRECT): S.REDIRECTED,
    (S.UNREACHABLE, E.PING_OK): S.HEALTHY,
    (S.UNREACHABLE, E.MANUAL_RETURN): S.HEALTHY,
    (S.FAILED, E.ANSWERED): S.HEALTHY,
    (S.FAILED, E.CONNECT_ERROR): S.UNREACHABLE,
    (S.FAILED, E.SERVER_ERROR): S.FAILED,
    (S.FAILED, E.REDIRECT): S.REDIRECTED,
    (S.FAILED, E.PING_OK): S.HEALTHY,
    (S.FAILED, E.MANUAL_RETURN): S.HEALTHY,
    (S.REDIRECTED, E.ANSWERED): S.HEALTHY,
    (S.REDIRECTED, E.CONNECT_ERROR): S.UNREACHABLE,
    (S.REDIRECTED, E.SERVER_ERROR): S.FAILED,
    (S.REDIRECTED, E.REDIRECT): S.REDIRECTED,
    (S.REDIRECTED, E.PING_OK): S.HEALTHY,
    (S.REDIRECTED, E.MANUAL_RETURN): S.HEALTHY,
}


@dataclass(slots=True)
class PrimaryHealth:
    healthy_pings_required: int = 2
    manual_failback: bool = False
    state: PrimaryState = PrimaryState.HEALTHY
    consecutive_pings: int = 0
    switches: int = 0  # times traffic left the primary
    returns: int = 0  # times it came back

    @property
    def healthy(self) -> bool:
        return self.state is PrimaryState.HEALTHY

    def on(self, event: Event) -> PrimaryState:
        previous = self.state
        try:
            target = TRANSITIONS[(previous, event)]
        except KeyError:
            raise IllegalTransition(f"{event.value} in state {previous.value}") from None
        manual_hold = previous is PrimaryState.FAILED and self.manual_failback
        if event is Event.ANSWERED and manual_hold:
            target = previous
        elif event is Event.PING_OK and previous is not PrimaryState.HEALTHY:
            self.consecutive_pings += 1
            if manual_hold or (
                previous is not PrimaryState.REDIRECTED
                and self.consecutive_pings < self.healthy_pings_required
            ):
                target = previous
        elif event is not Event.PING_OK:
            self.consecutive_pings = 0
        if previous is PrimaryState.HEALTHY and target is not PrimaryState.HEALTHY:
            self.switches += 1
        elif previous is not PrimaryState.HEALTHY and target is PrimaryState.HEALTHY:
            self.returns += 1
            self.consecutive_pings = 0
        self.state = target
        return target

    def ping_failed(self) -> None:
        """A probe that did not answer 200 breaks the run of healthy pings."""
        self.consecutive_pings = 0
