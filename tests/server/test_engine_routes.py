"""End to end: SMS and e-mail tasks through every route the server drives, checked against
the simulators' journals and the world's decisions abonent by abonent.

* SMS through simulated GSM modems (profile ``simcom``, in this process, speed 40): every
  SMS asks for a status report (the simulator sends +CDS only then), the world decides
  delivered / undelivered, and the reports finish the targets; a MONITORING session sees
  the task RUNNING, then FINISHED.
* SMS through the MFMS simulator (its clock sped up, the route polling fast): one batch,
  provider ids, status polls; an address the platform refuses is rejected and retried
  until exhausted, never lost.
* SMS through the FTP platform simulator (frozen clock, advanced by the test): one archive
  per job, picked up by the platform's poller; a number the platform would refuse (and
  with it the whole archive) is rejected before the upload.
* E-mail through the SMTP sink: Russian subject and body arrive decoded; a domain the
  world rejects at RCPT is retried until exhausted.

The server's engine clock runs at ``SPEED``, so retry intervals and report waits pass
quickly. SMS tasks over a platform alone start without any GSM modem: the
development licence has ``sms_gateway`` (docs/licence.md), and the working route
stands in for a modem.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

from nabat.simulators.gsm_modem import Timing
from nabat.simulators.pytest_plugin import GsmSimulatorFactory
from nabat.system.engine.records import TargetRecord
from nabat.system.protocol import (
    Abonent,
    ChannelType,
    Phone,
    TaskProgress,
    abonent_request,
    as_notification,
)
from nabat.system.server.channelconfig import ChannelSpec

from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

SPEED = 40.0
FAST = "health_interval=0.5;reopen_initial=0.1;reopen_max=0.4;command_timeout=3"
NUMBERS = [f"791000000{index:02d}" for index in range(1, 6)]
TEXT = "Внимание, учения в 10:00"
SUBJECT = "Тревога: учения"


async def add_task(client: WireClient, ttype: str, *, numbers: Sequence[str] = (),
                   emails: Sequence[str] = (), addinfo: str = "", status: str = "0",
                   rkey: str = "", rpin: str = "", rsms: str = "") -> str:  # fmt: skip
    """A list of one abonent per number (or e-mail address), a message, the task's id."""
    lid = (await client.request("ADDLIST", "Учения", "")).head[0]
    gid = (await client.request("ADDGROUP", "Смена", "")).head[0]
    ids = []
    for index, address in enumerate([*numbers, *emails]):
        abonent = Abonent(
            gid=int(gid), name=f"Сотрудник {index}",
            phones=(Phone(phone=address),) if address in numbers else (),
            emails=(address,) if address in emails else (),
        )  # fmt: skip
        await client.send_lines(abonent_request(abonent))
        reply = await client.collect("ADDABONENT")
        assert reply.ok, reply
        ids.append(reply.head[0])
    assert (await client.request("LISTADDABONENTS", lid, ",".join(ids))).ok
    mid = (await client.request("ADDMESSAGE", "2", SUBJECT, TEXT, "", "")).head[0]
    reply = await client.request("ADDTASK", ttype, status, "Учения", lid, mid, "0", "", "",
                                 rkey, rpin, rsms, "", addinfo)  # fmt: skip
    assert reply.ok, reply
    return reply.head[0]


async def wait_finished(client: WireClient, tid: str, seconds: float = 20,
                        tick: Callable[[], Any] | None = None) -> TaskProgress:  # fmt: skip
    """GETTASKINFO until FINISHED; ``tick`` (run in a thread) moves a simulator on."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        info = (await client.request("GETTASKINFO", tid)).head_record(TaskProgress)
        if info.status == 3:
            return info
        if tick is not None:
            await asyncio.to_thread(tick)
        await asyncio.sleep(0.1)
    raise AssertionError(f"task {tid} did not finish: {info}")


def targets_of(server: Running, tid: str) -> dict[str, TargetRecord]:
    return {t.addresses[0]: t for t in server.context.store.progress.report_targets(int(tid))}


def decisions(journal: list[dict[str, Any]], kind: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in journal:
        if entry["kind"] == kind:
            found.setdefault(entry["address"], []).append(entry)
    return found


async def statuses_seen(watcher: WireClient, tid: str, last: int) -> list[int]:
    """The statuses of task ``tid`` a MONITORING session was told, up to ``last``."""
    seen: list[int] = []
    while not seen or seen[-1] != last:
        line = watcher.notifications.pop(0) if watcher.notifications else await watcher.line()
        assert line is not None, seen
        summary = as_notification(line)
        if summary is not None and str(summary.id) == tid:
            seen.append(int(summary.status))
    return seen


async def test_sms_over_gsm_status_reports_finish_targets_and_monitoring_sees_it(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = gsm_simulator_factory(modems=2, profile="simcom", timing=Timing.instant(), pty=False,
                                in_process=True, speed=SPEED)  # fmt: skip
    sim.world.add_override({"range": [NUMBERS[0], NUMBERS[-1]],
                            "sms": {"outcomes": {"delivered": 1}, "report": 1.0,
                                    "delivery": [1, 3]}})  # fmt: skip
    sim.world.add_override({"number": NUMBERS[2],
                            "sms": {"outcomes": {"undelivered": 1}, "report": 1.0,
                                    "failure_after": [1, 3]}})  # fmt: skip
    channels = tuple(ChannelSpec(ctype=ChannelType.GSM, name=f"Модем {i}",
                                 settings=f"port={url};{FAST}")
                     for i, url in enumerate(sim.urls))  # fmt: skip
    server = await start_server(channels=channels, clock_speed=SPEED)
    admin = await server.client("admin")
    watcher = await server.client("viewer")
    assert (await watcher.request("MONITORING", "1")).head == ("1",)
    tid = await add_task(admin, "2", numbers=NUMBERS, addinfo="attempts=2;interval=20;sms_wait=60")
    assert (await admin.request("STARTTASK", tid, "1")).head[3] == "1"
    info = await wait_finished(admin, tid)
    assert await statuses_seen(watcher, tid, last=3) == [1, 3]
    report = await admin.request("GETREPORT", tid, "HTML")
    assert report.ok and "Сотрудник 2".encode() in report.data()
    await watcher.close()
    await admin.close()

    targets = targets_of(server, tid)
    world = decisions(await asyncio.to_thread(sim.world.journal, 1000), "sms")
    for number, target in targets.items():
        sent = [a for a in target.attempts if a.outcome != "not_attempted"]
        # one world decision per SMS submitted, with a report asked and received
        assert [a.outcome for a in sent] == [d["outcome"] for d in world[number]], number
        assert all(d["report"] for d in world[number])
        assert all(a.channel.startswith("gsm") and a.reference for a in sent)
        if number == NUMBERS[2]:
            assert target.state.value == "exhausted" and len(sent) == 2
        else:
            assert target.state.value == "notified" and len(sent) == 1
    assert (info.total, info.processed, info.confirmed, info.failed) == (5, 5, 4, 1)


async def test_sms_over_mfms_batches_polls_and_rejections(
    start_server: Start, mfms_simulator: Any
) -> None:
    control = mfms_simulator.control
    control.set_clock(speed=50)
    control.add_override(range=[NUMBERS[0], NUMBERS[-1]],
                         sms={"outcomes": {"delivered": 1}, "delivery": [1, 3]})  # fmt: skip
    control.add_override(number=NUMBERS[2],
                         sms={"outcomes": {"undelivered": 1}, "failure_after": [1, 3]})  # fmt: skip
    bad = "0123456789"  # the platform's error-address-format: not international
    settings = (f"base_url={mfms_simulator.url}/CLIENT/connectorX;login=CLIENT;"
                "password=P@ssw0rd;poll_interval=0.2;batch_window=0.01")  # fmt: skip
    server = await start_server(
        channels=(ChannelSpec(ctype=ChannelType.MFMS, name="MFMS", settings=settings),),
        clock_speed=SPEED,
    )  # fmt: skip
    admin = await server.client("admin")
    tid = await add_task(admin, "2", numbers=[*NUMBERS, bad],
                         addinfo="attempts=2;interval=20;sms_wait=60")  # fmt: skip
    assert (await admin.request("STARTTASK", tid, "1")).ok
    info = await wait_finished(admin, tid)
    await admin.close()

    targets = targets_of(server, tid)
    accepted = {m["provider_id"]: m for m in control.messages(100)}
    for number in NUMBERS:
        target = targets[number]
        for attempt in target.attempts:
            message = accepted[attempt.reference]  # the provider id the platform gave
            assert message["address"] == number and message["text"] == TEXT
            assert attempt.outcome == message["status"] == message["decision"]["outcome"]
        expected = "exhausted" if number == NUMBERS[2] else "notified"
        assert target.state.value == expected
        assert len(target.attempts) == (2 if number == NUMBERS[2] else 1)
    rejected = targets[bad]
    assert rejected.state.value == "exhausted"
    assert [(a.outcome, a.detail) for a in rejected.attempts] == [
        ("rejected", "error-address-format")
    ] * 2
    assert all(m["address"] != bad for m in accepted.values())
    sends = [e for e in control.journal(100) if e["path"].endswith("/send")]
    assert int(sends[0]["params"]["accepted"]) == len(NUMBERS)  # the first round: one batch
    assert any(e["path"].endswith("/status") for e in control.journal(100))
    assert (info.total, info.processed, info.confirmed, info.failed) == (6, 6, 4, 2)


async def test_sms_over_the_ftp_platform_one_archive_every_target_accounted_for(
    start_server: Start, ftp_platform: Any
) -> None:
    control = ftp_platform.control
    short = "12345"  # would make the platform refuse the whole archive
    settings = (f"host={ftp_platform.host};port={ftp_platform.port};login=guest;"
                "password=guest;sender=TESTSMS;watch_interval=0.2;batch_window=0.05")  # fmt: skip
    server = await start_server(
        channels=(ChannelSpec(ctype=ChannelType.FTP_PLATFORM, name="FTP", settings=settings),),
        clock_speed=SPEED,
    )  # fmt: skip
    admin = await server.client("admin")
    tid = await add_task(admin, "2", numbers=[*NUMBERS, short],
                         addinfo="attempts=2;interval=20;sms_wait=20")  # fmt: skip
    assert (await admin.request("STARTTASK", tid, "1")).ok
    info = await wait_finished(admin, tid, tick=lambda: control.advance_clock(10))
    await admin.close()

    archives = control.archives(10)
    assert [(a["outcome"], a["messages"]) for a in archives] == [("accepted", len(NUMBERS))]
    taken = {m["address"]: m for m in control.messages(100)}
    assert set(taken) == set(NUMBERS) and all(m["text"] == TEXT for m in taken.values())
    targets = targets_of(server, tid)
    for number in NUMBERS:
        (attempt,) = targets[number].attempts
        assert targets[number].state.value == "sent"  # the platform gives no delivery reports
        assert attempt.reference.startswith(archives[0]["name"] + "#")
    refused = targets[short]
    assert refused.state.value == "exhausted"
    assert [a.outcome for a in refused.attempts] == ["rejected", "rejected"]
    assert (info.total, info.processed) == (6, 6)


async def test_email_over_smtp_russian_text_and_rejected_recipients(
    start_server: Start, smtp_sink: Any
) -> None:
    control = smtp_sink.control
    control.add_override(domain="example.org", email={"outcomes": {"accepted": 1}})
    control.add_override(domain="gone.example.org", email={"outcomes": {"rejected": 1}})
    emails = ["ivanov@example.org", "petrov@example.org", "nobody@gone.example.org"]
    settings = f"host={smtp_sink.host};port={smtp_sink.port};ca_file={smtp_sink.ca_file}"
    server = await start_server(
        channels=(ChannelSpec(ctype=ChannelType.SMTP, name="Почта", settings=settings),),
        clock_speed=SPEED,
    )  # fmt: skip
    admin = await server.client("admin")
    tid = await add_task(admin, "3", emails=emails, addinfo="attempts=2;interval=10")
    assert (await admin.request("STARTTASK", tid, "1")).ok
    info = await wait_finished(admin, tid)
    report = await admin.request("GETREPORT", tid, "HTML")
    assert report.ok and b"nobody@gone.example.org" in report.data()
    await admin.close()

    received = control.messages(100)
    assert sorted(r["address"] for m in received for r in m["recipients"]) == emails[:2]
    for message in received:
        assert message["subject"] == SUBJECT and message["session"]["tls"]
        assert [p["text"].strip() for p in message["parts"]] == [TEXT]
    world = decisions(control.world_journal(100), "email")
    targets = targets_of(server, tid)
    for address, target in targets.items():
        outcomes = [d["outcome"] for d in world[address]]
        if address.endswith("@gone.example.org"):
            assert outcomes == ["rejected", "rejected"] and target.state.value == "exhausted"
            assert all(a.detail.startswith("550") for a in target.attempts)
        else:
            assert outcomes == ["accepted"] and target.state.value == "notified"
            assert [a.outcome for a in target.attempts] == ["sent"]
    assert (info.total, info.processed, info.confirmed, info.failed) == (3, 3, 2, 1)
