"""The GSM driver's exception tree (architecture principle 6), rooted in ``ChannelError``.

How it works: pyserial and OS errors are translated at the link into
``LinkError`` subclasses; a command that ends in ``ERROR`` (or Huawei's
``COMMAND NOT SUPPORT``) is ``CommandRejected``; a ``+CME ERROR`` or
``+CMS ERROR`` becomes a named subclass of ``ModemReportedError`` through
``NAMED``, a table keyed by the error names of ``nabat.system.wire.at_errors``
(whether the modem printed the number or the text, the wire table resolves
it). Codes without a named class become ``OtherCmeError`` / ``OtherCmsError``;
every instance keeps the ``ModemError`` (family, code, name, text).

    ChannelError
    └── GsmError
        ├── LinkError: PortUnavailable, PortLost, ModemTimeout, SubmissionUncertain,
        │              ModemRestarted
        ├── ModemNotReady (also ChannelUnavailable: nothing was attempted)
        └── CommandRejected
            └── ModemReportedError
                ├── SimNotInserted, SimPinRequired, SimPukRequired, SimFailure, SimBusy,
                │   IncorrectPassword, NoNetworkService, NetworkTimeout,
                │   OperationNotAllowed, OperationNotSupported, InvalidIndex,
                │   MemoryFull, InvalidPdu, SmscAddressUnknown, MessageRejected
                └── OtherCmeError, OtherCmsError
"""

from __future__ import annotations

from nabat.system.channels.base import ChannelError, ChannelUnavailable
from nabat.system.wire.at import ErrorFamily, ModemError


class GsmError(ChannelError):
    """Root of the GSM driver's errors."""


class LinkError(GsmError):
    """The serial link to the modem failed: the driver reopens it."""


class PortUnavailable(LinkError):
    """The port could not be opened (absent device, busy, bad URL)."""


class PortLost(LinkError):
    """The port disappeared (unplugged USB modem, I/O error)."""


class ModemTimeout(LinkError):
    """No final result code within the command's timeout: the modem stopped answering."""


class SubmissionUncertain(LinkError):
    """The link failed after an SMS body was written: the network may have taken it."""


class ModemRestarted(LinkError):
    """The modem announced a restart (RDY): its settings are gone, initialise again."""


class ModemNotReady(GsmError, ChannelUnavailable):
    """The modem cannot take work now (starting, no SIM, no network, in a call)."""


class CommandRejected(GsmError):
    """A command ended in ERROR (or another final result code than the one expected)."""

    def __init__(self, command: str, line: str) -> None:
        super().__init__(f"{command}: {line}")
        self.command = command
        self.line = line


class ModemReportedError(CommandRejected):
    """+CME ERROR / +CMS ERROR, with the wire table's ``ModemError``."""

    def __init__(self, command: str, line: str, error: ModemError) -> None:
        super().__init__(command, line)
        self.error = error

    @property
    def code(self) -> int:
        return self.error.code


class SimNotInserted(ModemReportedError): ...


class SimPinRequired(ModemReportedError): ...


class SimPukRequired(ModemReportedError): ...


class SimFailure(ModemReportedError): ...


class SimBusy(ModemReportedError): ...


class IncorrectPassword(ModemReportedError): ...


class NoNetworkService(ModemReportedError): ...


class NetworkTimeout(ModemReportedError): ...


class OperationNotAllowed(ModemReportedError): ...


class OperationNotSupported(ModemReportedError): ...


class InvalidIndex(ModemReportedError): ...


class MemoryFull(ModemReportedError): ...


class InvalidPdu(ModemReportedError): ...


class SmscAddressUnknown(ModemReportedError): ...


class MessageRejected(ModemReportedError):
    """The network refused a submission (+CMS ERROR 0-255: RP causes and TP-FCS values)."""


class OtherCmeError(ModemReportedError): ...


class OtherCmsError(ModemReportedError): ...


_C, _S = ErrorFamily.CME, ErrorFamily.CMS
NAMED: dict[tuple[ErrorFamily, str], type[ModemReportedError]] = {
    (_C, "SIM_NOT_INSERTED"): SimNotInserted,
    (_S, "SIM_NOT_INSERTED"): SimNotInserted,
    (_C, "SIM_PIN_REQUIRED"): SimPinRequired,
    (_S, "SIM_PIN_REQUIRED"): SimPinRequired,
    (_C, "PH_SIM_PIN_REQUIRED"): SimPinRequired,
    (_S, "PH_SIM_PIN_REQUIRED"): SimPinRequired,
    (_C, "SIM_PUK_REQUIRED"): SimPukRequired,
    (_S, "SIM_PUK_REQUIRED"): SimPukRequired,
    (_C, "SIM_FAILURE"): SimFailure,
    (_S, "SIM_FAILURE"): SimFailure,
    (_C, "SIM_WRONG"): SimFailure,
    (_S, "SIM_WRONG"): SimFailure,
    (_C, "SIM_BUSY"): SimBusy,
    (_S, "SIM_BUSY"): SimBusy,
    (_C, "INCORRECT_PASSWORD"): IncorrectPassword,
    (_C, "NO_NETWORK_SERVICE"): NoNetworkService,
    (_S, "NO_NETWORK_SERVICE"): NoNetworkService,
    (_C, "NETWORK_NOT_ALLOWED"): NoNetworkService,
    (_C, "NETWORK_TIMEOUT"): NetworkTimeout,
    (_S, "NETWORK_TIMEOUT"): NetworkTimeout,
    (_C, "OPERATION_NOT_ALLOWED"): OperationNotAllowed,
    (_S, "OPERATION_NOT_ALLOWED"): OperationNotAllowed,
    (_C, "OPERATION_NOT_SUPPORTED"): OperationNotSupported,
    (_S, "OPERATION_NOT_SUPPORTED"): OperationNotSupported,
    (_C, "INVALID_INDEX"): InvalidIndex,
    (_S, "INVALID_MEMORY_INDEX"): InvalidIndex,
    (_C, "MEMORY_FULL"): MemoryFull,
    (_S, "MEMORY_FULL"): MemoryFull,
    (_S, "SIM_SMS_STORAGE_FULL"): MemoryFull,
    (_S, "INVALID_PDU_MODE_PARAMETER"): InvalidPdu,
    (_S, "SMSC_ADDRESS_UNKNOWN"): SmscAddressUnknown,
}
NETWORK_CMS_CODES = range(0, 256)  # 27.005 §3.2.5: RP-causes and TP-FCS values


def modem_error(command: str, line: str, error: ModemError) -> ModemReportedError:
    """The named exception for a +CME/+CMS error of ``command``."""
    named = NAMED.get((error.family, error.name))
    if named is None:
        if error.family is ErrorFamily.CMS and error.code in NETWORK_CMS_CODES:
            named = MessageRejected
        else:
            named = OtherCmeError if error.family is ErrorFamily.CME else OtherCmsError
    return named(command, line, error)
