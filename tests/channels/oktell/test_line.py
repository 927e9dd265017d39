"""The Oktell line against a scripted PBX (httpx.MockTransport): outcomes, hang-up, health."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from nabat.system.channels import Activity, CallOutcome, ChannelUnavailable, IncomingCall
from nabat.system.channels.base import ChannelError, ChannelEvent
from nabat.system.channels.oktell import LineFailed

from .fake_pbx import FakePbx, make_line, ringing_info, wav


async def ready(fake: FakePbx, **options: object):  # type: ignore[no-untyped-def]
    line = make_line(fake, **options)
    await line.check()
    assert line.status().activity is Activity.IDLE
    return line


@pytest.mark.parametrize(
    ("value", "outcome", "keys", "confirmed"),
    [
        ("key:1", CallOutcome.ANSWERED, "1", True),
        ("key:2", CallOutcome.ANSWERED, "2", False),
        ("nokey", CallOutcome.ANSWERED, "", False),
        ("hungup", CallOutcome.ANSWERED, "", False),
        ("busy", CallOutcome.BUSY, "", False),
        ("noanswer", CallOutcome.NO_ANSWER, "", False),
        ("unreachable", CallOutcome.UNREACHABLE, "", False),
        ("rejected", CallOutcome.REJECTED, "", False),
        ("blocked", CallOutcome.REJECTED, "", False),
    ],
)
async def test_script_results_become_call_outcomes(
    value: str, outcome: CallOutcome, keys: str, confirmed: bool
) -> None:
    fake = FakePbx(results=[value])
    line = await ready(fake)
    result = await line.call("79031111111", confirm="1", dtmf_timeout=20)
    assert (result.outcome, result.keys, result.confirmed) == (outcome, keys, confirmed)
    run = next(r for r in fake.requests if r.url.path == "/execsvcscript")
    params = run.url.params
    assert params["name"] == "notify" and params["startparam1"] == "79031111111"
    assert params["startparam3"] == "1" and params["startparam4"] == "20"
    assert params["async"] == "0" and float(params["timeout"]) == 60 + 20 + 15
    assert "wp_autocallstop" not in fake.commands()  # the script ended the call itself
    assert line.status().activity is Activity.IDLE


async def test_durations_reported_by_the_script_are_used() -> None:
    line = await ready(FakePbx(results=["key:1;ring=7.5;talk=12"]))
    result = await line.call("79031111111", confirm="1")
    assert (result.ring_seconds, result.talk_seconds) == (7.5, 12.0)


async def test_audio_is_uploaded_once_per_distinct_message() -> None:
    fake = FakePbx(results=["key:1", "key:1", "key:1"])
    line = await ready(fake)
    first, second = wav(1.0), wav(2.0)
    for message in (first, first, second):
        await line.call("79031111111", confirm="1", message=message)
    uploads = [r for r in fake.requests if r.url.path == "/upload"]
    assert len(uploads) == 2
    runs = [r.url.params for r in fake.requests if r.url.path == "/execsvcscript"]
    assert runs[0]["startparam2"] == runs[1]["startparam2"] != runs[2]["startparam2"]
    assert runs[0]["startparam2"].startswith("nabat-") and runs[0]["startparam2"].endswith(".wav")
    # the script's timeout covers the message too (1 s, then 2 s)
    assert float(runs[0]["timeout"]) == 60 + 1 + 30 + 15
    assert float(runs[2]["timeout"]) == 60 + 2 + 30 + 15


async def test_audio_that_is_not_8khz_mono_is_refused_before_anything_is_sent() -> None:
    fake = FakePbx()
    line = await ready(fake)
    before = len(fake.requests)
    with pytest.raises(ValueError, match="8000 Hz 16-bit mono"):
        await line.call("79031111111", message=wav(1.0, rate=16000))
    assert fake.commands()[before:] == []  # nothing dialled: nothing to hang up
    assert line.status().activity is Activity.IDLE


async def test_no_result_within_the_timeout_fails_the_call_and_hangs_up() -> None:
    fake = FakePbx(results=[None])
    line = await ready(fake)
    result = await line.call("79031111111", confirm="1")
    assert result.outcome is CallOutcome.FAILED and "no result" in result.detail
    assert fake.commands()[-1] == "wp_autocallstop"
    assert fake.requests[-1].url.params["line"] == "16038"


async def test_unknown_return_value_fails_the_call_and_hangs_up() -> None:
    fake = FakePbx(results=["key:<script>"])
    line = await ready(fake)
    result = await line.call("79031111111")
    assert result.outcome is CallOutcome.FAILED and "unexpected" in result.detail
    assert fake.commands()[-1] == "wp_autocallstop"


async def test_no_free_line_is_channel_unavailable() -> None:
    line = await ready(FakePbx(results=["noline"]))
    with pytest.raises(ChannelUnavailable, match="no free line"):
        await line.call("79031111111")
    assert line.status().activity is Activity.IDLE


async def test_cancellation_hangs_up_and_frees_the_line() -> None:
    fake = FakePbx(script_started=asyncio.Event(), hold_script=asyncio.Event())
    line = await ready(fake, stop_script="notifystop")
    task = asyncio.create_task(line.call("79031111111", confirm="1"))
    await fake.script_started.wait()  # type: ignore[union-attr]
    assert line.status().activity is Activity.DIALING
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.commands()[-2:] == ["execsvcscript", "wp_autocallstop"]
    stop = fake.requests[-2].url.params
    assert (stop["name"], stop["startparam1"], stop["async"]) == ("notifystop", "79031111111", "1")
    assert line.status().activity is Activity.IDLE


async def test_wrong_password_fails_the_line_without_a_retry_storm() -> None:
    fake = FakePbx(password="right", results=["key:1"])
    line = make_line(fake, password="wrong")
    await line.check()
    assert line.status().activity is Activity.FAILED
    assert "password" in line.status().text and "wrong" not in line.status().text
    with pytest.raises(LineFailed):
        await line.call("79031111111")
    assert fake.commands() == ["wp_getabonentinfo"]  # the call sent nothing


async def test_password_goes_as_a_parameter_and_as_basic_auth() -> None:
    fake = FakePbx(password="s3cret", results=["key:1"])
    line = await ready(fake, password="s3cret")
    await line.call("79031111111", confirm="1")
    for request in fake.requests:
        assert request.url.params["password"] == "s3cret"
        assert request.headers["authorization"].startswith("Basic ")
    basic_only = FakePbx()
    line = await ready(basic_only, password="s3cret", auth="basic")
    assert "password" not in basic_only.requests[0].url.params
    assert "s3cret" not in repr(line.settings)


async def test_a_5xx_fails_the_call_and_the_line_recovers_after_a_probe() -> None:
    fake = FakePbx(results=[503])
    line = await ready(fake)
    result = await line.call("79031111111")
    assert result.outcome is CallOutcome.FAILED and "503" in result.detail
    assert line.status().activity is Activity.RECOVERING
    with pytest.raises(ChannelUnavailable):
        await line.call("79031111111")
    await line.check()
    assert line.status().activity is Activity.IDLE


async def test_connection_refused_is_recovering() -> None:
    fake = FakePbx(results=[httpx.ConnectError("refused")])
    line = await ready(fake)
    result = await line.call("79031111111")
    assert result.outcome is CallOutcome.FAILED
    assert line.status().activity is Activity.RECOVERING
    fake.info_status = 500
    await line.check()
    assert line.status().protocol_state.name == "FAULT"


async def test_line_states_at_the_pbx_show_in_the_status() -> None:
    fake = FakePbx()
    line = await ready(fake)
    for code, label, activity in [(0, "lsDisconnected", Activity.NO_NETWORK),
                                  (32, "lsCommutated", Activity.IN_CALL),
                                  (1, "lsFree", Activity.IDLE)]:  # fmt: skip
        fake.line_info = type(fake.line_info)(None, label, code)
        await line.check()
        assert line.status().activity is activity
    fake.info_status = 404
    await line.check()
    assert line.status().activity is Activity.FAILED


async def test_incoming_calls_are_announced_once_and_can_be_declined() -> None:
    fake = FakePbx()
    line = await ready(fake)
    events: list[ChannelEvent] = []

    async def handler(event: ChannelEvent) -> None:
        events.append(event)

    line.subscribe(handler)
    fake.line_info = ringing_info("79035550000")
    await line.check()
    await line.check()
    await asyncio.sleep(0)
    calls = [e for e in events if isinstance(e, IncomingCall)]
    assert len(calls) == 1 and calls[0].caller == "79035550000"
    assert line.status().activity is Activity.RINGING
    with pytest.raises(ChannelError, match="no command to answer"):
        await calls[0].control.answer()
    await calls[0].control.reject()
    assert fake.commands()[-1] == "wp_declinecall"
    assert fake.requests[-1].url.params["line"] == "16038"


async def test_on_answer_gets_the_finished_call_keys() -> None:
    line = await ready(FakePbx(results=["key:12"]))
    seen: list[str | None] = []

    async def hook(session) -> None:  # type: ignore[no-untyped-def]
        assert session.ended
        seen.extend([await session.next_key(1), await session.next_key(1),
                     await session.next_key(1)])  # fmt: skip

    result = await line.call("79031111111", confirm="12", on_answer=hook)
    assert result.confirmed and seen == ["1", "2", None]


async def test_supervisor_keeps_probing_and_stop_is_clean() -> None:
    fake = FakePbx()
    line = make_line(fake, poll_interval=0.01)
    await line.start()
    for _ in range(200):
        if fake.commands().count("wp_getabonentinfo") >= 3:
            break
        await asyncio.sleep(0.005)
    assert fake.commands().count("wp_getabonentinfo") >= 3
    assert line.status().activity is Activity.IDLE
    await line.stop()
    assert line.status().activity is Activity.STOPPED
