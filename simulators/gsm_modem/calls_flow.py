"""Voice calls end to end: the far end comes from the simulated world.

Outgoing (``dial``): the call is DIALING at once and ATD answers OK (with
+COLP=1 the OK waits for the answer, as on SIM800). The world's anti-fraud
check runs meanwhile (``AntiFraudLink.check_outgoing``: the terminating
operator's CheckCall); after ``Timing.call_setup`` a blocked call ends with
NO CARRIER (24.008 cause 21, call rejected: the person never rings). Else the
world decides this attempt (``WorldRuntime.voice``): busy -> BUSY and
unreachable -> NO CARRIER right away; otherwise the call is ALERTING for the
decided ring time and then answered (ACTIVE), given up (NO ANSWER) or
rejected (BUSY). An answered far end presses its DTMF keys at the decided
instants (reported by the dialect's URC when the DTE turned detection on)
and hangs up after listening: NO CARRIER.

Incoming (``ring_in``): a scripted event from the world's timeline. The
originating operator registers a genuine call with the ATS hub first
(``admit_incoming``); then RING (or +CRING: VOICE under +CRC=1) and +CLIP go
out in one write every ``Timing.ring_interval`` until ATA, ATH or the caller
giving up (NO CARRIER). After ATA the caller presses the scripted keys and
hangs up after ``talk_for``.

Call-state reports per dialect: SIMCom +CLCC URCs (AT+CLCC=1), Huawei
^ORIG/^CONF/^CONN/^CEND; the generic and Quectel profiles are polled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem.calls import Call, Release, address_type
from nabat.simulators.gsm_modem.errors import (
    CME_OPERATION_NOT_ALLOWED,
    CME_UNKNOWN,
    CmeError,
)
from nabat.simulators.gsm_modem.profiles import CallReport, DtmfReport
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.states import CallEvent, CallState
from nabat.simulators.world import ScriptedEvent, VoiceOutcome

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

VOICE = 0
DIAL_CHARS = set("0123456789*#+ABCDabcd")
IGNORED_DIAL_CHARS = set(",TPtpWw!@ -()")
MAX_DIGITS = 40


def dial_number(dial_string: str) -> tuple[str, bool]:
    """The number in an ATD dial string and whether it is a voice call (ends with ';')."""
    voice = dial_string.endswith(";")
    text = dial_string[:-1] if voice else dial_string
    # CLIR (I/i) and CUG (G/g) modifiers are accepted and have no effect here.
    text = "".join(c for c in text if c not in "IiGg")
    if any(c not in DIAL_CHARS and c not in IGNORED_DIAL_CHARS for c in text):
        raise CmeError(27)  # invalid characters in dial string
    number = "".join(c for c in text if c in DIAL_CHARS)
    if "+" in number[1:]:
        raise CmeError(27)
    if len(number) > MAX_DIGITS:
        raise CmeError(26)  # dial string too long
    return number, voice


# --- reports -----------------------------------------------------------------------


def _report(modem: Modem, call: Call, state: CallState) -> None:
    """The dialect's URC for a call reaching ``state``."""
    profile = modem.profile
    if profile.calls is CallReport.CLCC and modem.settings.clcc_urc == 1:
        modem.urc(call.clcc_line(profile.clcc_alpha, state))
    elif profile.calls is CallReport.HUAWEI:
        if state is CallState.DIALING:
            modem.urc(f"^ORIG:{call.index},{VOICE}")
        elif state is CallState.ALERTING:
            modem.urc(f"^CONF:{call.index}")
        elif state is CallState.ACTIVE:
            modem.urc(f"^CONN:{call.index},{VOICE}")


def _journal(modem: Modem, call: Call, what: str, **detail: object) -> None:
    modem.journal.event(
        modem.now(), what, call=call.index, direction=call.direction, number=call.number, **detail
    )


def release(modem: Modem, call: Call, how: Release) -> None:
    """End ``call``: timers stop, the DTE hears how (unless it hung up itself)."""
    if call.state is CallState.RELEASED:
        return
    call.cancel_timers()
    duration = 0 if call.connected is None else int(modem.now() - call.connected)
    call.fire(CallEvent.RELEASE)
    modem.calls.remove(call)
    _journal(modem, call, "call ended", reason=how.name.lower(), duration=duration)
    if modem.waiting_call is call:
        modem.waiting_call = None
        modem.finish_waiting([], how.result or "NO CARRIER")
    else:
        if modem.profile.calls is CallReport.HUAWEI:
            modem.urc(f"^CEND:{call.index},{duration},{how.end_status},{how.cause}")
        if how.result is not None:
            modem.urc(how.result, result=True)
    if modem.profile.calls is CallReport.CLCC and modem.settings.clcc_urc == 1:
        modem.urc(call.clcc_line(modem.profile.clcc_alpha, CallState.RELEASED))


def _connect(modem: Modem, call: Call) -> None:
    call.fire(CallEvent.CONNECT)
    call.connected = modem.now()
    _journal(modem, call, "call answered")
    if modem.waiting_call is call:  # ATD under +COLP=1 answers now
        modem.waiting_call = None
        colp = f'+COLP: "{call.number}",{call.type_of_address},"",0,""'
        modem.finish_waiting([colp], "OK")
    _report(modem, call, CallState.ACTIVE)
    for key, at in call.far_keys:
        call.timers.append(modem.after(at, _key_pressed(modem, call, key), "far-end key"))
    call.timers.append(
        modem.after(call.talk_for, lambda: release(modem, call, Release.REMOTE), "far-end hangs up")
    )


def _key_pressed(modem: Modem, call: Call, key: str) -> Callable[[], None]:
    def press() -> None:
        if call.state is not CallState.ACTIVE:
            return
        _journal(modem, call, "far end pressed a key", key=key)
        dtmf_urc(modem, key)

    return press


def dtmf_urc(modem: Modem, key: str) -> None:
    report, settings = modem.profile.dtmf, modem.settings
    if report is DtmfReport.SIMCOM and settings.ddet == 1:
        modem.urc(f"+DTMF: {key}")
    elif report is DtmfReport.QUECTEL and settings.qtonedet == 1:
        modem.urc(f"+QTONEDET: {ord(key)}")
    elif report is DtmfReport.HUAWEI and settings.ddsetex == 2:
        modem.urc(f"^DDTMF: {key}")


# --- outgoing ------------------------------------------------------------------------


def dial(modem: Modem, dial_string: str) -> Reply:
    number, voice = dial_number(dial_string)
    if not voice:
        return Reply(final="NO CARRIER")  # no data or fax service on this modem
    modem.sim.check_ready()
    if not number:
        raise CmeError(CME_UNKNOWN)
    if modem.calls.in_state(CallState.DIALING, CallState.ALERTING, CallState.ACTIVE):
        raise CmeError(CME_OPERATION_NOT_ALLOWED)
    if not modem.network.registered or modem.functionality != 1:
        _journal_dial_refused(modem, number)
        return Reply(delay=modem.timing.call_setup, final="NO CARRIER")
    call = modem.calls.new(0, number, CallState.DIALING, modem.now())
    _journal(modem, call, "dialling")
    _report(modem, call, CallState.DIALING)
    _outgoing(modem, call)
    if modem.settings.colp == 1:
        modem.waiting_call = call
        return Reply(wait=True)
    return Reply(final="OK")


def _journal_dial_refused(modem: Modem, number: str) -> None:
    modem.journal.event(modem.now(), "dial refused: not registered", number=number)


def _outgoing(modem: Modem, call: Call) -> None:
    verdict: dict[str, bool] = {}
    link = modem.antifraud

    def proceed() -> None:
        if "allowed" in verdict and "setup" in verdict and call.state is CallState.DIALING:
            _far_end(modem, call, verdict["allowed"])

    if link is not None and link.enabled:

        async def check() -> None:
            try:
                verdict["allowed"] = await link.check_outgoing(modem.own_number, call.number)
            except Exception as error:  # the terminating operator fails open
                verdict["allowed"] = True
                modem.journal.event(modem.now(), "anti-fraud check failed", error=repr(error))
            proceed()

        modem.spawn(check, "anti-fraud check")
    else:
        verdict["allowed"] = True

    def setup_done() -> None:
        verdict["setup"] = True
        proceed()

    call.timers.append(modem.after(modem.timing.call_setup, setup_done, "call setup"))


def _far_end(modem: Modem, call: Call, allowed: bool) -> None:
    if not allowed:
        modem.journal.decision(
            modem.now(), "call blocked by the terminating operator", {"number": call.number}
        )
        release(modem, call, Release.BLOCKED)
        return
    decision = modem.runtime.voice(call.number, modem.confirm_key)
    modem.journal.decision(
        modem.now(),
        "voice",
        {"number": call.number, "attempt": decision.attempt, "rule": decision.rule}
        | decision.fields(),
    )
    outcome = decision.outcome
    if outcome is VoiceOutcome.BUSY:
        release(modem, call, Release.BUSY)
        return
    if outcome is VoiceOutcome.UNREACHABLE:
        release(modem, call, Release.UNREACHABLE)
        return
    call.fire(CallEvent.ALERT)
    _report(modem, call, CallState.ALERTING)
    if outcome is VoiceOutcome.ANSWERED:
        call.far_keys = tuple((press.key, press.at) for press in decision.keys)
        call.talk_for = decision.listen
        call.timers.append(modem.after(decision.ring, lambda: _connect(modem, call), "answer"))
    else:
        how = Release.NO_ANSWER if outcome is VoiceOutcome.NO_ANSWER else Release.REJECTED
        call.timers.append(
            modem.after(decision.ring, lambda: release(modem, call, how), "gives up")
        )


# --- incoming ------------------------------------------------------------------------


def ring_in(modem: Modem, event: ScriptedEvent) -> None:
    """A scripted call from ``event.source`` reaches this modem."""
    if not (modem.powered and modem.booted and modem.network.registered):
        modem.journal.event(
            modem.now(), "incoming call missed: not registered", number=event.source
        )
        return
    if modem.calls:
        modem.journal.event(modem.now(), "incoming call refused: busy", number=event.source)
        return
    link = modem.antifraud
    if link is not None and link.enabled:

        async def admit() -> None:
            registered = await link.admit_incoming(event, modem.own_number)
            modem.journal.event(
                modem.now(),
                "incoming call registered" if registered else "incoming call not registered",
                number=event.source,
                spoofed=event.spoofed,
            )
            _ring(modem, event)

        modem.spawn(admit, "anti-fraud registration")
    else:
        _ring(modem, event)


def _ring(modem: Modem, event: ScriptedEvent) -> None:
    if modem.calls or not modem.network.registered:
        return
    number = "+" + event.source
    call = modem.calls.new(1, number, CallState.INCOMING, modem.now())
    call.far_keys = tuple((press.key, press.at) for press in event.keys)
    call.talk_for = event.talk_for
    _journal(modem, call, "incoming call", spoofed=event.spoofed)

    def ring_once() -> None:
        if call.state is not CallState.INCOMING:
            return
        lines = ["+CRING: VOICE" if modem.settings.crc == 1 else "RING"]
        if modem.settings.clip == 1:
            lines.append(f'+CLIP: "{number}",{address_type(number)},"",0,"",0')
        modem.urc(*lines, result=lines[0] == "RING")
        call.timers.append(modem.after(max(modem.timing.ring_interval, 0.1), ring_once, "RING"))

    if modem.profile.calls is CallReport.CLCC and modem.settings.clcc_urc == 1:
        modem.urc(call.clcc_line(modem.profile.clcc_alpha))
    ring_once()
    call.timers.append(
        modem.after(
            event.ring_for, lambda: release(modem, call, Release.CALLER_GAVE_UP), "gives up"
        )
    )


def answer(modem: Modem) -> Reply:
    ringing = modem.calls.in_state(CallState.INCOMING, CallState.WAITING)
    if not ringing:
        return Reply(final="NO CARRIER")
    call = ringing[0]
    call.cancel_timers()

    def connected() -> None:
        if call.state in (CallState.INCOMING, CallState.WAITING):
            _connect(modem, call)

    call.timers.append(modem.after(modem.timing.answer, connected, "answer"))
    return Reply(delay=modem.timing.answer, final="OK")


def hang_up(modem: Modem, by_ath: bool) -> Reply:
    if by_ath and modem.settings.cvhu == 1:
        return Reply()  # +CVHU=1: ATH leaves voice calls alone
    for call in modem.calls.listing():
        release(modem, call, Release.LOCAL)
    return Reply()


def send_tones(modem: Modem, tones: str) -> Reply:
    active = modem.calls.in_state(CallState.ACTIVE)
    if not active:
        raise CmeError(CME_OPERATION_NOT_ALLOWED)
    call = active[0]
    call.keys_sent.extend(tones)
    _journal(modem, call, "DTMF sent", tones=tones)
    return Reply(delay=modem.timing.dtmf_tone * max(len(tones), 1))
