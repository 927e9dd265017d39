"""Channels: the notification server's drivers for the outside systems, behind small interfaces.

``base`` holds what the engine sees (``VoiceChannel``, ``SmsRoute``,
``EventSource``, the result and event dataclasses, ``ChannelStatus`` for
GETCHANNELS, ``ChannelError``/``ChannelUnavailable``); ``clock`` the
injected time every driver uses; ``events`` the fan-out of events to
subscribers; ``pool`` several channels as one. One subpackage per outside
system implements the interfaces: ``gsm`` (modems on serial ports),
``mfms`` (the MFMS HPG SMS platform over HTTP), ``ftp_platform`` (bulk SMS
as zip archives over FTP/FTPS).
"""

from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    BulkSmsRoute,
    CallOutcome,
    CallResult,
    CallSession,
    ChannelError,
    ChannelEvent,
    ChannelStatus,
    ChannelUnavailable,
    DeliveryReport,
    DeliveryStatus,
    EventHandler,
    EventSource,
    IncomingCall,
    IncomingCallControl,
    IncomingSms,
    OutgoingSms,
    SmsRoute,
    SmsSubmission,
    StatusChanged,
    SubmitOutcome,
    VoiceChannel,
)
from nabat.system.channels.clock import Clock, LoopClock, within
from nabat.system.channels.pool import ChannelPool

__all__ = [
    "Activity",
    "AnswerHook",
    "BulkSmsRoute",
    "CallOutcome",
    "CallResult",
    "CallSession",
    "ChannelError",
    "ChannelEvent",
    "ChannelPool",
    "ChannelStatus",
    "ChannelUnavailable",
    "Clock",
    "DeliveryReport",
    "DeliveryStatus",
    "EventHandler",
    "EventSource",
    "IncomingCall",
    "IncomingCallControl",
    "IncomingSms",
    "LoopClock",
    "OutgoingSms",
    "SmsRoute",
    "SmsSubmission",
    "StatusChanged",
    "SubmitOutcome",
    "VoiceChannel",
    "within",
]
