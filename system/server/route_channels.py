"""The SMS platform and e-mail channels the server drives: MFMS, FTP platform, SMTP.

How it works: like ``gsm_channels.GsmChannels``, each class here is a
``channel_drivers.ChannelDrivers`` for one channel type, reconciling the
running routes with the store's channel rows:

* ``MfmsChannels`` (ctype 4): a channel whose settings name a ``base_url``
  (``base_url=http://127.0.0.1:9876/CLIENT/connectorX;login=...;password=...``;
  keys in docs/mfms-simulator.md) gets an ``MfmsRoute`` named ``mfms<num>``;
* ``FtpChannels`` (ctype 5): settings naming a ``host``
  (``host=127.0.0.1;port=2121;login=...;sender=NABAT``) get an
  ``FtpPlatformRoute`` named ``ftp<num>``;
* ``SmtpChannels`` (ctype 6): settings naming a ``host``
  (``host=127.0.0.1;port=2525;starttls=off;from_address=...``) get an
  ``SmtpRoute`` named ``smtp<num>``.

Each route is wrapped in a ``route_probe.ProbedRoute`` (its server checked
at start, FAULT while it cannot be reached). Settings are parsed by
``channelconfig`` (``mfms_route_settings`` ...); a channel without the key
stays undriven (IDLE, as before). ``routes()`` gives the running wrappers by
channel number (``BulkSmsRoute`` for MFMS and FTP, ``EmailRoute`` for
SMTP); ``channel_index.ChannelIndex`` gathers them for the engine.
"""

from __future__ import annotations

import logging
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx
from nabat.system.channels.clock import Clock
from nabat.system.channels.ftp_platform.route import FtpPlatformRoute
from nabat.system.channels.ftp_platform.settings import FtpPlatformSettings
from nabat.system.channels.mfms.route import MfmsRoute
from nabat.system.channels.mfms.settings import MfmsSettings
from nabat.system.channels.smtp.route import SmtpRoute
from nabat.system.channels.smtp.settings import SmtpSettings
from nabat.system.protocol import ChannelType
from nabat.system.server.channel_drivers import ChannelDrivers
from nabat.system.server.channelconfig import (
    ftp_route_settings,
    mfms_route_settings,
    smtp_route_settings,
)
from nabat.system.server.route_probe import (
    PROBE_INTERVAL,
    ProbedBulkSmsRoute,
    ProbedEmailRoute,
    ProbedRoute,
    Target,
)
from nabat.system.store import Store

W = TypeVar("W", bound=ProbedRoute[Any])
S = TypeVar("S")


class _RouteChannels(ChannelDrivers[W, S], Generic[W, S]):
    prefix: str  # a route is named <prefix><channel number>; its log is nabat.server.<prefix>

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        probe_interval: float = PROBE_INTERVAL,
    ) -> None:
        prefix = self.prefix
        super().__init__(
            store,
            parse_settings=self.parse,
            driver_name=lambda num: f"{prefix}{num}",
            log=logging.getLogger(f"nabat.server.{prefix}"),
        )
        self._clock = clock
        self._probe_interval = probe_interval

    def parse(self, text: str, name: str) -> S | None:
        raise NotImplementedError

    def routes(self) -> dict[int, W]:
        """The running routes (with their probe) by channel number."""
        return dict(self._drivers)

    def describe(self, driver: W) -> str:
        return f"the {self.settings_kind} at {driver.target.host}:{driver.target.port}"


class MfmsChannels(_RouteChannels[ProbedBulkSmsRoute, MfmsSettings]):
    ctype = ChannelType.MFMS
    settings_kind = "MFMS route"
    listener_failed = "an MFMS channel listener failed"
    prefix = "mfms"

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        probe_interval: float = PROBE_INTERVAL,
    ) -> None:
        super().__init__(store, clock=clock, probe_interval=probe_interval)
        self._transport = transport

    def parse(self, text: str, name: str) -> MfmsSettings | None:
        return mfms_route_settings(text, name)

    def make(self, settings: MfmsSettings) -> ProbedBulkSmsRoute:
        route = MfmsRoute(settings, clock=self._clock, transport=self._transport)
        parts = urlsplit(settings.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = Target(parts.hostname or "", port, settings.connect_timeout)
        return ProbedBulkSmsRoute(route, target, clock=self._clock, interval=self._probe_interval)


class FtpChannels(_RouteChannels[ProbedBulkSmsRoute, FtpPlatformSettings]):
    ctype = ChannelType.FTP_PLATFORM
    settings_kind = "FTP platform route"
    listener_failed = "an FTP platform channel listener failed"
    prefix = "ftp"

    def parse(self, text: str, name: str) -> FtpPlatformSettings | None:
        return ftp_route_settings(text, name)

    def make(self, settings: FtpPlatformSettings) -> ProbedBulkSmsRoute:
        route = FtpPlatformRoute(settings, clock=self._clock)
        target = Target(settings.host, settings.port, settings.timeout)
        return ProbedBulkSmsRoute(route, target, clock=self._clock, interval=self._probe_interval)


class SmtpChannels(_RouteChannels[ProbedEmailRoute, SmtpSettings]):
    ctype = ChannelType.SMTP
    settings_kind = "SMTP route"
    listener_failed = "an SMTP channel listener failed"
    prefix = "smtp"

    def parse(self, text: str, name: str) -> SmtpSettings | None:
        return smtp_route_settings(text, name)

    def make(self, settings: SmtpSettings) -> ProbedEmailRoute:
        route = SmtpRoute(settings, clock=self._clock)
        target = Target(settings.host, settings.port, settings.connect_timeout)
        return ProbedEmailRoute(route, target, clock=self._clock, interval=self._probe_interval)
