"""NabatClient against a real server: every command family round trip."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest
from nabat.system.client import ConnectionLost, NabatClient, ServerError
from nabat.system.protocol import (
    Abonent,
    ErrorCode,
    InvalidField,
    Message,
    MessageType,
    Phone,
    PhoneType,
    Rights,
    Task,
    TaskStatus,
    TaskType,
    User,
)

from tests.client.conftest import PASSWORDS, Connect, Running
from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists


async def test_login_returns_welcome_and_hasp(connect: Connect) -> None:
    client = await connect()
    await client.ping()  # allowed before login
    welcome, hasp = await client.login("admin", PASSWORDS["admin"])
    assert welcome
    assert hasp.haspset and hasp.boards == 4 and hasp.gsmmodems == 4
    assert (await client.user()).rights is Rights.ADMINISTRATOR


async def test_context_manager_and_quit(running: Running) -> None:
    host, port = running.server.address
    async with NabatClient.connect(host, port, cafile=running.cafile) as client:
        await client.ping()
        await client.quit()
        assert client.closed
        with pytest.raises(ConnectionLost):
            await client.ping()


async def test_server_errors_are_mapped(connect: Connect) -> None:
    client = await connect()
    with pytest.raises(ServerError) as caught:
        await client.get_groups()
    assert caught.value.code is ErrorCode.NOACCESS and caught.value.word == "GETGROUPS"
    assert str(caught.value).startswith("GETGROUPS ERR_NOACCESS: ")
    with pytest.raises(ServerError) as caught:
        await client.login("admin", "wrong")
    assert caught.value.code is ErrorCode.BADLOGIN
    await client.login("viewer", PASSWORDS["viewer"])
    with pytest.raises(ServerError) as caught:
        await client.add_group("x")
    assert caught.value.means(ErrorCode.NOACCESS)
    with pytest.raises(InvalidField):  # refused before sending
        await client.get_task(0)
    reply = await client.request("GETTASK", "abc", check=False)  # raw: the server judges
    assert reply.error is not None and reply.error.code == "ERR_BADSYNTAX"
    await client.ping()  # the session goes on


async def test_groups_with_cyrillic_spaces_and_percent(connect: Connect) -> None:
    client = await connect("oper")
    group = await client.add_group("Отдел кадров", "100% состав")
    assert group.id is not None and group.name == "Отдел кадров"
    assert group.description == "100% состав"
    changed = await client.update_group(group.id, "Отдел  кадров ", "")
    assert changed.name == "Отдел  кадров "
    assert [g.name for g in await client.get_groups()] == ["Отдел  кадров "]
    await client.delete_group(group.id)
    assert await client.get_groups() == []
    with pytest.raises(ServerError) as caught:
        await client.delete_group(group.id)
    assert caught.value.code is ErrorCode.DELGROUP


async def test_lists_and_memberships(connect: Connect) -> None:
    client = await connect("oper")
    dlist = await client.add_list("Список №1", "описание")
    assert dlist.id is not None
    assert (await client.update_list(dlist.id, "Список 1")).name == "Список 1"
    assert (await client.update_list(dlist.id, "Список 2", word="UPDATLIST")).name == "Список 2"
    group = await client.add_group("g")
    assert group.id is not None
    abonent = await client.add_abonent(Abonent(gid=group.id, name="a"))
    assert abonent.id is not None
    await client.list_add_groups(dlist.id, [group.id])
    assert [g.id for g in await client.get_groups(dlist.id)] == [group.id]
    await client.list_del_groups(dlist.id, [group.id])
    await client.list_add_abonents(dlist.id, [abonent.id])
    assert [a.id for a in await client.list_abonents(lid=dlist.id)] == [abonent.id]
    await client.list_del_abonents(dlist.id, [abonent.id])
    assert await client.list_abonents(lid=dlist.id) == []
    await client.list_add_abonents(dlist.id, [abonent.id])
    await client.list_clear(dlist.id)
    assert await client.list_abonents(lid=dlist.id) == []
    assert [x.name for x in await client.get_lists()] == ["Список 2"]
    await client.delete_list(dlist.id)
    assert await client.get_lists() == []


async def test_abonents_with_phones_and_emails_streamed(connect: Connect) -> None:
    client = await connect("oper")
    first = await client.add_group("первая")
    second = await client.add_group("вторая")
    assert first.id is not None and second.id is not None
    phones = (
        Phone(phone="+79001234567"),
        Phone(enabled=False, phone="4951234567", ptype=PhoneType.LANDLINE),
    )
    added = []
    for n in range(30):
        abonent = Abonent(
            gid=first.id,
            name=f"Иванов {n}",
            organization="ООО «Ромашка» 100%",
            phones=phones,
            emails=(f"user{n}@example.ru",),
        )
        stored = await client.add_abonent(abonent)
        assert stored.id is not None and stored.phones == phones
        assert stored.emails == (f"user{n}@example.ru",) and stored.createtime is not None
        added.append(stored)
    streamed = [abonent async for abonent in client.get_abonents(gid=first.id)]
    assert [a.id for a in streamed] == [a.id for a in added]
    assert all(a.phones == phones and len(a.emails) == 1 for a in streamed)
    one = added[0]
    assert one.id is not None
    assert await client.get_abonent(one.id) == streamed[0]
    updated = await client.update_abonent(
        Abonent(id=one.id, gid=first.id, name="Петров", emails=("a@b.ru", "c@d.ru"))
    )
    assert updated.name == "Петров" and updated.phones == () and len(updated.emails) == 2
    await client.group_add_abonents(second.id, [one.id])
    assert [a.id for a in await client.list_abonents(gid=second.id)] == [one.id]
    # leaving a streamed listing early keeps the connection usable
    async for _ in client.get_abonents():
        break
    await asyncio.sleep(0)
    assert len(await client.list_abonents()) == 30
    await client.delete_abonents([a.id for a in added if a.id is not None])
    assert await client.list_abonents() == []
    with pytest.raises(ServerError) as caught:
        await client.get_abonent(one.id)
    assert caught.value.code is ErrorCode.GETABONENT


async def test_messages(connect: Connect) -> None:
    client = await connect("oper")
    message = await client.add_message(
        Message(mtype=MessageType.TTS, name="Тревога", text="текст 5%")
    )
    assert message.id is not None and message.createtime is not None
    changed = await client.update_message(
        Message(id=message.id, mtype=MessageType.SMS, name="SMS", text="привет")
    )
    assert changed.mtype is MessageType.SMS and changed.text == "привет"
    assert [m.id for m in await client.get_messages()] == [message.id]
    await client.delete_message(message.id)
    assert await client.get_messages() == []


async def _task(client: NabatClient, ttype: TaskType = TaskType.CALL) -> Task:
    """A task whose list holds one abonent that no channel of this server can reach (none
    is driven), so a started task stays RUNNING."""
    dlist = await client.add_list("l")
    group = await client.add_group("g")
    assert dlist.id is not None and group.id is not None
    abonent = await client.add_abonent(
        Abonent(gid=group.id, name="Иванов", phones=(Phone(phone="79000000001"),))
    )
    assert abonent.id is not None
    await client.list_add_abonents(dlist.id, [abonent.id])
    message = await client.add_message(Message(mtype=MessageType.TTS, name="m", text="t"))
    assert message.id is not None
    return Task(ttype=ttype, status=TaskStatus.STOPPED, name="Учения", listid=dlist.id,
                messageid=message.id)  # fmt: skip


async def test_tasks_and_monitoring(connect: Connect) -> None:
    oper = await connect("oper")
    watcher = await connect("viewer")
    assert await watcher.monitoring() is True
    task = await _task(oper)
    summary = await oper.add_task(task)
    assert summary.name == "Учения" and summary.status is TaskStatus.STOPPED
    full = await oper.get_task(summary.id)
    assert full.listid == task.listid and full.ttype is TaskType.CALL
    renamed = await oper.update_task(replace(full, status=TaskStatus.WAITING, name="Учения 2"))
    assert renamed.status is TaskStatus.WAITING
    assert [t.id for t in await oper.get_tasks()] == [summary.id]
    started = await oper.start_task(summary.id, restart=True)
    assert started.status is TaskStatus.RUNNING
    progress = await oper.get_task_info(summary.id)
    assert progress.status is TaskStatus.RUNNING and progress.starttime is not None
    stopped = await oper.stop_task(summary.id)
    assert stopped.status is TaskStatus.STOPPED
    with pytest.raises(ServerError) as caught:
        await oper.stop_task(summary.id)
    assert caught.value.code is ErrorCode.TASKNOTRUNNING
    fmt, data = await oper.get_report(summary.id)
    assert fmt == "HTML" and data.lstrip().startswith(b"<")
    seen = []
    notes = watcher.notifications()
    for _ in range(3):  # WAITING (update), RUNNING, STOPPED
        seen.append(await asyncio.wait_for(anext(notes), 5))
    assert [n.status for n in seen] == [
        TaskStatus.WAITING, TaskStatus.RUNNING, TaskStatus.STOPPED,
    ]  # fmt: skip
    assert await watcher.monitoring(False) is False
    await oper.delete_task(summary.id)
    assert await oper.get_tasks() == []


async def test_notifications_arrive_during_other_replies(connect: Connect) -> None:
    oper = await connect("oper")
    await oper.monitoring()  # the session's own changes come back to it too
    summary = await oper.add_task(await _task(oper))
    await oper.start_task(summary.id)
    await oper.get_groups()
    note = await asyncio.wait_for(anext(oper.notifications()), 5)
    assert note.id == summary.id and note.status is TaskStatus.RUNNING


async def test_users(connect: Connect) -> None:
    admin = await connect("admin")
    added = await admin.user_add(
        User(login="иванов", password="секрет 1", rights=Rights.OPERATOR, name="Иванов И.И.")
    )
    assert added.login == "иванов" and added.rights is Rights.OPERATOR
    assert await admin.check_password("иванов", "секрет 1") is True
    assert await admin.check_password("иванов", "nope") is False
    changed = await admin.user_chg(User(login="иванов", rights=Rights.READ_ONLY, name="И"))
    assert changed.rights is Rights.READ_ONLY
    assert await admin.check_password("иванов", "секрет 1") is True  # password kept
    assert "иванов" in [u.login for u in await admin.users()]
    with pytest.raises(ServerError) as caught:
        await admin.user_add(User(login="иванов", password="x"))
    assert caught.value.code is ErrorCode.USERALREADY
    await admin.user_del("иванов")
    assert "иванов" not in [u.login for u in await admin.users()]


async def _collect(lines: AsyncIterator[str]) -> list[str]:
    return [line async for line in lines]


async def test_channels_config_and_logs(connect: Connect) -> None:
    admin = await connect("admin")
    channels = await admin.get_channels()  # the development licence: GSM modems + SMTP
    assert [c.num for c in channels] == list(range(1, len(channels) + 1)) and channels
    first = await admin.get_chan_info(channels[0].num)
    assert (first.num, first.ctype, first.name) == (1, channels[0].ctype, channels[0].name)
    renamed = await admin.set_chan_info(
        replace(first, name="Линия 1", settings="smsc=+79168999100"))
    assert (renamed.name, renamed.settings) == ("Линия 1", "smsc=+79168999100")
    assert (await admin.get_chan_info(1)).name == "Линия 1"
    with pytest.raises(ServerError) as caught:
        await admin.get_chan_info(999)
    assert caught.value.code is ErrorCode.GETCHANINFO
    entry = await admin.set_config("welcome", "Привет 100%")
    assert (entry.key, entry.value) == ("welcome", "Привет 100%")
    assert ("welcome", "Привет 100%") in [(e.key, e.value) for e in await admin.get_config()]
    with pytest.raises(ServerError) as caught:
        await admin.set_config("no_such_key", "1")
    assert caught.value.code is ErrorCode.SETCONFIG
    with pytest.raises(ServerError) as caught:  # the fixture's server writes no log files
        await _collect(admin.get_log(date(2000, 1, 1)))
    assert caught.value.code is ErrorCode.NOLOGFILE
    await admin.ping()  # the session goes on after every error


@pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)
async def test_speech_synthesis_answers_audio(connect: Connect) -> None:
    oper = await connect("oper")  # the default synthesiser: the pip-installed libespeak-ng
    voices = await oper.get_tts()
    assert "ru" in {v.name for v in voices} and all(v.name for v in voices)
    audio = await oper.tts("ru", "проверка связи")
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 1000
    with pytest.raises(ServerError) as caught:
        await oper.tts("no-such-voice", "проверка связи")
    assert caught.value.code is ErrorCode.GETTTS


async def test_file_round_trip(connect: Connect) -> None:
    oper = await connect("oper")
    data = bytes(range(256)) * 40  # several DATA lines
    assert await oper.send_raw_file("запись 1.wav", data) == len(data)
    assert await oper.get_raw_file("запись 1.wav") == data
    with pytest.raises(ServerError) as caught:
        await oper.get_raw_file("нет такого.wav")
    assert caught.value.code is ErrorCode.NOFILE
