"""The FTP route end to end against the FTP platform simulator: both variants, any text.

Started with ``BackgroundFtpPlatform`` (a ``ftp_platform`` fixture was not in the
plugin yet when this was written); the simulator's poller is run by hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from nabat.system.channels import OutgoingSms, SubmitOutcome
from nabat.system.channels.ftp_platform import FtpPlatformRoute, FtpPlatformSettings

runner = pytest.importorskip("nabat.simulators.ftp_platform.runner")
app = pytest.importorskip("nabat.simulators.ftp_platform.app")

TEXTS = ['Привет; "мир"\nвторая строка', "Hi #attr1# & 100%", "Учения"]


@pytest.fixture(scope="module")
def simulator() -> Iterator[Any]:
    config = app.FtpPlatformConfig(port=0, control_port=0, frozen_clock=True)
    platform = runner.BackgroundFtpPlatform(config).start()
    try:
        yield platform
    finally:
        platform.stop()


@pytest.mark.parametrize("variant", ["template", "plain"])
async def test_the_platform_takes_every_message_as_written(simulator: Any, variant: str) -> None:
    settings = FtpPlatformSettings(
        host=simulator.host,
        port=simulator.port,
        sender="TESTSMS",
        variant=variant,
        watch_interval=10_000.0,
    )
    messages = [OutgoingSms(f"7903222{index:04d}", text) for index, text in enumerate(TEXTS)]
    async with FtpPlatformRoute(settings) as route:
        results = await route.send_batch(messages)
        assert [r.outcome for r in results] == [SubmitOutcome.SUBMITTED] * 3
        (processed,) = await asyncio.to_thread(simulator.control.poll)
        assert (processed["outcome"], processed["messages"]) == ("accepted", 3)
        await route.check_pickups()
        assert route.watching() == []
    taken = await asyncio.to_thread(simulator.control.messages, 3)
    assert [(m["address"], m["text"], m["sender"]) for m in taken] == [
        (m.number, m.text, "TESTSMS") for m in messages
    ]
