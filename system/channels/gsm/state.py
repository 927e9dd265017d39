"""The life of one modem connection as a state machine (Enum + transition table).

How it works: ``ModemState`` is where the supervisor is with the modem;
``ModemEvent`` is what happened. ``TRANSITIONS`` lists every legal move and
``ModemMachine.fire`` raises ``IllegalTransition`` for anything else, so the
driver's view of a modem never drifts. The usual path::

    STOPPED -start-> CONNECTING -opened-> INITIALISING -ready-> READY
    READY -network_lost-> NO_NETWORK -ready-> READY
    any running state -link_lost-> RECOVERING -retry-> CONNECTING
    NO_SIM / PIN_REQUIRED / FAILED -recheck-> INITIALISING (the SIM is checked again)
    any state -stop-> STOPPED

``activity`` maps a state onto the channel-level ``Activity`` (what
GETCHANNELS shows); READY is refined by the driver into idle, dialing, in
call, ringing or sending.
"""

from __future__ import annotations

import enum

from nabat.system.channels.base import Activity


class ModemState(enum.Enum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    INITIALISING = "initialising"
    READY = "ready"
    NO_NETWORK = "no network"
    NO_SIM = "no SIM"
    PIN_REQUIRED = "PIN required"
    FAILED = "failed"
    RECOVERING = "recovering"


class ModemEvent(enum.Enum):
    START = "start"
    OPENED = "opened"
    OPEN_FAILED = "open failed"
    READY = "ready"  # SIM ready and registered
    NETWORK_LOST = "network lost"  # SIM ready, not registered
    SIM_MISSING = "SIM missing"
    PIN_NEEDED = "PIN needed"  # and none configured, or it was refused
    SIM_LOCKED = "SIM locked"  # PUK, or a fault an operator must fix
    RECHECK = "recheck"
    LINK_LOST = "link lost"
    RETRY = "retry"
    STOP = "stop"


S, E = ModemState, ModemEvent
_RUNNING = (S.INITIALISING, S.READY, S.NO_NETWORK, S.NO_SIM, S.PIN_REQUIRED, S.FAILED)
_SIM_OUTCOMES = {
    E.READY: S.READY,
    E.NETWORK_LOST: S.NO_NETWORK,
    E.SIM_MISSING: S.NO_SIM,
    E.PIN_NEEDED: S.PIN_REQUIRED,
    E.SIM_LOCKED: S.FAILED,
}

TRANSITIONS: dict[tuple[ModemState, ModemEvent], ModemState] = {
    (S.STOPPED, E.START): S.CONNECTING,
    (S.CONNECTING, E.OPENED): S.INITIALISING,
    (S.CONNECTING, E.OPEN_FAILED): S.RECOVERING,
    (S.RECOVERING, E.RETRY): S.CONNECTING,
    **{(state, E.LINK_LOST): S.RECOVERING for state in _RUNNING},
    **{(S.INITIALISING, event): target for event, target in _SIM_OUTCOMES.items()},
    **{(S.READY, event): target for event, target in _SIM_OUTCOMES.items()},
    **{(S.NO_NETWORK, event): target for event, target in _SIM_OUTCOMES.items()},
    **{
        (state, E.RECHECK): S.INITIALISING
        for state in (S.NO_SIM, S.PIN_REQUIRED, S.FAILED, S.READY, S.NO_NETWORK)
    },
    **{(state, E.STOP): S.STOPPED for state in ModemState},
}

ACTIVITY = {
    S.STOPPED: Activity.STOPPED,
    S.CONNECTING: Activity.STARTING,
    S.INITIALISING: Activity.STARTING,
    S.READY: Activity.IDLE,
    S.NO_NETWORK: Activity.NO_NETWORK,
    S.NO_SIM: Activity.NO_SIM,
    S.PIN_REQUIRED: Activity.PIN_REQUIRED,
    S.FAILED: Activity.FAILED,
    S.RECOVERING: Activity.RECOVERING,
}


class IllegalTransition(RuntimeError):
    def __init__(self, state: ModemState, event: ModemEvent) -> None:
        super().__init__(f"{event.value!r} is not possible while {state.value}")
        self.state = state
        self.event = event


class ModemMachine:
    def __init__(self) -> None:
        self.state = ModemState.STOPPED

    def can(self, event: ModemEvent) -> bool:
        return (self.state, event) in TRANSITIONS

    def fire(self, event: ModemEvent) -> ModemState:
        target = TRANSITIONS.get((self.state, event))
        if target is None:
            raise IllegalTransition(self.state, event)
        self.state = target
        return target

    @property
    def activity(self) -> Activity:
        return ACTIVITY[self.state]
