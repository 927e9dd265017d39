"""The locustfile of the ATS suite: ``locust -f <this file> AtsApiUser|SystemVerificationUser``.

How it works: it only gathers the pieces — the custom arguments
(``arguments``) and the two user classes. ``nabat load ats`` names one class
on the command line (``--scenario api`` or ``system``); a bare ``locust -f``
without a class name would run both. ``nabat load ats --print-locustfile``
prints this file's path, for attaching workers from other machines.
"""

from nabat.loadtests.locust import arguments  # noqa: F401  (registers the custom arguments)
from nabat.loadtests.locust.api_user import AtsApiUser
from nabat.loadtests.locust.system_user import SystemVerificationUser

__all__ = ["AtsApiUser", "SystemVerificationUser"]
