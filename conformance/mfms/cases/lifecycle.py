"""The delivery lifecycle of section 4, on the simulator's clock (``--sim-control``).

Each case freezes the clock, tells the world what becomes of its own number (an
override it removes afterwards: the expected outcome is what the suite asked
for, never what the target says it decided), sends one message and reads
STATUS while it advances the clock: enqueued -> sent -> delivered or
undelivered with a reason; failed (a platform failure injected); delayed (the
simulator's ``startTime[i]`` extension); cancelled (cancelled on the
platform). Final statuses must stay, with their time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.mfms.binding import MfmsEnv
from nabat.conformance.mfms.checks import accept_one, read_status
from nabat.conformance.mfms.client import Message
from nabat.conformance.mfms.control import SimControl
from nabat.conformance.mfms.suite import SUITE
from nabat.conformance.mfms.wire import DATETIME_FORMAT, StatusLine

DELIVERY = 20.0  # seconds to delivery (or to the undelivered report) the suite asks for
QUEUE_STEP = 5.0  # more than a queue's time on the simulator (1 s)
LONG = 3600.0
DELIVERED = {"outcomes": {"delivered": 1}, "delivery": DELIVERY}
UNDELIVERED = {
    "outcomes": {"undelivered": 1},
    "reasons": {"unknown subscriber": 1},
    "failure_after": DELIVERY,
}
NUMBERS = {
    "delivered": "79035550001",
    "undelivered": "79035550002",
    "failed": "79035550003",
    "delayed": "79035550004",
    "cancelled": "79035550005",
    "text": "79035550006",
}


@contextmanager
def world(control: SimControl, number: str, sms: dict[str, Any]) -> Iterator[None]:
    """The clock frozen and ``number`` decided as ``sms`` says, for the block."""
    key = control.override(number, sms)
    try:
        with control.frozen_clock():
            yield
    finally:
        control.remove_override(key)


def _message(env: MfmsEnv, kind: str, extra: tuple[tuple[str, str], ...] = ()) -> Message:
    return Message(env.settings.subject, NUMBERS[kind], f"Nabat conformance: {kind}", extra)


def _expect(
    ctx: CaseContext, clause: str, line: StatusLine, statuses: tuple[str, ...], when: str
) -> None:
    ctx.check(
        clause,
        line.status in statuses,
        f"{when}: expected {' or '.join(statuses)}, got {line.raw!r}",
    )


def _later(
    ctx: CaseContext, earlier: StatusLine, later: StatusLine, at_most: float, when: str
) -> None:
    a, b = earlier.moment, later.moment
    ok = a is not None and b is not None and a < b <= a + timedelta(seconds=at_most)
    ctx.check(
        "MFMS-LIFE-TIME",
        ok,
        f"{when}: the new status's time must be after "
        f"{earlier.date_time} by at most {at_most:g} s, got {later.date_time}",
    )


def _stays(ctx: CaseContext, env: MfmsEnv, control: SimControl, line: StatusLine) -> None:
    control.advance(LONG)
    again = read_status(ctx, env, line.provider_id, "MFMS-LIFE-FINAL-STAYS")
    ctx.check(
        "MFMS-LIFE-FINAL-STAYS",
        (again.status, again.date_time, again.reason) == (line.status, line.date_time, line.reason),
        f"an hour after {line.raw!r} the line reads {again.raw!r}",
    )


@SUITE.case(
    "MFMS-LIFE-ENQUEUED",
    "MFMS-LIFE-SENT",
    "MFMS-LIFE-DELIVERED",
    "MFMS-LIFE-FINAL-STAYS",
    "MFMS-LIFE-TIME",
    "MFMS-STATUS-REASON-ONLY-UNDELIVERED",
    needs={"control"},
)
def lifecycle_delivered(ctx: CaseContext, env: MfmsEnv) -> None:
    """enqueued at once, sent after the queue, delivered after the world's 20 s; then
    delivered for good, its time unchanged."""
    control = env.require_control()
    with world(control, NUMBERS["delivered"], DELIVERED):
        pid = accept_one(ctx, env, _message(env, "delivered"), "MFMS-LIFE-ENQUEUED")
        first = read_status(ctx, env, pid, "MFMS-LIFE-ENQUEUED")
        _expect(ctx, "MFMS-LIFE-ENQUEUED", first, ("enqueued",), "with no time passed")
        control.advance(QUEUE_STEP)
        sent = read_status(ctx, env, pid, "MFMS-LIFE-SENT")
        _expect(ctx, "MFMS-LIFE-SENT", sent, ("sent",), f"{QUEUE_STEP:g} s later")
        _later(ctx, first, sent, QUEUE_STEP, "enqueued -> sent")
        control.advance(QUEUE_STEP)
        still = read_status(ctx, env, pid, "MFMS-LIFE-SENT")
        ctx.check(
            "MFMS-LIFE-TIME",
            still.date_time == sent.date_time,
            f"no status change, yet the time moved: {sent.raw!r} -> {still.raw!r}",
        )
        control.advance(DELIVERY + QUEUE_STEP)
        done = read_status(ctx, env, pid, "MFMS-LIFE-DELIVERED")
        _expect(
            ctx, "MFMS-LIFE-DELIVERED", done, ("delivered",), f"{DELIVERY:g} s after it was sent"
        )
        _later(ctx, sent, done, DELIVERY + 2 * QUEUE_STEP, "sent -> delivered")
        for line in (first, sent, done):
            ctx.check(
                "MFMS-STATUS-REASON-ONLY-UNDELIVERED",
                not line.reason,
                f"a {line.status} message should carry no reason: {line.raw!r}",
            )
        _stays(ctx, env, control, done)


@SUITE.case(
    "MFMS-LIFE-UNDELIVERED",
    "MFMS-STATUS-REASON-UNDELIVERED",
    "MFMS-LIFE-FINAL-STAYS",
    needs={"control"},
)
def lifecycle_undelivered(ctx: CaseContext, env: MfmsEnv) -> None:
    """The world refuses the number (unknown subscriber): undelivered with that reason."""
    control = env.require_control()
    with world(control, NUMBERS["undelivered"], UNDELIVERED):
        pid = accept_one(ctx, env, _message(env, "undelivered"), "MFMS-LIFE-UNDELIVERED")
        control.advance(DELIVERY + 2 * QUEUE_STEP)
        done = read_status(ctx, env, pid, "MFMS-LIFE-UNDELIVERED")
        _expect(ctx, "MFMS-LIFE-UNDELIVERED", done, ("undelivered",), "after the world's report")
        ctx.check(
            "MFMS-STATUS-REASON-UNDELIVERED",
            bool(done.reason),
            f"an undelivered line must carry its reason: {done.raw!r}",
        )
        words = done.reason.lower()
        ctx.check(
            "MFMS-LIFE-UNDELIVERED",
            "unknown" in words and "subscriber" in words,
            f"the reason should be the world's (unknown subscriber): {done.reason!r}",
        )
        _stays(ctx, env, control, done)


@SUITE.case("MFMS-LIFE-FAILED", "MFMS-LIFE-FINAL-STAYS", needs={"control"})
def lifecycle_failed(ctx: CaseContext, env: MfmsEnv) -> None:
    """The next message fails on the platform: it reads failed once out of the queue."""
    control = env.require_control()
    with world(control, NUMBERS["failed"], DELIVERED):
        control.platform_errors(failed=1)
        try:
            pid = accept_one(ctx, env, _message(env, "failed"), "MFMS-LIFE-FAILED")
        finally:
            control.platform_errors(failed=0)
        control.advance(QUEUE_STEP)
        done = read_status(ctx, env, pid, "MFMS-LIFE-FAILED")
        _expect(ctx, "MFMS-LIFE-FAILED", done, ("failed",), "after a platform failure")
        _stays(ctx, env, control, done)


@SUITE.case("MFMS-LIFE-DELAYED", needs={"control"})
def lifecycle_delayed(ctx: CaseContext, env: MfmsEnv) -> None:
    """startTime an hour after the platform's time (read from a first message's status):
    delayed until then, enqueued or sent after."""
    control = env.require_control()
    with world(control, NUMBERS["delayed"], DELIVERED):
        now_id = accept_one(ctx, env, _message(env, "delayed"), "MFMS-LIFE-DELAYED")
        now = read_status(ctx, env, now_id, "MFMS-LIFE-DELAYED").moment
        assert now is not None
        start = (now + timedelta(seconds=LONG)).strftime(DATETIME_FORMAT)
        pid = accept_one(
            ctx, env, _message(env, "delayed", (("startTime", start),)), "MFMS-LIFE-DELAYED"
        )
        waiting = read_status(ctx, env, pid, "MFMS-LIFE-DELAYED")
        _expect(ctx, "MFMS-LIFE-DELAYED", waiting, ("delayed",), f"startTime {start}")
        control.advance(LONG - 10)
        _expect(
            ctx,
            "MFMS-LIFE-DELAYED",
            read_status(ctx, env, pid, "MFMS-LIFE-DELAYED"),
            ("delayed",),
            "10 s before startTime",
        )
        control.advance(10 + QUEUE_STEP / 2)
        _expect(
            ctx,
            "MFMS-LIFE-DELAYED",
            read_status(ctx, env, pid, "MFMS-LIFE-DELAYED"),
            ("enqueued", "sent"),
            "just after startTime",
        )


@SUITE.case("MFMS-LIFE-CANCELLED", "MFMS-LIFE-FINAL-STAYS", needs={"control"})
def lifecycle_cancelled(ctx: CaseContext, env: MfmsEnv) -> None:
    """Cancelled on the platform while enqueued: cancelled, and never delivered after."""
    control = env.require_control()
    with world(control, NUMBERS["cancelled"], DELIVERED):
        pid = accept_one(ctx, env, _message(env, "cancelled"), "MFMS-LIFE-CANCELLED")
        control.cancel(pid)
        done = read_status(ctx, env, pid, "MFMS-LIFE-CANCELLED")
        _expect(ctx, "MFMS-LIFE-CANCELLED", done, ("cancelled",), "after the cancellation")
        _stays(ctx, env, control, done)


@SUITE.case("MFMS-TEXT-ROUNDTRIP", needs={"control"})
def text_round_trip(ctx: CaseContext, env: MfmsEnv) -> None:
    """The texts of the run's accepted messages (Latin with a comma, Cyrillic) are the
    ones the simulator's journal holds, character for character."""
    control = env.require_control()
    sent = env.state.accepted[:2]
    if not sent:
        ctx.unsupported("no message was accepted earlier in the run (send_two_messages)")
    journal = {str(item.get("provider_id")): item for item in control.messages()}
    for message, pid in sent:
        held = journal.get(pid, {}).get("text")
        ctx.check(
            "MFMS-TEXT-ROUNDTRIP",
            held == message.text,
            f"providerId {pid}: sent {message.text!r}, the platform holds {held!r}",
        )
