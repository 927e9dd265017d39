"""Tab completion for the ``nabat client`` shell (readline).

:func:`completions` is pure: given the line typed so far and the word under
the cursor it returns the candidates, the protocol's command words (from
``nabat.system.protocol.COMMANDS``) plus the shell's own ``help`` and
``exit`` for the first word, and command words again after ``help``.
Command words complete in upper case whatever case was typed. :func:`install`
hooks it into readline when readline is available.
"""

from __future__ import annotations

import contextlib
from types import ModuleType

from nabat.system.protocol import COMMANDS

SHELL_WORDS = ("help", "exit")


def completions(line: str, text: str) -> list[str]:
    """Candidates for ``text``, the word being typed at the end of ``line``."""
    before = line[: len(line) - len(text)] if line.endswith(text) else line
    earlier = before.split()
    words = sorted(COMMANDS)
    if not earlier:
        shell = [w for w in SHELL_WORDS if w.startswith(text.lower())]
        return shell + [w for w in words if w.startswith(text.upper())]
    if len(earlier) == 1 and earlier[0].lower() in ("help", "?"):
        return [w for w in words if w.startswith(text.upper())]
    return []


def _complete(readline: ModuleType, text: str, state: int) -> str | None:
    options = completions(readline.get_line_buffer()[: readline.get_endidx()], text)
    return options[state] if state < len(options) else None


def install() -> bool:
    """Turn on Tab completion (and line editing) for ``input()``; False
    when readline is not available."""
    try:
        import readline
    except ImportError:
        return False
    readline.set_completer(lambda text, state: _complete(readline, text, state))
    readline.set_completer_delims(" \t")
    doc = readline.__doc__ or ""
    with contextlib.suppress(Exception):
        readline.parse_and_bind("bind ^I rl_complete" if "libedit" in doc else "tab: complete")
    return True
