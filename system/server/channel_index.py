"""Every channel driver the server runs, in one place the engine reads.

How it works: ``ChannelIndex`` holds the ``ChannelDrivers`` of each driven
channel type (GSM modems, Oktell lines, MFMS, FTP platform and SMTP routes)
and answers by what a task needs, each a fresh dict by channel number of
the drivers running now:

* ``voice()``: GSM modems and Oktell lines (``VoiceChannel``; both are also
  ``NumberedChannel``: ``own_number`` is the calling number verification
  registers);
* ``sms()``: GSM modems (``SmsRoute``, one message at a time);
* ``bulk_sms()``: MFMS and FTP platform routes (``BulkSmsRoute``);
* ``email()``: SMTP routes (``EmailRoute``);
* ``sources()``: every driver (``EventSource``: incoming calls and SMS,
  delivery reports, status changes).

``states()`` merges the drivers' GETCHANNELS states (channels that are not
driven are absent: handlers/channels.py decides theirs). ``subscribe(listener)``
calls ``listener()`` whenever any set changes (a driver started or stopped)
and returns the cancel. The server calls ``start()`` once it listens,
``sync(num)`` after SETCHANINFO (every type reconciles the row: only the
one of the channel's type acts) and ``stop()`` at shutdown; a driver set
that fails to start or stop does not keep the others from it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from nabat.system.channels.base import (
    BulkSmsRoute,
    ChannelStatus,
    EmailRoute,
    EventSource,
    SmsRoute,
    VoiceChannel,
)
from nabat.system.protocol import ChannelState
from nabat.system.server.channel_drivers import ChannelDrivers
from nabat.system.server.gsm_channels import GsmChannels
from nabat.system.server.oktell_channels import OktellChannels
from nabat.system.server.route_channels import FtpChannels, MfmsChannels, SmtpChannels

log = logging.getLogger("nabat.server.channels")


class ChannelIndex:
    def __init__(
        self,
        *,
        gsm: GsmChannels,
        oktell: OktellChannels,
        mfms: MfmsChannels,
        ftp: FtpChannels,
        smtp: SmtpChannels,
    ) -> None:
        self.gsm = gsm
        self.oktell = oktell
        self.mfms = mfms
        self.ftp = ftp
        self.smtp = smtp

    @property
    def drivers(self) -> tuple[ChannelDrivers[Any, Any], ...]:
        return (self.gsm, self.oktell, self.mfms, self.ftp, self.smtp)

    # --- what the engine reads ----------------------------------------------------------
    def voice(self) -> dict[int, VoiceChannel]:
        channels: dict[int, VoiceChannel] = dict(self.gsm.modems())
        channels.update(self.oktell.lines())
        return channels

    def sms(self) -> dict[int, SmsRoute]:
        return dict(self.gsm.modems())

    def bulk_sms(self) -> dict[int, BulkSmsRoute]:
        routes: dict[int, BulkSmsRoute] = dict(self.mfms.routes())
        routes.update(self.ftp.routes())
        return routes

    def email(self) -> dict[int, EmailRoute]:
        return dict(self.smtp.routes())

    def sources(self) -> dict[int, EventSource]:
        sources: dict[int, EventSource] = {}
        sources.update(self.gsm.modems())
        sources.update(self.oktell.lines())
        sources.update(self.mfms.routes())
        sources.update(self.ftp.routes())
        sources.update(self.smtp.routes())
        return sources

    def statuses(self) -> dict[int, ChannelStatus]:
        merged: dict[int, ChannelStatus] = {}
        for drivers in self.drivers:
            merged.update(drivers.statuses())
        return merged

    def states(self) -> dict[int, ChannelState]:
        """The GETCHANNELS state of every driven channel (bad settings: FAULT)."""
        merged: dict[int, ChannelState] = {}
        for drivers in self.drivers:
            merged.update(drivers.states())
        return merged

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` whenever drivers of any type start or stop; returns the cancel."""
        cancels = [drivers.subscribe(listener) for drivers in self.drivers]

        def cancel() -> None:
            for each in cancels:
                each()

        return cancel

    # --- life ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the drivers of every configured channel."""
        await self._each("start", lambda drivers: drivers.start())

    async def sync(self, num: int) -> None:
        """After channel ``num`` changed in the store: start, restart or stop its driver."""
        await self._each("reconcile", lambda drivers: drivers.sync(num))

    async def stop(self) -> None:
        """Stop every driver (idempotent)."""
        await self._each("stop", lambda drivers: drivers.stop())

    async def _each(self, what: str, action: Callable[[ChannelDrivers[Any, Any]], Any]) -> None:
        results = await asyncio.gather(
            *(action(drivers) for drivers in self.drivers), return_exceptions=True
        )
        for drivers, result in zip(self.drivers, results, strict=True):
            if isinstance(result, Exception):
                log.error("could not %s the %s channels: %s", what, drivers.settings_kind, result)
