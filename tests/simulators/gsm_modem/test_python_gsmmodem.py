"""python-gsmmodem-new, a client nobody here wrote, against the simulator over a real pty.

The library is synchronous and threaded; the modems run on their own loop in a
background thread (BankThread). The bank's clock runs in real time for the
library's commands; the far end's seconds (ringing, keys, delivery) are
skipped with ``advance``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

gsmmodem = pytest.importorskip("gsmmodem.modem")
from gsmmodem.exceptions import IncorrectPinError, PinRequiredError  # noqa: E402
from nabat.simulators.gsm_modem import (  # noqa: E402
    BankThread,
    ModemBank,
    Timing,
)
from nabat.simulators.world import call as scripted_call  # noqa: E402
from nabat.simulators.world import loads_world  # noqa: E402
from nabat.system.wire.sms_pdu import SmsSubmit, decode_submit  # noqa: E402

from tests.simulators.gsm_modem.harness import ANSWERS, QUICK_SMS, WORLD  # noqa: E402

CALLER = "79100000004"
pytestmark = pytest.mark.slow  # the library reads with 1 s timeouts: a few seconds per test


def wait_for(condition: Callable[[], object], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the library")
        time.sleep(0.05)


@contextmanager
def bank(
    profile: str = "generic", *, pin: bool = False, world: str = WORLD, timing: Timing | None = None
) -> Iterator[BankThread]:
    modems = ModemBank(
        1, profile=profile, world=loads_world(world), pin_required=pin, timing=timing
    )
    with BankThread(modems) as running:
        yield running


@contextmanager
def library(running: BankThread, pin: str | None = None, **callbacks: object) -> Iterator[object]:
    client = gsmmodem.GsmModem(running.paths[0], 115200, **callbacks)
    try:
        client.connect(pin=pin)
        yield client
    finally:
        client.close()


def submitted(running: BankThread) -> list[SmsSubmit]:
    """The SMS-SUBMIT PDUs the modem received, from its byte journal."""
    entries = running.call(lambda: running.bank.modem(0).journal.entries(kinds=frozenset({"rx"})))
    received = "".join(entry.text for entry in entries)
    pdus = []
    for chunk in received.split("\x1a")[:-1]:
        body = chunk.rsplit("\r", 1)[-1]
        pdus.append(decode_submit(body))
    return pdus


@pytest.mark.parametrize("profile", ["generic", "simcom", "quectel", "huawei"])
def test_connect_and_read_what_the_library_reads(profile: str) -> None:
    with bank(profile) as running, library(running) as client:
        assert client.imsi == "250990000000000"
        assert client.signalStrength == 21
        assert client.networkName == "Nabat Mobile"
        assert client.ownNumber == "+79010000000"
        assert client.smsc == "+79000000010"
        if profile == "generic":
            assert client.waitForNetworkCoverage(timeout=5) == 21


def test_connect_with_pin() -> None:
    with bank(pin=True) as running:
        with pytest.raises(PinRequiredError), library(running):
            pass
        with pytest.raises(IncorrectPinError), library(running, pin="9999"):
            pass
        with library(running, pin="0000") as client:
            assert client.imsi == "250990000000000"


def test_cyrillic_sms_in_pdu_mode_with_a_delivery_report() -> None:
    reports: list[object] = []
    text = "Внимание! Учебная тревога в 15:00. Подтвердите получение: ответьте 1. " * 2
    quick = Timing(sms_submit=0.8)
    with (
        bank(timing=quick) as running,
        library(running, smsStatusReportCallback=reports.append) as client,
    ):
        sent = client.sendSms("+" + QUICK_SMS, text)
        parts = submitted(running)
        assert len(parts) == 3 and all(p.alphabet.name == "UCS2" for p in parts)
        assert "".join(p.text for p in parts) == text
        assert all(p.status_report_request for p in parts)
        # The reports come in real time, 0.8 s apart as the parts went and after the
        # last part: the library needs three commands per report (+CPMS, +CMGR,
        # +CMGD), and a +CDSI flushed right after one of its own commands' OK lands
        # in the response to its next command and is lost (a race of the library's,
        # with real modems too).
        wait_for(lambda: len(reports) == 3)
        assert sent.status == sent.DELIVERED


def test_receiving_an_sms_through_the_callback() -> None:
    received: list[object] = []
    world = WORLD + f'\n[[event]]\nat = 60\nkind = "sms"\nfrom = "{CALLER}"\nto = "gsm:0"\n'
    world += 'text = "PIN 1234, запуск"\n'
    with bank(world=world) as running, library(running, smsReceivedCallbackFunc=received.append):
        running.advance(61)
        wait_for(lambda: received)
        sms = received[0]
        assert sms.number == "+" + CALLER  # type: ignore[attr-defined]
        assert sms.text == "PIN 1234, запуск"  # type: ignore[attr-defined]
        # the library deletes what it read
        wait_for(
            lambda: not running.call(lambda: running.bank.modem(0).storage.memories["ME"].used)
        )
        time.sleep(0.5)  # the OK of its AT+CMGD is on its way: let the library read it


def test_outgoing_call_answered_and_hung_up() -> None:
    updates: list[bool] = []
    with bank() as running, library(running) as client:
        call = client.dial(
            ANSWERS, callStatusUpdateCallbackFunc=lambda c: updates.append(c.answered)
        )
        assert call.active and not call.answered
        running.advance(6)  # rings 1.5 + 4 s, then answers
        wait_for(lambda: call.answered)
        call.hangup()
        assert not call.active
        assert running.call(lambda: running.bank.modem(0).calls.listing()) == []
    assert updates[0] is True


def test_incoming_call_with_the_callers_number_and_a_dtmf_key() -> None:
    calls: list[object] = []
    answered = threading.Event()

    def incoming(call: object) -> None:
        calls.append(call)
        if call.ringing and not answered.is_set():  # type: ignore[attr-defined]
            answered.set()
            call.answer()  # type: ignore[attr-defined]

    with bank("simcom") as running, library(running, incomingCallCallbackFunc=incoming) as client:
        event = scripted_call(0, CALLER, "gsm:0", "5", first_key=4)
        running.call(running.bank.modem(0).scripted, event)
        wait_for(answered.is_set)
        assert calls[0].number == "+" + CALLER  # type: ignore[attr-defined]
        running.advance(5)
        wait_for(lambda: client.dtmfpool)
        assert client.GetIncomingDTMF() == "5"
