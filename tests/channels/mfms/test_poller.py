"""Status polling: reports on each change until final, unknown ids given up after N tries."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import respx
from nabat.system.channels import ChannelEvent, DeliveryReport, DeliveryStatus, OutgoingSms
from nabat.system.channels.mfms import STATUS_MAP
from nabat.system.wire.hpg import DeliveryStatus as HpgStatus

from .helpers import SEND, STATUS, make_route, ok_lines


def test_every_platform_status_has_a_meaning_and_only_final_ones_are_final() -> None:
    assert set(STATUS_MAP) == set(HpgStatus)
    for word, status in STATUS_MAP.items():
        assert status.final == word.final


async def test_reports_follow_the_platform_until_final() -> None:
    answers = iter(
        [
            "ok;1001;enqueued;2012.03.15 19:53:00;\nok;1002;enqueued;2012.03.15 19:53:00;\n",
            "ok;1001;sent;2012.03.15 19:53:01;\nok;1002;enqueued;2012.03.15 19:53:00;\n",
            "ok;1002;undelivered;2012.03.15 19:53:07;unknown-subscriber  \n"
            "ok;1001;delivered;2012.03.15 19:53:14;\n",
        ]
    )
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    status_calls = router.get(url__startswith=STATUS).mock(
        side_effect=lambda request: httpx.Response(200, text=next(answers))
    )
    route, _ = make_route(router)
    reports: list[DeliveryReport] = []

    async def handler(event: ChannelEvent) -> None:
        if isinstance(event, DeliveryReport):
            reports.append(event)

    route.subscribe(handler)
    async with route:
        await route.send_batch(
            [OutgoingSms("79031111111", "Hello"), OutgoingSms("79032222222", "Hey")]
        )
        for _ in range(3):
            await route.poller.poll_once()
        await route.poller.poll_once()  # nothing left: no request
        await asyncio.sleep(0.01)
    assert status_calls.call_count == 3
    assert "providerId[1]=1002" in str(status_calls.calls[0].request.url)
    assert [(r.provider_id, r.platform_status) for r in reports] == [
        ("1001", "enqueued"),
        ("1002", "enqueued"),
        ("1001", "sent"),
        ("1002", "undelivered"),
        ("1001", "delivered"),
    ]
    undelivered = reports[3]
    assert undelivered.status is DeliveryStatus.FAILED and undelivered.status.final
    assert undelivered.reason == "unknown-subscriber"
    assert undelivered.number == "79032222222"
    assert reports[4].discharged_at == datetime(2012, 3, 15, 19, 53, 14)
    assert route.poller.pending == 0


async def test_an_unknown_provider_id_becomes_final_after_n_tries() -> None:
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    router.get(url__startswith=STATUS).mock(
        return_value=httpx.Response(200, text="error-provider-id-unknown;1001;;;\n")
    )
    route, _ = make_route(router, unknown_tries=3)
    reports: list[DeliveryReport] = []

    async def handler(event: ChannelEvent) -> None:
        if isinstance(event, DeliveryReport):
            reports.append(event)

    route.subscribe(handler)
    async with route:
        await route.send_batch([OutgoingSms("79031111111", "Hello")])
        for _ in range(2):
            await route.poller.poll_once()
        assert route.poller.pending == 1
        await route.poller.poll_once()
        await asyncio.sleep(0.01)
    assert [(r.status, r.provider_id) for r in reports] == [(DeliveryStatus.UNKNOWN, "1001")]
    assert route.poller.pending == 0


async def test_a_failed_status_round_keeps_the_messages_and_error_auth_fails_the_route() -> None:
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    router.get(url__startswith=STATUS).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, text="error-auth\n")]
    )
    route, _ = make_route(router)
    async with route:
        await route.send_batch([OutgoingSms("79031111111", "Hello")])
        await route.poller.poll_once()
        assert route.poller.pending == 1
        await route.poller.poll_once()
        assert route.status().activity.value == "failed"


async def test_an_ok_answer_restarts_the_unknown_count_and_a_final_one_forgets_all() -> None:
    unknown = "error-provider-id-unknown;1001;;;\n"
    answers = iter(
        [unknown, unknown, "ok;1001;sent;2012.03.15 19:53:01;\n", unknown, unknown,
         "ok;1001;delivered;2012.03.15 19:53:14;\n"]
    )  # fmt: skip
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    router.get(url__startswith=STATUS).mock(
        side_effect=lambda request: httpx.Response(200, text=next(answers))
    )
    route, _ = make_route(router, unknown_tries=3)
    reports: list[DeliveryReport] = []

    async def handler(event: ChannelEvent) -> None:
        if isinstance(event, DeliveryReport):
            reports.append(event)

    route.subscribe(handler)
    async with route:
        await route.send_batch([OutgoingSms("79031111111", "Hello")])
        for _ in range(5):
            await route.poller.poll_once()
        assert route.poller.pending == 1  # two unknowns, ok, two unknowns: never three in a row
        await route.poller.poll_once()
        await asyncio.sleep(0.01)
    assert [r.platform_status for r in reports] == ["sent", "delivered"]
    assert route.poller.pending == 0
    assert not route.poller._last and not route.poller._unknown  # nothing kept once final
