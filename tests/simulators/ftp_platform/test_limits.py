"""The FTP port's limits: idle clients cut, connections per address capped, uploads capped."""

from __future__ import annotations

import ftplib
import io
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from nabat.simulators.ftp_platform.ftp_server import FtpLimits

from tests.simulators.ftp_platform.archives import plain_zip
from tests.simulators.ftp_platform.conftest import connect, upload


def test_an_idle_client_is_disconnected(ftp_platform_factory: Callable[..., Any]) -> None:
    platform = ftp_platform_factory(ftp_limits=FtpLimits(idle_timeout=1.0))
    with socket.create_connection((platform.host, platform.port), timeout=5) as silent:
        assert silent.recv(1024).startswith(b"220")
        started = time.monotonic()
        rest = b""
        while chunk := silent.recv(1024):  # never sends a command: closed by the server
            rest += chunk
        assert time.monotonic() - started < 4
    assert b"421" in rest


def test_connections_per_address_are_capped(ftp_platform_factory: Callable[..., Any]) -> None:
    platform = ftp_platform_factory(ftp_limits=FtpLimits(max_cons_per_ip=2))
    held = [socket.create_connection((platform.host, platform.port), timeout=5) for _ in range(2)]
    try:
        for client in held:
            assert client.recv(1024).startswith(b"220")
        with socket.create_connection((platform.host, platform.port), timeout=5) as extra:
            assert extra.recv(1024).startswith(b"421")
    finally:
        for client in held:
            client.close()


def test_an_upload_past_the_cap_is_552_and_not_processed(
    ftp_platform_factory: Callable[..., Any],
) -> None:
    platform = ftp_platform_factory(ftp_limits=FtpLimits(max_upload_bytes=4096))
    data = plain_zip([f"7903{index:07d};text number {index} {'x' * 40}" for index in range(2000)])
    assert len(data) > 4096
    with pytest.raises(ftplib.error_perm, match="552"):
        upload(platform, "guest_20260101120000.zip", data)
    platform.control.advance_clock(30)
    assert platform.control.archives() == []
    upload(platform, "guest_20260101120001.zip", plain_zip(["79031234567;small"]))
    platform.control.advance_clock(10)
    assert [m["text"] for m in platform.control.messages()] == ["small"]


def test_a_slow_transfer_fault_throttles_uploads(ftp_platform_factory: Callable[..., Any]) -> None:
    platform = ftp_platform_factory()
    platform.control.set_faults(slow_bytes_per_second=20_000)
    client = connect(platform)
    started = time.monotonic()
    client.storbinary("STOR slow.bin", io.BytesIO(b"\0" * 60_000))
    client.quit()
    assert time.monotonic() - started >= 1.0  # pyftpdlib throttles in one-second bursts
