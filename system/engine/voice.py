"""One voice attempt: register the call, dial, play, wait for the confirmation key, record.

How it works (architecture "Voice call-out" flow): the attempt was written in
flight by the caller. Then:

1. Registration through the verification client, from the channel's own
   number (``own_number``) to the abonent, with ``call_id`` ``nabat-<attempt
   id>``, by the API's universal method ``/call``: for a number of our own
   operator it is RegisterCall, and the hub also keeps the call, so the
   callUpdate after it finds it (a plain RegisterCall keeps no call:
   callUpdate answers 404). A refusal (or an unreachable hub under a
   fail-closed policy) ends the attempt as ``not_registered``: the call is
   not placed. Without a
   verification client, or a channel that does not know its own number, the
   call goes out unregistered (the report says so; in the simulated world the
   far end's operator then blocks it).
2. The call. A channel that plays the message itself (its ``call`` takes a
   ``message``: Oktell) gets the message and the confirmation key and
   reports the keys at the end. Otherwise (GSM: the AT interface has no
   audio) an answer hook waits for the key through the call session for
   ``repeat x wait`` seconds and writes the confirmation the moment it
   arrives, before the call is hung up: a crash after that point cannot
   make the engine call a confirmed abonent again.
3. callUpdate with the talk duration when the call was registered
   (``update``; the executor runs it in the background, so the channel is
   free for its next call at once).

``VoiceAttempt.run`` returns the ``CallResult`` and what verification said;
the engine turns them into the target's next state.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nabat.system.channels.base import CallOutcome, CallResult, CallSession, VoiceChannel
from nabat.system.engine.params import ConfirmSpec
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.results import Outcome
from nabat.system.verification.settings import Direction

log = logging.getLogger("nabat.engine.voice")

HOOK_MARGIN = 2.0  # seconds the driver waits beyond the hook's own key window
_TAKES_MESSAGE: dict[type, bool] = {}


def plays_messages(channel: VoiceChannel) -> bool:
    """Does this channel's ``call`` take a ``message`` (it plays audio itself)?"""
    kind = type(channel)
    known = _TAKES_MESSAGE.get(kind)
    if known is None:
        known = _TAKES_MESSAGE[kind] = "message" in inspect.signature(channel.call).parameters
    return known


def e164_digits(number: str) -> str:
    """A phone as the ATS API takes it: E.164 digits without ``+`` (ATS ruling 1); an
    abonent's phone may be stored with its ``+``."""
    return number.strip().lstrip("+")


def own_number(channel: object) -> str | None:
    number = getattr(channel, "own_number", None)
    return e164_digits(number) if isinstance(number, str) and number.strip() else None


@dataclass(frozen=True, slots=True)
class VoiceOutcome:
    result: CallResult | None  # None: not placed (verification refused)
    verification: str  # "registered", "rejected: ...", "not registered: ...", ""
    registered: bool
    confirmed_keys: str  # the keys written as the confirmation ("" if none)


Confirmed = Callable[[str], Awaitable[None]]


class VoiceAttempt:
    def __init__(
        self,
        channel: VoiceChannel,
        number: str,
        *,
        attempt_id: int,
        confirm: ConfirmSpec | None,
        ring: float,
        message: bytes | str | None,
        verification: VerificationClient | None,
        on_confirmed: Confirmed,
    ) -> None:
        self.channel = channel
        self.number = number
        self.attempt_id = attempt_id
        self.confirm = confirm
        self.ring = ring
        self.message = message
        self.verification = verification
        self.on_confirmed = on_confirmed
        self._confirmed_keys = ""
        self._confirming: asyncio.Future[None] | None = None  # the confirmation being written

    @property
    def call_id(self) -> str:
        return f"nabat-{self.attempt_id}"

    async def run(self) -> VoiceOutcome:
        registered, verdict, allowed = await self._register()
        if not allowed:
            return VoiceOutcome(None, verdict, False, "")
        result = await self._call()
        if self._confirming is not None:  # the driver may cancel the hook mid-write (hang-up)
            await self._confirming
        if not self._confirmed_keys and result.confirmed and self.confirm is not None:
            self._confirmed_keys = self.confirm.key
            await self.on_confirmed(self.confirm.key)
        return VoiceOutcome(result, verdict, registered, self._confirmed_keys)

    async def _register(self) -> tuple[bool, str, bool]:
        """(registered, what to report, may the call be placed)."""
        if self.verification is None:
            return False, "", True
        caller = own_number(self.channel)
        if caller is None:
            return False, "not registered: the channel does not know its own number", True
        result = await self.verification.call(
            caller, e164_digits(self.number), call_id=self.call_id, direction=Direction.OUTGOING
        )
        if result.outcome is Outcome.REGISTERED:
            return True, "registered", True
        text = f"{result.outcome.value}"
        if result.status:
            text += f" (HTTP {result.status})"
        if result.error_names:
            text += f": {', '.join(result.error_names)}"
        elif result.detail:
            text += f": {result.detail}"
        if result.outcome is Outcome.UNAVAILABLE and result.allowed:
            return False, f"{text}; placed by policy", True
        if result.outcome in (Outcome.VERIFIED, Outcome.NOT_FOUND):
            text += ": the hub took it as a check (is the calling number ours?)"
        return False, text, False

    async def _call(self) -> CallResult:
        confirm = self.confirm
        window = confirm.repeat * confirm.wait if confirm is not None else 0.0
        if plays_messages(self.channel):
            call: Callable[..., Awaitable[CallResult]] = self.channel.call
            return await call(
                self.number,
                confirm=confirm.key if confirm else None,
                dtmf_timeout=float(window) if confirm else 1.0,
                ring_timeout=self.ring,
                message=self.message,
            )
        if confirm is None:
            return await self.channel.call(self.number, dtmf_timeout=1.0, ring_timeout=self.ring)

        async def hook(session: CallSession) -> None:
            if await session.wait_for_keys(confirm.key, window):
                self._confirmed_keys = confirm.key
                # written before the hook returns and the driver hangs up; shielded so
                # the driver's own cancellation of the hook cannot lose it, and awaited
                # again by ``run`` so the result never outruns the write
                self._confirming = asyncio.ensure_future(self.on_confirmed(confirm.key))
                await asyncio.shield(self._confirming)

        return await self.channel.call(
            self.number, on_answer=hook, dtmf_timeout=window + HOOK_MARGIN, ring_timeout=self.ring
        )

    async def update(self, result: CallResult) -> None:
        """callUpdate with the talk duration (after a registered call; the engine runs it
        beside the next call, off the channel's path)."""
        if self.verification is None:
            return
        duration = round(result.talk_seconds) if result.outcome is CallOutcome.ANSWERED else 0
        try:
            update = await self.verification.call_update(self.call_id, dur=duration)
        except Exception:  # the report must not fail for it
            log.exception("callUpdate of %s failed", self.call_id)
            return
        if update.outcome is not Outcome.UPDATED:
            log.warning("callUpdate of %s: %s %s", self.call_id, update.outcome.value,
                        update.detail)  # fmt: skip
