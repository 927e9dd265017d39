"""The GSM modem simulator (issue 11 §1): modems on pseudo-terminals and in-process ports.

Public API::

    from nabat.simulators.gsm_modem import ModemBank, BankThread, Modem, Timing, PROFILES

    bank = ModemBank(2, profile="simcom", link_dir=Path("modems"))
    paths = await bank.start()            # /dev/pts/N for each modem
    bank.modem(0).remove_sim()            # fault hooks are methods of Modem (faults.py)
    bank.modem(0).journal.entries()       # every byte and decision
    await bank.stop()

    with BankThread(ModemBank(1)) as running:   # from synchronous code
        serial.Serial(running.paths[0])

The engine (engine.py) is independent of the transport (pty_port.py,
inprocess.py + urlhandler/ for ``nabatgsm://<name>``). See
docs/gsm-modem-simulator.md.
"""

from nabat.simulators.gsm_modem.bank import ModemBank
from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.identity import DeviceIdentity, Operator, SimCard
from nabat.simulators.gsm_modem.profiles import PROFILES, Profile, profile_named
from nabat.simulators.gsm_modem.threaded import BankThread
from nabat.simulators.gsm_modem.timing import Timing

__all__ = [
    "PROFILES",
    "BankThread",
    "DeviceIdentity",
    "Modem",
    "ModemBank",
    "Operator",
    "Profile",
    "SimCard",
    "Timing",
    "profile_named",
]
