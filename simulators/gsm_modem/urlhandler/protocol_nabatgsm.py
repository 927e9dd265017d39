"""``nabatgsm://<name>``: a pyserial ``Serial`` on an in-process simulated modem.

pyserial imports this module for the ``nabatgsm`` scheme (after
``urlhandler.register()``). The class implements pyserial's ``SerialBase``
contract on an ``inprocess.InProcessPort``: ``read`` honours ``timeout``
(None blocks, 0 polls), ``write`` hands the bytes to the modem's loop,
``in_waiting`` counts buffered output of the modem, and modem control lines
read as asserted (CTS, DSR, CD) since the simulated modem is always ready.
Baud rate, parity and flow-control settings are accepted and ignored, as on a
USB modem. A vanished port raises ``SerialException``.
"""

from __future__ import annotations

import urllib.parse

from nabat.simulators.gsm_modem import inprocess
from serial.serialutil import PortNotOpenError, SerialBase, SerialException, to_bytes


class Serial(SerialBase):  # type: ignore[misc]
    """pyserial's interface on a simulated modem in this process."""

    is_open: bool

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._sim_port: inprocess.InProcessPort | None = None
        self._sim_generation = 0
        super().__init__(*args, **kwargs)

    def open(self) -> None:
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        name = self._name_from_url(str(self._port))
        try:
            port = inprocess.lookup(name)
            self._sim_generation = port.open()
        except inprocess.PortGone as error:
            raise SerialException(str(error)) from None
        self._sim_port = port
        self.is_open = True

    @staticmethod
    def _name_from_url(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() != "nabatgsm" or not parts.netloc:
            raise SerialException(f"expected nabatgsm://<modem name>, got {url!r}")
        return parts.netloc

    def close(self) -> None:
        if self.is_open and self._sim_port is not None:
            self._sim_port.close(self._sim_generation)
        self.is_open = False
        self._sim_port = None

    def _reconfigure_port(self) -> None:
        """Line settings mean nothing to a simulated USB modem."""

    def _active(self) -> inprocess.InProcessPort:
        if not self.is_open or self._sim_port is None:
            raise PortNotOpenError()
        return self._sim_port

    @property
    def in_waiting(self) -> int:
        try:
            return self._active().waiting(self._sim_generation)
        except inprocess.PortGone as error:
            raise SerialException(str(error)) from None

    def read(self, size: int = 1) -> bytes:
        port = self._active()
        try:
            return port.receive(self._sim_generation, size, self._timeout)
        except inprocess.PortGone as error:
            raise SerialException(str(error)) from None

    def write(self, data: bytes | bytearray | memoryview) -> int:
        port = self._active()
        payload = to_bytes(data)
        try:
            port.send(self._sim_generation, payload)
        except inprocess.PortGone as error:
            raise SerialException(str(error)) from None
        return len(payload)

    def reset_input_buffer(self) -> None:
        try:
            self._active().flush_input(self._sim_generation)
        except inprocess.PortGone as error:
            raise SerialException(str(error)) from None

    def reset_output_buffer(self) -> None:
        self._active()

    @property
    def out_waiting(self) -> int:
        self._active()
        return 0

    def _update_break_state(self) -> None:
        self._active()

    def _update_rts_state(self) -> None:
        """RTS is accepted and ignored."""

    def _update_dtr_state(self) -> None:
        """DTR is accepted and ignored (the simulated modem does not hang up on DTR)."""

    @property
    def cts(self) -> bool:
        self._active()
        return True

    @property
    def dsr(self) -> bool:
        self._active()
        return True

    @property
    def ri(self) -> bool:
        self._active()
        return False

    @property
    def cd(self) -> bool:
        self._active()
        return True
