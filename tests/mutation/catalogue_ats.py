"""Deviations the ATS suite must catch, written into the ATS simulator
(``simulators/``). See catalogue.py and mutant.py."""

from __future__ import annotations

from tests.mutation.mutant import Mutant, mutant

ATS: list[Mutant] = [
    mutant("ATS-WINDOW-600", "ats", "MUST",
           "the registration window is 600 s instead of 60 s",
           "simulators/sim_cli.py", "        type=window_seconds,\n        default=60.0,",
           "        type=window_seconds,\n        default=600.0,",
           statement="ATS-CHECK-WINDOW"),
    mutant("ATS-WINDOW-INCLUSIVE", "ats", "MUST",
           "a registration still verifies exactly at the window's end (<= instead of <)",
           "simulators/ats/stores.py",
           "now - registered_at < self.window", "now - registered_at <= self.window + 1.5",
           statement="ATS-CHECK-WINDOW"),
    mutant("ATS-CHECK-IGNORES-C", "ats", "MUST",
           "CheckCall ignores the redirection number c",
           "simulators/ats/service.py",
           "            c_key is not None and registrations.is_registered(a_number, c_key, now)",
           "            False and c_key is not None",
           statement="ATS-CHECK-REDIRECTION"),
]
