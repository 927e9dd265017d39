"""JSON in and out of the simulators' control APIs (ATS, GSM), and checks of its fields.

How it works: ``decode_body`` turns a request body into a JSON object (empty
body: ``{}``) or raises ``ControlError`` (HTTP 400): strict JSON only — the
``NaN``/``Infinity`` literals, numbers that overflow to infinity, nesting
past Python's limits and integers past its digit limit are refused.
``json_response`` encodes an answer with ``allow_nan=False`` so it is always
standard JSON (anything else becomes a 500 that says so); compact, which
costs a seventh of indented JSON, or indented when ``pretty``. The field readers
(``seconds``, ``whole``, ``flag``, ``text``, ...) check type, finiteness and
range and name the field in their error; ``only`` refuses unknown fields.
Booleans are never accepted as numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from nabat.simulators.http.messages import Response

MAX_SECONDS = 30 * 86400.0  # the longest timed fault or delay the API takes
MAX_TEXT = 1000

Body = dict[str, Any]


class ControlError(ValueError):
    """A refused control request: ``status`` (400 by default) and a message for the caller."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def json_response(
    status: int,
    payload: object,
    headers: list[tuple[str, str]] | None = None,
    pretty: bool = False,
) -> Response:
    try:
        text = json.dumps(
            payload, ensure_ascii=False, indent=1 if pretty else None, allow_nan=False
        )
    except (TypeError, ValueError) as error:  # never emit a non-standard answer
        status, text = 500, json.dumps({"error": f"answer not encodable as JSON: {error}"})
    body = text.encode("utf-8")
    return Response(status, [("Content-Type", "application/json"), *(headers or [])], body)


def error_response(error: ControlError) -> Response:
    headers = [("WWW-Authenticate", 'Bearer realm="nabat-sim"')] if error.status == 401 else []
    return json_response(error.status, {"error": str(error)}, headers)


def _refuse_constant(name: str) -> object:
    raise ControlError(f"body is not valid JSON: {name} is not a JSON number")


def _check_finite(value: object) -> None:
    """Refuse floats that overflowed to infinity (``1e309``), at any depth."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                raise ControlError("body is not valid JSON: a number is out of range")
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def decode_body(raw: bytes) -> Body:
    if not raw.strip():
        return {}
    try:
        decoded = json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ControlError(f"body is not valid JSON: {str(error)[:200]}") from None
    except (ValueError, RecursionError) as error:  # digit limit, nesting
        raise ControlError(f"body is not acceptable JSON: {str(error)[:200]}") from None
    if not isinstance(decoded, dict):
        raise ControlError("body must be a JSON object")
    _check_finite(decoded)
    return decoded


def only(body: Mapping[str, object], allowed: Iterable[str]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:10])
        raise ControlError(f"unknown fields: {shown} (allowed: {', '.join(sorted(allowed))})")


def number(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"{name} must be a number")
    if not math.isfinite(value) or not low <= value <= high:
        raise ControlError(f"{name} must be within [{low:g}, {high:g}]")
    return float(value)


def seconds(value: object, name: str, high: float = MAX_SECONDS) -> float:
    return number(value, f"{name} (seconds)", 0.0, high)


def optional_seconds(body: Mapping[str, object], name: str, default: float | None) -> float | None:
    """``name`` in seconds; absent: ``default``; JSON null: None (until cleared)."""
    if name not in body:
        return default
    value = body[name]
    return None if value is None else seconds(value, name)


def whole(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ControlError(f"{name} must be a whole number from {low} to {high}")
    return value


def flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ControlError(f"{name} must be true or false")
    return value


def text(value: object, name: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ControlError(f"{name} must be text of at most {limit} characters")
    return value


def query_whole(query: Mapping[str, str], name: str, default: int, high: int) -> int:
    """A whole-number query parameter (``?since=12``) within [0, high]."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)) or int(raw) > high:
        raise ControlError(f"{name} must be a whole number from 0 to {high}")
    return int(raw)
