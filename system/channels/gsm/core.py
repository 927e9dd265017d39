"""What the voice, SMS and initialisation parts need from the modem that owns them.

How it works: ``GsmModem`` (modem.py) supervises the connection and
implements this Protocol; ``voice.py``, ``sms_out.py``, ``sms_in.py`` and
``initialise.py`` see only this, so each stays small and testable, and none
imports the supervisor. ``link_failed`` is how a part reports that the link
broke under it (a command timed out, the port vanished): the supervisor then
reconnects. ``changed`` says that something the channel status depends on
(a call's phase, an SMS in progress) changed, so the modem publishes its
new status.
"""

from __future__ import annotations

from typing import Protocol

from nabat.system.channels.clock import Clock
from nabat.system.channels.events import EventHub
from nabat.system.channels.gsm.commander import AtCommander
from nabat.system.channels.gsm.dialects import Dialect
from nabat.system.channels.gsm.errors import LinkError
from nabat.system.channels.gsm.settings import GsmModemSettings


class ModemCore(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def settings(self) -> GsmModemSettings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def commander(self) -> AtCommander: ...

    @property
    def dialect(self) -> Dialect: ...

    @property
    def hub(self) -> EventHub: ...

    def ensure_ready(self) -> None:
        """Raise ``ModemNotReady`` unless the modem can take work now."""
        ...

    def changed(self) -> None: ...

    def link_failed(self, error: LinkError) -> None: ...
