"""Configuration: GETCONFIG, SETCONFIG.

GETCONFIG lists every setting in force (``live.LiveSettings.entries``):
the keys of ``settings.KEYS`` except ``channels``, with the data directory,
the licence and the synthesiser actually in use. SETCONFIG changes a
runtime key: the value is checked with the key's rules, kept in the store
(so it survives a restart) and the live settings are replaced by a new
object, which every component reads at its next use; start-up keys,
unknown keys and bad values are ``ERR_SETCONFIG`` with the reason.
"""

from __future__ import annotations

import logging

from nabat.system.protocol import ErrorCode, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed

log = logging.getLogger("nabat.server.config")


async def get_config(call: Call) -> None:
    context = call.context
    synthesiser = context.synthesiser
    extra = {
        "data_dir": str(context.data_dir),
        "licence": context.licence.source,
        "tts_command": "" if synthesiser is None else synthesiser.source,
    }
    await call.reply(listing(call.word, context.live.entries(extra)))


async def set_config(call: Call) -> None:
    key: str = call.args["key"]
    text: str = call.args["value"] or ""
    live = call.context.live
    try:
        live.validate(key, text)
    except ValueError as exc:
        raise CommandFailed(ErrorCode.SETCONFIG, str(exc)) from None
    async with live.lock:
        await blocking(call.store.runtime_settings.set, key, text)
        shown = live.set(key, text)
    assert call.user is not None
    log.info("SETCONFIG %s = %r by %r", key, shown, call.user.login)
    await call.reply([ok_line(call.word, (key, shown))])


HANDLERS: dict[str, Handler] = {
    "GETCONFIG": get_config,
    "SETCONFIG": set_config,
}
