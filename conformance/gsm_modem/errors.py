"""The verbose texts of +CME ERROR (27.007 §9.2) and +CMS ERROR (27.005 §3.2.5) codes.

Only what the suite compares: ``same_error(family, code, text)`` says whether
a verbose text names the numeric code, loosely (case, punctuation and the
"(U)" of "(U)SIM" ignored, since vendors spell them slightly differently);
None when the suite's table does not know the code.
"""

from __future__ import annotations

import re

CME_TEXTS = {
    0: "phone failure", 1: "no connection to phone", 2: "phone adaptor link reserved",
    3: "operation not allowed", 4: "operation not supported", 5: "PH-SIM PIN required",
    10: "SIM not inserted", 11: "SIM PIN required", 12: "SIM PUK required",
    13: "SIM failure", 14: "SIM busy", 15: "SIM wrong", 16: "incorrect password",
    17: "SIM PIN2 required", 18: "SIM PUK2 required", 20: "memory full", 21: "invalid index",
    22: "not found", 23: "memory failure", 24: "text string too long",
    25: "invalid characters in text string", 26: "dial string too long",
    27: "invalid characters in dial string", 30: "no network service", 31: "network timeout",
    32: "network not allowed - emergency calls only", 50: "incorrect parameters",
    100: "unknown",
}
CMS_TEXTS = {
    300: "ME failure", 301: "SMS service of ME reserved", 302: "operation not allowed",
    303: "operation not supported", 304: "invalid PDU mode parameter",
    305: "invalid text mode parameter", 310: "SIM not inserted", 311: "SIM PIN required",
    312: "PH-SIM PIN required", 313: "SIM failure", 314: "SIM busy", 315: "SIM wrong",
    316: "SIM PUK required", 317: "SIM PIN2 required", 318: "SIM PUK2 required",
    320: "memory failure", 321: "invalid memory index", 322: "memory full",
    330: "SMSC address unknown", 331: "no network service", 332: "network timeout",
    340: "no +CNMA acknowledgement expected", 500: "unknown error",
}


def loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("(u)sim", "sim").replace("usim", "sim"))


def same_error(family: str, code: int, text: str) -> bool | None:
    table = CME_TEXTS if family == "+CME" else CMS_TEXTS
    known = table.get(code)
    return None if known is None else loose(known) == loose(text)
