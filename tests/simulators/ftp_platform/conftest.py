"""A live FTP platform simulator per test (the plugin's fixture) and ftplib helpers."""

from __future__ import annotations

import ftplib
import io
import ssl

import pytest
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform


@pytest.fixture
def platform(ftp_platform: BackgroundFtpPlatform) -> BackgroundFtpPlatform:
    """The pytest plugin's ``ftp_platform`` (frozen clock, free ports, folders in tmp_path)."""
    return ftp_platform


def connect(platform: BackgroundFtpPlatform, tls: bool = False, login: str = "guest",
            password: str = "guest") -> ftplib.FTP:  # fmt: skip
    if tls:
        context = ssl.create_default_context(cafile=str(platform.endpoints["ca_file"]))
        client: ftplib.FTP = ftplib.FTP_TLS(context=context, timeout=10)
    else:
        client = ftplib.FTP(timeout=10)
    client.connect(platform.host, platform.port)
    client.login(login, password)
    if isinstance(client, ftplib.FTP_TLS):
        client.prot_p()
    return client


def upload(platform: BackgroundFtpPlatform, name: str, data: bytes, tls: bool = False,
           login: str = "guest", password: str = "guest") -> None:  # fmt: skip
    client = connect(platform, tls, login, password)
    try:
        client.storbinary(f"STOR {name}", io.BytesIO(data))
    finally:
        client.quit()
