"""What a licence allows: the simulated HASP dongle (spec-ruling 13).

A ``Licence`` answers two questions for the server: what the LOGIN reply's
``HASP`` line reports (``hasp_info``) and whether STARTTASK may start a task
(``check_start``, raising ``StartRefused`` with the protocol error code). An
expired licence, or an explicit "no dongle" one, is no licence key at all.
Reading and validating the licence file lives in ``fileformat``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NoReturn

from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.records import HaspInfo
from nabat.system.protocol.values import TaskType

log = logging.getLogger(__name__)

# What the development licence (no licence file) reports on the HASP line.
DEVELOPMENT_BOARDS = 4
DEVELOPMENT_GSM_MODEMS = 4


class StartRefused(Exception):
    """The licence does not let STARTTASK start this task; ``error`` is the reply code."""

    def __init__(self, error: ErrorCode, reason: str) -> None:
        super().__init__(f"{error.code}: {reason}")
        self.error = error
        self.reason = reason

    @property
    def code(self) -> str:
        """The wire code, e.g. ``ERR_NOHASP``."""
        return self.error.code


@dataclass(frozen=True, slots=True, kw_only=True)
class Licence:
    """The terms of one licence; ``source`` says where they came from (for logs)."""

    source: str
    dongle: bool = True  # False: an explicit "no dongle" licence
    holder: str = ""
    expires: date | None = None  # last valid day (inclusive); None: never
    boards: int = 0
    gsm_modems: int = 0
    dynamic_tts: bool = False
    email: bool = False
    e1: bool = False
    sms_gateway: bool = False  # SMS through SMS platforms (MFMS, FTP) without a GSM modem
    development: bool = False
    clock: Callable[[], date] = field(default=date.today, compare=False, repr=False)

    @classmethod
    def development_licence(cls, clock: Callable[[], date] = date.today) -> Licence:
        """The licence used without a licence file: everything allowed, never expires."""
        return cls(
            source="development licence (no licence file)",
            holder="development",
            boards=DEVELOPMENT_BOARDS,
            gsm_modems=DEVELOPMENT_GSM_MODEMS,
            dynamic_tts=True,
            email=True,
            e1=True,
            sms_gateway=True,
            development=True,
            clock=clock,
        )

    @classmethod
    def no_dongle(cls, source: str, clock: Callable[[], date] = date.today) -> Licence:
        """No licence key: ``HASP 0 0 0 0 0 0``; every STARTTASK is ``ERR_NOHASP``."""
        return cls(source=source, dongle=False, clock=clock)

    # --- state -------------------------------------------------------------

    def expired(self) -> bool:
        """True once the clock is past the last valid day."""
        return self.expires is not None and self.clock() > self.expires

    def key_reason(self) -> str | None:
        """Why there is no licence key, or None when there is one."""
        if not self.dongle:
            return f"no licence key ({self.source})"
        if self.expired():
            return f"licence expired on {self.expires} ({self.source})"
        return None

    def describe(self) -> str:
        """One line for the server's start-up output."""
        reason = self.key_reason()
        if self.development:
            return (
                "DEVELOPMENT LICENCE: no licence file, everything is allowed - not for production"
            )
        if reason is not None:
            return f"NO LICENCE KEY: {reason}"
        features = [
            name
            for name, on in (
                ("dynamic-tts", self.dynamic_tts),
                ("email", self.email),
                ("e1", self.e1),
                ("sms-gateway", self.sms_gateway),
            )
            if on
        ]
        return (
            f"licence for {self.holder!r} until {self.expires or 'never'}: "
            f"{self.boards} boards, {self.gsm_modems} GSM modems, "
            f"{', '.join(features) or 'no options'} ({self.source})"
        )

    # --- protocol ----------------------------------------------------------

    def hasp_info(self) -> HaspInfo:
        """The LOGIN reply's HASP line; all zeros without a (valid) key."""
        reason = self.key_reason()
        if reason is not None:
            log.warning("HASP line reports no key: %s", reason)
            return HaspInfo()
        return HaspInfo(
            haspset=True,
            boards=self.boards,
            gsmmodems=self.gsm_modems,
            dynamiccts=self.dynamic_tts,
            email=self.email,
            e1=self.e1,
        )

    def check_start(
        self,
        task_type: TaskType,
        available_gsm_modems: int,
        *,
        sms_routes: int = 0,
        dynamic_tts: bool = False,
        e1: bool = False,
    ) -> None:
        """Raise ``StartRefused`` unless the licence lets this task start now.

        ``available_gsm_modems`` is the number of working GSM modems right now;
        ``sms_routes`` the working SMS platform routes (they count for an SMS task
        when the licence has ``sms_gateway``);
        ``dynamic_tts`` / ``e1``: the task needs dynamic speech synthesis / E1
        channels. Order: no key (ERR_NOHASP), not licensed (ERR_NOHASPFORSTART),
        no working GSM modem (ERR_NOGSM).
        """
        if available_gsm_modems < 0:
            raise ValueError(f"available_gsm_modems must be >= 0, got {available_gsm_modems}")
        reason = self.key_reason()
        if reason is not None:
            log.warning("STARTTASK refused (ERR_NOHASP): %s", reason)
            raise StartRefused(ErrorCode.NOHASP, reason)
        needs_gsm = self._licensed_route(task_type)
        if dynamic_tts and not self.dynamic_tts:
            self._refuse("dynamic speech synthesis is not licensed")
        if e1 and not self.e1:
            self._refuse("E1 streams are not licensed")
        gateway = task_type is TaskType.SMS and self.sms_gateway and sms_routes > 0
        if needs_gsm and available_gsm_modems == 0 and not gateway:
            means = "GSM modem or SMS platform route" if self.sms_gateway and (
                task_type is TaskType.SMS) else "GSM modem"  # fmt: skip
            reason = f"a {task_type.name} task needs a working {means} and none is available"
            log.warning("STARTTASK refused (ERR_NOGSM): %s", reason)
            raise StartRefused(ErrorCode.NOGSM, reason)

    def _licensed_route(self, task_type: TaskType) -> bool:
        """Refuse an unlicensed kind of task; True when it must go out over GSM."""
        if task_type is TaskType.CALL:
            if self.boards > 0:
                return False
            if self.gsm_modems > 0:
                return True
            self._refuse("voice call-out needs telephony boards or GSM modems in the licence")
        if task_type is TaskType.LOUDSPEAKER:
            if self.boards > 0:
                return False
            self._refuse("loudspeaker announcements need telephony boards in the licence")
        if task_type is TaskType.SMS:
            if self.gsm_modems > 0 or self.sms_gateway:
                return True
            self._refuse("SMS needs GSM modems or the SMS gateway option in the licence")
        if task_type is TaskType.EMAIL:
            if self.email:
                return False
            self._refuse("e-mail is not licensed")
        raise ValueError(f"unknown task type {task_type!r}")

    def _refuse(self, reason: str) -> NoReturn:
        log.warning("STARTTASK refused (ERR_NOHASPFORSTART): %s (%s)", reason, self.source)
        raise StartRefused(ErrorCode.NOHASPFORSTART, reason)
