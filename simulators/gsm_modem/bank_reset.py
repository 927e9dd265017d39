"""Putting a running modem bank back in its start-up state (the control API's reset).

How it works: ``StartState.of(bank)`` is taken before the bank starts: each
modem's SIM card, the world, the clock's speed and whether it was frozen.
``reset_bank(bank, start)`` then, with the ports left open (a DTE holding a
device keeps it; an unplugged port comes back):

1. ends every fault (a removed SIM goes back in) and cancels what the
   scheduler holds (fault ends, replies, calls, the timeline);
2. resets the clock (real time again, offset 0) at the start-up speed,
   frozen again if it was, and the start-up timing;
3. gives the world runtime its start-up world, attempt counters at 0, its
   timeline and decisions journal empty;
4. gives each modem a fresh SIM from its start-up card (PIN lock, attempts),
   a fresh network (home, default signal), empty SMS memories, factory
   settings (also the AT&W profile), message references at 0, its byte
   journal emptied (sequence numbers go on, so pollers never go back), and
   switches it on as at start (booted and registered, or booting);
5. schedules the timeline again.
"""

from __future__ import annotations

from dataclasses import dataclass

from nabat.simulators.gsm_modem.bank import ModemBank
from nabat.simulators.gsm_modem.control_faults import clear_faults
from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.identity import SimCard
from nabat.simulators.gsm_modem.network import Network
from nabat.simulators.gsm_modem.settings import Settings
from nabat.simulators.gsm_modem.sim import Sim
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.world import World


@dataclass(frozen=True)
class StartState:
    cards: tuple[SimCard, ...]
    world: World
    speed: float
    frozen: bool
    timing: Timing

    @classmethod
    def of(cls, bank: ModemBank) -> StartState:
        return cls(
            tuple(modem.sim.card for modem in bank.modems),
            bank.runtime.world,
            bank.clock.speed,
            bank.clock.frozen,
            bank.timing,
        )


def _reset_modem(modem: Modem, card: SimCard, timing: Timing, boot: bool) -> None:
    for task in list(modem.tasks):
        task.cancel()
    modem.sim = Sim(card)
    modem.network = Network(modem.network.operator)
    for memory in modem.storage.memories.values():
        memory.messages.clear()
    modem.saved = Settings()
    modem.timing = timing
    modem.message_reference = 0
    modem.sms_concat_reference = 0
    modem.sms_groups.clear()
    modem.sms_waiting.clear()
    modem.last_dialled = ""
    modem.journal.clear()
    modem.power_on(boot=boot)


def reset_bank(bank: ModemBank, start: StartState) -> None:
    for modem in bank.modems:
        clear_faults(modem)
    bank.scheduler.clear()
    clock = bank.clock
    clock.reset()
    clock.set_speed(start.speed)
    if start.frozen:
        clock.freeze(True)
    bank.timing = start.timing
    bank.runtime.set_world(start.world)
    bank.runtime.reset()
    for modem, card in zip(bank.modems, start.cards, strict=True):
        _reset_modem(modem, card, start.timing, bank.boot)
    bank.refresh_timeline()
