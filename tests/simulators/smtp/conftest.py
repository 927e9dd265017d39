"""Helpers for the SMTP sink's tests: a smtplib client over STARTTLS, a world
in which every address of example.org is accepted (the default world rejects
or bounces a few per cent), and a frozen clock."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from typing import Any

import pytest

ALL_ACCEPTED = {"domain": "example.org", "email": {"outcomes": {"accepted": 1}}}


def client_context(sink: Any) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sink.ca_file))


def connect(sink: Any, *, tls: bool = True, login: bool = False) -> smtplib.SMTP:
    client = smtplib.SMTP(sink.host, sink.port, timeout=10)
    client.ehlo("client.example.org")
    if tls:
        client.starttls(context=client_context(sink))
        client.ehlo("client.example.org")
    if login:
        client.login("nabat", "nabat")
    return client


@pytest.fixture
def sink(smtp_sink: Any) -> Iterator[Any]:
    """The session's sink, reset, with a frozen clock and example.org all accepted."""
    smtp_sink.control.set_clock(freeze=True)
    smtp_sink.control.add_override(**ALL_ACCEPTED)
    yield smtp_sink
    smtp_sink.control.clear_faults()
