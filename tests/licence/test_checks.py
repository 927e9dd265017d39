"""The HASP line and every STARTTASK branch, expiry with an injected date."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from nabat.system.licence import Licence, StartRefused, load_licence
from nabat.system.protocol import HaspInfo, TaskType
from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.records import Form

from tests.licence.conftest import WriteLicence

FULL = Licence(
    source="test",
    holder="h",
    expires=date(2030, 12, 31),
    boards=2,
    gsm_modems=3,
    dynamic_tts=True,
    email=True,
    e1=True,
    clock=lambda: date(2030, 1, 1),
)


def refusal(licence: Licence, task: TaskType, gsm: int = 1, **needs: Any) -> ErrorCode | None:
    try:
        licence.check_start(task, gsm, **needs)
    except StartRefused as e:
        assert e.code == e.error.code and e.reason
        return e.error
    return None


def test_hasp_info_from_file(write_licence: WriteLicence) -> None:
    licence = load_licence(write_licence(), environ={}, clock=lambda: date(2030, 1, 1))
    info = licence.hasp_info()
    assert info == HaspInfo(
        haspset=True, boards=2, gsmmodems=1, dynamiccts=True, email=True, e1=False
    )
    assert info.to_params(Form.FULL) == ("1", "2", "1", "1", "1", "0")


def test_hasp_info_without_key() -> None:
    assert Licence.no_dongle("test").hasp_info() == HaspInfo()
    assert HaspInfo().to_params(Form.FULL) == ("0",) * 6


def test_hasp_info_development() -> None:
    info = Licence.development_licence().hasp_info()
    assert info.haspset and info.boards and info.gsmmodems
    assert info.dynamiccts and info.email and info.e1


def test_everything_allowed_with_a_full_licence() -> None:
    for task in TaskType:
        assert refusal(FULL, task, dynamic_tts=True, e1=True) is None


def test_no_dongle_is_nohasp() -> None:
    for task in TaskType:
        assert refusal(Licence.no_dongle("test"), task) is ErrorCode.NOHASP


@pytest.mark.parametrize(
    ("changes", "task", "gsm", "needs", "expected"),
    [
        # voice call-out: boards, or GSM modems (then a working one is needed)
        ({"boards": 0, "gsm_modems": 0}, TaskType.CALL, 1, {}, ErrorCode.NOHASPFORSTART),
        ({"boards": 0}, TaskType.CALL, 1, {}, None),
        ({"boards": 0}, TaskType.CALL, 0, {}, ErrorCode.NOGSM),
        ({"gsm_modems": 0}, TaskType.CALL, 0, {}, None),
        # loudspeaker: boards only
        ({"boards": 0}, TaskType.LOUDSPEAKER, 1, {}, ErrorCode.NOHASPFORSTART),
        ({"gsm_modems": 0}, TaskType.LOUDSPEAKER, 0, {}, None),
        # SMS: GSM modems in the licence, and a working one
        ({"gsm_modems": 0}, TaskType.SMS, 1, {}, ErrorCode.NOHASPFORSTART),
        ({}, TaskType.SMS, 0, {}, ErrorCode.NOGSM),
        ({"boards": 0}, TaskType.SMS, 1, {}, None),
        # e-mail: the flag; no modem needed
        ({"email": False}, TaskType.EMAIL, 1, {}, ErrorCode.NOHASPFORSTART),
        ({"boards": 0, "gsm_modems": 0}, TaskType.EMAIL, 0, {}, None),
        # options a task may need
        ({"dynamic_tts": False}, TaskType.CALL, 1, {"dynamic_tts": True}, ErrorCode.NOHASPFORSTART),
        ({"dynamic_tts": False}, TaskType.CALL, 1, {}, None),
        ({"e1": False}, TaskType.CALL, 1, {"e1": True}, ErrorCode.NOHASPFORSTART),
        ({"e1": False}, TaskType.LOUDSPEAKER, 1, {}, None),
        # a licence refusal comes before a missing modem
        ({"gsm_modems": 0}, TaskType.SMS, 0, {}, ErrorCode.NOHASPFORSTART),
        # the SMS gateway option: a working platform route stands in for a modem
        ({"gsm_modems": 0, "sms_gateway": True}, TaskType.SMS, 0, {"sms_routes": 1}, None),
        ({"gsm_modems": 0, "sms_gateway": True}, TaskType.SMS, 0, {}, ErrorCode.NOGSM),
        ({"sms_gateway": False}, TaskType.SMS, 0, {"sms_routes": 2}, ErrorCode.NOGSM),
        ({"boards": 0, "sms_gateway": True}, TaskType.CALL, 0, {"sms_routes": 1}, ErrorCode.NOGSM),
    ],
)
def test_check_start_branches(
    changes: dict[str, object],
    task: TaskType,
    gsm: int,
    needs: dict[str, Any],
    expected: ErrorCode | None,
) -> None:
    assert refusal(replace(FULL, **changes), task, gsm, **needs) is expected  # type: ignore[arg-type]


def test_negative_modem_count_is_a_bug() -> None:
    with pytest.raises(ValueError):
        FULL.check_start(TaskType.SMS, -1)


def test_expiry_with_an_injected_date(caplog: pytest.LogCaptureFixture) -> None:
    last_day = replace(FULL, clock=lambda: date(2030, 12, 31))
    assert not last_day.expired()
    assert refusal(last_day, TaskType.CALL) is None
    assert last_day.hasp_info().haspset
    expired = replace(FULL, clock=lambda: date(2031, 1, 1))
    assert expired.expired()
    with caplog.at_level(logging.WARNING):
        assert refusal(expired, TaskType.EMAIL) is ErrorCode.NOHASP
        assert expired.hasp_info() == HaspInfo()
    assert "licence expired on 2030-12-31" in caplog.text
    assert "NO LICENCE KEY" in expired.describe()


def test_expired_file_is_logged_at_load(
    write_licence: WriteLicence, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        licence = load_licence(write_licence(), environ={}, clock=lambda: date(2031, 6, 1))
    assert "expired on 2030-12-31" in caplog.text
    with pytest.raises(StartRefused) as info:
        licence.check_start(TaskType.CALL, 1)
    assert info.value.code == "ERR_NOHASP"
