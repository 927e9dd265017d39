"""Abonent groups: GETGROUPS, ADDGROUP, UPDATEGROUP, DELGROUP, GROUPADDABONENTS."""

from __future__ import annotations

from nabat.system.protocol import Group, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.handlers.common import ids_param


async def get_groups(call: Call) -> None:
    groups = await blocking(call.store.groups.all, call.args["lid"])
    await call.reply(listing(call.word, (group.to_params() for group in groups)))


async def add_group(call: Call) -> None:
    group = await blocking(call.store.groups.add, Group(**call.args))
    await call.reply([ok_line(call.word, group.to_params())])


async def update_group(call: Call) -> None:
    group = await blocking(call.store.groups.update, Group(**call.args))
    await call.reply([ok_line(call.word, group.to_params())])


async def delete_group(call: Call) -> None:
    await blocking(call.store.groups.delete, call.args["id"])
    await call.reply([ok_line(call.word, (str(call.args["id"]),))])


async def move_abonents(call: Call) -> None:
    gid, ids = call.args["gid"], call.args["abonids"]
    await blocking(call.store.groups.move_abonents, gid, ids)
    await call.reply([ok_line(call.word, (str(gid), ids_param(ids)))])


HANDLERS: dict[str, Handler] = {
    "GETGROUPS": get_groups,
    "ADDGROUP": add_group,
    "UPDATEGROUP": update_group,
    "DELGROUP": delete_group,
    "GROUPADDABONENTS": move_abonents,
}
