"""Channels: GETCHANNELS, GETCHANINFO, SETCHANINFO.

Channels live in the store, seeded from the configuration at start
(``bootstrap.py``). Their ``state`` is derived, never stored: DISABLED for a
switched-off channel; a GSM channel driven by a modem driver (its settings
name a ``port``: ``gsm_channels.py``) has its driver's state (IDLE, BUSY,
FAULT); an Oktell channel whose settings name a ``url`` has its line
driver's state (``oktell_channels.py``: the line's real state at the PBX);
MFMS, FTP platform and SMTP channels whose settings name their server
(``base_url`` / ``host``) have their route's state (``route_channels.py``:
FAULT while the server cannot be reached); any other GSM channel is IDLE
only while the engine reports a simulated working modem for it
(``available_gsm_modems()`` less the working drivers, given to the undriven
enabled GSM channels in number order) and FAULT otherwise, so GETCHANNELS
agrees with STARTTASK's ``ERR_NOGSM``;
every other enabled channel is IDLE. SETCHANINFO changes name, enabled and
settings (``key=value;...``, checked by ``channelconfig.check_settings`` for
the channel's type: a driven type's keys are its driver's), then
starts, restarts or stops the channel's driver to match; the type is fixed.
An unknown number is ``ERR_GETCHANINFO``; a bad name or settings text
``ERR_SETCHANINFO``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from nabat.system.protocol import (
    Channel,
    ChannelState,
    ChannelType,
    ErrorCode,
    Form,
    listing,
    ok_line,
)
from nabat.system.server.channelconfig import check_settings
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed
from nabat.system.store.channels import StoredChannel

log = logging.getLogger("nabat.server.channels")


def channel_states(
    rows: list[StoredChannel], simulated_gsm: int, driven: Mapping[int, ChannelState]
) -> dict[int, ChannelState]:
    """Each channel's state by number (rules above); ``driven``: the drivers' states."""
    states: dict[int, ChannelState] = {}
    for stored in sorted(rows, key=lambda row: row.num):
        if not stored.enabled:
            states[stored.num] = ChannelState.DISABLED
        elif stored.num in driven:
            states[stored.num] = driven[stored.num]
        elif stored.ctype is ChannelType.GSM:
            states[stored.num] = ChannelState.IDLE if simulated_gsm > 0 else ChannelState.FAULT
            simulated_gsm -= 1
        else:
            states[stored.num] = ChannelState.IDLE
    return states


def as_channel(stored: StoredChannel, state: ChannelState) -> Channel:
    return Channel(num=stored.num, ctype=stored.ctype, name=stored.name,
                   enabled=stored.enabled, state=state, settings=stored.settings)  # fmt: skip


async def _channels(call: Call) -> tuple[list[StoredChannel], dict[int, ChannelState]]:
    rows = await blocking(call.store.channels.all)
    working = call.context.gsm_channels.working()
    simulated = max(0, call.context.engine.available_gsm_modems() - working)
    return rows, channel_states(rows, simulated, call.context.channels.states())


async def get_channels(call: Call) -> None:
    rows, states = await _channels(call)
    lines = (as_channel(c, states[c.num]).to_params(Form.SUMMARY) for c in rows)
    await call.reply(listing(call.word, lines))


async def get_channel_info(call: Call) -> None:
    stored = await blocking(call.store.channels.get, call.args["num"])  # ERR_GETCHANINFO
    _, states = await _channels(call)
    await call.reply([ok_line(call.word, as_channel(stored, states[stored.num]).to_params())])


async def set_channel_info(call: Call) -> None:
    num: int = call.args["num"]
    name: str = call.args["name"]
    settings: str = call.args["settings"] or ""
    current = await blocking(call.store.channels.get, num)  # ERR_GETCHANINFO first
    if not name.strip():
        raise CommandFailed(ErrorCode.SETCHANINFO, "name: must not be empty")
    try:
        check_settings(settings, current.ctype)
    except ValueError as exc:
        raise CommandFailed(ErrorCode.SETCHANINFO, str(exc)) from None
    stored = await blocking(call.store.channels.update, num, name, bool(call.args["enabled"]),
                            settings)  # fmt: skip
    assert call.user is not None
    # settings may hold credentials: never logged
    log.info("SETCHANINFO %d by %r: name %r, enabled %s", num, call.user.login, name,
             stored.enabled)  # fmt: skip
    await call.context.channels.sync(num)
    _, states = await _channels(call)
    await call.reply([ok_line(call.word, as_channel(stored, states[stored.num]).to_params())])


HANDLERS: dict[str, Handler] = {
    "GETCHANNELS": get_channels,
    "GETCHANINFO": get_channel_info,
    "SETCHANINFO": set_channel_info,
}
