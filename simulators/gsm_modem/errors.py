"""Failures a command handler raises; the engine turns each into a final result code.

``CmeError(code)`` / ``CmsError(code)`` become ``+CME ERROR`` / ``+CMS ERROR``
formatted per AT+CMEE (``at.format_error``: plain ERROR, number or text);
``PlainError`` is a bare ``ERROR`` whatever +CMEE says (V.250 syntax errors);
``NotSupported`` is the profile's answer to an unknown command (``ERROR``, or
``COMMAND NOT SUPPORT`` on Huawei).
"""

from __future__ import annotations

from nabat.system.wire.at import ErrorFamily


class CommandFailure(Exception):
    """A command that ends the command line with an error result."""


class ModemErrorResult(CommandFailure):
    family: ErrorFamily

    def __init__(self, code: int) -> None:
        super().__init__(f"{self.family.value}: {code}")
        self.code = code


class CmeError(ModemErrorResult):
    family = ErrorFamily.CME


class CmsError(ModemErrorResult):
    family = ErrorFamily.CMS


class PlainError(CommandFailure):
    """V.250 ERROR: bad syntax or a value out of range."""


class NotSupported(CommandFailure):
    """A command this modem does not know."""


# 27.007 / 27.005 codes the engine uses by name.
CME_OPERATION_NOT_ALLOWED = 3
CME_OPERATION_NOT_SUPPORTED = 4
CME_SIM_NOT_INSERTED = 10
CME_SIM_PIN_REQUIRED = 11
CME_SIM_PUK_REQUIRED = 12
CME_SIM_FAILURE = 13
CME_SIM_BUSY = 14
CME_INCORRECT_PASSWORD = 16
CME_INVALID_INDEX = 21
CME_NO_NETWORK = 30
CME_INCORRECT_PARAMETERS = 50
CME_UNKNOWN = 100

CMS_OPERATION_NOT_ALLOWED = 302
CMS_OPERATION_NOT_SUPPORTED = 303
CMS_INVALID_PDU = 304
CMS_INVALID_TEXT = 305
CMS_SIM_NOT_INSERTED = 310
CMS_SIM_PIN_REQUIRED = 311
CMS_SIM_FAILURE = 313
CMS_SIM_BUSY = 314
CMS_SIM_PUK_REQUIRED = 316
CMS_INVALID_INDEX = 321
CMS_MEMORY_FULL = 322
CMS_SMSC_UNKNOWN = 330
CMS_NO_NETWORK = 331
CMS_UNKNOWN = 500
