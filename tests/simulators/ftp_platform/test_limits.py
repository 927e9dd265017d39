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


def _logged_in_reader_that_never_reads(platform: Any) -> socket.socket:
    """A raw client with a tiny receive buffer, logged in as guest."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.settimeout(5)
    client.connect((platform.host, platform.port))
    replies = client.makefile("rb")
    for command, code in ((b"", b"220"), (b"USER guest\r\n", b"331"), (b"PASS guest\r\n", b"230")):
        client.sendall(command)
        assert replies.readline().startswith(code)
    return client


def _reset_within(client: socket.socket, seconds: float) -> float:
    """Seconds until the server reset ``client`` (read without taking the replies)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if client.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0] != 1:  # not ESTABLISHED
            with pytest.raises(ConnectionResetError):  # a reset, not a FIN behind unread data
                while client.recv(65536):
                    pass
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"still connected after {seconds} s")


def _pipeline_help(client: socket.socket, count: int) -> bool:
    """``count`` HELP commands (about 420 bytes of reply each), written without reading;
    True when the server reset the connection while they were still being written."""
    client.setblocking(False)
    try:
        for _ in range(count):
            client.send(b"HELP\r\n")
    except BlockingIOError:
        pass
    except ConnectionResetError:
        return True
    return False


def test_a_client_leaving_too_many_replies_unread_is_cut(
    ftp_platform_factory: Callable[..., Any],
) -> None:
    platform = ftp_platform_factory(ftp_limits=FtpLimits(write_timeout=60.0))
    with _logged_in_reader_that_never_reads(platform) as client:
        # ~420 KB of replies, past the 64 KiB backlog: the reset may come mid-writing
        if not _pipeline_help(client, 1000):
            assert _reset_within(client, 3.0) < 2.0
    assert connect(platform).quit().startswith("221")  # the next client is served


def test_a_client_not_reading_is_cut_at_the_write_timeout(
    ftp_platform_factory: Callable[..., Any],
) -> None:
    platform = ftp_platform_factory(
        ftp_limits=FtpLimits(write_timeout=0.5, max_reply_backlog=16 << 20)
    )
    with _logged_in_reader_that_never_reads(platform) as client:
        assert not _pipeline_help(client, 1000)  # past the kernel buffers, within the backlog
        assert 0.3 < _reset_within(client, 3.0) < 2.0


def test_an_idle_client_with_unread_replies_is_reset(
    ftp_platform_factory: Callable[..., Any],
) -> None:
    platform = ftp_platform_factory(ftp_limits=FtpLimits(idle_timeout=0.5))
    with _logged_in_reader_that_never_reads(platform) as client:
        assert not _pipeline_help(client, 30)  # fits the kernel buffers: only the idle timer
        assert _reset_within(client, 3.0) < 2.0
