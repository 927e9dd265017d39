"""What a command handler gets: the shared server state and one call.

``ServerContext`` holds the components every session shares (store,
licence, engine, MONITORING hub, login throttle, the live settings, data
directory, file store, speech synthesiser, the channel drivers of every type
in ``channels`` (``channel_index.py``; ``gsm_channels`` and
``oktell_channels`` are two of them), the verification client, started by
the server, or None without a ``[verification]`` table); ``settings`` is the settings
object in force *now* (read it at each use, never keep it: SETCONFIG
replaces it). ``Call`` is one
request: the session, its table row, the word used (UPDATLIST vs
UPDATELIST), the decoded arguments, or the assembled multi-line request.
``Handler`` is the type of the functions of the dispatch table.
``blocking`` runs a synchronous store call in a worker thread so the event
loop never waits on SQLite; password checks (scrypt, about 0.3 s and 32 MiB
each) go through the ``verifier``'s own small pool and bounded, fair queue
(``verifier.py``), so a burst of logins can neither block the loop, take
every worker thread from the store, nor make a real user wait behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from nabat.system.licence import Licence
from nabat.system.protocol import Command, Line, MultilineRequest, Rights, User
from nabat.system.server.channel_index import ChannelIndex
from nabat.system.server.engine import Engine
from nabat.system.server.filestore import FileStore
from nabat.system.server.gsm_channels import GsmChannels
from nabat.system.server.live import LiveSettings
from nabat.system.server.monitor import MonitorHub
from nabat.system.server.oktell_channels import OktellChannels
from nabat.system.server.settings import ServerSettings
from nabat.system.server.throttle import LoginThrottle
from nabat.system.server.verifier import PasswordVerifier
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.store import Store
from nabat.system.verification.client import VerificationClient

if TYPE_CHECKING:
    from nabat.system.server.session import Session

P = ParamSpec("P")
T = TypeVar("T")


async def blocking(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    return await asyncio.to_thread(function, *args, **kwargs)


@dataclass(frozen=True, slots=True)
class ServerContext:
    store: Store
    licence: Licence
    engine: Engine
    hub: MonitorHub
    throttle: LoginThrottle
    live: LiveSettings  # the one live source: start-up settings plus SETCONFIG changes
    verifier: PasswordVerifier  # password checks (scrypt): own threads, bounded fair queue
    data_dir: Path
    files: FileStore
    synthesiser: Synthesiser | None  # None: no speech synthesis installed
    gsm_channels: GsmChannels  # modem drivers of GSM channels with a port (server starts them)
    channels: ChannelIndex  # every channel driver (GSM, Oktell, MFMS, FTP, SMTP), for the engine
    oktell_channels: OktellChannels | None = None  # line drivers of Oktell channels with a url
    verification: VerificationClient | None = None  # None: no [verification]: calls unregistered

    @property
    def settings(self) -> ServerSettings:
        """The settings in force now (SETCONFIG changes included)."""
        return self.live.current


@dataclass(frozen=True, slots=True)
class Call:
    session: Session
    command: Command
    word: str
    args: dict[str, Any]
    request: MultilineRequest | None = None

    @property
    def context(self) -> ServerContext:
        return self.session.context

    @property
    def store(self) -> Store:
        return self.session.context.store

    @property
    def user(self) -> User | None:
        return self.session.user

    @property
    def rights(self) -> Rights | None:
        return self.session.rights

    async def reply(self, lines: Iterable[Line] | AsyncIterable[Line]) -> None:
        await self.session.send(lines)


Handler = Callable[[Call], Awaitable[None]]
