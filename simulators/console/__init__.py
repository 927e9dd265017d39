"""The web console of ``nabat up`` (docs/console.md): live state, journals, faults, events."""

from nabat.simulators.console.app import DEFAULT_PORT, TOKEN_HEADER, ConsoleHandle, start_console
from nabat.simulators.console.guard import ConsoleLimits

__all__ = ["DEFAULT_PORT", "TOKEN_HEADER", "ConsoleHandle", "ConsoleLimits", "start_console"]
