"""The primary-health state machine and the latency histogram."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.verification.failover import TRANSITIONS, Event, PrimaryHealth, PrimaryState
from nabat.system.verification.settings import Direction, SettingsError, VerificationSettings
from nabat.system.verification.stats import LatencyHistogram


def test_every_state_event_pair_is_decided() -> None:
    assert set(TRANSITIONS) == set(itertools.product(PrimaryState, Event))


def test_failure_needs_consecutive_pings_redirect_needs_one() -> None:
    health = PrimaryHealth(healthy_pings_required=2)
    health.on(Event.CONNECT_ERROR)
    assert health.state is PrimaryState.UNREACHABLE
    health.on(Event.PING_OK)
    assert health.state is PrimaryState.UNREACHABLE
    health.ping_failed()
    health.on(Event.PING_OK)
    assert health.state is PrimaryState.UNREACHABLE  # the run was broken
    health.on(Event.PING_OK)
    assert health.state is PrimaryState.HEALTHY
    health.on(Event.REDIRECT)
    health.on(Event.PING_OK)
    assert health.state is PrimaryState.HEALTHY
    assert (health.switches, health.returns) == (2, 2)


def test_manual_failback_holds_after_a_5xx() -> None:
    health = PrimaryHealth(healthy_pings_required=1, manual_failback=True)
    health.on(Event.SERVER_ERROR)
    for _ in range(5):
        health.on(Event.PING_OK)
        health.on(Event.ANSWERED)
    assert health.state is PrimaryState.FAILED
    health.on(Event.MANUAL_RETURN)
    assert health.state is PrimaryState.HEALTHY
    health.on(Event.CONNECT_ERROR)  # connection failures still fail back by ping
    health.on(Event.PING_OK)
    assert health.state is PrimaryState.HEALTHY


@given(st.lists(st.sampled_from(list(Event)), max_size=50))
def test_any_event_sequence_keeps_counters_consistent(events: list[Event]) -> None:
    health = PrimaryHealth(healthy_pings_required=2)
    for event in events:
        health.on(event)
    assert health.returns <= health.switches <= health.returns + 1
    assert (health.switches == health.returns) == health.healthy


@given(
    st.lists(st.floats(min_value=1e-5, max_value=50.0), min_size=1, max_size=300),
    st.sampled_from([0.5, 0.9, 0.99, 1.0]),
)
def test_histogram_percentiles_are_within_one_bucket(samples: list[float], fraction: float) -> None:
    histogram = LatencyHistogram()
    for sample in samples:
        histogram.record(sample)
    exact = sorted(samples)[max(1, math.ceil(fraction * len(samples))) - 1]
    estimate = histogram.percentile(fraction)
    assert exact <= estimate * 1.0000001
    assert estimate <= exact * 1.041


def test_settings_validation() -> None:
    with pytest.raises(SettingsError, match="primary_url"):
        VerificationSettings(primary_url="127.0.0.1:8085")
    with pytest.raises(SettingsError, match="budget"):
        VerificationSettings(primary_url="http://127.0.0.1:1", budget=0)
    with pytest.raises(SettingsError, match="primary_attempt_timeout"):
        VerificationSettings(
            primary_url="http://127.0.0.1:1", budget=0.1, primary_attempt_timeout=0.2
        )
    with pytest.raises(SettingsError, match="no policy for remote_start"):
        VerificationSettings(
            primary_url="http://127.0.0.1:1",
            policies={
                Direction.INCOMING: None,  # type: ignore[dict-item]
                Direction.OUTGOING: None,
            },
        )
    assert (
        VerificationSettings(primary_url="http://127.0.0.1:1/").primary_url == "http://127.0.0.1:1"
    )


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "call_id", "CALL_ID", "R\u0421"]),
        st.text(max_size=30),
        max_size=5,
    )
)
def test_fast_form_encoding_equals_urlencode(fields: dict[str, str]) -> None:
    from urllib.parse import urlencode

    from nabat.system.verification.client import encode_form

    assert encode_form(fields.items()) == urlencode(fields)
