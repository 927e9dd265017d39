"""Think time between a user's tasks, from the suite's settings.

How it works: ``--ats-user-rate R`` > 0 paces each user at R tasks per
second (Locust's ``constant_throughput``); otherwise ``--ats-wait-min`` /
``--ats-wait-max`` give a uniform think time (``between``); both 0 (the
default) means no think time at all — as much load as the users can make.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from locust import between, constant, constant_throughput
from nabat.loadtests.locust.settings import AtsSettings


def wait_function(settings: AtsSettings) -> Callable[[Any], float]:
    if settings.user_rate > 0:
        return constant_throughput(settings.user_rate)
    if settings.wait_max > 0:
        return between(settings.wait_min, settings.wait_max)
    return constant(0)
