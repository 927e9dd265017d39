"""Channels: GETCHANNELS, GETCHANINFO, SETCHANINFO.

Channels live in the store, seeded from the configuration at start
(``bootstrap.py``). There is no hardware layer yet, so nothing is ever busy
or faulty: ``state`` is DISABLED for a switched-off channel, else IDLE.
SETCHANINFO changes name, enabled and settings (``key=value;...``, checked
by ``channelconfig.check_settings``); the type is fixed. An unknown number
is ``ERR_GETCHANINFO``; a bad name or settings text ``ERR_SETCHANINFO``.
"""

from __future__ import annotations

import logging

from system.protocol import Channel, ChannelState, ErrorCode, Form, listing, ok_line
from system.server.channelconfig import check_settings
from system.server.context import Call, Handler, blocking
from system.server.failures import CommandFailed
from system.store.channels import StoredChannel

log = logging.getLogger("nabat.server.channels")


def as_channel(stored: StoredChannel) -> Channel:
    state = ChannelState.IDLE if stored.enabled else ChannelState.DISABLED
    return Channel(num=stored.num, ctype=stored.ctype, name=stored.name,
                   enabled=stored.enabled, state=state, settings=stored.settings)  # fmt: skip


async def get_channels(call: Call) -> None:
    rows = await blocking(call.store.channels.all)
    await call.reply(listing(call.word, (as_channel(c).to_params(Form.SUMMARY) for c in rows)))


async def get_channel_info(call: Call) -> None:
    stored = await blocking(call.store.channels.get, call.args["num"])
    await call.reply([ok_line(call.word, as_channel(stored).to_params(Form.FULL))])


async def set_channel_info(call: Call) -> None:
    num: int = call.args["num"]
    name: str = call.args["name"]
    settings: str = call.args["settings"] or ""
    await blocking(call.store.channels.get, num)  # ERR_GETCHANINFO first
    if not name.strip():
        raise CommandFailed(ErrorCode.SETCHANINFO, "name: must not be empty")
    try:
        check_settings(settings)
    except ValueError as exc:
        raise CommandFailed(ErrorCode.SETCHANINFO, str(exc)) from None
    stored = await blocking(call.store.channels.update, num, name, bool(call.args["enabled"]),
                            settings)  # fmt: skip
    assert call.user is not None
    # settings may hold credentials: never logged
    log.info("SETCHANINFO %d by %r: name %r, enabled %s", num, call.user.login, name,
             stored.enabled)  # fmt: skip
    await call.reply([ok_line(call.word, as_channel(stored).to_params(Form.FULL))])


HANDLERS: dict[str, Handler] = {
    "GETCHANNELS": get_channels,
    "GETCHANINFO": get_channel_info,
    "SETCHANINFO": set_channel_info,
}
