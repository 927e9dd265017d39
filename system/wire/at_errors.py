"""+CME ERROR (27.007 §9.2) and +CMS ERROR (27.005 §3.2.5) codes: one table, both directions.

How it works: each family is a table of ``ModemError`` (family, numeric code,
a stable NAME for the driver's named errors, the verbose text). A modem
simulator answers with ``format_error(family, code, cmee)`` — plain
``ERROR`` for AT+CMEE=0, the number for 1, the text for 2 — and a driver
turns a line back into a ``ModemError`` with ``parse_error_line``, whether
the modem printed the number or the text. Texts match loosely (case,
punctuation and the "(U)" of "(U)SIM" are ignored) because vendors spell them
slightly differently. Codes a table does not know still parse: they get the
name ``CME_<n>`` / ``CMS_<n>`` (or ``CME_UNKNOWN_TEXT`` for unknown text).

The +CMS table holds the 27.005 codes 300..500 and, as 27.005 says for
0..255, the RP-causes of 24.011 §E.2 and the TP-FCS values of 23.040
§9.2.3.22 that a network sends back for a failed submission.

Public API::

    class ErrorFamily(Enum): CME ("+CME ERROR"), CMS ("+CMS ERROR")
    @dataclass ModemError(family, code, name, text)
    CME_ERRORS: Mapping[int, ModemError] ; CMS_ERRORS: Mapping[int, ModemError]
    lookup_error(family, value: int | str) -> ModemError        # number or text
    format_error(family, code: int, cmee: int) -> str            # the final result line
    parse_error_line(line: str) -> ModemError | None             # None: not an error line

No I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


class ErrorFamily(enum.Enum):
    CME = "+CME ERROR"
    CMS = "+CMS ERROR"


@dataclass(frozen=True)
class ModemError:
    family: ErrorFamily
    code: int  # -1 when a modem printed a text no table knows
    name: str
    text: str


_RESTRICTED_53 = "not attached to network due to MT functionality restrictions"
_RESTRICTED_55 = "operation not allowed because of MT functionality restrictions"
_FDN_56 = "fixed dial number only allowed - called number is not a fixed dial number"
_IE_99 = "Information element non-existent or not implemented"

_CME = (
    (0, "PHONE_FAILURE", "phone failure"),
    (1, "NO_CONNECTION_TO_PHONE", "no connection to phone"),
    (2, "PHONE_ADAPTOR_LINK_RESERVED", "phone-adaptor link reserved"),
    (3, "OPERATION_NOT_ALLOWED", "operation not allowed"),
    (4, "OPERATION_NOT_SUPPORTED", "operation not supported"),
    (5, "PH_SIM_PIN_REQUIRED", "PH-SIM PIN required"),
    (6, "PH_FSIM_PIN_REQUIRED", "PH-FSIM PIN required"),
    (7, "PH_FSIM_PUK_REQUIRED", "PH-FSIM PUK required"),
    (10, "SIM_NOT_INSERTED", "SIM not inserted"),
    (11, "SIM_PIN_REQUIRED", "SIM PIN required"),
    (12, "SIM_PUK_REQUIRED", "SIM PUK required"),
    (13, "SIM_FAILURE", "SIM failure"),
    (14, "SIM_BUSY", "SIM busy"),
    (15, "SIM_WRONG", "SIM wrong"),
    (16, "INCORRECT_PASSWORD", "incorrect password"),
    (17, "SIM_PIN2_REQUIRED", "SIM PIN2 required"),
    (18, "SIM_PUK2_REQUIRED", "SIM PUK2 required"),
    (20, "MEMORY_FULL", "memory full"),
    (21, "INVALID_INDEX", "invalid index"),
    (22, "NOT_FOUND", "not found"),
    (23, "MEMORY_FAILURE", "memory failure"),
    (24, "TEXT_STRING_TOO_LONG", "text string too long"),
    (25, "INVALID_CHARACTERS_IN_TEXT", "invalid characters in text string"),
    (26, "DIAL_STRING_TOO_LONG", "dial string too long"),
    (27, "INVALID_CHARACTERS_IN_DIAL_STRING", "invalid characters in dial string"),
    (30, "NO_NETWORK_SERVICE", "no network service"),
    (31, "NETWORK_TIMEOUT", "network timeout"),
    (32, "NETWORK_NOT_ALLOWED", "network not allowed - emergency calls only"),
    (40, "NETWORK_PERSONALIZATION_PIN_REQUIRED", "network personalization PIN required"),
    (41, "NETWORK_PERSONALIZATION_PUK_REQUIRED", "network personalization PUK required"),
    (42, "NETWORK_SUBSET_PIN_REQUIRED", "network subset personalization PIN required"),
    (43, "NETWORK_SUBSET_PUK_REQUIRED", "network subset personalization PUK required"),
    (44, "SERVICE_PROVIDER_PIN_REQUIRED", "service provider personalization PIN required"),
    (45, "SERVICE_PROVIDER_PUK_REQUIRED", "service provider personalization PUK required"),
    (46, "CORPORATE_PIN_REQUIRED", "corporate personalization PIN required"),
    (47, "CORPORATE_PUK_REQUIRED", "corporate personalization PUK required"),
    (48, "HIDDEN_KEY_REQUIRED", "hidden key required"),
    (49, "EAP_METHOD_NOT_SUPPORTED", "EAP method not supported"),
    (50, "INCORRECT_PARAMETERS", "incorrect parameters"),
    (51, "COMMAND_DISABLED", "command implemented but currently disabled"),
    (52, "COMMAND_ABORTED", "command aborted by user"),
    (53, "NOT_ATTACHED_RESTRICTED", _RESTRICTED_53),
    (54, "MODEM_NOT_ALLOWED", "modem not allowed - MT restricted to emergency calls only"),
    (55, "NOT_ALLOWED_RESTRICTED", _RESTRICTED_55),
    (56, "FIXED_DIAL_NUMBER_ONLY", _FDN_56),
    (57, "TEMPORARILY_OUT_OF_SERVICE", "temporarily out of service due to other MT usage"),
    (58, "LANGUAGE_NOT_SUPPORTED", "language/alphabet not supported"),
    (59, "UNEXPECTED_DATA_VALUE", "unexpected data value"),
    (60, "SYSTEM_FAILURE", "system failure"),
    (61, "DATA_MISSING", "data missing"),
    (62, "CALL_BARRED", "call barred"),
    (63, "MWI_SUBSCRIPTION_FAILURE", "message waiting indication subscription failure"),
    (100, "UNKNOWN", "unknown"),
    (103, "ILLEGAL_MS", "Illegal MS"),
    (106, "ILLEGAL_ME", "Illegal ME"),
    (107, "GPRS_SERVICES_NOT_ALLOWED", "GPRS services not allowed"),
    (111, "PLMN_NOT_ALLOWED", "PLMN not allowed"),
    (112, "LOCATION_AREA_NOT_ALLOWED", "Location area not allowed"),
    (113, "ROAMING_NOT_ALLOWED", "Roaming not allowed in this location area"),
    (132, "SERVICE_OPTION_NOT_SUPPORTED", "service option not supported"),
    (133, "SERVICE_OPTION_NOT_SUBSCRIBED", "requested service option not subscribed"),
    (134, "SERVICE_OPTION_OUT_OF_ORDER", "service option temporarily out of order"),
    (148, "UNSPECIFIED_GPRS_ERROR", "unspecified GPRS error"),
    (149, "PDP_AUTHENTICATION_FAILURE", "PDP authentication failure"),
    (150, "INVALID_MOBILE_CLASS", "invalid mobile class"),
)

_CMS = (
    # 24.011 §E.2 RP-cause values (0..127)
    (1, "UNASSIGNED_NUMBER", "Unassigned (unallocated) number"),
    (8, "OPERATOR_DETERMINED_BARRING", "Operator determined barring"),
    (10, "CALL_BARRED", "Call barred"),
    (17, "NETWORK_FAILURE", "Network failure"),
    (21, "SHORT_MESSAGE_TRANSFER_REJECTED", "Short message transfer rejected"),
    (22, "MEMORY_CAPACITY_EXCEEDED", "Memory capacity exceeded"),
    (27, "DESTINATION_OUT_OF_SERVICE", "Destination out of service"),
    (28, "UNIDENTIFIED_SUBSCRIBER", "Unidentified subscriber"),
    (29, "FACILITY_REJECTED", "Facility rejected"),
    (30, "UNKNOWN_SUBSCRIBER", "Unknown subscriber"),
    (38, "NETWORK_OUT_OF_ORDER", "Network out of order"),
    (41, "TEMPORARY_FAILURE", "Temporary failure"),
    (42, "CONGESTION", "Congestion"),
    (47, "RESOURCES_UNAVAILABLE", "Resources unavailable, unspecified"),
    (50, "FACILITY_NOT_SUBSCRIBED", "Requested facility not subscribed"),
    (69, "FACILITY_NOT_IMPLEMENTED", "Requested facility not implemented"),
    (81, "INVALID_TRANSFER_REFERENCE", "Invalid short message transfer reference value"),
    (95, "INVALID_MESSAGE", "Invalid message, unspecified"),
    (96, "INVALID_MANDATORY_INFORMATION", "Invalid mandatory information"),
    (97, "MESSAGE_TYPE_NOT_IMPLEMENTED", "Message type non-existent or not implemented"),
    (98, "MESSAGE_NOT_COMPATIBLE", "Message not compatible with short message protocol state"),
    (99, "INFORMATION_ELEMENT_NOT_IMPLEMENTED", _IE_99),
    (111, "PROTOCOL_ERROR", "Protocol error, unspecified"),
    (127, "INTERWORKING_UNSPECIFIED", "Interworking, unspecified"),
    # 23.040 §9.2.3.22 TP-FCS values (128..255)
    (128, "TELEMATIC_INTERWORKING_NOT_SUPPORTED", "Telematic interworking not supported"),
    (129, "SHORT_MESSAGE_TYPE_0_NOT_SUPPORTED", "Short message Type 0 not supported"),
    (130, "CANNOT_REPLACE_SHORT_MESSAGE", "Cannot replace short message"),
    (143, "UNSPECIFIED_TP_PID_ERROR", "Unspecified TP-PID error"),
    (144, "DCS_NOT_SUPPORTED", "Data coding scheme (alphabet) not supported"),
    (145, "MESSAGE_CLASS_NOT_SUPPORTED", "Message class not supported"),
    (159, "UNSPECIFIED_TP_DCS_ERROR", "Unspecified TP-DCS error"),
    (160, "COMMAND_CANNOT_BE_ACTIONED", "Command cannot be actioned"),
    (161, "COMMAND_UNSUPPORTED", "Command unsupported"),
    (175, "UNSPECIFIED_TP_COMMAND_ERROR", "Unspecified TP-Command error"),
    (176, "TPDU_NOT_SUPPORTED", "TPDU not supported"),
    (192, "SC_BUSY", "SC busy"),
    (193, "NO_SC_SUBSCRIPTION", "No SC subscription"),
    (194, "SC_SYSTEM_FAILURE", "SC system failure"),
    (195, "INVALID_SME_ADDRESS", "Invalid SME address"),
    (196, "DESTINATION_SME_BARRED", "Destination SME barred"),
    (197, "SM_REJECTED_DUPLICATE", "SM Rejected-Duplicate SM"),
    (198, "TP_VPF_NOT_SUPPORTED", "TP-VPF not supported"),
    (199, "TP_VP_NOT_SUPPORTED", "TP-VP not supported"),
    (208, "SIM_SMS_STORAGE_FULL", "SIM SMS storage full"),
    (209, "NO_SMS_STORAGE_IN_SIM", "No SMS storage capability in SIM"),
    (210, "ERROR_IN_MS", "Error in MS"),
    (211, "MEMORY_CAPACITY_EXCEEDED_MS", "Memory capacity exceeded (MS)"),
    (212, "SIM_TOOLKIT_BUSY", "SIM Application Toolkit busy"),
    (213, "SIM_DATA_DOWNLOAD_ERROR", "SIM data download error"),
    (255, "UNSPECIFIED_ERROR_CAUSE", "Unspecified error cause"),
    # 27.005 §3.2.5
    (300, "ME_FAILURE", "ME failure"),
    (301, "SMS_SERVICE_RESERVED", "SMS service of ME reserved"),
    (302, "OPERATION_NOT_ALLOWED", "operation not allowed"),
    (303, "OPERATION_NOT_SUPPORTED", "operation not supported"),
    (304, "INVALID_PDU_MODE_PARAMETER", "invalid PDU mode parameter"),
    (305, "INVALID_TEXT_MODE_PARAMETER", "invalid text mode parameter"),
    (310, "SIM_NOT_INSERTED", "SIM not inserted"),
    (311, "SIM_PIN_REQUIRED", "SIM PIN required"),
    (312, "PH_SIM_PIN_REQUIRED", "PH-SIM PIN required"),
    (313, "SIM_FAILURE", "SIM failure"),
    (314, "SIM_BUSY", "SIM busy"),
    (315, "SIM_WRONG", "SIM wrong"),
    (316, "SIM_PUK_REQUIRED", "SIM PUK required"),
    (317, "SIM_PIN2_REQUIRED", "SIM PIN2 required"),
    (318, "SIM_PUK2_REQUIRED", "SIM PUK2 required"),
    (320, "MEMORY_FAILURE", "memory failure"),
    (321, "INVALID_MEMORY_INDEX", "invalid memory index"),
    (322, "MEMORY_FULL", "memory full"),
    (330, "SMSC_ADDRESS_UNKNOWN", "SMSC address unknown"),
    (331, "NO_NETWORK_SERVICE", "no network service"),
    (332, "NETWORK_TIMEOUT", "network timeout"),
    (340, "NO_CNMA_EXPECTED", "no +CNMA acknowledgement expected"),
    (500, "UNKNOWN_ERROR", "unknown error"),
)


def _table(family: ErrorFamily, rows: tuple[tuple[int, str, str], ...]) -> Mapping[int, ModemError]:
    errors = {code: ModemError(family, code, name, text) for code, name, text in rows}
    return MappingProxyType(errors)


CME_ERRORS = _table(ErrorFamily.CME, _CME)
CMS_ERRORS = _table(ErrorFamily.CMS, _CMS)
_TABLES = {ErrorFamily.CME: CME_ERRORS, ErrorFamily.CMS: CMS_ERRORS}


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower().replace("(u)", ""))


_BY_TEXT = {
    family: MappingProxyType({_loose(error.text): error for error in table.values()})
    for family, table in _TABLES.items()
}


def lookup_error(family: ErrorFamily, value: int | str) -> ModemError:
    """The error a number or a verbose text stands for; unknown ones get generic names."""
    prefix = family.name
    if isinstance(value, int) or value.strip().isdigit():
        code = int(value)
        known = _TABLES[family].get(code)
        return known or ModemError(family, code, f"{prefix}_{code}", f"{prefix} error {code}")
    text = value.strip()
    known = _BY_TEXT[family].get(_loose(text))
    return known or ModemError(family, -1, f"{prefix}_UNKNOWN_TEXT", text)


def format_error(family: ErrorFamily, code: int, cmee: int) -> str:
    """The final result line a modem prints for ``code`` under AT+CMEE=``cmee``."""
    if cmee == 0:
        return "ERROR"
    if cmee == 1:
        return f"{family.value}: {code}"
    if cmee == 2:
        return f"{family.value}: {lookup_error(family, code).text}"
    raise ValueError(f"AT+CMEE takes 0, 1 or 2, not {cmee}")


def parse_error_line(line: str) -> ModemError | None:
    """``+CME ERROR: 10`` / ``+CMS ERROR: SMSC address unknown`` -> ModemError; else None."""
    stripped = line.strip()
    for family in ErrorFamily:
        if stripped.upper().startswith(family.value):
            rest = stripped[len(family.value) :].lstrip()
            rest = rest[1:] if rest.startswith(":") else rest
            return lookup_error(family, rest)
    return None
