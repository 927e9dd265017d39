"""Reading a modem's answer: bytes into lines, and each line into what it is.

Sans-I/O and independent of the product's AT codec (conformance/ never
imports system/). :func:`split_lines` cuts a byte buffer at CR and LF into the
complete lines it holds and the incomplete rest (a lone CR ends a line too:
echo and numeric result codes end in CR only). :class:`Expectation` describes
the command being answered (its text, its own information prefix such as
``+CREG:``, whether it is a dial or answer command and whether ATV0 numeric
codes are in force); :func:`classify` then says whether a line is the echo of
the command, its final result code, an unsolicited result code or
information text. A line that starts like an unsolicited code but carries the
command's own prefix (``+CREG: 0,1`` for ``AT+CREG?``) is information.
``NO CARRIER``, ``BUSY`` and ``NO ANSWER`` end only dial and answer commands;
answering anything else they are unsolicited (a call ended meanwhile).
:func:`second_line_follows` tells the URCs that carry a second line (``+CMT``
and PDU-mode ``+CDS``). :func:`ends_in_prompt` spots the SMS prompt.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

VERBOSE_FINALS = frozenset({
    "OK", "ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE",
    "COMMAND NOT SUPPORT", "TOO MANY PARAMETERS",
})
ERROR_PREFIXES = ("+CME ERROR:", "+CMS ERROR:")
NUMERIC_FINALS = {
    "0": "OK", "1": "CONNECT", "3": "NO CARRIER", "4": "ERROR",
    "6": "NO DIALTONE", "7": "BUSY", "8": "NO ANSWER",
}
CALL_RESULTS = frozenset({"NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"})
ERROR_WORDS = frozenset({"ERROR", "COMMAND NOT SUPPORT", "TOO MANY PARAMETERS"})
URC_PREFIXES = (
    "RING", "+CRING:", "+CLIP:", "+CCWA:", "+CMTI:", "+CMT:", "+CDS:", "+CDSI:", "+CBM:",
    "+CREG:", "+CGREG:", "+CEREG:", "+CLCC:", "+CUSD:", "+DTMF:", "+RXDTMF:", "+QTONEDET:",
    "^DDTMF:", "^ORIG:", "^CONF:", "^CONN:", "^CEND:", "^RSSI:", "^BOOT:", "^MODE:",
    "^SRVST:", "^SIMST:", "RDY", "+CFUN:", "+CPIN:", "Call Ready", "SMS Ready", "+QIND:",
    "+QUSIM:", "+CIEV:",
)
TWO_LINE_URCS = ("+CMT:", "+CBM:")
_EXTENDED_NAME = re.compile(r"^AT([+^&%$][A-Z0-9]+)", re.IGNORECASE)
_PDU_CDS = re.compile(r"^\+CDS:\s*\d+\s*$")
PROMPT = b"\r\n> "


class Kind(enum.Enum):
    ECHO = "echo"
    FINAL = "final"
    URC = "urc"
    INFO = "info"


@dataclass(frozen=True)
class Expectation:
    """What the modem is answering."""

    command: str  # as sent, without its CR
    numeric: bool = False  # ATV0 is in force
    call: bool = False  # ATD / ATA: call results are final

    @property
    def own_prefix(self) -> str | None:
        """``+CREG:`` for ``AT+CREG?``: the prefix of the command's own information."""
        found = _EXTENDED_NAME.match(self.command.strip())
        return f"{found.group(1).upper()}:" if found else None

    @classmethod
    def of(cls, command: str, numeric: bool = False) -> Expectation:
        text = command.strip().upper()
        call = text.startswith("ATD") or text in ("ATA", "ATA0")
        return cls(command, numeric, call)


def split_lines(buffer: bytes) -> tuple[list[bytes], bytes]:
    """The complete lines in ``buffer`` (terminators dropped, empty lines skipped)
    and the bytes after the last terminator."""
    lines: list[bytes] = []
    start = 0
    for index, byte in enumerate(buffer):
        if byte in (0x0D, 0x0A):
            if index > start:
                lines.append(buffer[start:index])
            start = index + 1
    return lines, buffer[start:]


def text_of(raw: bytes) -> str:
    """A line as text (latin-1 keeps every byte)."""
    return raw.decode("latin-1").strip()


def is_urc(line: str) -> bool:
    return any(line.startswith(prefix) for prefix in URC_PREFIXES)


def final_word(line: str, expectation: Expectation) -> str | None:
    """The final result the line is (``OK``, ``+CME ERROR: 3``, ...), else None."""
    if expectation.numeric and line in NUMERIC_FINALS:
        word = NUMERIC_FINALS[line]
    elif line in VERBOSE_FINALS or line.startswith(ERROR_PREFIXES) or line.startswith("CONNECT"):
        word = line
    else:
        return None
    if word in CALL_RESULTS and not expectation.call:
        return None
    return word


def classify(line: str, expectation: Expectation, *, seen_info: bool) -> Kind:
    """What ``line`` is within the answer to ``expectation``."""
    if not seen_info and line.upper() == expectation.command.strip().upper():
        return Kind.ECHO
    if final_word(line, expectation) is not None:
        return Kind.FINAL
    own = expectation.own_prefix
    if own is not None and line.upper().startswith(own):
        return Kind.INFO
    if line in CALL_RESULTS or is_urc(line):
        return Kind.URC
    return Kind.INFO


def second_line_follows(line: str) -> bool:
    """Does this unsolicited line carry a second line (the message or the PDU)?"""
    return line.startswith(TWO_LINE_URCS) or _PDU_CDS.match(line) is not None


def ends_in_prompt(rest: bytes) -> bool:
    """Do the incomplete bytes after the last line end in the SMS prompt ``> ``?"""
    return rest.endswith(b"> ") and rest.strip(b"\r\n") == b"> "


def is_error(final: str | None) -> bool:
    return final is not None and (final in ERROR_WORDS or final.startswith(ERROR_PREFIXES))


def error_code(final: str | None, family: str) -> str | None:
    """The ``<err>`` of ``+CME ERROR: <err>`` (family ``+CME``) or ``+CMS ERROR``."""
    prefix = f"{family} ERROR:"
    if final is None or not final.startswith(prefix):
        return None
    return final[len(prefix):].strip()
