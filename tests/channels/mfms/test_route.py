"""The MFMS route against respx: outcomes, retries that never duplicate, fatal errors, batching."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from nabat.system.channels import Activity, OutgoingSms, SubmitOutcome
from nabat.system.channels.mfms import PlatformUnavailable, RouteFailed

from .helpers import SEND, make_route, ok_lines, steps

MESSAGES = [OutgoingSms("79031111111", "Hello"), OutgoingSms("79032222222", "Hey, you")]


async def test_accepted_messages_carry_their_provider_ids() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    route, _ = make_route(router)
    async with route:
        results = await route.send_batch(MESSAGES)
    assert [r.outcome for r in results] == [SubmitOutcome.SUBMITTED] * 2
    assert [r.provider_id for r in results] == ["1001", "1002"]
    assert calls.call_count == 1
    params = calls.calls[0].request.url.params
    assert params["text[1]"] == "Hey, you" and params["login"] == "CLIENT"
    assert params["subject[0]"] == "SUBJECT" and params["clientId[1]"] == "1"
    assert route.poller.pending == 2


async def test_per_message_codes_refuse_only_those_messages() -> None:
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(
        return_value=httpx.Response(200, text="ok;0;1001\nerror-address-unknown;1;\n")
    )
    route, _ = make_route(router)
    async with route:
        first, second = await route.send_batch(MESSAGES)
    assert first.outcome is SubmitOutcome.SUBMITTED
    assert second.outcome is SubmitOutcome.REJECTED
    assert second.code == "error-address-unknown"


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("no answer"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("server disconnected without a response"),
    ],
)
async def test_a_request_that_may_have_arrived_is_never_resent(error: Exception) -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(side_effect=steps(error, ok_lines))
    route, _ = make_route(router)
    async with route:
        results = await route.send_batch(MESSAGES)
    assert calls.call_count == 1
    assert [r.outcome for r in results] == [SubmitOutcome.UNKNOWN] * 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="error-system: database is down\n"),
        httpx.Response(200, text="error-system\n"),
        httpx.Response(503, text="busy"),
        httpx.ConnectError("connection refused"),
    ],
)
async def test_failures_before_the_platform_took_anything_are_retried(
    failure: httpx.Response | Exception,
) -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(side_effect=steps(failure, failure, ok_lines))
    route, clock = make_route(router, backoff_initial=1.0, backoff_max=8.0)
    async with route:
        results = await route.send_batch(MESSAGES)
        assert route.status().activity is Activity.IDLE
    assert calls.call_count == 3
    assert [r.outcome for r in results] == [SubmitOutcome.SUBMITTED] * 2
    assert 0.5 <= clock.slept[0] <= 1.0 and 1.0 <= clock.slept[1] <= 2.0  # doubling, jittered


async def test_retries_are_bounded() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(
        return_value=httpx.Response(500, text="error-system\n")
    )
    route, _ = make_route(router, retries=2)
    async with route:
        with pytest.raises(PlatformUnavailable):
            await route.send_batch(MESSAGES)
    assert calls.call_count == 3


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, text="error-auth: bad password\n"),
        httpx.Response(200, text="error-auth\n"),
    ],
)
async def test_error_auth_fails_the_route_without_a_retry_storm(answer: httpx.Response) -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(return_value=answer)
    route, _ = make_route(router)
    async with route:
        with pytest.raises(RouteFailed):
            await route.send_batch(MESSAGES)
        assert route.status().activity is Activity.FAILED
        with pytest.raises(RouteFailed):
            await route.send_sms("79031111111", "again")
        assert calls.call_count == 1
        route.reset_failure()
        assert route.status().activity is Activity.IDLE


async def test_error_syntax_refuses_the_messages_once() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(
        return_value=httpx.Response(200, text="error-syntax\n")
    )
    route, _ = make_route(router)
    async with route:
        results = await route.send_batch(MESSAGES)
    assert calls.call_count == 1
    assert {(r.outcome, r.code) for r in results} == {(SubmitOutcome.REJECTED, "error-syntax")}


async def test_many_messages_split_into_requests_under_the_url_limit() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    route, _ = make_route(router, max_url_length=1024)
    messages = [OutgoingSms(f"7903{index:07d}", f"Сообщение номер {index}") for index in range(60)]
    async with route:
        results = await route.send_batch(messages)
    assert all(r.outcome is SubmitOutcome.SUBMITTED for r in results)
    assert calls.call_count > 1
    assert all(len(str(call.request.url)) <= 1024 for call in calls.calls)
    sent = [
        value
        for call in calls.calls
        for name, value in call.request.url.params.multi_items()
        if name.startswith("address[")
    ]
    assert sent == [m.number for m in messages]  # each once, in order


async def test_too_long_a_message_is_refused_clearly() -> None:
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    route, _ = make_route(router, max_url_length=512)
    async with route:
        short, long = await route.send_batch(
            [OutgoingSms("79031111111", "hi"), OutgoingSms("79032222222", "Ж" * 200)]
        )
    assert short.outcome is SubmitOutcome.SUBMITTED
    assert long.outcome is SubmitOutcome.REJECTED and "512" in long.detail


async def test_post_sends_the_same_parameters_as_a_form() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.post(SEND).mock(return_value=httpx.Response(200, text="ok;0;5\n"))
    route, _ = make_route(router, post=True, max_url_length=300)
    async with route:
        (result,) = await route.send_batch([OutgoingSms("79031111111", "Ж" * 400)])
    assert result.provider_id == "5"
    assert b"text%5B0%5D" not in calls.calls[0].request.content
    assert b"text[0]=%D0%96" in calls.calls[0].request.content


async def test_concurrent_single_sends_share_a_request() -> None:
    router = respx.MockRouter(assert_all_called=False)
    calls = router.get(url__startswith=SEND).mock(side_effect=ok_lines)
    route, _ = make_route(router, batch_window=0.01)
    async with route:
        results = await asyncio.gather(
            *(route.send_sms(f"7903000000{index}", "Проверка") for index in range(5))
        )
    assert calls.call_count == 1
    assert sorted(r.provider_id for r in results) == ["1001", "1002", "1003", "1004", "1005"]
