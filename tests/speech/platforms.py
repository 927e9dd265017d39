"""Where the ``espeakng-loader`` wheel exists (the platform marker of its
dependency in pyproject.toml): there the library backend must be installed,
so its tests fail rather than skip when it is missing; elsewhere they skip."""

from __future__ import annotations

import platform
import sys

WHEEL_PLATFORMS = {("linux", "x86_64"), ("darwin", "arm64"), ("win32", "AMD64")}
LIBRARY_WHEEL_MISSING = "espeakng-loader has no wheel for this platform (extra: tts_command)"


def library_wheel_exists() -> bool:
    return (sys.platform, platform.machine()) in WHEEL_PLATFORMS
