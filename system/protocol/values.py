"""The integer codes the protocol carries, one IntEnum each.

Task types come from the spec; everything else is the project's decision
(spec-ruling 10 for task status) and is documented in docs/protocol.md. These
enums are the single definition: store, engine, server, simulators and tests
import them from here.
"""

from __future__ import annotations

import enum


class TaskType(enum.IntEnum):
    """``ttype``: what a task does (from the spec)."""

    CALL = 0  # обзвон: voice call-out
    LOUDSPEAKER = 1  # ГГС: public-address (loudspeaker) announcement
    SMS = 2
    EMAIL = 3


class TaskStatus(enum.IntEnum):
    """``status`` / ``tstatus``: where a task is (spec-ruling 10, project values)."""

    STOPPED = 0  # not running: never started, or stopped by STOPTASK
    RUNNING = 1
    WAITING = 2  # armed, waiting for its schedule or a remote start
    FINISHED = 3  # ran to the end
    FAILED = 4  # ended early on an error (no channel, licence withdrawn, ...)


class Rights(enum.IntEnum):
    """A user's rights; a higher value includes every lower one."""

    READ_ONLY = 0
    OPERATOR = 1
    ADMINISTRATOR = 2


class PhoneType(enum.IntEnum):
    """``type`` of a PHONE line."""

    MOBILE = 0  # can also receive SMS
    LANDLINE = 1
    INTERNAL = 2  # an extension of the site's own PBX
    OTHER = 3


class RemoteStart(enum.IntEnum):
    """``remote``: how an abonent that is itself a notification server is started."""

    NONE = 0  # an ordinary person
    CALL = 1  # by calling it (DTMF key)
    SMS = 2  # by an SMS carrying the PIN
    NETWORK = 3  # over the network at ``ipaddress``


class MessageType(enum.IntEnum):
    """``mtype``: what a message is made of."""

    VOICE_FILE = 0  # a recorded audio file (``file``, uploaded with SENDRAWFILE)
    TTS = 1  # ``text`` spoken by the synthesiser with ``voice``
    SMS = 2  # ``text`` sent as SMS
    EMAIL = 3  # ``name`` is the subject, ``text`` the body


class ChannelType(enum.IntEnum):
    """``ctype``: the kind of outside system a channel is."""

    BOARD = 0  # an analogue line of a telephony board
    GSM = 1  # a GSM modem
    E1 = 2  # a timeslot of an E1 stream
    OKTELL = 3  # calls through an Oktell PBX
    MFMS = 4  # SMS through the MFMS HPG gateway
    FTP_PLATFORM = 5  # SMS through the FTP/FTPS platform
    SMTP = 6  # e-mail


class ChannelState(enum.IntEnum):
    """``state``: what a channel is doing now."""

    IDLE = 0
    BUSY = 1
    FAULT = 2
    DISABLED = 3
