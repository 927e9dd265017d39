"""Distribution lists: GETLISTS, ADDLIST, UPDATELIST/UPDATLIST (the reply echoes
the word used), DELLIST, LISTADD*/LISTDEL*, LISTCLEAR."""

from __future__ import annotations

from collections.abc import Callable

from nabat.system.protocol import DistributionList, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.handlers.common import ids_param
from nabat.system.store.lists import Lists


async def get_lists(call: Call) -> None:
    lists = await blocking(call.store.lists.all)
    await call.reply(listing(call.word, (dlist.to_params() for dlist in lists)))


async def add_list(call: Call) -> None:
    dlist = await blocking(call.store.lists.add, DistributionList(**call.args))
    await call.reply([ok_line(call.word, dlist.to_params())])


async def update_list(call: Call) -> None:
    dlist = await blocking(call.store.lists.update, DistributionList(**call.args))
    await call.reply([ok_line(call.word, dlist.to_params())])


async def delete_list(call: Call) -> None:
    await blocking(call.store.lists.delete, call.args["id"])
    await call.reply([ok_line(call.word, (str(call.args["id"]),))])


async def clear_list(call: Call) -> None:
    await blocking(call.store.lists.clear, call.args["lid"])
    await call.reply([ok_line(call.word, (str(call.args["lid"]),))])


def _members(method: Callable[[Lists], Callable[[int, tuple[int, ...]], None]],
             param: str) -> Handler:  # fmt: skip
    async def handler(call: Call) -> None:
        lid, ids = call.args["lid"], call.args[param]
        await blocking(method(call.store.lists), lid, ids)
        await call.reply([ok_line(call.word, (str(lid), ids_param(ids)))])

    return handler


HANDLERS: dict[str, Handler] = {
    "GETLISTS": get_lists,
    "ADDLIST": add_list,
    "UPDATELIST": update_list,
    "UPDATLIST": update_list,
    "DELLIST": delete_list,
    "LISTCLEAR": clear_list,
    "LISTADDABONENTS": _members(lambda lists: lists.add_abonents, "abonids"),
    "LISTADDGROUPS": _members(lambda lists: lists.add_groups, "groupids"),
    "LISTDELABONENTS": _members(lambda lists: lists.remove_abonents, "abonids"),
    "LISTDELGROUPS": _members(lambda lists: lists.remove_groups, "groupids"),
}
