"""Messages, tasks, STARTTASK/STOPTASK with the licence, MONITORING, reports."""

from __future__ import annotations

from datetime import date

from nabat.system.engine.engine import TaskEngine
from nabat.system.licence import Licence
from nabat.system.protocol import (
    Abonent,
    Phone,
    TaskProgress,
    TaskStatus,
    abonent_request,
    as_notification,
    file_upload,
)
from nabat.system.server.monitor import MonitorHub

from tests.engine.fakes import FakeSource
from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

EMPTY_TASK_TAIL = ("0", "", "", "", "", "", "", "")  # priority .. addinfo


def code(reply: object) -> str | None:
    error = getattr(reply, "error", None)
    return None if error is None else str(error.code)


async def _fixtures(client: WireClient) -> tuple[str, str]:
    """A list holding one abonent (no channel is driven here, so a started task stays
    RUNNING: nothing can reach the abonent) and a message."""
    lid = (await client.request("ADDLIST", "list", "")).head[0]
    gid = (await client.request("ADDGROUP", "group", "")).head[0]
    abonent = Abonent(gid=int(gid), name="Иванов", phones=(Phone(phone="+79001234567"),),
                      emails=("ivanov@example.org",))  # fmt: skip
    await client.send_lines(abonent_request(abonent))
    added = await client.collect("ADDABONENT")
    assert added.ok, added
    assert (await client.request("LISTADDABONENTS", lid, added.head[0])).ok
    mid = (await client.request("ADDMESSAGE", "1", "Тревога", "текст 5%", "", "")).head[0]
    return lid, mid


async def _add_task(client: WireClient, ttype: str = "0", name: str = "Учения") -> str:
    lid, mid = await _fixtures(client)
    reply = await client.request("ADDTASK", ttype, "0", name, lid, mid, *EMPTY_TASK_TAIL)
    assert reply.ok, reply
    return reply.head[0]


async def test_messages(running: Running) -> None:
    oper = await running.client("oper")
    reply = await oper.request("ADDMESSAGE", "1", "Тревога", "текст 5%", "", "")
    assert reply.ok and reply.head[1:6] == ("1", "Тревога", "текст 5%", "", "")
    mid = reply.head[0]
    assert [row[0] for row in (await oper.request("MESSAGES")).rows] == [mid]
    reply = await oper.request("UPDATEMESSAGE", mid, "2", "SMS", "привет", "", "")
    assert reply.ok and reply.head[1:3] == ("2", "SMS")
    assert code(await oper.request("UPDATEMESSAGE", "99", "2", "x", "", "", "")) == (
        "ERR_UPDATEMESSAGE"
    )
    lid = (await oper.request("ADDLIST", "l", "")).head[0]
    task = await oper.request("ADDTASK", "2", "0", "t", lid, mid, *EMPTY_TASK_TAIL)
    assert code(await oper.request("DELMESSAGE", mid)) == "ERR_MESSAGEUSE"
    assert code(await oper.request("DELLIST", lid)) == "ERR_LISTUSE"
    assert (await oper.request("DELTASK", task.head[0])).ok
    assert (await oper.request("DELMESSAGE", mid)).ok
    assert code(await oper.request("DELMESSAGE", mid)) == "ERR_DELMESSAGE"
    await oper.close()


async def test_task_crud(running: Running) -> None:
    oper = await running.client("oper")
    lid, mid = await _fixtures(oper)
    reply = await oper.request("ADDTASK", "0", "0", "Учения 1", lid, mid, *EMPTY_TASK_TAIL)
    assert reply.ok and reply.head[1:] == ("Учения 1", "0", "0")
    tid = reply.head[0]
    assert code(await oper.request("ADDTASK", "0", "1", "x", lid, mid, *EMPTY_TASK_TAIL)) == (
        "ERR_ADDTASK"
    )
    assert code(await oper.request("ADDTASK", "0", "0", "x", "99", mid, *EMPTY_TASK_TAIL)) == (
        "ERR_ADDTASK"
    )
    listing = await oper.request("GETTASKS")
    assert listing.head == ("1",) and listing.rows == ((tid, "Учения 1", "0", "0"),)
    reply = await oper.request("GETTASK", tid)
    assert reply.head[:5] == (tid, "0", "Учения 1", lid, mid)
    assert code(await oper.request("GETTASK", "99")) == "ERR_GETTASK"
    reply = await oper.request("UPDATETASK", tid, "3", "2", "новое", lid, mid, *EMPTY_TASK_TAIL)
    assert reply.ok and reply.head == (tid, "новое", "3", "2")
    assert (
        code(await oper.request("UPDATETASK", "99", "3", "0", "x", lid, mid, *EMPTY_TASK_TAIL))
        == "ERR_GETTASK"
    )
    assert (
        code(await oper.request("UPDATETASK", tid, "3", "1", "x", lid, mid, *EMPTY_TASK_TAIL))
        == "ERR_UPDATETASK"
    )
    assert (await oper.request("DELTASK", tid)).head == (tid,)
    assert code(await oper.request("DELTASK", tid)) == "ERR_GETTASK"
    await oper.close()


async def test_start_stop_and_monitoring(running: Running) -> None:
    oper = await running.client("oper")
    watcher = await running.client("viewer")
    assert (await watcher.request("MONITORING")).head == ("1",)
    tid = await _add_task(oper)
    reply = await oper.request("STARTTASK", tid, "1")
    assert reply.ok and reply.word == "UPDATETASK" and reply.head == (tid, "Учения", "0", "1")
    again = await oper.request("STARTTASK", tid, "0")  # already running: its status
    assert again.head == (tid, "Учения", "0", "1")
    assert code(await oper.request("DELTASK", tid)) == "ERR_ADDTASK"  # running
    lid, mid = (await oper.request("GETTASK", tid)).head[3:5]
    running_update = await oper.request(
        "UPDATETASK", tid, "0", "1", "Учения", lid, mid, *EMPTY_TASK_TAIL
    )
    assert code(running_update) == "ERR_UPDATETASK"  # running: stop it first
    assert "STOPTASK" in running_update.error.text  # type: ignore[union-attr]
    info = (await oper.request("GETTASKINFO", tid)).head_record(TaskProgress)
    assert info.status == 1 and info.starttime is not None and info.endtime is None
    reply = await oper.request("STOPTASK", tid)
    assert reply.head == (tid, "Учения", "0", "0")
    assert code(await oper.request("STOPTASK", tid)) == "ERR_TASKNOTRUNNING"
    assert code(await oper.request("STARTTASK", "99", "0")) == "ERR_GETTASK"
    # the watcher got both changes, unsolicited, and they do not break a reply
    assert (await watcher.request("PING")).ok
    statuses = []
    for _ in range(2):
        line = await watcher.line() if not watcher.notifications else watcher.notifications.pop(0)
        assert line is not None
        summary = as_notification(line)
        assert summary is not None
        statuses.append(int(summary.status))
    assert statuses == [1, 0]
    assert (await watcher.request("MONITORING", "0")).head == ("0",)
    await oper.close()
    await watcher.close()


async def test_monitoring_not_inside_a_listing(running: Running) -> None:
    oper = await running.client("oper")
    tid = await _add_task(oper)
    await oper.request("MONITORING", "1")
    await oper.send("STARTTASK", tid, "1")
    await oper.send("GETTASKS")
    lines = [await oper.line() for _ in range(5)]  # reply, note, BEGIN, DATA, END
    words = [(line.command, line.params[0]) for line in lines if line is not None]
    listing = [w for w in words if w[0] == "GETTASKS"]
    assert listing == [("GETTASKS", "BEGIN"), ("GETTASKS", "DATA"), ("GETTASKS", "END")]
    first = words.index(("GETTASKS", "BEGIN"))
    assert words[first : first + 3] == listing  # contiguous
    await oper.close()


async def test_report(running: Running) -> None:
    oper = await running.client("oper")
    tid = await _add_task(oper)
    assert code(await oper.request("GETREPORT", "99")) == "ERR_GETREPORT"
    assert code(await oper.request("GETREPORT", tid)) == "ERR_TASKNOTRUNNING"
    await oper.request("STARTTASK", tid, "1")
    reply = await oper.request("GETREPORT", tid)
    assert reply.ok and reply.head == ("HTML",)
    assert "Учения".encode() in reply.data()
    xls = await oper.request("GETREPORT", tid, "xls")
    assert xls.ok and xls.head == ("XLS",) and xls.data()[:4] == bytes.fromhex("d0cf11e0")
    assert code(await oper.request("GETREPORT", tid, "PDF")) == "ERR_GETREPORT"
    assert code(await oper.request("GETTASKINFO", "99")) == "ERR_GETTASK"
    assert (await oper.request("STOPTASK", tid)).ok
    await oper.close()
    # a restarted server (a new engine on the same store) still has the run
    engine = TaskEngine(running.context.store, MonitorHub().publish, FakeSource())
    report = await engine.report(int(tid))
    assert report is not None and report[0] == "HTML" and "Учения".encode() in report[1]
    progress = await engine.progress(int(tid))
    assert progress.starttime is not None and progress.endtime is not None
    assert progress.status is TaskStatus.STOPPED and progress.total == 1


async def test_licence_refusals(start_server: Start) -> None:
    no_key = await start_server(Licence.no_dongle("test"))
    oper = await no_key.client("oper")
    await oper.send("LOGIN", "oper", "oper-secret")
    await oper.line()
    hasp = await oper.line()
    assert hasp is not None and hasp.params == ("0",) * 6
    tid = await _add_task(oper)
    assert code(await oper.request("STARTTASK", tid, "1")) == "ERR_NOHASP"
    await oper.close()
    sms_only_email = Licence(
        source="t", holder="t", expires=date(2100, 1, 1), email=True, boards=0, gsm_modems=0
    )
    limited = await start_server(sms_only_email)
    oper = await limited.client("oper")
    tid = await _add_task(oper, ttype="0")
    reply = await oper.request("STARTTASK", tid, "1")
    assert reply.error is not None and reply.error.word == "STARTTASK"
    assert reply.error.code == "ERR_NOHASPFORSTART"
    await oper.close()
    dev = await start_server()  # development licence, no GSM modem working
    oper = await dev.client("oper")
    tid = await _add_task(oper, ttype="2")
    assert code(await oper.request("STARTTASK", tid, "1")) == "ERR_NOGSM"
    await oper.close()


async def test_a_message_must_be_playable(running: Running) -> None:
    oper = await running.client("oper")

    async def problem(word: str, *params: str) -> str:
        reply = await oper.request(word, *params)
        assert reply.error is not None, reply
        return f"{reply.error.code} {reply.error.text}"

    assert (await problem("ADDMESSAGE", "0", "запись", "", "", "")).startswith(
        "ERR_ADDMESSAGE file:"
    )  # a VOICE_FILE names a file
    assert "not in the file store" in await problem("ADDMESSAGE", "0", "з", "", "нет.wav", "")
    assert "needs text" in await problem("ADDMESSAGE", "2", "sms", " ", "", "")
    assert "only a VOICE_FILE" in await problem("ADDMESSAGE", "3", "mail", "t", "a.wav", "")
    assert "only a TTS" in await problem("ADDMESSAGE", "2", "sms", "t", "", "ru")
    await oper.send_lines(file_upload("запись 1.wav", b"RIFF"))
    assert (await oper.collect("SENDRAWFILE")).ok
    reply = await oper.request("ADDMESSAGE", "0", "запись", "", "запись 1.wav", "")
    assert reply.ok, reply
    mid = reply.head[0]
    assert (await problem("UPDATEMESSAGE", mid, "1", "tts", "", "", "")).startswith(
        "ERR_UPDATEMESSAGE text:"
    )
    assert (await problem("UPDATEMESSAGE", "99", "1", "tts", "", "", "")).startswith(
        "ERR_UPDATEMESSAGE no such message"
    )
    reply = await oper.request("UPDATEMESSAGE", mid, "1", "tts", "Внимание", "", "ru")
    assert reply.ok and reply.head[1:6] == ("1", "tts", "Внимание", "", "ru")
    await oper.close()
