"""The modem's settings as the suite found them, and the commands that put them back.

The pre-flight reads each setting a case may change (``read_settings``): the
value part of ``+CMGF?``, ``+CSCS?``, ``+CNMI?``, ``+CSMP?``, ``+CREG?`` (its
<n>), ``+CLIP?`` (its <n>), ``+CVHU?`` and the <format> of ``+COPS?``, plus
``+CMEE?`` and whether the modem echoed. A setting the modem does not answer
is left out (a case never changes what it could not restore).
:meth:`ModemState.restore_command` gives the command line that puts one back;
the *working* values the cases start from are the found ones except echo off
(ATE0), verbose result codes (ATV1, ATQ0) and numeric errors (+CMEE=1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nabat.conformance.gsm_modem.client import Response, values

# setting -> how to take its restore value from the read form's parameters
_READERS: dict[str, Callable[[list[str]], str | None]] = {
    "+CMGF": lambda found: found[0] if found else None,
    "+CSCS": lambda found: found[0] if found else None,
    "+CNMI": lambda found: ",".join(found) if len(found) >= 2 else None,
    "+CSMP": lambda found: ",".join(found) if len(found) == 4 else None,
    "+CREG": lambda found: found[0] if found else None,
    "+CLIP": lambda found: found[0] if found else None,
    "+CVHU": lambda found: found[0] if found else None,
    "+COPS": lambda found: f"3,{found[1]}" if len(found) >= 2 and found[1] else None,
}
WORKING: dict[str, str] = {"E": "ATE0", "V": "ATV1", "Q": "ATQ0", "+CMEE": "AT+CMEE=1"}


@dataclass
class ModemState:
    echo: bool = True
    cmee: str | None = None
    settings: dict[str, str] = field(default_factory=dict)

    def restore_command(self, name: str) -> str | None:
        """The line that gives ``name`` back its working value (None: nothing known)."""
        if name in WORKING:
            return WORKING[name]
        value = self.settings.get(name)
        return None if value is None else f"AT{name}={value}"

    def final_commands(self) -> list[str]:
        """What the run puts back when it ends: +CMEE and the echo as found."""
        commands = [] if self.cmee is None else [f"AT+CMEE={self.cmee}"]
        return [*commands, "ATE1" if self.echo else "ATE0"]


def parse_read(name: str, response: Response) -> str | None:
    """The restore value of ``name`` from the answer to its read form."""
    line = response.first(f"{name}:")
    if not response.ok or line is None:
        return None
    return _READERS[name](values(line))


def read_settings(command: Callable[[str], Response]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _READERS:
        value = parse_read(name, command(f"AT{name}?"))
        if value is not None:
            found[name] = value
    return found
