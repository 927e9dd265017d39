"""GSM modem settings: validated, frozen, readable from the server's channel settings text."""

from __future__ import annotations

import dataclasses

import pytest
from nabat.system.channels.gsm import GsmModemSettings


def test_channel_settings_text_becomes_typed_settings() -> None:
    settings = GsmModemSettings.from_pairs(
        "port=nabatgsm://modem0;pin=1234;dialect=simcom;baudrate=9600;status_reports=no;"
        "sms_timeout=90;smsc=",
        name="gsm3",
    )
    assert (settings.name, settings.port, settings.pin, settings.dialect) == (
        "gsm3", "nabatgsm://modem0", "1234", "simcom")  # fmt: skip
    assert (settings.baudrate, settings.status_reports, settings.sms_timeout) == (9600, False, 90)
    assert settings.smsc is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.pin = "0000"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("pin=12", "pin"),
        ("dialect=nokia", "dialect"),
        ("baudrate=fast", "baudrate"),
        ("command_timeout=0", "command_timeout"),
        ("ring_timeout=nan", "ring_timeout"),
        ("smsc=call-centre", "smsc"),
        ("storage=XX", "storage"),
        ("incoming_sms=maybe", "incoming_sms"),
        ("rtscts=perhaps", "rtscts"),
        ("colour=blue", "colour"),
        ("reopen_initial=10;reopen_max=5", "reopen_max"),
        ("port", "port"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(text: str, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        GsmModemSettings.from_pairs(text)


def test_defaults_need_no_configuration() -> None:
    settings = GsmModemSettings()
    assert settings.dialect == "auto" and settings.incoming_sms == "stored"
    assert settings.command_timeout < settings.sms_timeout
