"""Messages: MESSAGES, ADDMESSAGE, UPDATEMESSAGE, DELMESSAGE.

ADDMESSAGE and UPDATEMESSAGE check that a message can be played or sent
before storing it (``message_problem``): a recorded message (VOICE_FILE)
names a file already in the file store (uploaded with SENDRAWFILE) and no
voice; the others carry text and no file; only a TTS message names a voice
(empty: the synthesiser's default). A voice is not checked against the
synthesiser, which may be installed after the message is written. A problem
is the command's own error (``ERR_ADDMESSAGE`` / ``ERR_UPDATEMESSAGE``)
naming the field.
"""

from __future__ import annotations

from nabat.system.protocol import ErrorCode, Message, MessageType, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed
from nabat.system.server.filestore import FileStore


def message_problem(message: Message, files: FileStore) -> str | None:
    """Why ``message`` cannot be played or sent, or None."""
    if message.mtype is MessageType.VOICE_FILE:
        if not message.file:
            return "file: a VOICE_FILE message names an uploaded file (SENDRAWFILE it first)"
        if not files.exists(message.file):
            return f"file: {message.file!r} is not in the file store (SENDRAWFILE it first)"
    elif message.file:
        return f"file: only a VOICE_FILE message names a file, not {message.mtype.name}"
    elif not message.text.strip():
        return f"text: a {message.mtype.name} message needs text"
    if message.voice and message.mtype is not MessageType.TTS:
        return f"voice: only a TTS message names a voice, not {message.mtype.name}"
    return None


async def _checked(call: Call, error: ErrorCode) -> Message:
    message = Message(**call.args)
    problem = await blocking(message_problem, message, call.context.files)
    if problem is not None:
        raise CommandFailed(error, problem)
    return message


async def messages(call: Call) -> None:
    rows = await blocking(call.store.messages.all)
    await call.reply(listing(call.word, (message.to_params() for message in rows)))


async def add_message(call: Call) -> None:
    message = await _checked(call, ErrorCode.ADDMESSAGE)
    saved = await blocking(call.store.messages.add, message)
    await call.reply([ok_line(call.word, saved.to_params())])


async def update_message(call: Call) -> None:
    if await blocking(call.store.messages.find, call.args["id"]) is None:
        raise CommandFailed(ErrorCode.UPDATEMESSAGE, "no such message")  # before its fields
    message = await _checked(call, ErrorCode.UPDATEMESSAGE)
    saved = await blocking(call.store.messages.update, message)
    await call.reply([ok_line(call.word, saved.to_params())])


async def delete_message(call: Call) -> None:
    await blocking(call.store.messages.delete, call.args["id"])
    await call.reply([ok_line(call.word, (str(call.args["id"]),))])


HANDLERS: dict[str, Handler] = {
    "MESSAGES": messages,
    "ADDMESSAGE": add_message,
    "UPDATEMESSAGE": update_message,
    "DELMESSAGE": delete_message,
}
