"""The FTP route: atomic uploads to a real pyftpdlib server (FTP and FTPS), retries, tracking."""

from __future__ import annotations

import asyncio
import ftplib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from nabat.system.channels import (
    Activity,
    ChannelEvent,
    DeliveryReport,
    DeliveryStatus,
    OutgoingSms,
    SubmitOutcome,
)
from nabat.system.channels.ftp_platform import (
    Archive,
    FtpNotDelivered,
    FtpPlatformRoute,
    FtpPlatformSettings,
    FtpUncertain,
    RouteFailed,
)
from nabat.system.channels.ftp_platform.transfer import list_names, upload_atomically

from ..mfms.helpers import InstantClock
from .ftp_server import ftp_server, tls_files

WALL = datetime(2026, 1, 2, 3, 4, 5)
MESSAGES = [OutgoingSms("79031111111", 'Привет; "мир"'), OutgoingSms("79032222222", "Hi\nthere")]


def settings_for(host: str, port: int, **overrides: object) -> FtpPlatformSettings:
    values: dict[str, object] = {
        "host": host,
        "port": port,
        "sender": "TESTSMS",
        "batch_window": 0.0,
        "watch_interval": InstantClock.FOREVER,
        "timeout": 5.0,
    }
    values.update(overrides)
    return FtpPlatformSettings.from_mapping(values)


def contacts_of(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.read("sms/contacts.csv").decode().splitlines()


@pytest.mark.parametrize("tls", [False, True], ids=["ftp", "ftps"])
async def test_upload_lands_whole_under_the_platform_name(tmp_path: Path, tls: bool) -> None:
    root = tmp_path / "root"
    root.mkdir()
    extra: dict[str, object] = {}
    files = None
    if tls:
        ca, cert, key = tls_files(tmp_path)
        files = (cert, key)
        extra = {"tls": True, "ca_file": str(ca)}
    with ftp_server(root, tls_files=files) as (host, port):
        route = FtpPlatformRoute(
            settings_for(host, port, **extra), clock=InstantClock(), wall_clock=lambda: WALL
        )
        async with route:
            results = await route.send_batch(MESSAGES)
            assert route.watching() == ["guest_20260102030405.zip"]
        names = await asyncio.to_thread(list_names, route.settings)
    assert [r.outcome for r in results] == [SubmitOutcome.SUBMITTED] * 2
    assert [r.provider_id for r in results] == [
        "guest_20260102030405.zip#1",
        "guest_20260102030405.zip#2",
    ]
    assert names == {"guest_20260102030405.zip"}  # no .part left behind
    assert contacts_of(root / "guest_20260102030405.zip")[1] == '79031111111;;"Привет; ""мир"""'


async def test_a_wrong_certificate_is_refused_and_nothing_uploaded(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    _, cert, key = tls_files(tmp_path)
    with ftp_server(root, tls_files=(cert, key)) as (host, port):
        settings = settings_for(host, port, tls=True, retries=0)  # system CAs: not ours
        route = FtpPlatformRoute(settings, clock=InstantClock())
        async with route:
            with pytest.raises(FtpNotDelivered):
                await route.send_batch(MESSAGES)
    assert list(root.iterdir()) == []


async def test_a_refused_login_fails_the_route(tmp_path: Path) -> None:
    with ftp_server(tmp_path) as (host, port):
        route = FtpPlatformRoute(settings_for(host, port, password="wrong"), clock=InstantClock())
        async with route:
            with pytest.raises(RouteFailed):
                await route.send_batch(MESSAGES)
            assert route.status().activity is Activity.FAILED
            with pytest.raises(RouteFailed):
                await route.send_batch(MESSAGES)


async def test_a_failed_stor_leaves_no_partial_file(tmp_path: Path) -> None:
    class BrokenStor(ftplib.FTP):
        def storbinary(self, cmd: str, *args: object, **kwargs: object) -> str:
            connection = self.transfercmd(cmd)  # half the archive, then the link "stalls"
            connection.sendall(b"PK\x03\x04 half an archive")
            connection.close()
            self.voidresp()
            assert ".guest_20260102030405.zip.part" in self.nlst()
            raise TimeoutError("data connection stalled")

    with ftp_server(tmp_path) as (host, port):
        settings = settings_for(host, port)
        original = ftplib.FTP
        ftplib.FTP = BrokenStor  # type: ignore[misc]
        try:
            with pytest.raises(FtpNotDelivered):
                await asyncio.to_thread(
                    upload_atomically, settings, Archive("guest_20260102030405.zip", b"zip", 1)
                )
        finally:
            ftplib.FTP = original  # type: ignore[misc]
        await asyncio.sleep(0.1)
        assert await asyncio.to_thread(list_names, settings) == set()


async def test_uploads_that_never_reached_the_platform_are_retried_with_backoff() -> None:
    attempts: list[str] = []

    def uploader(settings: FtpPlatformSettings, archive: Archive) -> None:
        attempts.append(archive.name)
        if len(attempts) < 3:
            raise FtpNotDelivered("connection refused")

    clock = InstantClock()
    route = FtpPlatformRoute(
        settings_for("127.0.0.1", 21, backoff_initial=2.0),
        clock=clock,
        wall_clock=lambda: WALL,
        uploader=uploader,
    )
    async with route:
        results = await route.send_batch(MESSAGES)
    assert attempts == ["guest_20260102030405.zip"] * 3  # the same archive, not a new one
    assert [r.outcome for r in results] == [SubmitOutcome.SUBMITTED] * 2
    assert 1.0 <= clock.slept[0] <= 2.0 and 2.0 <= clock.slept[1] <= 4.0


async def test_an_uncertain_rename_is_not_uploaded_again() -> None:
    attempts: list[str] = []

    def uploader(settings: FtpPlatformSettings, archive: Archive) -> None:
        attempts.append(archive.name)
        raise FtpUncertain("rename answer lost")

    route = FtpPlatformRoute(settings_for("127.0.0.1", 21), clock=InstantClock(), uploader=uploader)
    async with route:
        results = await route.send_batch(MESSAGES)
    assert len(attempts) == 1
    assert [r.outcome for r in results] == [SubmitOutcome.UNKNOWN] * 2


async def test_bad_messages_are_refused_and_the_rest_sent() -> None:
    uploaded: list[Archive] = []
    route = FtpPlatformRoute(
        settings_for("127.0.0.1", 21, encoding="cp1251"),
        clock=InstantClock(),
        uploader=lambda settings, archive: uploaded.append(archive),
    )
    async with route:
        results = await route.send_batch(
            [OutgoingSms("not a number", "x"), OutgoingSms("79031111111", "😀"), MESSAGES[0]]
        )
    assert [r.outcome for r in results] == [
        SubmitOutcome.REJECTED,
        SubmitOutcome.REJECTED,
        SubmitOutcome.SUBMITTED,
    ]
    assert results[2].provider_id.endswith("#1") and uploaded[0].messages == 1


async def test_pickup_is_reported_and_an_overdue_archive_once(tmp_path: Path) -> None:
    with ftp_server(tmp_path) as (host, port):
        clock = InstantClock()
        route = FtpPlatformRoute(
            settings_for(host, port, pickup_deadline=60.0), clock=clock, wall_clock=lambda: WALL
        )
        reports: list[DeliveryReport] = []

        async def handler(event: ChannelEvent) -> None:
            if isinstance(event, DeliveryReport):
                reports.append(event)

        route.subscribe(handler)
        async with route:
            await route.send_batch(MESSAGES)
            await route.check_pickups()
            assert reports == []
            clock.time += 61
            await route.check_pickups()
            await route.check_pickups()
            await asyncio.sleep(0.01)
            assert [r.platform_status for r in reports] == ["not-picked-up"] * 2
            assert "still on the server" in route.status().text
            (tmp_path / "guest_20260102030405.zip").unlink()  # the platform's poller took it
            await route.check_pickups()
            await asyncio.sleep(0.01)
    picked = reports[2:]
    assert [(r.provider_id, r.number, r.status) for r in picked] == [
        ("guest_20260102030405.zip#1", "79031111111", DeliveryStatus.PENDING),
        ("guest_20260102030405.zip#2", "79032222222", DeliveryStatus.PENDING),
    ]
    assert {r.platform_status for r in picked} == {"picked-up"}
    assert route.watching() == []


async def test_concurrent_single_sends_share_one_archive() -> None:
    uploaded: list[Archive] = []
    route = FtpPlatformRoute(
        settings_for("127.0.0.1", 21, batch_window=0.01),
        clock=InstantClock(),
        uploader=lambda settings, archive: uploaded.append(archive),
    )
    async with route:
        await asyncio.gather(*(route.send_sms(f"7903000000{i}", "Учения") for i in range(5)))
    assert len(uploaded) == 1 and uploaded[0].messages == 5
    with zipfile.ZipFile(io.BytesIO(uploaded[0].data)) as zf:
        assert len(zf.read("sms/contacts.csv").decode().splitlines()) == 6


async def test_an_archive_of_the_same_name_waiting_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "guest_20260102030405.zip").write_bytes(b"another route's archive")
    with ftp_server(tmp_path) as (host, port):
        route = FtpPlatformRoute(
            settings_for(host, port), clock=InstantClock(), wall_clock=lambda: WALL
        )
        async with route:
            results = await route.send_batch(MESSAGES)
    assert (tmp_path / "guest_20260102030405.zip").read_bytes() == b"another route's archive"
    assert results[0].provider_id == "guest_20260102030406.zip#1"
    assert contacts_of(tmp_path / "guest_20260102030406.zip")[0] == "phone;senddate;attr1"
