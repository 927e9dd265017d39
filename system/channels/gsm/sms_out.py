"""SMS out in PDU mode: split, encode, ``AT+CMGS`` per part, and what to report when it fails.

How it works: ``SmsSender.send`` splits the text with ``sms_concat.split_submit``
(GSM 7-bit when every character fits, else UCS2 for Cyrillic; concatenated
parts behind an 8-bit reference that counts up per message), asks for a
status report per part when told to, encodes each part with
``sms_pdu.encode_submit`` (SMSC octet ``00``: the SIM's SMSC, +CSCA) and
submits it with ``AT+CMGS=<TPDU length>``, the ``> `` prompt, the hex and
Ctrl-Z. ``+CMGS: <mr>`` gives the part's message reference.

What a failure means for the engine (the no-duplicate rule):

* the modem refuses (+CMS ERROR, ERROR) -> ``REJECTED``: that part was not
  sent; the references of the parts before it are in the submission;
* the link dies before any body was written -> ``ModemNotReady`` for the
  first part (nothing went out: safe to try elsewhere), ``REJECTED`` for a
  later part;
* the link dies or the modem goes silent *after* a body was written ->
  ``UNKNOWN``: the network may have taken it, so the driver does not resend
  it (nor the parts after it); the supervisor reconnects. Resending would
  risk a duplicate; the engine decides (e.g. wait for a delivery report,
  or count the message as sent with an unknown outcome).
"""

from __future__ import annotations

import logging
import random

from nabat.system.channels.base import SmsSubmission, SubmitOutcome
from nabat.system.channels.gsm.core import ModemCore
from nabat.system.channels.gsm.errors import (
    CommandRejected,
    LinkError,
    ModemNotReady,
    SubmissionUncertain,
)
from nabat.system.wire.sms_concat import split_submit
from nabat.system.wire.sms_pdu import Address, encode_submit, tpdu_length

log = logging.getLogger("nabat.channels.gsm.sms")


def sms_address(number: str) -> Address:
    """The TP-DA: ``+digits`` international; 11+ digits without + are E.164 too."""
    cleaned = "".join(char for char in number if char not in " -()")
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) >= 11:
        cleaned = "+" + cleaned
    address = Address.parse(cleaned)
    if not cleaned or address.number != cleaned.lstrip("+"):
        raise ValueError(f"{number!r} is not a phone number")
    return address


def message_reference(value: str) -> int | None:
    text = value.split(",", 1)[0].strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) <= 255 else None


class SmsSender:
    def __init__(self, core: ModemCore, seed: int | None = None) -> None:
        self.core = core
        self._concat_reference = random.Random(seed).randrange(256)
        self.submitted = 0
        self.sending = 0  # submissions in progress

    def _next_reference(self) -> int:
        self._concat_reference = (self._concat_reference + 1) % 256
        return self._concat_reference

    async def send(self, number: str, text: str, *, status_report: bool) -> SmsSubmission:
        core = self.core
        address = sms_address(number)
        parts = split_submit(
            text,
            address,
            reference=self._next_reference(),
            status_report_request=status_report,
        )
        core.ensure_ready()
        self.sending += 1
        core.changed()
        references: list[int] = []

        def outcome(kind: SubmitOutcome, detail: str = "") -> SmsSubmission:
            return SmsSubmission(
                core.name, str(address), kind, tuple(references), len(parts), detail
            )

        try:
            for position, part in enumerate(parts, start=1):
                hex_pdu = encode_submit(part)
                command = f"AT+CMGS={tpdu_length(hex_pdu)}"
                try:
                    response = await core.commander.run_with_body(
                        command, hex_pdu, timeout=core.settings.sms_timeout
                    )
                except SubmissionUncertain as error:
                    core.link_failed(error)
                    return outcome(SubmitOutcome.UNKNOWN, f"part {position}: {error}")
                except LinkError as error:
                    core.link_failed(error)
                    if not references:
                        raise ModemNotReady(f"{core.name}: {error}") from error
                    return outcome(SubmitOutcome.REJECTED, f"part {position}: {error}")
                except CommandRejected as error:
                    return outcome(SubmitOutcome.REJECTED, f"part {position}: {error.line}")
                values = response.values("+CMGS")
                reference = message_reference(values[0]) if values else None
                if reference is None:
                    log.warning("%s: +CMGS without a reference: %r", core.name, response.lines)
                    reference = -1
                references.append(reference)
                self.submitted += 1
            return outcome(SubmitOutcome.SUBMITTED)
        finally:
            self.sending -= 1
            core.changed()
