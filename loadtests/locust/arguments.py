"""Registers the suite's custom arguments with Locust and checks them at start-up.

How it works: importing this module (the locustfile does) adds a listener to
``events.init_command_line_parser`` that declares every ``settings.OPTIONS``
entry, each with its environment variable as default (so ``NABAT_ATS_MIX=...
locust -f ...`` works too). Locust forwards these values from the master to
its workers. A listener on ``events.init`` validates them once in the
process that decides (standalone or master) and exits with status 2 and a
one-line reason when they do not hold, before any user starts.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner
from nabat.loadtests.locust.settings import OPTIONS, AtsSettings, SettingsError

logger = logging.getLogger("nabat.load")


def add_arguments(parser: Any) -> None:
    group = parser.add_argument_group("nabat ATS suite")
    for spec in OPTIONS:
        group.add_argument(
            spec.flag,
            type=str,
            default=os.environ.get(spec.env, spec.default),
            help=f"{spec.help} [env {spec.env}; default {spec.default!r}]",
        )


def check_arguments(environment: Environment, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner) or environment.parsed_options is None:
        return
    try:
        AtsSettings.from_options(environment.parsed_options)
    except SettingsError as error:
        logger.error("nabat ATS suite: %s", error)
        sys.exit(2)


events.init_command_line_parser.add_listener(add_arguments)  # type: ignore[no-untyped-call]
events.init.add_listener(check_arguments)  # type: ignore[no-untyped-call]
