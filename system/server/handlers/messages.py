"""Messages: MESSAGES, ADDMESSAGE, UPDATEMESSAGE, DELMESSAGE."""

from __future__ import annotations

from system.protocol import Message, listing, ok_line
from system.server.context import Call, Handler, blocking


async def messages(call: Call) -> None:
    rows = await blocking(call.store.messages.all)
    await call.reply(listing(call.word, (message.to_params() for message in rows)))


async def add_message(call: Call) -> None:
    message = await blocking(call.store.messages.add, Message(**call.args))
    await call.reply([ok_line(call.word, message.to_params())])


async def update_message(call: Call) -> None:
    message = await blocking(call.store.messages.update, Message(**call.args))
    await call.reply([ok_line(call.word, message.to_params())])


async def delete_message(call: Call) -> None:
    await blocking(call.store.messages.delete, call.args["id"])
    await call.reply([ok_line(call.word, (str(call.args["id"]),))])


HANDLERS: dict[str, Handler] = {
    "MESSAGES": messages,
    "ADDMESSAGE": add_message,
    "UPDATEMESSAGE": update_message,
    "DELMESSAGE": delete_message,
}
