"""Users, groups, lists and abonents through the real server."""

from __future__ import annotations

import asyncio
import logging

import pytest
from nabat.system.protocol import Abonent, Group, Phone, PhoneType, abonent_request

from tests.server.conftest import Running

TRICKY = "Штаб 100% готов"  # Cyrillic, spaces and '%'


def error_code(reply: object) -> str | None:
    error = getattr(reply, "error", None)
    return None if error is None else str(error.code)


async def test_users_commands(running: Running) -> None:
    admin = await running.client("admin")
    reply = await admin.request("USERS")
    assert [row[0] for row in reply.rows] == ["admin", "oper", "viewer"]
    reply = await admin.request("USERADD", "иван", "pw 1", "1", "Иван Петров", "")
    assert reply.ok and reply.head == ("иван", "1", "Иван Петров", "")
    assert error_code(await admin.request("USERADD", "иван", "x", "0", "", "")) == (
        "ERR_USERALREADY"
    )
    assert error_code(await admin.request("USERADD", "empty", "", "0", "", "")) == "ERR_USERADD"
    reply = await admin.request("USERCHG", "иван", "", "0", "Иван", "d")
    assert reply.ok and reply.head == ("иван", "0", "Иван", "d")
    assert error_code(await admin.request("USERCHG", "ghost", "", "0", "", "")) == "ERR_USERCHG"
    reply = await admin.request("CHECKPASSW", "иван", "pw 1")
    assert reply.ok and reply.head == ("иван",)
    assert error_code(await admin.request("CHECKPASSW", "иван", "bad")) == "ERR_CHECKPASSW"
    reply = await admin.request("USER")
    assert reply.head[:2] == ("admin", "2")
    assert (await admin.request("USERDEL", "иван")).ok
    assert error_code(await admin.request("USERDEL", "иван")) == "ERR_USERDEL"
    assert error_code(await admin.request("USERDEL", "admin")) == "ERR_USERDEL"  # last admin
    oper = await running.client("oper")
    assert error_code(await oper.request("USERS")) == "ERR_NOACCESS"
    await admin.close()
    await oper.close()


async def test_groups_round_trip_cyrillic_spaces_percent(running: Running) -> None:
    oper = await running.client("oper")
    reply = await oper.request("ADDGROUP", TRICKY, "описание с пробелами")
    assert reply.ok
    group = reply.head_record(Group)
    assert group.name == TRICKY
    listing = await oper.request("GETGROUPS")
    assert listing.records(Group) == [group]
    gid = str(group.id)
    reply = await oper.request("UPDATEGROUP", gid, "Новое имя", "")
    assert reply.ok and reply.head == (gid, "Новое имя", "")
    assert error_code(await oper.request("UPDATEGROUP", "999", "x", "")) == "ERR_UPDATEGROUP"
    assert error_code(await oper.request("DELGROUP", "999")) == "ERR_DELGROUP"
    assert (await oper.request("DELGROUP", gid)).ok
    assert (await oper.request("GETGROUPS")).rows == ()
    await oper.close()


async def test_lists_and_membership(running: Running) -> None:
    oper = await running.client("oper")
    gid = (await oper.request("ADDGROUP", "g", "")).head[0]
    lid = (await oper.request("ADDLIST", "Список 1", "")).head[0]
    ab = await _add_abonent(oper, int(gid), "Петров")
    assert (await oper.request("GETLISTS")).rows == ((lid, "Список 1", ""),)
    for word in ("UPDATELIST", "UPDATLIST"):
        await oper.send(word, lid, f"name {word}", "")
        line = await oper.line()
        assert line is not None and line.command == word and line.params[0] == "OK"
    assert error_code(await oper.request("UPDATELIST", "999", "x", "")) == "ERR_UPDATELIST"
    assert (await oper.request("LISTADDABONENTS", lid, str(ab))).head == (lid, str(ab))
    assert error_code(await oper.request("LISTADDABONENTS", lid, "999")) == ("ERR_LISTADDABONENTS")
    assert (await oper.request("LISTADDGROUPS", lid, gid)).ok
    assert [row[0] for row in (await oper.request("GETGROUPS", lid)).rows] == [gid]
    assert (await oper.request("GETGROUPS", "999")).rows == ()
    assert len((await oper.request("GETABONENTS", "", lid)).abonents) == 1
    assert (await oper.request("LISTDELGROUPS", lid, gid)).ok
    assert (await oper.request("LISTDELABONENTS", lid, str(ab))).ok
    assert (await oper.request("GETABONENTS", "", lid)).abonents == ()
    assert (await oper.request("LISTADDABONENTS", lid, str(ab))).ok
    assert (await oper.request("LISTCLEAR", lid)).ok
    assert (await oper.request("GETABONENTS", "", lid)).abonents == ()
    assert error_code(await oper.request("LISTCLEAR", "999")) == "ERR_LISTCLEAR"
    assert (await oper.request("DELLIST", lid)).ok
    assert error_code(await oper.request("DELLIST", lid)) == "ERR_DELLIST"
    await oper.close()


async def _add_abonent(client: object, gid: int, name: str) -> int:
    abonent = Abonent(gid=gid, name=name, phones=(Phone(phone="+79001234567"),))
    await client.send_lines(abonent_request(abonent))  # type: ignore[attr-defined]
    reply = await client.collect("ADDABONENT")  # type: ignore[attr-defined]
    assert reply.ok, reply
    return int(reply.head[0])


async def test_abonents_round_trip(running: Running) -> None:
    oper = await running.client("oper")
    gid = int((await oper.request("ADDGROUP", "g", "")).head[0])
    abonent = Abonent(
        gid=gid,
        name=TRICKY,
        organization="ООО «Ромашка» 50%",
        phones=(Phone(phone="+79001234567"), Phone(phone="123", ptype=PhoneType.INTERNAL)),
        emails=("a@b.ru",),
    )
    await oper.send_lines(abonent_request(abonent))
    reply = await oper.collect("ADDABONENT")
    assert reply.ok, reply
    saved = reply.abonents[0]
    assert saved.name == TRICKY and saved.organization == abonent.organization
    assert saved.phones == abonent.phones and saved.emails == ("a@b.ru",)
    listing = await oper.request("GETABONENTS")
    assert listing.abonents == (saved,)
    assert (await oper.request("GETABONENTS", str(gid))).abonents == (saved,)
    one = await oper.request("GETABONENT", str(saved.id))
    assert one.abonents == (saved,)
    assert error_code(await oper.request("GETABONENT", "999")) == "ERR_GETABONENT"
    changed = Abonent(id=saved.id, gid=gid, name="Другое", emails=("x@y.ru",))
    await oper.send_lines(abonent_request(changed, update=True))
    reply = await oper.collect("UPDATEABONENT")
    assert reply.ok and reply.abonents[0].name == "Другое" and reply.abonents[0].phones == ()
    ghost = Abonent(id=999, gid=gid, name="x")
    await oper.send_lines(abonent_request(ghost, update=True))
    assert error_code(await oper.collect("UPDATEABONENT")) == "ERR_GETABONENT"
    await oper.send_lines(abonent_request(Abonent(gid=999, name="x")))
    assert error_code(await oper.collect("ADDABONENT")) == "ERR_ADDABONENT"
    gid2 = (await oper.request("ADDGROUP", "g2", "")).head[0]
    assert (await oper.request("GROUPADDABONENTS", gid2, str(saved.id))).ok
    assert error_code(await oper.request("GROUPADDABONENTS", gid2, "999")) == (
        "ERR_GROUPADDABONENTS"
    )
    assert error_code(await oper.request("DELGROUP", gid2)) == "ERR_DELGROUP"  # not empty
    assert error_code(await oper.request("DELABONENTS", f"{saved.id},999")) == "ERR_DELABONENTS"
    assert (await oper.request("DELABONENTS", str(saved.id))).head == (str(saved.id),)
    assert (await oper.request("GETABONENTS")).abonents == ()
    await oper.close()


async def test_getabonents_streams_many(running: Running) -> None:
    store = running.context.store
    group = store.groups.add(Group(name="g"))
    assert group.id is not None
    for index in range(1200):
        store.abonents.add(Abonent(gid=group.id, name=f"Абонент {index}",
                                   phones=(Phone(phone=str(1000 + index)),)))  # fmt: skip
    viewer = await running.client("viewer")
    reply = await viewer.request("GETABONENTS")
    assert len(reply.abonents) == 1200
    assert reply.abonents[-1].phones[0].phone == "2199"
    await viewer.close()


async def logged(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 5.0) -> None:
    """Wait until a log record containing ``text`` has been emitted."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not any(text in record.getMessage() for record in caplog.records):
        assert loop.time() < deadline, f"no log record with {text!r}"
        await asyncio.sleep(0.01)


async def test_dropped_connection_mid_addabonent_changes_nothing(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="nabat.server.session")
    oper = await running.client("oper")
    gid = int((await oper.request("ADDGROUP", "g", "")).head[0])
    lines = abonent_request(Abonent(gid=gid, name="half", phones=(Phone(phone="1"),)))
    await oper.send_lines(lines[:-1])  # everything but END
    await oper.close()
    await logged(caplog, ": closed")  # the server has handled the end of the stream
    assert "ADDABONENT" in caplog.text and "nothing changed" in caplog.text
    assert running.context.store.abonents.count() == 0
    again = await running.client("oper")
    assert (await again.request("GETABONENTS")).abonents == ()
    await again.close()


async def test_interrupted_addabonent_is_dropped_and_line_handled(running: Running) -> None:
    oper = await running.client("oper")
    gid = int((await oper.request("ADDGROUP", "g", "")).head[0])
    lines = abonent_request(Abonent(gid=gid, name="half"))
    await oper.send_lines(lines[:-1])
    await oper.send("PING")
    first, second = await oper.line(), await oper.line()
    assert first is not None and first.command == "ADDABONENT"
    assert first.params[0] == "ERR_BADSYNTAX"
    assert second is not None and second.command == "PING" and second.params[0] == "OK"
    assert running.context.store.abonents.count() == 0
    await oper.close()
