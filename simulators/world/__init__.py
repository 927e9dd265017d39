"""The simulated world: the subscribers every simulator consults (docs/world.md).

How to use it in a simulator::

    from nabat.simulators.control.clock import SimClock
    from nabat.simulators.world import WorldRuntime, load_world, default_world

    world = load_world("world.toml") if path else default_world()
    runtime = WorldRuntime(world, clock)              # the simulator's SimClock

    decision = runtime.voice("79000000001", confirm_key="1")   # attempt 1, 2, ...
    decision.outcome, decision.ring, decision.keys, decision.listen
    runtime.sms("+79000000001").outcome               # delivered / undelivered / expired
    runtime.email("a@example.org").outcome            # accepted / rejected / bounced

    for event in runtime.due("gsm"):                  # scripted traffic due by now
        ...                                           # event.target.port, event.keys, ...

    runtime.world.plan.timezone("79100000001")        # the subscriber's time zone

Decisions are pure functions of (seed, address, attempt, rules):
``world.decide_voice(address, attempt, confirm_key)`` gives the same answer in
every process. ``AntiFraudLink`` (antifraud.py) checks and registers calls
with an ATS hub on behalf of the world's operators. Control APIs use
``parse_override`` / ``parse_event`` on JSON and ``runtime.rules_json()``,
``runtime.journal_json()``, ``runtime.state_json()``.
"""

from nabat.simulators.world.addresses import AddressError, normalise_address
from nabat.simulators.world.antifraud import AntiFraudLink
from nabat.simulators.world.decisions import (
    EmailDecision,
    KeyPress,
    SmsDecision,
    VoiceDecision,
)
from nabat.simulators.world.distributions import Delay, RuleValueError, Weights
from nabat.simulators.world.events import EventKind, ScriptedEvent, Target, call, sms
from nabat.simulators.world.journal import DecisionJournal, JournalEntry
from nabat.simulators.world.loader import (
    WorldError,
    default_world,
    load_world,
    loads_world,
    parse_event,
    parse_override,
    world_from_mapping,
)
from nabat.simulators.world.numbering import Region, WorldPlan
from nabat.simulators.world.rules import (
    Dtmf,
    EmailOutcome,
    EmailRules,
    Kind,
    Match,
    Override,
    SmsOutcome,
    SmsRules,
    VoiceOutcome,
    VoiceRules,
)
from nabat.simulators.world.runtime import WorldRuntime
from nabat.simulators.world.world import World

__all__ = [
    "AddressError",
    "AntiFraudLink",
    "DecisionJournal",
    "Delay",
    "Dtmf",
    "EmailDecision",
    "EmailOutcome",
    "EmailRules",
    "EventKind",
    "JournalEntry",
    "KeyPress",
    "Kind",
    "Match",
    "Override",
    "Region",
    "RuleValueError",
    "ScriptedEvent",
    "SmsDecision",
    "SmsOutcome",
    "SmsRules",
    "Target",
    "VoiceDecision",
    "VoiceOutcome",
    "VoiceRules",
    "Weights",
    "World",
    "WorldError",
    "WorldPlan",
    "WorldRuntime",
    "call",
    "default_world",
    "load_world",
    "loads_world",
    "normalise_address",
    "parse_event",
    "parse_override",
    "sms",
    "world_from_mapping",
]
