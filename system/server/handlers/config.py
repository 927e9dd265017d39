"""Configuration: GETCONFIG, SETCONFIG.

GETCONFIG lists every setting in force (``runtime.LiveSettings.entries``):
the keys of the config file except ``channels``, with ``data_dir``, the
licence in use and the synthesiser found. SETCONFIG changes a runtime key
(``runtime.RUNTIME``): the value is checked with the config file's rules,
kept in the store (so it survives a restart) and applied; start-up keys,
unknown keys and bad values are ``ERR_SETCONFIG`` with the reason. A new
login policy is handed to the throttle at once.
"""

from __future__ import annotations

import logging

from nabat.system.protocol import ErrorCode, listing, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.failures import CommandFailed
from nabat.system.server.synthesis import EspeakSynthesiser

log = logging.getLogger("nabat.server.config")


async def get_config(call: Call) -> None:
    context = call.context
    synthesiser = context.synthesiser
    extra = {
        "data_dir": str(context.data_dir),
        "licence": context.licence.source,
        "tts_command": synthesiser.command if isinstance(synthesiser, EspeakSynthesiser) else "",
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
        call.context.throttle.policy = live.current.login
    assert call.user is not None
    log.info("SETCONFIG %s = %r by %r", key, shown, call.user.login)
    await call.reply([ok_line(call.word, (key, shown))])


HANDLERS: dict[str, Handler] = {
    "GETCONFIG": get_config,
    "SETCONFIG": set_config,
}
