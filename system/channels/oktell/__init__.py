"""Oktell PBX lines as voice channels (docs/oktell-channel.md).

``settings`` (``OktellLineSettings``: the PBX URL, the line, the password,
the script), ``pbx`` (``OktellPbx``: the HTTP client shared by the lines of
one PBX, its error tree and the once-per-audio uploads), ``outcomes`` (the
script's return value -> ``CallOutcome``), ``audio`` (the 8 kHz WAV check
and synthesis), ``session`` (the ``CallSession`` of a finished call),
``line`` (``OktellLine``: calls, health, incoming calls).
"""

from nabat.system.channels.oktell.line import LineFailed, OktellLine
from nabat.system.channels.oktell.pbx import (
    OktellPbx,
    PbxError,
    PbxNotFound,
    PbxRefused,
    PbxUnreachable,
)
from nabat.system.channels.oktell.settings import OktellLineSettings

__all__ = [
    "LineFailed",
    "OktellLine",
    "OktellLineSettings",
    "OktellPbx",
    "PbxError",
    "PbxNotFound",
    "PbxRefused",
    "PbxUnreachable",
]
