"""The GSM driver against the modem simulator in this process, for every profile.

Each test runs a simulated modem bank on a frozen simulated clock and the
real driver over the simulator's in-process pyserial port (``nabatgsm://``);
simulated time moves only when the test advances it (simulated.py).
"""

from __future__ import annotations

import asyncio

import pytest
from nabat.simulators.world import call as scripted_call
from nabat.simulators.world import sms as scripted_sms
from nabat.system.channels.base import (
    Activity,
    CallOutcome,
    CallSession,
    DeliveryReport,
    DeliveryStatus,
    IncomingCall,
    IncomingSms,
    SubmitOutcome,
)
from nabat.system.channels.gsm import ModemState

from tests.channels.gsm.simulated import (
    ANSWERS,
    BUSY,
    CALLER,
    DELIVERED,
    NO_ANSWER,
    REJECTS,
    UNREACHABLE,
    Rig,
)

PROFILES = ["generic", "simcom", "quectel", "huawei"]
MANUFACTURERS = {
    "generic": "Nabat",
    "simcom": "SIMCOM_Ltd",
    "quectel": "Quectel",
    "huawei": "huawei",
}
LONG_CYRILLIC = (
    "Внимание! Это проверка системы оповещения. Сотрудникам отдела кадров "
    "просьба подтвердить получение сообщения до конца рабочего дня. Спасибо!"
)


def stored(rig: Rig, index: int = 0) -> int:
    return rig.on_bank(lambda: rig.sim(index).storage.memories["SM"].used)


def journal_events(rig: Rig, what: str, index: int = 0) -> int:
    entries = rig.on_bank(lambda: rig.sim(index).journal.entries(kinds=frozenset({"event"})))
    return sum(1 for entry in entries if entry.text == what)


@pytest.mark.parametrize("profile", PROFILES)
async def test_initialisation_detects_the_dialect_and_reports_idle(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        status = modem.status()
        assert status.activity is Activity.IDLE and status.protocol_state.name == "IDLE"
        assert "registered (home)" in status.text
        info = modem.info()
        assert info["dialect"] == profile and info["manufacturer"] == MANUFACTURERS[profile]
        assert info["dtmf_detection"] is (profile != "generic")
        settings = rig.on_bank(lambda: rig.sim(0).settings)
        assert (settings.echo, settings.cmee, settings.cmgf, settings.clip) == (False, 1, 0, 1)
        assert settings.cnmi[:4] == (2, 1, 0, 1)


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_long_cyrillic_sms_goes_out_in_parts_with_status_reports(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        sent = await rig.run(rig.drivers[0].send_sms(DELIVERED, LONG_CYRILLIC))
        assert sent.outcome is SubmitOutcome.SUBMITTED and sent.parts == 3
        assert len(set(sent.references)) == 3 and sent.number == "+" + DELIVERED
        assert journal_events(rig, "SMS submitted") == 3
        await rig.advance(15)
        reports = [event for event in rig.events if isinstance(event, DeliveryReport)]
        assert sorted(report.reference for report in reports) == sorted(sent.references)
        assert {report.status for report in reports} == {DeliveryStatus.DELIVERED}
        assert {report.number for report in reports} == {"+" + DELIVERED}


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_concatenated_sms_comes_in_whole_and_is_deleted(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        rig.script(0, scripted_sms(0, CALLER, "gsm:0", LONG_CYRILLIC))
        await rig.advance(2)
        received = [event for event in rig.events if isinstance(event, IncomingSms)]
        assert len(received) == 1
        assert received[0].text == LONG_CYRILLIC and received[0].parts == 3
        assert received[0].sender == "+" + CALLER and received[0].sent_at is not None
        assert stored(rig) == 0


@pytest.mark.parametrize("profile", PROFILES)
async def test_an_answered_call_collects_the_confirmation_key(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        played: list[str | None] = []

        async def play(session: CallSession) -> None:
            played.append(session.number)

        task = asyncio.ensure_future(
            modem.call(ANSWERS, confirm="1", on_answer=play, dtmf_timeout=15)
        )
        await rig.advance(2)
        assert modem.status().activity is Activity.DIALING
        result = await rig.run(task)
        assert result.outcome is CallOutcome.ANSWERED and played == ["+" + ANSWERS]
        assert result.ring_seconds == pytest.approx(4, abs=1.1)
        if profile == "generic":  # 27.007 has no DTMF detection: no key, timeout
            assert (result.keys, result.confirmed) == ("", False)
        else:
            assert (result.keys, result.confirmed) == ("1", True)
            assert result.talk_seconds == pytest.approx(3, abs=1.1)
            assert result.detail == "hung up by the driver"
        assert modem.status().activity is Activity.IDLE
        assert rig.on_bank(lambda: len(rig.sim(0).calls.calls)) == 0


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("number", "outcomes"),
    [
        (BUSY, {CallOutcome.BUSY}),
        (NO_ANSWER, {CallOutcome.NO_ANSWER}),
        (UNREACHABLE, {CallOutcome.UNREACHABLE}),
        (REJECTS, {CallOutcome.BUSY, CallOutcome.REJECTED}),  # networks signal user busy
    ],
)
async def test_unanswered_calls_end_with_the_networks_reason(
    profile: str, number: str, outcomes: set[CallOutcome]
) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        result = await rig.run(rig.drivers[0].call(number, confirm="1"), step=1.0)
        assert result.outcome in outcomes, result
        assert result.talk_seconds == 0 and result.keys == ""
        if number == NO_ANSWER:
            assert result.ring_seconds == pytest.approx(45, abs=2)
        assert rig.drivers[0].status().activity is Activity.IDLE


async def test_the_ring_timeout_hangs_up_an_unanswered_call() -> None:
    async with Rig(["simcom"]) as rig:
        await rig.ready()
        result = await rig.run(rig.drivers[0].call(NO_ANSWER, ring_timeout=10), step=1.0)
        assert result.outcome is CallOutcome.NO_ANSWER and result.detail == "ring timeout"
        assert result.ring_seconds == pytest.approx(10, abs=1.1)


@pytest.mark.parametrize("profile", PROFILES)
async def test_an_incoming_call_shows_the_caller_and_its_keys(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        keys: list[bool] = []

        async def remote_start(event: object) -> None:
            if isinstance(event, IncomingCall):
                session = await event.control.answer()
                keys.append(await session.wait_for_keys("12#", timeout=20))
                await session.hang_up()

        modem.subscribe(remote_start)
        rig.script(0, scripted_call(0, CALLER, "gsm:0", "12#", talk_for=30))
        await rig.advance(1)
        calls = [event for event in rig.events if isinstance(event, IncomingCall)]
        assert len(calls) == 1 and calls[0].caller == "+" + CALLER
        await rig.advance(25)
        assert keys == [profile != "generic"]
        assert modem.status().activity is Activity.IDLE
        assert rig.on_bank(lambda: len(rig.sim(0).calls.calls)) == 0


async def test_an_incoming_call_nobody_wants_is_rejected() -> None:
    async with Rig(["quectel"]) as rig:
        await rig.ready()
        for stop in rig.stop_recording:
            stop()
        rig.script(0, scripted_call(0, CALLER, "gsm:0"))
        await rig.advance(3)
        assert rig.on_bank(lambda: len(rig.sim(0).calls.calls)) == 0
        assert rig.drivers[0].status().activity is Activity.IDLE


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_modem_that_stops_answering_is_reopened_and_recovers(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        rig.on_bank(rig.sim(0).stop_answering, 45.0)
        await rig.advance(38, step=2.0)  # the health check at 30 s times out after 5 s
        assert modem.reconnects == 1 and modem.status().protocol_state.name == "FAULT"
        assert modem.state in (ModemState.RECOVERING, ModemState.INITIALISING)
        await rig.ready(limit=120, step=2.0)
        assert modem.reconnects >= 1 and modem.status().idle
        sent = await rig.run(modem.send_sms(DELIVERED, "back"))
        assert sent.outcome is SubmitOutcome.SUBMITTED


@pytest.mark.parametrize("profile", PROFILES)
async def test_an_unplugged_port_loses_and_duplicates_no_sms(profile: str) -> None:
    async with Rig([profile]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        release = asyncio.Event()
        taken: list[str] = []

        async def slow_store(event: object) -> None:
            if isinstance(event, IncomingSms):
                await release.wait()  # the engine is still storing it when the port goes
                taken.append(event.text)

        modem.subscribe(slow_store)
        rig.script(0, scripted_sms(0, CALLER, "gsm:0", "первое"))
        await rig.advance(1)
        assert stored(rig) == 1 and taken == []  # read, handed to the engine, not deleted
        rig.on_bank(rig.sim(0).unplug, 5.0)
        await rig.settle()
        assert modem.state is ModemState.RECOVERING
        release.set()
        await rig.settle()
        rig.script(0, scripted_sms(0, CALLER, "gsm:0", "второе"))  # waits for the network
        await rig.ready(limit=60)
        await rig.advance(2)
        assert sorted(taken) == ["второе", "первое"]
        assert stored(rig) == 0


async def test_a_handler_that_fails_gets_the_sms_again_later() -> None:
    async with Rig(["simcom"]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        attempts: list[str] = []

        async def flaky(event: object) -> None:
            if isinstance(event, IncomingSms):
                attempts.append(event.text)
                if len(attempts) == 1:
                    raise RuntimeError("the store is down")

        modem.subscribe(flaky)
        rig.script(0, scripted_sms(0, CALLER, "gsm:0", "PIN 1234"))
        await rig.advance(1)
        assert attempts == ["PIN 1234"] and stored(rig) == 1
        await rig.advance(31)  # the next health check sweeps the storage again
        assert attempts == ["PIN 1234", "PIN 1234"] and stored(rig) == 0
        await rig.advance(31)
        assert len(attempts) == 2


@pytest.mark.parametrize("profile", ["generic", "huawei"])
async def test_an_sms_in_flight_when_the_port_dies_is_unknown_and_not_resent(
    profile: str,
) -> None:
    from nabat.simulators.gsm_modem import Timing

    async with Rig([profile], timing=Timing.instant().replace(sms_submit=5.0)) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        task = asyncio.ensure_future(modem.send_sms(DELIVERED, "Тревога"))
        await rig.settle()
        assert modem.commander.busy  # the network round trip is under way
        rig.on_bank(rig.sim(0).unplug, 3.0)
        sent = await asyncio.wait_for(task, 5)
        assert sent.outcome is SubmitOutcome.UNKNOWN and sent.references == ()
        await rig.ready(limit=60)
        await rig.advance(10)
        assert journal_events(rig, "SMS submitted") == 1


async def test_a_pin_is_entered_and_the_modem_comes_up() -> None:
    async with Rig(["quectel"], pin_required=True, pin="0000") as rig:
        await rig.ready(limit=60)
        assert rig.drivers[0].status().idle


async def test_without_a_pin_the_channel_says_so() -> None:
    async with Rig(["simcom"], pin_required=True) as rig:
        await rig.advance(3)
        status = rig.drivers[0].status()
        assert status.activity is Activity.PIN_REQUIRED and status.protocol_state.name == "FAULT"
        with pytest.raises(Exception, match="PIN"):
            await rig.drivers[0].call(ANSWERS)


async def test_a_removed_sim_is_noticed_and_a_returned_one_brings_the_modem_back() -> None:
    async with Rig(["generic"]) as rig:
        await rig.ready()
        modem = rig.drivers[0]
        rig.on_bank(rig.sim(0).remove_sim)
        await rig.advance(31)
        assert modem.status().activity is Activity.NO_SIM
        rig.on_bank(rig.sim(0).insert_sim)
        await rig.advance(6)
        assert modem.status().activity is Activity.IDLE


async def test_realistic_timing_on_a_running_simulated_clock() -> None:
    from nabat.simulators.gsm_modem import Timing

    async with Rig(["simcom"], timing=Timing(), speed=40.0) as rig:
        modem = rig.drivers[0]
        await asyncio.wait_for(modem.wait_ready(), 5)
        started = rig.bank.clock.now()
        sent = await asyncio.wait_for(modem.send_sms(DELIVERED, LONG_CYRILLIC), 5)
        assert sent.outcome is SubmitOutcome.SUBMITTED and sent.parts == 3
        assert rig.bank.clock.now() - started >= 3 * 2.5  # the network round trips
        result = await asyncio.wait_for(modem.call(ANSWERS, confirm="1"), 5)
        assert result.outcome is CallOutcome.ANSWERED and result.confirmed
        assert result.ring_seconds == pytest.approx(1.5 + 4, abs=0.5)
