"""The ``CallSession`` an Oktell line hands to ``on_answer``: a finished call's keys.

How it works: on an Oktell line the PBX's service script runs the whole
call (dial, play, collect keys, hang up) inside one execsvcscript request,
so the engine cannot act while the call is up. ``on_answer`` is still called
for an answered call, after the script returned, with a ``FinishedSession``:
``ended`` is true, ``keys`` are the keys the script collected,
``wait_for_keys`` / ``next_key`` answer from them at once, ``hang_up`` does
nothing (the call is over) and ``send_tones`` raises ``ChannelError``.
"""

from __future__ import annotations

from nabat.system.channels.base import ChannelError


class FinishedSession:
    def __init__(self, number: str, keys: str) -> None:
        self._number = number
        self._keys = keys
        self._read = 0

    @property
    def number(self) -> str | None:
        return self._number

    @property
    def keys(self) -> str:
        return self._keys

    @property
    def ended(self) -> bool:
        return True

    async def wait_for_keys(self, wanted: str, timeout: float) -> bool:
        return wanted in self._keys

    async def next_key(self, timeout: float) -> str | None:
        if self._read >= len(self._keys):
            return None
        self._read += 1
        return self._keys[self._read - 1]

    async def send_tones(self, tones: str) -> None:
        raise ChannelError("the call is over: the PBX's script ran it")

    async def hang_up(self) -> None:
        return None
