"""Best-effort line numbers for errors in a TOML world file.

tomllib reports syntax errors with their line, but a value that parses and is
then rejected (an unknown outcome, a negative delay) has lost its position.
``locate`` walks the text once, tracking the current table header
(``[voice]``, the n-th ``[[override]]``, ``[plan.region]`` ...) and the keys
assigned under it, and returns the line whose key path shares the longest
prefix with the error's path. It never raises; None means "no idea".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PathPart = str | int
_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _dotted(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in text.split(".")]


def _shared(candidate: Sequence[PathPart], target: Sequence[PathPart]) -> int:
    count = 0
    for mine, theirs in zip(candidate, target, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _inside_arrays(names: list[str], arrays: dict[tuple[str, ...], int]) -> list[PathPart]:
    """``[override.voice]`` under the 3rd ``[[override]]`` is ``override, 2, voice``."""
    for cut in range(len(names) - 1, 0, -1):
        index = arrays.get(tuple(names[:cut]))
        if index is not None:
            return [*names[:cut], index, *names[cut:]]
    return list(names)


def locate(text: str, path: Sequence[PathPart]) -> int | None:
    """The 1-based line of ``path`` (e.g. ``["override", 2, "voice", "ring"]``) in ``text``."""
    context: list[PathPart] = []
    arrays: dict[tuple[str, ...], int] = {}
    best_line, best_score = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header is not None and stripped.startswith("["):
            names = _dotted(header.group(2))
            if header.group(1) == "[[":
                index = arrays.get(tuple(names), -1) + 1
                arrays[tuple(names)] = index
                context = [*names, index]
            else:
                context = _inside_arrays(names, arrays)
            candidate: list[PathPart] = list(context)
        else:
            key = _KEY.match(line)
            if key is None:
                continue
            candidate = [*context, *_dotted(key.group(1))]
        score = _shared(candidate, path)
        if score > best_score:
            best_line, best_score = number, score
    return best_line
