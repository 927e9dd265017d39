"""Immutable server settings, with defaults that run on loopback with no file.

``ServerSettings`` is what the server's components read; ``nabat serve``
builds it from its options and the optional TOML file (``config.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from nabat.system.protocol import MAX_LINE_LENGTH
from nabat.system.server.channelconfig import ChannelSpec

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7021


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginPolicy:
    """How repeated bad logins from one peer for one login are slowed down.

    The n-th consecutive failure waits ``min(delay * 2**(n-1), max_delay)``
    seconds before ``ERR_BADLOGIN``; after ``max_failures`` the pair is locked
    for ``lockout`` seconds (every LOGIN, right password or not, is refused).
    """

    delay: float = 0.5
    max_delay: float = 5.0
    max_failures: int = 5
    lockout: float = 300.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    idle_timeout: float = 300.0
    max_line_length: int = MAX_LINE_LENGTH
    welcome: str = "Nabat notification server"
    login: LoginPolicy = LoginPolicy()
    simulated_gsm_modems: int = 0  # working GSM modems the in-process engine reports
    channels: tuple[ChannelSpec, ...] | None = None  # None: the licence's default set
    tts_command: str | None = None  # None: espeak-ng from PATH; "": no synthesiser
    tts_timeout: float = 20.0  # seconds one TTS synthesis may take
    max_sessions: int = 1000  # open sessions; one more is answered ERR_BUSY and closed
    tls_handshake_timeout: float = 30.0  # seconds a connection may take to finish TLS
