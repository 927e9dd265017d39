"""User accounts: USERS, USERADD, USERCHG, USERDEL (administrator only,
enforced by the command table before these run)."""

from __future__ import annotations

from nabat.system.protocol import User, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking


async def users(call: Call) -> None:
    accounts = await blocking(call.store.users.all)
    await call.reply(listing(call.word, (user.to_params() for user in accounts)))


async def user_add(call: Call) -> None:
    user = await blocking(call.store.users.add, User(**call.args))
    await call.reply([ok_line(call.word, user.to_params())])


async def user_change(call: Call) -> None:
    user = await blocking(call.store.users.update, User(**call.args))
    await call.reply([ok_line(call.word, user.to_params())])


async def user_delete(call: Call) -> None:
    login: str = call.args["login"]
    await blocking(call.store.users.delete, login)
    await call.reply([ok_line(call.word, (login,))])


HANDLERS: dict[str, Handler] = {
    "USERS": users,
    "USERADD": user_add,
    "USERCHG": user_change,
    "USERDEL": user_delete,
}
