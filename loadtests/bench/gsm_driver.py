"""The system's GSM driver's CPU per SMS and per call attempt (part of `nabat bench gsm`).

How it works: the modem simulator runs in its own process (timing disabled,
its clock fast so the far ends' ring and key times pass in milliseconds);
the driver (``nabat.system.channels.gsm.GsmModem``) runs here on the real
clock and opens the simulator's pseudo-terminal as it would a real device.
``time.process_time`` of this process around the driver's calls then counts
only the driver: its event loop work and its reader thread, never the
simulator. Each figure repeats its operation until ``count`` is done or
``seconds`` have passed, and is CPU milliseconds per operation, with the
wall time beside it. Every result is checked (submitted, busy, answered and
confirmed); a wrong one is counted as an error.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Awaitable, Callable
from typing import Any

DRIVER_MODULE = "nabat.system.channels.gsm"
SHORT_TEXT = "Test message 1"
CYRILLIC = "Внимание! Проверка системы оповещения. Нажмите 1 для подтверждения. " * 2


def driver_available() -> bool:
    try:
        return importlib.util.find_spec(DRIVER_MODULE) is not None
    except ModuleNotFoundError:
        return False


async def _per_operation(
    operation: Callable[[], Awaitable[str]], count: int, seconds: float
) -> dict[str, Any]:
    """Repeat ``operation`` (it returns "" when its result was right, else what was wrong)."""
    done = errors = 0
    example = ""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    deadline = wall_start + seconds
    while done < count and time.perf_counter() < deadline:
        wrong = await operation()
        if wrong:
            errors += 1
            example = example or wrong
        done += 1
    cpu = time.process_time() - cpu_start
    wall = time.perf_counter() - wall_start
    return {
        "operations": done,
        "errors": errors,
        "cpu_ms": cpu * 1000 / done if done else None,
        "wall_ms": wall * 1000 / done if done else None,
        "error_example": example,
    }


async def measure_driver(
    path: str, *, sms: int, calls: int, seconds: float, answers: str, busy: str
) -> dict[str, Any]:
    """CPU per operation of a driver on ``path`` (``answers``/``busy``: numbers whose fate
    the simulator's world fixes: answered with the key 1, and busy)."""
    from nabat.system.channels.gsm import GsmModem, GsmModemSettings

    settings = GsmModemSettings(
        name="bench", port=path, call_poll_interval=0.02, end_grace=0.01, health_interval=3600
    )
    figures: dict[str, Any] = {}
    async with GsmModem(settings) as modem:
        await modem.wait_ready(timeout=30)

        async def short_sms() -> str:
            result = await modem.send_sms(answers, SHORT_TEXT, status_report=False)
            return "" if result.outcome.value == "submitted" else repr(result)

        async def long_sms() -> str:
            result = await modem.send_sms(answers, CYRILLIC, status_report=True)
            right = result.outcome.value == "submitted" and result.parts == 3
            return "" if right else repr(result)

        async def busy_call() -> str:
            result = await modem.call(busy)
            return "" if result.outcome.value == "busy" else repr(result)

        async def answered_call() -> str:
            result = await modem.call(answers, confirm="1", dtmf_timeout=5)
            right = result.outcome.value == "answered" and result.confirmed
            return "" if right else repr(result)

        figures["sms_1_part"] = await _per_operation(short_sms, sms, seconds)
        figures["sms_3_parts_cyrillic_report"] = await _per_operation(long_sms, sms, seconds)
        figures["call_busy"] = await _per_operation(busy_call, calls, seconds)
        figures["call_answered_confirmed"] = await _per_operation(answered_call, calls, seconds)
    return figures
