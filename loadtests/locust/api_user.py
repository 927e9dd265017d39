"""``AtsApiUser``: a FastHttpUser driving the ATS HTTP API directly.

How it works: each user takes a number slot (``slots`` + the worker index)
and so owns private slices of both operators' ranges (``numbers``). It has
two sessions: ``self.client`` connects from operator 1's address and
``self.op2`` from operator 2's (``binding``). One Locust task draws the next
action from the configured mix (``mix``) and runs it:

- genuine: RegisterCall (a, b) -> 201, then CheckCall (a, b) -> 200, both
  from operator 1 (b is operator 1's);
- cross: RegisterCall from operator 1 -> 201, CheckCall from operator 2 with
  b in operator 2's range -> 200;
- spoofed: CheckCall of (a, b) with ``a`` from the never-registered third
  -> 404, alternately from each operator;
- malformed: one case of ``malformed.MALFORMED_CASES`` -> 400 with its exact
  X-Error-Bits;
- update: callUpdate with the CALL_ID of this user's latest successful
  CheckCall, from the operator that made it -> 200;
- ping: POST /ping -> 200.

Requests go through ``transport.post_form`` (the session's own geventhttpclient
client, without Locust's per-request wrapper); every answer goes through
``expectations.problem`` and is reported to Locust; a wrong one is a Locust
failure named after the request with the reason. Redirects are not followed
(a 307 is an answer to report, not to hide). call_ids are
``ld<process token>-<slot>-<counter>``: unique per user and run.
"""

from __future__ import annotations

import itertools
import random
import secrets
from collections.abc import Callable

from locust import FastHttpUser, task
from locust.contrib.fasthttp import FastHttpSession, insecure_ssl_context_factory
from locust.exception import CatchResponseError
from nabat.loadtests.locust.binding import SourceBoundClientPool
from nabat.loadtests.locust.expectations import (
    FOUND,
    NOT_FOUND,
    PING_OK,
    REGISTERED,
    UPDATED,
    Expectation,
    problem,
)
from nabat.loadtests.locust.malformed import MALFORMED_CASES, CaseNumbers
from nabat.loadtests.locust.mix import Action, MixPicker
from nabat.loadtests.locust.numbers import CallIds
from nabat.loadtests.locust.pacing import wait_function
from nabat.loadtests.locust.settings import AtsSettings, settings_for
from nabat.loadtests.locust.slots import LOCAL_SLOTS, claim_user_numbers
from nabat.loadtests.locust.transport import accept_every_status, post_form

PROCESS_TOKEN = secrets.token_hex(4)


class AtsApiUser(FastHttpUser):
    """The ATS API scenario (``nabat load ats --scenario api``)."""

    def __init__(self, environment: object) -> None:
        settings = settings_for(environment.parsed_options)  # type: ignore[attr-defined]
        self.settings: AtsSettings = settings
        self.network_timeout = settings.timeout
        self.connection_timeout = settings.timeout
        self.client_pool = self._pool(settings.op1_source)
        super().__init__(environment)
        self.op2: FastHttpSession | None = (
            self._session(settings.op2_source) if settings.op2_source else None
        )
        for session in (self.client, self.op2):
            if session is not None:
                accept_every_status(session)
        self._base_url = (self.host or "").rstrip("/")
        self._fire = environment.events.request.fire  # type: ignore[attr-defined]
        self._context: dict[str, object] = {}
        self.picker = MixPicker(settings.mix)
        self._wait = wait_function(settings)
        self._actions: dict[Action, Callable[[], None]] = {
            Action.GENUINE: self.genuine,
            Action.CROSS: self.cross,
            Action.SPOOFED: self.spoofed,
            Action.MALFORMED: self.malformed,
            Action.UPDATE: self.update,
            Action.PING: self.ping,
        }
        self._local_index: int | None = None
        self._latest_call: dict[str, str] = {}  # operator ("op1"/"op2") -> CALL_ID
        self._spoof_turn = itertools.count()

    # --- set-up -------------------------------------------------------------
    def _pool(self, source: str | None) -> SourceBoundClientPool:
        return SourceBoundClientPool(
            source,
            concurrency=1,
            network_timeout=self.settings.timeout,
            connection_timeout=self.settings.timeout,
            insecure=True,
            ssl_context_factory=insecure_ssl_context_factory,
        )

    def _session(self, source: str | None) -> FastHttpSession:
        return FastHttpSession(
            base_url=self.host,
            request_event=self.environment.events.request,
            user=self,
            client_pool=self._pool(source),
            max_retries=0,
            max_redirects=0,
        )

    def on_start(self) -> None:
        settings = self.settings
        worker_index = getattr(self.environment.runner, "worker_index", 0)
        self._local_index, slot, numbers = claim_user_numbers(worker_index, settings)
        self.a, self.spoofed_a = numbers.a, numbers.spoofed_a
        self.b1, self.b2, self.foreign_a = numbers.b1, numbers.b2, numbers.foreign_a
        self.call_id = CallIds(PROCESS_TOKEN, slot).next

    def on_stop(self) -> None:
        if self._local_index is not None:
            LOCAL_SLOTS.give_back(self._local_index)
            self._local_index = None
        if self.op2 is not None:
            self.op2.client.clientpool.close()

    def wait_time(self) -> float:
        return self._wait(self)

    # --- plumbing -----------------------------------------------------------
    def post(
        self, session: FastHttpSession, path: str, body: str, name: str, expect: Expectation
    ) -> int:
        """POST a form, validate the answer, report it to Locust (with the failure's reason)."""
        url = self._base_url + path
        answer = post_form(session, url, body)
        reason = problem(expect, answer.status, answer.headers, answer.content)
        if reason is not None and answer.error is not None:
            reason = f"{reason}: {type(answer.error).__name__} {answer.error}"
        self._fire(
            request_type="POST",
            name=name,
            response_time=answer.elapsed_ms,
            response_length=len(answer.content),
            exception=None if reason is None else CatchResponseError(reason),
            context=self._context,
            url=url,
            start_time=answer.start_time,
            response=answer.response,
        )
        return answer.status

    # --- the mix --------------------------------------------------------------
    @task
    def step(self) -> None:
        self._actions[self.picker.pick()]()

    def genuine(self) -> None:
        a, b = self.a.next(), self.b1.next()
        body = f"a={a}&b={b}&call_id={self.call_id()}"
        if self.post(self.client, "/RegisterCall", body, "RegisterCall genuine", REGISTERED) != 201:
            return
        call_id = self.call_id()
        body = f"a={a}&b={b}&call_id={call_id}"
        if self.post(self.client, "/CheckCall", body, "CheckCall genuine", FOUND) == 200:
            self._latest_call["op1"] = call_id

    def cross(self) -> None:
        if self.op2 is None:
            return
        a, b = self.a.next(), self.b2.next()
        body = f"a={a}&b={b}&call_id={self.call_id()}"
        if self.post(self.client, "/RegisterCall", body, "RegisterCall cross", REGISTERED) != 201:
            return
        call_id = self.call_id()
        body = f"a={a}&b={b}&call_id={call_id}"
        if self.post(self.op2, "/CheckCall", body, "CheckCall cross (op2)", FOUND) == 200:
            self._latest_call["op2"] = call_id

    def spoofed(self) -> None:
        a = self.spoofed_a.next()
        if self.op2 is not None and next(self._spoof_turn) % 2:
            body = f"a={a}&b={self.b2.next()}&call_id={self.call_id()}"
            self.post(self.op2, "/CheckCall", body, "CheckCall spoofed (op2)", NOT_FOUND)
        else:
            body = f"a={a}&b={self.b1.next()}&call_id={self.call_id()}"
            self.post(self.client, "/CheckCall", body, "CheckCall spoofed", NOT_FOUND)

    def malformed(self) -> None:
        case = random.choice(MALFORMED_CASES)
        numbers = CaseNumbers(
            a=self.a.next(), b=self.b1.next(), foreign_a=self.foreign_a, call_id=self.call_id()
        )
        self.post(self.client, case.path, case.body(numbers), case.request_name, case.expect)

    def update(self) -> None:
        if not self._latest_call:
            self.genuine()
        if not self._latest_call:
            return
        operator = random.choice(list(self._latest_call))
        session = self.op2 if operator == "op2" and self.op2 is not None else self.client
        body = f"CALL_ID={self._latest_call[operator]}&DUR={random.randint(1, 600)}"
        self.post(session, "/callUpdate", body, f"callUpdate ({operator})", UPDATED)

    def ping(self) -> None:
        self.post(self.client, "/ping", "", "ping", PING_OK)
