"""The DTE-settable parameters of a modem, with their power-on (factory) values.

One mutable dataclass; ATZ restores the profile saved with AT&W, AT&F the
factory values, a power cycle the saved profile. Values are what the
commands' read forms print (e.g. ``cnmi`` is the five +CNMI numbers).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass(slots=True)
class Settings:
    echo: bool = True  # ATE
    verbose: bool = True  # ATV
    quiet: bool = False  # ATQ
    cmee: int = 0  # +CMEE
    cmgf: int = 0  # +CMGF: 0 PDU, 1 text
    cscs: str = "GSM"  # +CSCS
    csmp: tuple[int, int, int, int] = (17, 167, 0, 0)  # +CSMP fo, vp, pid, dcs
    cnmi: tuple[int, int, int, int, int] = (1, 0, 0, 0, 0)  # mode, mt, bm, ds, bfr
    creg: int = 0  # +CREG n
    cops_format: int = 0  # +COPS=3,<format>
    clip: int = 0  # +CLIP
    crc: int = 0  # +CRC
    colp: int = 0  # +COLP
    cvhu: int = 0  # +CVHU
    clcc_urc: int = 0  # SIMCom AT+CLCC=1
    ddet: int = 0  # SIMCom AT+DDET
    qtonedet: int = 0  # Quectel AT+QTONEDET
    ddsetex: int = 1  # Huawei AT^DDSETEX (1 at power-on: voice off the serial port; 2: ^DDTMF on)
    csms: int = 0  # +CSMS service
    s_registers: dict[int, int] = field(
        default_factory=lambda: {0: 0, 3: 13, 4: 10, 5: 8, 6: 2, 7: 60, 8: 2, 10: 15}
    )

    def copy(self) -> Settings:
        clone = dataclasses.replace(self)
        clone.s_registers = dict(self.s_registers)
        return clone
