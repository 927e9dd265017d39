"""The MFMS route end to end against the MFMS simulator (``mfms_simulator``): HTTP and HTTPS."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from nabat.system.channels import ChannelEvent, DeliveryReport, OutgoingSms, SubmitOutcome
from nabat.system.channels.mfms import MfmsRoute, MfmsSettings


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_messages_reach_the_platform_and_reports_come_back_final(
    mfms_simulator: Any, scheme: str
) -> None:
    base = mfms_simulator.url if scheme == "http" else mfms_simulator.tls_url
    settings = MfmsSettings(
        base_url=f"{base}/CLIENT/connectorX",
        ca_file=str(mfms_simulator.ca_file),
        poll_interval=10_000.0,  # polled by hand below
        max_url_length=600,  # several requests for these messages
    )
    reports: list[DeliveryReport] = []

    async def handler(event: ChannelEvent) -> None:
        if isinstance(event, DeliveryReport):
            reports.append(event)

    messages = [
        OutgoingSms(f"7903111{index:04d}", f"Учения {index}: & ; # %") for index in range(8)
    ]
    route = MfmsRoute(settings)
    route.subscribe(handler)
    async with route:
        results = await route.send_batch([*messages, OutgoingSms("123", "bad address")])
        assert [r.outcome for r in results[:-1]] == [SubmitOutcome.SUBMITTED] * 8
        assert (results[-1].outcome, results[-1].code) == (
            SubmitOutcome.REJECTED,
            "error-address-format",
        )
        assert route.requests_made > 1
        journal = await asyncio.to_thread(mfms_simulator.control.messages, 100)
        by_id = {entry["provider_id"]: entry for entry in journal}
        for message, result in zip(messages, results, strict=False):
            assert by_id[result.provider_id]["text"] == message.text
            assert by_id[result.provider_id]["address"] == message.number
        await asyncio.to_thread(mfms_simulator.control.set_clock, advance=3 * 86400.0)
        await route.poller.poll_once()
        await asyncio.sleep(0.05)
    assert route.poller.pending == 0
    finals = {r.provider_id: r for r in reports if r.status.final}
    assert set(finals) == {r.provider_id for r in results[:-1]}
    expected = {"delivered": "delivered", "undelivered": "undelivered", "expired": "undelivered"}
    for report in finals.values():
        decision = by_id[report.provider_id]["decision"]["outcome"]
        assert report.platform_status == expected[decision]
