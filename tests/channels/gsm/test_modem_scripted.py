"""The whole driver against a scripted serial port: start-up per dialect, PIN, SMS, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.system.channels.base import (
    Activity,
    ChannelEvent,
    DeliveryReport,
    DeliveryStatus,
    IncomingSms,
    SubmitOutcome,
)
from nabat.system.channels.gsm import GsmModem, GsmModemSettings, ModemState, PortUnavailable
from nabat.system.channels.gsm.errors import ModemNotReady
from nabat.system.wire.sms_concat import split_deliver
from nabat.system.wire.sms_pdu import (
    Address,
    SmsStatusReport,
    encode_deliver,
    encode_status_report,
    tpdu_length,
)

from tests.channels.gsm.fakes import FakeModem, ManualClock, ScriptedSerial, ok

MOSCOW = timezone(timedelta(hours=3))
COMMON = [
    "AT",
    "ATZ",
    "ATE0",
    "AT+CMEE=1",
    "AT+CGMI",
    "AT+CGMM",
    "AT+CGSN",
    "AT+CPIN?",
    "AT+CMGF=0",
    'AT+CPMS="SM","SM","SM"',
    "AT+CNMI=2,1,0,1,0",
    "AT+CLIP=1",
]
TAIL = ["AT+CNUM", "AT+CSQ", "AT+CREG?", "AT+CMGL=4"]


async def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the condition never held")
        await asyncio.sleep(0.002)


class Bench:
    """A driver on scripted ports (one per opening) and a manual clock."""

    def __init__(self, fake: FakeModem | None = None, **options: object) -> None:
        self.fake = fake or FakeModem()
        self.clock = ManualClock()
        self.ports: list[ScriptedSerial] = []
        self.refuse_opening = 0
        self.events: list[ChannelEvent] = []
        self.bodies: list[str] = []
        self.body_answer = "\r\n+CMGS: 42\r\n\r\nOK\r\n"
        values: dict[str, object] = {"name": "m", "port": "scripted", "command_timeout": 5.0}
        values.update(options)
        self.modem = GsmModem(
            GsmModemSettings.from_mapping(values), clock=self.clock, opener=self.open
        )

        async def record(event: ChannelEvent) -> None:
            self.events.append(event)

        self.modem.subscribe(record)

    def open(self, settings: GsmModemSettings) -> ScriptedSerial:
        if self.refuse_opening:
            self.refuse_opening -= 1
            raise PortUnavailable("no such device")
        port = ScriptedSerial(self.fake, self.body)
        self.ports.append(port)
        return port

    def body(self, text: str) -> str:
        self.bodies.append(text)
        return self.body_answer

    @property
    def port(self) -> ScriptedSerial:
        return self.ports[-1]

    async def __aenter__(self) -> Bench:
        await self.modem.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.modem.stop()

    async def state(self, state: ModemState) -> None:
        await eventually(lambda: self.modem.state is state)

    async def advance(self, seconds: float) -> None:
        # quiescent turns true one loop iteration before the supervisor's sleep is on the
        # clock: advancing in between would leave that sleep waiting forever
        await eventually(self._waiting_on_the_clock)
        self.clock.advance(seconds)
        await asyncio.sleep(0.01)
        await eventually(self._waiting_on_the_clock)

    def _waiting_on_the_clock(self) -> bool:
        return self.modem.quiescent and self.clock.sleepers > 0


@pytest.mark.parametrize(
    ("manufacturer", "model", "extra"),
    [
        ("Nabat", "NBT-1", []),
        ("SIMCOM_Ltd", "SIMCOM_SIM800", ["AT+CLCC=1", "AT+DDET=1"]),
        ("Quectel", "EC25", ["AT+QTONEDET=1"]),
        ("huawei", "E1550", ["AT^DDSETEX=2"]),
    ],
)
async def test_start_up_sends_the_common_and_the_dialects_commands(
    manufacturer: str, model: str, extra: list[str]
) -> None:
    async with Bench(FakeModem(manufacturer, model)) as bench:
        await bench.state(ModemState.READY)
        assert bench.port.written.startswith(b"\x1b")  # leaves a stale SMS prompt first
        assert bench.port.lines == COMMON + extra + TAIL
        assert bench.modem.status().text == "idle, registered (home), signal 17/31"
        assert bench.modem.own_number is None  # +CNUM answered OK without a number


@pytest.mark.parametrize(
    ("answer", "options", "number"),
    [
        ('\r\n+CNUM: "","+79160000001",145\r\n\r\nOK\r\n', {}, "79160000001"),
        ("\r\nERROR\r\n", {}, None),  # best effort: the modem comes up all the same
        ("\r\n+CME ERROR: 10\r\n", {"number": "+74950000000"}, "74950000000"),
        ('\r\n+CNUM: "","+79160000001",145\r\n\r\nOK\r\n', {"number": "112"}, "112"),
    ],
)
async def test_the_own_number_is_read_with_cnum_and_number_overrides_it(
    answer: str, options: dict[str, object], number: str | None
) -> None:
    fake = FakeModem()
    fake.extra["AT+CNUM"] = answer
    async with Bench(fake, **options) as bench:
        await bench.state(ModemState.READY)
        assert bench.modem.own_number == number
        assert bench.modem.info()["own_number"] == number


async def test_a_configured_dialect_and_smsc_are_used() -> None:
    async with Bench(dialect="huawei", smsc="+79168999100", storage="ME") as bench:
        await bench.state(ModemState.READY)
        lines = bench.port.lines
        assert 'AT+CSCA="+79168999100",145' in lines and "AT^DDSETEX=2" in lines
        assert 'AT+CPMS="ME","ME","ME"' in lines
        assert bench.modem.dialect.name == "huawei"


async def test_a_missing_dtmf_switch_only_turns_dtmf_detection_off() -> None:
    fake = FakeModem("Quectel", "EC25")
    fake.extra["AT+QTONEDET=1"] = "\r\nERROR\r\n"
    async with Bench(fake) as bench:
        await bench.state(ModemState.READY)
        assert bench.modem.info()["dtmf_detection"] is False


async def test_the_pin_is_entered_once_and_a_refused_pin_is_never_sent_again() -> None:
    fake = FakeModem()
    fake.pin_state = "SIM PIN"
    async with Bench(fake, pin="1234") as bench:
        await bench.state(ModemState.READY)
        assert 'AT+CPIN="1234"' in bench.port.lines
    fake = FakeModem()
    fake.pin_state = "SIM PIN"
    async with Bench(fake, pin="9999") as bench:
        await bench.state(ModemState.FAILED)
        assert "refused" in bench.modem.status().text
        for _ in range(3):
            await bench.advance(30)
        assert bench.port.lines.count('AT+CPIN="9999"') == 1
        assert bench.modem.state is ModemState.FAILED


async def test_no_sim_and_no_network_show_in_the_status() -> None:
    fake = FakeModem()
    fake.extra["AT+CPIN?"] = "\r\n+CME ERROR: 10\r\n"
    async with Bench(fake) as bench:
        await bench.state(ModemState.NO_SIM)
        assert bench.modem.status().activity is Activity.NO_SIM
        with pytest.raises(ModemNotReady):
            await bench.modem.send_sms("79000000001", "x")
        del fake.extra["AT+CPIN?"]
        fake.registration = 2
        await bench.advance(5)
        await bench.state(ModemState.NO_NETWORK)
        assert "searching" in bench.modem.status().text
        fake.registration = 5
        await bench.advance(5)
        await bench.state(ModemState.READY)
        assert "roaming" in bench.modem.status().text


async def test_a_port_that_cannot_be_opened_is_retried_with_backoff() -> None:
    bench = Bench()
    bench.refuse_opening = 2
    async with bench:
        await bench.state(ModemState.RECOVERING)
        assert "no such device" in bench.modem.status().text
        await bench.advance(1)  # first retry after 1 s: refused again
        await bench.state(ModemState.RECOVERING)
        assert "retrying in 2 s" in bench.modem.status().text
        await bench.advance(2)
        await bench.state(ModemState.READY)


async def test_an_unplugged_port_is_reopened_and_the_modem_initialised_again() -> None:
    async with Bench() as bench:
        await bench.state(ModemState.READY)
        bench.port.unplug()
        await bench.state(ModemState.RECOVERING)
        await bench.advance(1)
        await bench.state(ModemState.READY)
        assert len(bench.ports) == 2 and bench.modem.reconnects == 1
        assert bench.ports[0].closed


async def test_a_restart_announced_by_the_modem_means_initialising_again() -> None:
    async with Bench() as bench:
        await bench.state(ModemState.READY)
        bench.port.inject("\r\nRDY\r\n")
        await bench.state(ModemState.RECOVERING)
        await bench.advance(1)
        await bench.state(ModemState.READY)
        assert bench.modem.reconnects == 1


async def test_an_sms_goes_out_and_a_refusal_is_rejected_not_retried() -> None:
    async with Bench() as bench:
        await bench.state(ModemState.READY)
        sent = await bench.modem.send_sms("79000000001", "Hello", status_report=True)
        assert sent.outcome is SubmitOutcome.SUBMITTED and sent.references == (42,)
        assert bench.port.lines[-1] == "AT+CMGS=18" and bench.bodies[-1].startswith("0021")  # SRR
        bench.body_answer = "\r\n+CMS ERROR: 331\r\n"
        refused = await bench.modem.send_sms("79000000001", "Hello")
        assert refused.outcome is SubmitOutcome.REJECTED and "331" in refused.detail
        assert len(bench.bodies) == 2


async def test_stored_parts_in_any_order_make_one_message_deleted_after_hand_over() -> None:
    text = "Длинное сообщение для проверки сборки частей. " * 4
    parts = split_deliver(
        text, "+79000000020", datetime(2024, 5, 1, 12, 0, tzinfo=MOSCOW), reference=9
    )
    assert len(parts) == 3
    fake = FakeModem()
    for index, part in zip((5, 3, 4), parts, strict=True):
        pdu = encode_deliver(part)
        fake.extra[f"AT+CMGR={index}"] = ok(f"+CMGR: 0,,{tpdu_length(pdu)}", pdu)
    async with Bench(fake) as bench:
        await bench.state(ModemState.READY)
        for index in (3, 5, 4):
            bench.port.inject(f'\r\n+CMTI: "SM",{index}\r\n')
        await eventually(lambda: any(isinstance(e, IncomingSms) for e in bench.events))
        await eventually(lambda: "AT+CMGD=5" in bench.port.lines)
        received = [event for event in bench.events if isinstance(event, IncomingSms)]
        assert [(r.text, r.sender, r.parts) for r in received] == [(text, "+79000000020", 3)]
        reads = [line for line in bench.port.lines if line.startswith(("AT+CMGR", "AT+CMGD"))]
        assert reads == [
            "AT+CMGR=3",
            "AT+CMGR=5",
            "AT+CMGR=4",
            "AT+CMGD=3",
            "AT+CMGD=4",
            "AT+CMGD=5",
        ]


async def test_a_status_report_becomes_a_delivery_report() -> None:
    sent_at = datetime(2024, 5, 1, 12, 0, tzinfo=MOSCOW)
    report = SmsStatusReport(
        42, Address.parse("+79000000001"), sent_at, sent_at + timedelta(seconds=9), 0x00
    )
    pdu = encode_status_report(report)
    async with Bench() as bench:
        await bench.state(ModemState.READY)
        bench.port.inject(f"\r\n+CDS: {tpdu_length(pdu)}\r\n{pdu}\r\n")
        await eventually(lambda: any(isinstance(e, DeliveryReport) for e in bench.events))
        got = next(event for event in bench.events if isinstance(event, DeliveryReport))
        assert (got.reference, got.number, got.status) == (
            42,
            "+79000000001",
            DeliveryStatus.DELIVERED,
        )


HOSTILE = st.lists(
    st.one_of(
        st.binary(max_size=40),
        st.sampled_from(
            [
                b"\r\nRING\r\n",
                b'\r\n+CLIP: "+7900",145\r\n',
                b'\r\n+CMTI: "SM",77\r\n',
                b"\r\n+CMT: ,12\r\nZZ\r\n",
                b"\r\n+CDS: 3\r\n00\r\n",
                b"\r\nNO CARRIER\r\n",
                b"\r\n^CEND:1,0,104,17\r\n",
                b"\r\n+DTMF: 1\r\n",
                b"\r\n+CLCC: 1,1,4,0,0\r\n",
                b"\r\n> ",
                b"\r\n+CREG: 2\r\n",
                b"\r\nOK\r\n",
                b"\x1a\x1b\x00\xff",
            ]
        ),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(noise=HOSTILE)
def test_a_storm_of_garbage_and_urcs_never_crashes_the_driver(noise: list[bytes]) -> None:
    async def scenario() -> None:
        async with Bench() as bench:
            await bench.state(ModemState.READY)
            for chunk in noise:
                bench.port.inject(chunk)
            bench.port.inject(b"\r\n")
            await asyncio.sleep(0.02)
            task = asyncio.ensure_future(bench.modem.command("AT+CSQ"))
            await asyncio.sleep(0.02)
            if not task.done():  # a half line swallowed the answer: the timeout recovers
                bench.clock.advance(5)
            try:
                response = await task
                assert response.lines[-1:] == ("+CSQ: 17,99",) or response.lines == ()
            except Exception as error:
                assert type(error).__module__.startswith("nabat.system.channels")
            assert bench.modem._task is not None and not bench.modem._task.done()

    asyncio.run(scenario())


async def test_a_stored_status_report_is_read_from_sr_and_deleted() -> None:
    sent_at = datetime(2024, 5, 1, 12, 0, tzinfo=MOSCOW)
    report = SmsStatusReport(
        7, Address.parse("+79000000001"), sent_at, sent_at + timedelta(minutes=5), 0x43
    )
    pdu = encode_status_report(report)
    fake = FakeModem()
    fake.extra["AT+CMGR=2"] = ok(f"+CMGR: 0,,{tpdu_length(pdu)}", pdu)
    async with Bench(fake) as bench:
        await bench.state(ModemState.READY)
        bench.port.inject('\r\n+CDSI: "SR",2\r\n')
        await eventually(lambda: "AT+CMGD=2" in bench.port.lines)
        got = next(event for event in bench.events if isinstance(event, DeliveryReport))
        assert (got.reference, got.status, got.tp_status) == (7, DeliveryStatus.FAILED, 0x43)
        lines = bench.port.lines
        assert lines[lines.index('AT+CPMS="SR"') :] == ['AT+CPMS="SR"', "AT+CMGR=2", "AT+CMGD=2"]


async def test_direct_mode_routes_sms_as_cmt_without_storing() -> None:
    (part,) = split_deliver("PIN 1234", "+79000000020", datetime(2024, 5, 1, tzinfo=MOSCOW))
    pdu = encode_deliver(part)
    async with Bench(incoming_sms="direct") as bench:
        await bench.state(ModemState.READY)
        assert "AT+CNMI=2,2,0,1,0" in bench.port.lines
        bench.port.inject(f"\r\n+CMT: ,{tpdu_length(pdu)}\r\n{pdu}\r\n")
        await eventually(lambda: any(isinstance(e, IncomingSms) for e in bench.events))
        got = next(event for event in bench.events if isinstance(event, IncomingSms))
        assert (got.text, got.sender) == ("PIN 1234", "+79000000020")
        assert not any(line.startswith("AT+CMGD") for line in bench.port.lines)
