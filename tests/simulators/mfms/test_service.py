"""The MFMS platform logic without sockets, on a frozen clock and a fixed world."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

import pytest
from nabat.simulators.control.clock import SimClock
from nabat.simulators.mfms.config import Connector
from nabat.simulators.mfms.query import QueryError, decode_pairs
from nabat.simulators.mfms.service import MfmsService
from nabat.simulators.sms_platform.delivery import SmsDelivery
from nabat.simulators.world import World, WorldRuntime
from nabat.simulators.world.distributions import Delay, Weights
from nabat.simulators.world.rules import SmsRules
from nabat.system.wire import hpg
from nabat.system.wire.hpg import Credentials, DeliveryStatus, ResponseCode, SendRecord

KEY = "CLIENT/connectorX"
AUTH = [("login", "CLIENT"), ("password", "P@ssw0rd")]
OUTCOMES = ("delivered", "undelivered", "expired")


def world_of(outcome: str, after: float) -> World:
    rules = SmsRules(
        outcomes=Weights(tuple((name, 1.0 if name == outcome else 0.0) for name in OUTCOMES)),
        delivery=Delay.fixed(after),
        failure_after=Delay.fixed(after),
        expire_after=Delay.fixed(after),
        reasons=Weights((("unknown subscriber", 1.0),)),
    )
    return World(seed=7, sms=rules)


def service_of(outcome: str = "delivered", after: float = 10.0, **options: Any) -> MfmsService:
    clock = SimClock(monotonic=lambda: 1000.0, wall=lambda: 1_700_000_000.0)
    clock.freeze(True)
    delivery = SmsDelivery(WorldRuntime(world_of(outcome, after), clock), queue_seconds=1.0)
    return MfmsService(delivery, [Connector()], **options)


def message(
    index: int, address: str = "79031111111", subject: str = "SUBJECT"
) -> list[tuple[str, str]]:
    return [
        (f"subject[{index}]", subject),
        (f"address[{index}]", address),
        (f"text[{index}]", "Hello"),
    ]


def send_lines(service: MfmsService, pairs: list[tuple[str, str]]) -> list[hpg.SendResult]:
    answer = service.send(KEY, pairs)
    assert answer.status == 200
    return [hpg.parse_send_line(line) for line in hpg.body_lines(answer.text)]


def status_of(service: MfmsService, provider_id: str) -> hpg.StatusResult:
    answer = service.status(KEY, [*AUTH, ("providerId[0]", provider_id)])
    (line,) = hpg.body_lines(answer.text)
    return hpg.parse_status_line(line)


@pytest.mark.parametrize(
    ("outcome", "final", "reason"),
    [
        ("delivered", DeliveryStatus.DELIVERED, ""),
        ("undelivered", DeliveryStatus.UNDELIVERED, "unknown-subscriber"),
        ("expired", DeliveryStatus.UNDELIVERED, "expired"),
    ],
)
def test_a_message_walks_enqueued_sent_final_on_the_simulated_clock(
    outcome: str, final: DeliveryStatus, reason: str
) -> None:
    service = service_of(outcome, after=10.0)
    clock = service.delivery.clock
    (result,) = send_lines(service, [*AUTH, *message(0)])
    assert result.code is ResponseCode.OK and result.client_id == "0"
    assert result.provider_id.isdigit()
    first = status_of(service, result.provider_id)
    assert first.status is DeliveryStatus.ENQUEUED
    assert first.moment == service.delivery.wall_time(clock.now())
    clock.advance(1.0)
    assert status_of(service, result.provider_id).status is DeliveryStatus.SENT
    clock.advance(9.5)
    assert status_of(service, result.provider_id).status is DeliveryStatus.SENT
    clock.advance(0.5)
    last = status_of(service, result.provider_id)
    assert (last.status, last.reason) == (final, reason)


def test_delayed_with_a_start_time_then_enqueued() -> None:
    service = service_of()
    delivery = service.delivery
    later = hpg.format_datetime(delivery.wall_time(delivery.clock.now() + 3600))
    (result,) = send_lines(service, [*AUTH, *message(0), ("startTime[0]", later)])
    assert status_of(service, result.provider_id).status is DeliveryStatus.DELAYED
    delivery.clock.advance(3600)
    assert status_of(service, result.provider_id).status is DeliveryStatus.ENQUEUED


def test_failed_and_cancelled() -> None:
    service = service_of()
    service.failed_messages = 1
    failed, normal = send_lines(service, [*AUTH, *message(0), *message(1)])
    service.delivery.clock.advance(1.0)
    assert status_of(service, failed.provider_id).status is DeliveryStatus.FAILED
    service.delivery.cancel(normal.provider_id)
    assert status_of(service, normal.provider_id).status is DeliveryStatus.CANCELLED
    assert service.failed_messages == 0


def test_per_message_codes_in_one_request() -> None:
    service = service_of(blocked=("7999",))
    pairs = [
        *AUTH,
        *message(0),
        *message(1, address="+79031111111"),
        *message(2, address="79991234567"),
        *message(3, subject="Bad;Subject!"),
        *message(4, subject="OTHER"),
        *message(5),
        ("startTime[5]", "tomorrow"),
    ]
    codes = [result.code for result in send_lines(service, pairs)]
    assert codes == [
        ResponseCode.OK,
        ResponseCode.ERROR_ADDRESS_FORMAT,
        ResponseCode.ERROR_ADDRESS_UNKNOWN,
        ResponseCode.ERROR_SUBJECT_FORMAT,
        ResponseCode.ERROR_SUBJECT_UNKNOWN,
        ResponseCode.ERROR_SYNTAX,
    ]
    assert len(service.delivery) == 1  # only the good one entered the platform


def test_client_ids_come_back_and_provider_ids_are_unique() -> None:
    service = service_of()
    pairs = [*AUTH, *message(0), ("clientId[0]", "a-1"), *message(1), ("clientId[1]", "b-2")]
    results = send_lines(service, pairs)
    results += send_lines(service, [*AUTH, *message(0)])
    assert [r.client_id for r in results] == ["a-1", "b-2", "0"]
    assert len({r.provider_id for r in results}) == 3
    service.delivery.reset()
    again = send_lines(service, [*AUTH, *message(0)])
    assert again[0].provider_id not in {r.provider_id for r in results}


@pytest.mark.parametrize("http500", [True, False])
def test_request_level_errors_in_both_profiles(http500: bool) -> None:
    service = service_of(error_profile="http500" if http500 else "http200")
    cases = [
        (service.send(KEY, [("login", "CLIENT"), ("password", "Password"), *message(0)]), "auth"),
        (service.send("CLIENT/other", [*AUTH, *message(0)]), "auth"),
        (service.send(KEY, [*message(0)]), "auth"),
        (service.send(KEY, [*AUTH, ("subject[0]", "SUBJECT")]), "syntax"),
        (service.status(KEY, [*AUTH, ("providerId[1]", "1")]), "syntax"),
    ]
    service.system_errors = 1
    cases.append((service.send(KEY, [*AUTH, *message(0)]), "system"))
    for answer, code in cases:
        assert answer.status == (500 if http500 else 200)
        assert hpg.parse_request_error(answer.status, answer.text) is ResponseCode(f"error-{code}")
    assert len(service.delivery) == 0
    assert service.send(KEY, [*AUTH, *message(0)]).accepted == 1  # the count is spent


def test_custom_parameter_names() -> None:
    connector = Connector(password_param="pass", subjects=frozenset({"SHOP"}))
    service = service_of()
    service.connectors = {connector.key: connector}
    ok = service.send(KEY, [("login", "CLIENT"), ("pass", "P@ssw0rd"), *message(0, subject="SHOP")])
    assert ok.accepted == 1
    refused = service.send(KEY, [*AUTH, *message(0, subject="SHOP")])
    assert hpg.parse_request_error(refused.status, refused.text) is ResponseCode.ERROR_AUTH


def test_unknown_provider_ids_have_their_own_lines() -> None:
    service = service_of()
    (sent,) = send_lines(service, [*AUTH, *message(0)])
    answer = service.status(
        KEY,
        [
            *AUTH,
            ("providerId[0]", "1001"),
            ("providerId[1]", sent.provider_id),
            ("providerId[2]", "x;y"),
        ],
    )
    assert hpg.body_lines(answer.text)[0] == "error-provider-id-unknown;1001;;;"
    assert hpg.body_lines(answer.text)[2] == "error-provider-id-unknown;;;;"
    assert hpg.parse_status_line(hpg.body_lines(answer.text)[1]).code is ResponseCode.OK


def test_query_decoding_is_strict() -> None:
    assert decode_pairs("a=%D0%9F&b=x+y&c") == [("a", "П"), ("b", "x y"), ("c", "")]
    for bad in ("a=%zz", "a=%D0", "a=%", "text[0]=%ff%fe"):
        with pytest.raises(QueryError):
            decode_pairs(bad)


def test_the_codec_builds_what_the_service_reads() -> None:
    service = service_of()
    records = [
        SendRecord("SUBJECT", f"7903111{i:04d}", f"Привет; {i}&=", f"c{i}") for i in range(50)
    ]
    query = hpg.build_send_query(Credentials("CLIENT", "P@ssw0rd"), records)
    results = send_lines(service, decode_pairs(query))
    assert [r.client_id for r in results] == [f"c{i}" for i in range(50)]
    assert all(r.code is ResponseCode.OK for r in results)
    assert parse_qsl(query)[4] == ("text[0]", "Привет; 0&=")


def measure_send_rate(messages: int = 20_000, batch: int = 300) -> float:
    """Messages per second through the send handler (decoding included)."""
    service = service_of()
    records = [SendRecord("SUBJECT", f"7903{i:07d}", "Hello there", str(i)) for i in range(batch)]
    query = hpg.build_send_query(Credentials("CLIENT", "P@ssw0rd"), records)
    started = time.perf_counter()
    for _ in range(messages // batch):
        service.send(KEY, decode_pairs(query))
    return (messages // batch) * batch / (time.perf_counter() - started)


def test_the_send_path_is_lean() -> None:
    assert (
        measure_send_rate(3000) > 1000
    )  # the full figure: python -m tests.simulators.mfms.test_service


if __name__ == "__main__":
    print(f"MFMS send handler: {measure_send_rate(100_000):,.0f} messages/s (batches of 300)")
