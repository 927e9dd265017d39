"""SMS end to end: submissions to the network, status reports, messages arriving.

Submitting (+CMGS, +CMSS): the PDU (or the text-mode body made into one) is
checked — a PDU that does not decode, or whose <length> disagrees, is
+CMS ERROR: 304; a bad text-mode body 305 — then needs a ready SIM (CMS
310-316) and the network (331). After ``Timing.sms_submit`` the modem answers
``+CMGS: <mr>`` with its own reference counter (0..255), as real modems do.
The world decides delivery (``WorldRuntime.sms``); the parts of one
concatenated message share the decision of their first part. When the
submission asked for a report (TP-SRR; in text mode bit 5 of the +CSMP
<fo>) and the world says one comes back, an SMS-STATUS-REPORT arrives after
the decided time: +CDS (AT+CNMI <ds>=1) or stored in "SR" with +CDSI (<ds>=2).
TP-ST is 0 for delivered, 0x43 (not obtainable) for undelivered, 0x46
(validity period expired) for expired.

Arriving (``deliver_in``): a scripted SMS becomes SMS-DELIVER PDUs (GSM 7-bit
or UCS2, concatenated parts when long) stamped with the simulated time in the
modem's time zone; per AT+CNMI <mt> each part is stored in <mem3> with
+CMTI (1), stored silently (0), or routed as +CMT (2, not stored). A modem
that is not registered gets them once it is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem import sms_format
from nabat.simulators.gsm_modem.errors import (
    CMS_INVALID_PDU,
    CMS_INVALID_TEXT,
    CMS_NO_NETWORK,
    CMS_SIM_BUSY,
    CMS_SIM_FAILURE,
    CMS_SIM_NOT_INSERTED,
    CMS_SIM_PIN_REQUIRED,
    CMS_SIM_PUK_REQUIRED,
    CmsError,
)
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.sms_store import SmsStatus
from nabat.simulators.gsm_modem.states import SimState
from nabat.simulators.world import ScriptedEvent, SmsDecision, SmsOutcome
from nabat.system.wire import sms_text_mode
from nabat.system.wire.sms_concat import split_deliver
from nabat.system.wire.sms_pdu import (
    Address,
    Alphabet,
    PduError,
    SmsStatusReport,
    SmsSubmit,
    dcs_alphabet,
    decode_submit,
    encode_deliver,
    encode_status_report,
    encode_submit,
    has_smsc_prefix,
    tpdu_length,
)

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

STATUS_DELIVERED = 0x00
STATUS_NOT_OBTAINABLE = 0x43
STATUS_EXPIRED = 0x46
MAX_REMEMBERED_GROUPS = 256
MAX_TEXT_SEPTETS = 160
MAX_TEXT_UCS2 = 70

_SIM_CMS = {
    SimState.ABSENT: CMS_SIM_NOT_INSERTED,
    SimState.PIN: CMS_SIM_PIN_REQUIRED,
    SimState.PUK: CMS_SIM_PUK_REQUIRED,
    SimState.BLOCKED: CMS_SIM_FAILURE,
}


def check_sim(modem: Modem) -> None:
    """The +CMS error of an SMS command without a usable SIM."""
    sim = modem.sim
    if sim.state is SimState.READY:
        if sim.busy:
            raise CmsError(CMS_SIM_BUSY)
        return
    raise CmsError(_SIM_CMS[sim.state])


def local_time(modem: Modem) -> datetime:
    zone = modem.runtime.world.plan.timezone(modem.own_number)
    return datetime.fromtimestamp(modem.clock.wall(), zone).replace(microsecond=0)


# --- reading what the DTE typed ----------------------------------------------------


def pdu_from_body(content: bytes, length: int) -> tuple[str, SmsSubmit]:
    """The hex PDU (SMSC first) and the SUBMIT in a PDU-mode body; CMS 304 if bad."""
    text = "".join(content.decode("latin-1").split())
    try:
        with_smsc = has_smsc_prefix(text, length)
        submit = decode_submit(text, with_smsc=with_smsc)
    except PduError:
        raise CmsError(CMS_INVALID_PDU) from None
    if not with_smsc:
        text = "00" + text
    return text.upper(), submit


def text_submit(modem: Modem, destination: Address, content: bytes) -> SmsSubmit:
    """A text-mode body as an SMS-SUBMIT per +CSMP and +CSCS; CMS 305 if bad."""
    fo, vp, pid, dcs = modem.settings.csmp
    try:
        alphabet = dcs_alphabet(dcs)
        body = sms_text_mode.decode_body(content, alphabet, modem.settings.cscs)
    except (PduError, sms_text_mode.CharsetError):
        raise CmsError(CMS_INVALID_TEXT) from None
    if isinstance(body, str):
        units = len(body.encode("utf-16-be", "surrogatepass")) // 2
        if alphabet is Alphabet.GSM7:
            from nabat.system.wire import gsm7

            if not gsm7.is_gsm7(body):  # e.g. Cyrillic typed in UCS2 with a 7-bit <dcs>
                raise CmsError(CMS_INVALID_TEXT)
            too_long = gsm7.septet_length(body) > MAX_TEXT_SEPTETS
        else:
            too_long = units > MAX_TEXT_UCS2
        if too_long:
            raise CmsError(CMS_INVALID_TEXT)
        text, data = body, b""
    else:
        if len(body) > 140:
            raise CmsError(CMS_INVALID_TEXT)
        text, data = "", body
    relative = (fo >> 3) & 0x03 == 0x02
    return SmsSubmit(
        destination=destination,
        text=text,
        data=data,
        alphabet=alphabet,
        validity=vp if relative else None,
        status_report_request=bool(fo & 0x20),
        reject_duplicates=bool(fo & 0x04),
        protocol_id=pid,
    )


# --- submitting ------------------------------------------------------------------------


def submit(modem: Modem, pdu: SmsSubmit, result: str) -> Reply:
    """Hand ``pdu`` to the network; ``result`` is "+CMGS" or "+CMSS"."""
    check_sim(modem)
    if not modem.network.registered or modem.functionality != 1:
        modem.journal.event(modem.now(), "SMS not sent: no network")
        raise CmsError(CMS_NO_NETWORK)
    failure = modem.take_sms_failure()
    if failure is not None:
        modem.journal.event(modem.now(), "SMS not sent: fault", code=failure)
        return Reply(delay=modem.timing.sms_submit, final=_cms(modem, failure))
    reference = modem.next_reference()
    decision = _decide(modem, pdu)
    modem.journal.event(
        modem.now(),
        "SMS submitted",
        to=str(pdu.destination),
        reference=reference,
        report_requested=pdu.status_report_request,
    )
    if decision is not None and pdu.status_report_request and decision.report:
        sent_at = local_time(modem)
        modem.after(
            modem.timing.sms_submit + decision.after,
            lambda: report_in(modem, reference, pdu.destination, sent_at, decision),
            "status report",
        )
    return Reply([f"{result}: {reference}"], delay=modem.timing.sms_submit)


def _cms(modem: Modem, code: int) -> str:
    from nabat.system.wire.at import ErrorFamily, format_error

    return format_error(ErrorFamily.CMS, code, modem.settings.cmee)


def _decide(modem: Modem, pdu: SmsSubmit) -> SmsDecision | None:
    number = str(pdu.destination)
    concat = pdu.concatenation
    key = None if concat is None else (number, concat.reference, concat.total)
    groups = modem.sms_groups
    if key is not None and key in groups:
        return groups[key]
    try:
        decision = modem.runtime.sms(number)
    except ValueError:
        modem.journal.decision(modem.now(), "sms", {"number": number, "outcome": "no such number"})
        return None
    modem.journal.decision(
        modem.now(),
        "sms",
        {"number": number, "attempt": decision.attempt, "rule": decision.rule} | decision.fields(),
    )
    if key is not None:
        groups[key] = decision
        while len(groups) > MAX_REMEMBERED_GROUPS:
            groups.popitem(last=False)
    return decision


def pdu_body(modem: Modem, length: int) -> Callable[[bytes], Reply]:
    def handle(content: bytes) -> Reply:
        _, pdu = pdu_from_body(content, length)
        return submit(modem, pdu, "+CMGS")

    return handle


def text_body(modem: Modem, destination: Address) -> Callable[[bytes], Reply]:
    def handle(content: bytes) -> Reply:
        return submit(modem, text_submit(modem, destination, content), "+CMGS")

    return handle


# --- status reports ------------------------------------------------------------------------


def report_in(
    modem: Modem, reference: int, recipient: Address, sent_at: datetime, decision: SmsDecision
) -> None:
    status = {
        SmsOutcome.DELIVERED: STATUS_DELIVERED,
        SmsOutcome.UNDELIVERED: STATUS_NOT_OBTAINABLE,
        SmsOutcome.EXPIRED: STATUS_EXPIRED,
    }[decision.outcome]
    report = SmsStatusReport(
        message_reference=reference,
        recipient=recipient,
        timestamp=sent_at,
        discharge_time=local_time(modem),
        status=status,
        smsc=Address.parse(modem.sim.card.smsc),
    )
    pdu_hex = encode_status_report(report)
    length = tpdu_length(pdu_hex)
    mode, _, _, ds, _ = modem.settings.cnmi
    modem.journal.event(modem.now(), "status report", reference=reference, status=status)
    text_mode = modem.settings.cmgf == 1
    if ds == 1 and mode != 0:
        # +CDS/+CMT and their data are one unsolicited text: header CR LF data (27.005 §3.4.1)
        modem.urc("\r\n".join(
            sms_format.cds_lines(pdu_hex, length, report, text_mode, modem.settings.cscs)))
    elif ds == 2:
        memory = modem.storage.memories["SR"]
        index = memory.store(SmsStatus.REC_UNREAD, pdu_hex, length, modem.now())
        if index is None:
            modem.journal.event(modem.now(), "status report lost: memory full")
        elif mode != 0:
            modem.urc(f'+CDSI: "SR",{index}')


# --- arriving messages ------------------------------------------------------------------------


def deliver_in(modem: Modem, event: ScriptedEvent) -> None:
    if not (modem.powered and modem.booted and modem.network.registered):
        modem.journal.event(modem.now(), "incoming SMS waits: not registered", number=event.source)
        modem.sms_waiting.append(event)
        return
    modem.sms_concat_reference = (modem.sms_concat_reference + 1) % 256
    parts = split_deliver(
        event.text,
        "+" + event.source,
        local_time(modem),
        reference=modem.sms_concat_reference,
        smsc=Address.parse(modem.sim.card.smsc),
    )
    mode, mt, _, _, _ = modem.settings.cnmi
    text_mode = modem.settings.cmgf == 1
    modem.journal.event(modem.now(), "incoming SMS", number=event.source, parts=len(parts))
    for part in parts:
        pdu_hex = encode_deliver(part)
        length = tpdu_length(pdu_hex)
        if mt == 2 and mode != 0:
            modem.urc("\r\n".join(
                sms_format.cmt_lines(pdu_hex, length, part, text_mode, modem.settings.cscs)))
            continue
        memory = modem.storage.receive_memory
        index = memory.store(SmsStatus.REC_UNREAD, pdu_hex, length, modem.now())
        if index is None:
            modem.journal.event(modem.now(), "incoming SMS lost: memory full", memory=memory.name)
            continue
        if mt in (1, 3) and mode != 0:
            modem.urc(f'+CMTI: "{memory.name}",{index}')


def deliver_waiting(modem: Modem) -> None:
    """Messages that waited for the modem to register come in now."""
    waiting, modem.sms_waiting = modem.sms_waiting, []
    for event in waiting:
        deliver_in(modem, event)


def stored_submit(modem: Modem, pdu: SmsSubmit) -> tuple[str, int]:
    """A SUBMIT as stored by +CMGW: hex with the SMSC part, and its TPDU length."""
    pdu_hex = encode_submit(pdu)
    return pdu_hex, tpdu_length(pdu_hex)


def new_groups() -> OrderedDict[tuple[str, int, int], SmsDecision]:
    return OrderedDict()
