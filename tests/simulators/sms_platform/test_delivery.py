"""The shared SMS delivery model: every status of mfms-hpg section 4 on a frozen clock,
decided by the world, with ids never reused and memory bounded."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.control.clock import SimClock
from nabat.simulators.sms_platform.delivery import (
    DeliveryError,
    SmsDelivery,
    SmsStatus,
    Submission,
)
from nabat.simulators.world import World, WorldRuntime
from nabat.simulators.world.distributions import Delay, Weights
from nabat.simulators.world.rules import SmsRules

NUMBER = "79000000001"
OUTCOMES = ("delivered", "undelivered", "expired")


def fixed_world(outcome: str, after: float, reason: str = "unknown subscriber") -> World:
    rules = SmsRules(
        outcomes=Weights(tuple((name, 1.0 if name == outcome else 0.0) for name in OUTCOMES)),
        delivery=Delay.fixed(after),
        failure_after=Delay.fixed(after),
        expire_after=Delay.fixed(after),
        reasons=Weights(((reason, 1.0),)),
    )
    return World(seed=7, sms=rules)


def delivery_for(world: World, **options: Any) -> SmsDelivery:
    clock = SimClock(monotonic=lambda: 1000.0, wall=lambda: 1_700_000_000.0)
    clock.freeze(True)
    return SmsDelivery(WorldRuntime(world, clock), **options)


def message(**fields: Any) -> Submission:
    base: dict[str, Any] = {"platform": "mfms", "account": "CLIENT/connectorX",
                            "address": NUMBER, "text": "Привет", "sender": "SUBJECT"}  # fmt: skip
    base.update(fields)
    return Submission(**base)


def walk(delivery: SmsDelivery, provider_id: str, seconds: float) -> SmsStatus:
    delivery.clock.advance(seconds)
    view = delivery.status(provider_id)
    assert view is not None
    return view.status


def test_delivered_message_walks_enqueued_sent_delivered() -> None:
    delivery = delivery_for(fixed_world("delivered", 30.0))
    provider_id = delivery.accept(message())
    assert walk(delivery, provider_id, 0.0) is SmsStatus.ENQUEUED
    assert walk(delivery, provider_id, 0.999) is SmsStatus.ENQUEUED
    assert walk(delivery, provider_id, 0.001) is SmsStatus.SENT
    assert walk(delivery, provider_id, 29.99) is SmsStatus.SENT
    assert walk(delivery, provider_id, 0.01) is SmsStatus.DELIVERED
    view = delivery.status(provider_id)
    assert view is not None and view.reason is None
    assert view.at == pytest.approx(delivery.clock.now())


def test_undelivered_carries_the_worlds_reason_as_a_token() -> None:
    delivery = delivery_for(fixed_world("undelivered", 5.0, "unknown subscriber"))
    provider_id = delivery.accept(message())
    assert walk(delivery, provider_id, 6.0) is SmsStatus.UNDELIVERED
    view = delivery.status(provider_id)
    assert view is not None and view.reason == "unknown-subscriber"


def test_expired_and_late_delivery_past_validity_are_undelivered_expired() -> None:
    delivery = delivery_for(fixed_world("expired", 100.0))
    expired = delivery.accept(message())
    late = delivery_for(fixed_world("delivered", 600.0))
    short = late.accept(message(validity=60.0))
    assert walk(delivery, expired, 100.5) is SmsStatus.SENT
    assert walk(delivery, expired, 1.0) is SmsStatus.UNDELIVERED
    assert walk(late, short, 60.5) is SmsStatus.SENT
    assert walk(late, short, 1.0) is SmsStatus.UNDELIVERED
    for model, pid in ((delivery, expired), (late, short)):
        view = model.status(pid)
        assert view is not None and view.reason == "expired"


def test_send_date_in_the_future_is_delayed_until_then() -> None:
    delivery = delivery_for(fixed_world("delivered", 10.0))
    provider_id = delivery.accept(message(send_at=delivery.clock.now() + 3600.0))
    assert walk(delivery, provider_id, 3599.0) is SmsStatus.DELAYED
    assert walk(delivery, provider_id, 1.5) is SmsStatus.ENQUEUED
    assert walk(delivery, provider_id, 1.0) is SmsStatus.SENT
    assert walk(delivery, provider_id, 10.0) is SmsStatus.DELIVERED


def test_platform_failure_and_cancellation() -> None:
    delivery = delivery_for(fixed_world("delivered", 10.0))
    failed = delivery.accept(message(), fail=True)
    pending = delivery.accept(message())
    done = delivery.accept(message(address="79000000002"))
    assert walk(delivery, failed, 0.5) is SmsStatus.ENQUEUED
    cancelled = delivery.cancel(pending)
    assert cancelled.status is SmsStatus.CANCELLED
    assert walk(delivery, failed, 20.0) is SmsStatus.FAILED
    assert walk(delivery, pending, 0.0) is SmsStatus.CANCELLED
    assert walk(delivery, done, 0.0) is SmsStatus.DELIVERED
    with pytest.raises(DeliveryError, match="already delivered"):
        delivery.cancel(done)
    with pytest.raises(DeliveryError, match="no message"):
        delivery.cancel("1")


def test_ids_are_never_reused_and_memory_is_bounded() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0), max_messages=3)
    first = [delivery.accept(message()) for _ in range(5)]
    assert len(set(first)) == 5 and len(delivery) == 3
    assert delivery.status(first[0]) is None and delivery.status(first[4]) is not None
    delivery.reset()
    again = delivery.accept(message())
    assert again not in first and int(again) > int(first[-1])
    assert delivery.status(first[4]) is None


def test_the_world_decides_each_attempt_and_journals_it_at_acceptance() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0))
    first = delivery.accept(message())
    delivery.clock.advance(5.0)
    delivery.accept(message())
    assert delivery.runtime.journal_json() == []  # decided when first looked at
    delivery.clock.advance(5.0)
    delivery.status(first)
    listing = delivery.messages(limit=1)
    journal = delivery.runtime.journal_json()
    assert [(entry["attempt"], entry["time"]) for entry in journal] == [(1, 0.0), (2, 5.0)]
    assert len(listing) == 1 and listing[0]["decision"] == {
        "outcome": "delivered", "after": 1.0, "reason": None, "attempt": 2, "rule": "default",
    }  # fmt: skip
    assert listing[0]["status"] == "delivered" and listing[0]["text"] == "Привет"


def test_messages_filter_by_platform_and_account_newest_last() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0))
    ids = [delivery.accept(message(platform="ftp", account="guest")),
           delivery.accept(message()),
           delivery.accept(message(platform="ftp", account="guest"))]  # fmt: skip
    ftp = delivery.messages(platform="ftp")
    assert [entry["provider_id"] for entry in ftp] == [ids[0], ids[2]]
    assert [entry["provider_id"] for entry in delivery.messages(account="CLIENT/connectorX")] == [
        ids[1]
    ]
    assert delivery.counts()["enqueued"] == 3


def test_wall_time_and_instant_of_are_inverse_in_the_platform_zone() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0))
    now = delivery.clock.now()
    assert delivery.wall_time(now) == datetime(2023, 11, 15, 1, 13, 20)  # 22:13:20 UTC + 3 h
    assert delivery.instant_of(datetime(2023, 11, 15, 2, 13, 20)) == pytest.approx(now + 3600.0)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 5000.0), st.floats(0.0, 200.0), st.floats(0.0, 400.0),
       st.sampled_from(["delivered", "undelivered", "expired"]))  # fmt: skip
def test_status_never_goes_back_and_ends_final(
    delay: float, after: float, validity: float, outcome: str
) -> None:
    order = [SmsStatus.DELAYED, SmsStatus.ENQUEUED, SmsStatus.SENT]
    delivery = delivery_for(fixed_world(outcome, after))
    provider_id = delivery.accept(message(send_at=delivery.clock.now() + delay, validity=validity))
    seen: list[SmsStatus] = []
    for _ in range(30):
        seen.append(walk(delivery, provider_id, (delay + after + 10.0) / 25.0))
    assert seen[-1].final
    ranks = [order.index(s) if s in order else len(order) for s in seen]
    assert ranks == sorted(ranks)
    assert len({s for s in seen if s.final}) == 1


def test_a_decision_uses_the_world_of_its_acceptance() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0))
    before = delivery.accept(message())
    delivery.runtime.set_world(fixed_world("undelivered", 1.0))
    after = delivery.accept(message())
    assert walk(delivery, before, 5.0) is SmsStatus.DELIVERED
    assert walk(delivery, after, 0.0) is SmsStatus.UNDELIVERED


def test_an_account_sees_only_its_own_messages() -> None:
    delivery = delivery_for(fixed_world("delivered", 1.0))
    provider_id = delivery.accept(message(account="CLIENT/connectorX"))
    assert delivery.status(provider_id, "CLIENT/connectorX") is not None
    assert delivery.status(provider_id, "OTHER/connectorY") is None


@settings(max_examples=50, deadline=None)
@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31)),
       st.floats(0.0, 1e6))  # fmt: skip
def test_a_time_read_from_a_file_is_shown_as_it_was_written(moment: datetime, drift: float) -> None:
    ticks = itertools.count()  # a running clock: every reading is a few microseconds later

    def monotonic() -> float:
        return 81234.567891 + next(ticks) * 3e-6

    def wall() -> float:
        return 1_796_189_785.123457 + next(ticks) * 3e-6

    clock = SimClock(monotonic=monotonic, wall=wall)
    clock.advance(drift)
    delivery = SmsDelivery(WorldRuntime(fixed_world("delivered", 1.0), clock))
    whole = moment.replace(microsecond=0)
    assert delivery.wall_time(delivery.instant_of(whole)) == whole
