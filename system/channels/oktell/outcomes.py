"""What a notification script's return value means: the call's outcome (pure functions).

How it works: the service script (``notify`` in the simulator, its
equivalent on a real PBX: docs/oktell-channel.md has the contract) returns
one word, optionally followed by ``;ring=<seconds>;talk=<seconds>``:

* ``key:<keys>`` answered, these DTMF keys pressed;
* ``nokey`` answered, nothing pressed within the window; ``hungup`` answered,
  the far end hung up before pressing;
* ``noanswer``, ``busy``, ``unreachable``, ``rejected`` as they say;
  ``blocked`` the call was refused on the way (the operators' anti-fraud):
  rejected;
* ``noline`` (no free trunk) and ``refused``: nothing was dialled.

``read_outcome`` turns the text into a ``ScriptOutcome``; an unknown word is
``None`` (the caller fails the call with the text as detail). ``confirmed``
is true when the keys pressed begin with the wanted sequence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nabat.system.channels.base import CallOutcome

_UNANSWERED = {
    "noanswer": (CallOutcome.NO_ANSWER, "no answer"),
    "busy": (CallOutcome.BUSY, "busy"),
    "unreachable": (CallOutcome.UNREACHABLE, "unreachable"),
    "rejected": (CallOutcome.REJECTED, "rejected by the network"),
    "blocked": (CallOutcome.REJECTED, "blocked on the way (anti-fraud)"),
}
NOT_DIALLED = frozenset({"noline", "refused"})
_KEYS = re.compile(r"[0-9*#A-D]{0,64}")
_SECONDS = re.compile(r"[0-9]{1,6}(\.[0-9]{1,3})?")


@dataclass(frozen=True, slots=True)
class ScriptOutcome:
    word: str  # the result word as returned ("key", "nokey", "busy", ...)
    outcome: CallOutcome | None  # None: nothing was dialled (noline, refused)
    keys: str = ""
    detail: str = ""
    ring: float | None = None  # seconds, when the script reported them
    talk: float | None = None


def read_outcome(text: str) -> ScriptOutcome | None:
    """The outcome a return value names, or None when it is not one of the contract's."""
    head, *extras = text.strip().split(";")
    ring = talk = None
    for extra in extras:
        key, sep, value = extra.partition("=")
        if not sep or key not in ("ring", "talk") or not _SECONDS.fullmatch(value):
            return None
        seconds = float(value)
        if not math.isfinite(seconds):
            return None
        ring, talk = (seconds, talk) if key == "ring" else (ring, seconds)
    if head.startswith("key:"):
        keys = head[4:]
        if not keys or not _KEYS.fullmatch(keys):
            return None
        return ScriptOutcome("key", CallOutcome.ANSWERED, keys, "keys pressed", ring, talk)
    if head == "nokey":
        return ScriptOutcome(head, CallOutcome.ANSWERED, "", "no key pressed", ring, talk)
    if head == "hungup":
        return ScriptOutcome(
            head, CallOutcome.ANSWERED, "", "far end hung up before a key", ring, talk
        )
    if head in _UNANSWERED:
        outcome, detail = _UNANSWERED[head]
        return ScriptOutcome(head, outcome, "", detail, ring, talk)
    if head in NOT_DIALLED:
        return ScriptOutcome(head, None, "", "no free line at the PBX", ring, talk)
    return None


def is_confirmed(keys: str, confirm: str | None) -> bool:
    """The wanted sequence was pressed (first), or any key when ``confirm`` is ''."""
    if confirm is None:
        return False
    if confirm == "":
        return bool(keys)
    return keys.startswith(confirm)
