"""What a command handler returns to the engine.

``Reply(lines)`` is information text followed by OK once the command's time
(``delay``, default ``Timing.command``) has passed. ``final`` replaces OK and
ends the command line (ATD, ATA). ``wait=True`` leaves the line executing until
a flow calls ``Modem.complete`` (ATD with +COLP=1). ``body`` asks for an SMS
body: the engine prints the ``> `` prompt and hands what the DTE types up to
Ctrl-Z to ``body`` (AT+CMGS, AT+CMGW), which returns the Reply to finish with.
Errors are not replies: handlers raise errors.CmeError/CmsError/PlainError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Reply:
    lines: list[str] = field(default_factory=list)
    delay: float | None = None
    final: str | None = None
    wait: bool = False
    body: Callable[[bytes], Reply] | None = None


def ok(*lines: str, delay: float | None = None) -> Reply:
    return Reply(list(lines), delay)
