"""pyserial protocol handlers of the GSM modem simulator (``nabatgsm://<name>``).

``register()`` adds this package to ``serial.protocol_handler_packages`` so
that ``serial.serial_for_url("nabatgsm://modem0")`` opens the in-process
modem of that name (see ``protocol_nabatgsm``).
"""

from __future__ import annotations

PACKAGE = "nabat.simulators.gsm_modem.urlhandler"


def register() -> None:
    import serial

    if PACKAGE not in serial.protocol_handler_packages:
        serial.protocol_handler_packages.append(PACKAGE)
