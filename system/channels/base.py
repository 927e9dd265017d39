"""What the engine sees of any channel: a voice channel, an SMS route, their state and events.

How it works: drivers (GSM modems, later Oktell lines, MFMS, the FTP
platform) implement the small Protocols below (architecture principle 4,
labgrid's protocol/driver split); the engine never learns which one it
talks to. Values crossing the seam are frozen dataclasses:

* ``VoiceChannel.call(number, ...)`` places one call and returns a
  ``CallResult`` (outcome answered / busy / no_answer / unreachable /
  rejected / failed, ring and talk seconds, keys pressed). While the call is
  up, the ``on_answer`` hook gets a ``CallSession`` (play the message, wait
  for DTMF keys, hang up).
* ``SmsRoute.send_sms(number, text)`` returns an ``SmsSubmission``: the
  message references of every part, or ``REJECTED`` (nothing more was
  sent), or ``UNKNOWN`` (the link died while the network may already have
  taken it: the engine must not resend blindly).
* ``BulkSmsRoute.send_batch(messages)`` (SMS platforms: MFMS HPG, the FTP
  platform) takes many ``OutgoingSms`` at once and returns one
  ``SmsSubmission`` per message, in order; a platform names an accepted
  message by its ``provider_id`` (a string) instead of TP-MRs. Their
  ``DeliveryReport`` events carry that ``provider_id``, the platform's own
  status word and the reason; ``DeliveryStatus.final`` tells the engine
  whether more reports will follow.
* Events come to subscribers (``subscribe(handler)``; the handler is an
  async function): ``IncomingCall`` (caller id and a control to answer or
  reject), ``IncomingSms`` (reassembled text; the driver deletes it from the
  device only after the handler returned, so a handler that raises gets it
  again later), ``DeliveryReport`` and ``StatusChanged``.
* ``NumberedChannel`` is a voice channel that knows its own number
  (``own_number``: the calling number a verification registration names).
* ``ChannelStatus`` is what GETCHANNELS shows: an ``Activity`` with a human
  text, mapped onto the protocol's IDLE/BUSY/FAULT/DISABLED.

``ChannelError`` is the root of every channel's exceptions;
``ChannelUnavailable`` means nothing was attempted (try another channel).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from nabat.system.protocol import ChannelState


class ChannelError(Exception):
    """Root of every channel driver's errors."""


class ChannelUnavailable(ChannelError):
    """The channel cannot take this now (not ready, busy, no network): nothing was attempted."""


# --------------------------------------------------------------------------- state


class Activity(enum.Enum):
    """What a channel is doing; ``usable`` ones can take work."""

    STARTING = "starting"
    IDLE = "idle"
    SENDING = "sending"  # an SMS submission in progress
    DIALING = "dialing"
    IN_CALL = "in call"
    RINGING = "ringing"  # an incoming call waits for an answer
    NO_SIM = "no SIM"
    PIN_REQUIRED = "PIN required"
    NO_NETWORK = "no network"
    RECOVERING = "recovering"  # link lost: reopening with backoff
    FAILED = "failed"  # needs an operator (SIM locked by PUK, wrong PIN, bad port)
    QUARANTINED = "quarantined"  # taken out by a pool after repeated failures
    STOPPED = "stopped"


_BUSY = frozenset({Activity.SENDING, Activity.DIALING, Activity.IN_CALL, Activity.RINGING})
_FAULT = frozenset(
    {
        Activity.STARTING,
        Activity.NO_SIM,
        Activity.PIN_REQUIRED,
        Activity.NO_NETWORK,
        Activity.RECOVERING,
        Activity.FAILED,
        Activity.QUARANTINED,
    }
)


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    name: str
    activity: Activity
    text: str  # for people: "idle, signal 21", "SIM PIN required", "no answer from the modem"
    since: float  # clock time of the last activity change

    @property
    def idle(self) -> bool:
        return self.activity is Activity.IDLE

    @property
    def protocol_state(self) -> ChannelState:
        """The GETCHANNELS ``state`` value."""
        if self.activity is Activity.STOPPED:
            return ChannelState.DISABLED
        if self.activity in _BUSY:
            return ChannelState.BUSY
        if self.activity in _FAULT:
            return ChannelState.FAULT
        return ChannelState.IDLE


# --------------------------------------------------------------------------- voice


class CallOutcome(enum.Enum):
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    UNREACHABLE = "unreachable"
    REJECTED = "rejected"
    FAILED = "failed"  # the channel failed (modem error, link lost before an answer)


@dataclass(frozen=True, slots=True)
class CallResult:
    channel: str
    number: str
    outcome: CallOutcome
    ring_seconds: float  # dial to answer, or dial to the end when unanswered
    talk_seconds: float  # answer to hang-up (0 when unanswered)
    keys: str = ""  # DTMF keys the far end pressed, in order
    confirmed: bool = False  # the wanted key sequence was pressed
    detail: str = ""  # why it ended, for the report ("far end hung up", "BUSY", ...)


class CallSession(Protocol):
    """A call that is up: what the message-playing hook may do."""

    @property
    def number(self) -> str | None: ...

    @property
    def keys(self) -> str: ...

    @property
    def ended(self) -> bool: ...

    async def wait_for_keys(self, wanted: str, timeout: float) -> bool:
        """True once ``wanted`` was pressed; False on timeout or when the call ends."""
        ...

    async def next_key(self, timeout: float) -> str | None:
        """The next key pressed, or None on timeout or when the call ends."""
        ...

    async def send_tones(self, tones: str) -> None: ...

    async def hang_up(self) -> None: ...


AnswerHook = Callable[[CallSession], Awaitable[None]]


@runtime_checkable
class VoiceChannel(Protocol):
    @property
    def name(self) -> str: ...

    def status(self) -> ChannelStatus: ...

    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
    ) -> CallResult:
        """Dial ``number``; when answered run ``on_answer`` and collect keys until ``confirm``
        was pressed, ``dtmf_timeout`` passed or the far end hung up; then hang up."""
        ...


@runtime_checkable
class NumberedChannel(Protocol):
    """A voice channel that knows the number its calls come from (verification's ``a``)."""

    @property
    def own_number(self) -> str | None:
        """E.164 digits without ``+``; None when unknown."""
        ...


# --------------------------------------------------------------------------- SMS


class SubmitOutcome(enum.Enum):
    SUBMITTED = "submitted"  # every part taken by the network (references known)
    REJECTED = "rejected"  # refused; parts before the refused one were sent (references)
    UNKNOWN = "unknown"  # the link died during a submission: it may have been sent


@dataclass(frozen=True, slots=True)
class SmsSubmission:
    channel: str
    number: str
    outcome: SubmitOutcome
    references: tuple[int, ...]  # TP-MR of each part the network acknowledged
    parts: int  # how many parts the text needed
    detail: str = ""
    provider_id: str = ""  # SMS platforms: the platform's id of the accepted message
    code: str = ""  # SMS platforms: the platform's answer ("ok", "error-address-format", ...)


@runtime_checkable
class SmsRoute(Protocol):
    @property
    def name(self) -> str: ...

    def status(self) -> ChannelStatus: ...

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission: ...


@dataclass(frozen=True, slots=True)
class OutgoingSms:
    """One message of a batch; ``key`` is the engine's own id, echoed in nothing but logs."""

    number: str
    text: str
    key: str = ""


@runtime_checkable
class BulkSmsRoute(SmsRoute, Protocol):
    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]:
        """One ``SmsSubmission`` per message, in the order given."""
        ...


# --------------------------------------------------------------------------- e-mail


class EmailOutcome(enum.Enum):
    SENT = "sent"  # the server took it for this recipient (250 to RCPT and to the data)
    REJECTED = "rejected"  # a 5xx for this recipient or message: final
    DEFERRED = "deferred"  # only 4xx answers or lost connections before the data: try later
    UNKNOWN = "unknown"  # the data went out but no answer came: it may have been taken


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """One message to one or more recipients; ``key`` is the engine's own id."""

    recipients: tuple[str, ...]
    subject: str
    body: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class EmailSubmission:
    channel: str
    recipient: str
    outcome: EmailOutcome
    reply: str = ""  # the server's last answer about this recipient ("550 5.1.1 ...")
    attempts: int = 1
    key: str = ""


@runtime_checkable
class EmailRoute(Protocol):
    @property
    def name(self) -> str: ...

    def status(self) -> ChannelStatus: ...

    async def send_emails(self, messages: Sequence[OutgoingEmail]) -> list[EmailSubmission]:
        """One ``EmailSubmission`` per recipient of each message, in the order given."""
        ...


# --------------------------------------------------------------------------- events


class DeliveryStatus(enum.Enum):
    """Where a message stands; ``final`` ones get no further report.

    GSM status reports use DELIVERED / PENDING / FAILED. SMS platforms map
    their words onto these: enqueued, sent, delayed -> PENDING; delivered ->
    DELIVERED; undelivered, failed -> FAILED (``reason`` says why);
    cancelled -> CANCELLED; a platform that no longer knows the message ->
    UNKNOWN (the engine decides whether to send it again).
    """

    DELIVERED = "delivered"
    PENDING = "pending"  # the SMSC is still trying
    FAILED = "failed"  # the SMSC gave up (TP-ST permanent or temporary-stopped)
    CANCELLED = "cancelled"  # withdrawn on the platform (by its operator)
    UNKNOWN = "unknown"  # the platform cannot say (unknown id): no report will follow

    @property
    def final(self) -> bool:
        return self is not DeliveryStatus.PENDING


@dataclass(frozen=True, slots=True)
class IncomingSms:
    channel: str
    sender: str  # "+79000000001" or an alphanumeric sender
    text: str
    sent_at: datetime | None  # the SMSC time stamp of the (first) part
    parts: int
    key: str  # stable identity (sender, time stamp, reference, text): for durable dedup


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    channel: str
    number: str  # the recipient
    reference: int  # TP-MR of the part this report is about (0 from SMS platforms)
    status: DeliveryStatus
    tp_status: int  # -1 from SMS platforms
    discharged_at: datetime | None  # SMS platforms: the time of the status, as they print it
    provider_id: str = ""  # SMS platforms: the id from ``SmsSubmission.provider_id``
    platform_status: str = ""  # SMS platforms: their word ("enqueued", "undelivered", ...)
    reason: str = ""  # why it was not delivered, as the platform says


class IncomingCallControl(Protocol):
    async def answer(self) -> CallSession: ...

    async def reject(self) -> None: ...


@dataclass(frozen=True, slots=True)
class IncomingCall:
    channel: str
    caller: str | None  # None when the network withheld it
    control: IncomingCallControl


@dataclass(frozen=True, slots=True)
class StatusChanged:
    status: ChannelStatus


ChannelEvent = IncomingCall | IncomingSms | DeliveryReport | StatusChanged
EventHandler = Callable[[ChannelEvent], Awaitable[None]]


@runtime_checkable
class EventSource(Protocol):
    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        """Call ``handler`` for every event from now on; returns the unsubscribe function."""
        ...
