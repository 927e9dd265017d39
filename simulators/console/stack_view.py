"""What the console needs of a running system: the ``SystemStack`` contract, as a Protocol.

The console reads and pokes the simulators through the typed control clients
of their handles (``.control``) and the server through one admin session
(``server.connect(login, password)``); ``gsm.world`` is the world's control
(rules, journal, scripted events). ``simulators/system/stack.py`` satisfies
it, and so does a test's bundle of the pytest plugin's fixtures.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from nabat.simulators.ats.control_client import AtsControlClient


class ConsoleStack(Protocol):
    """Handles of a running system: each simulator's with its ``.control`` client."""

    @property
    def server(self) -> Any: ...  # NabatServerHandle: connect(login, password), admin_login...
    @property
    def ats(self) -> Any: ...
    @property
    def gsm(self) -> Any: ...  # GsmSimulatorHandle: control, world, links
    @property
    def mfms(self) -> Any: ...
    @property
    def ftp(self) -> Any: ...
    @property
    def oktell(self) -> Any: ...
    @property
    def smtp(self) -> Any: ...
    @property
    def world(self) -> Any: ...  # the loaded World (seed, overrides, events)

    console_url: str | None  # set by start_console: the endpoint table prints it

    def channel_numbers(self) -> dict[str, list[int]]: ...


@cache
def _reserve_client(url: str, token: str | None) -> AtsControlClient:
    return AtsControlClient(url, token=token)


def ats_reserve_control(stack: ConsoleStack) -> AtsControlClient:
    """The ATS control API through the reserve (it answers while the primary is down,
    and only the other server may close or reopen a server's listener)."""
    return _reserve_client(stack.ats.reserve_url, getattr(stack.ats, "control_token", None))
