"""The capacity baseline: a minimal FastHttpUser posting one fixed request.

How it works: no validation, no number drawing, no think time — the least a
Locust user can do per request. ``capacity.py`` runs it and the ATS scenario
in the same conditions; the ratio says what the suite's own work costs.
The request is a RegisterCall of one fixed pair (always 201): its ``a`` is
in operator 1's genuine third and its ``b`` is no user's ``b``, so it can
never satisfy a spoofed check nor any user's genuine one.
"""

from locust import FastHttpUser, constant, task

FIXED_BODY = "a=79000000000&b=79000000001"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class MinimalPostUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def post(self) -> None:
        self.client.post("/RegisterCall", data=FIXED_BODY, headers=FORM)
