"""Clients the project did not write: curl and lftp upload over FTP and explicit FTPS.

Each test skips when its tool is absent (CI may lack them); test_platform.py
covers the same ground with Python's ftplib.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform

from tests.simulators.ftp_platform.archives import plain_zip, template_zip


def needs(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed")
    return found


@pytest.mark.parametrize("tls", [False, True], ids=["ftp", "ftps"])
def test_curl_uploads_an_archive(
    platform: BackgroundFtpPlatform, tmp_path: Path, tls: bool
) -> None:
    curl = needs("curl")
    archive = tmp_path / "a.zip"
    archive.write_bytes(template_zip(["79031234567;;Ivan;Petrov"]))
    url = f"ftp://guest:guest@{platform.host}:{platform.port}/guest_20260101120000.zip"
    command = [curl, "-sS", "--max-time", "20", "-T", str(archive), url]
    if tls:
        command[1:1] = ["--ssl-reqd", "--cacert", str(platform.endpoints["ca_file"])]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    platform.control.advance_clock(10)
    assert [m["text"] for m in platform.control.messages()] == ["Hello Ivan Petrov!"]


@pytest.mark.parametrize("tls", [False, True], ids=["ftp", "ftps"])
def test_lftp_uploads_an_archive(
    platform: BackgroundFtpPlatform, tmp_path: Path, tls: bool
) -> None:
    lftp = needs("lftp")
    archive = tmp_path / "guest_20260101120000.zip"
    archive.write_bytes(plain_zip(["79031234567;from lftp"]))
    settings = [
        "set net:max-retries 1; set net:timeout 10; set ftp:passive-mode true;",
        f"set ftp:ssl-allow {str(tls).lower()}; set ftp:ssl-force {str(tls).lower()};",
        "set ftp:ssl-protect-data true;" if tls else "",
        f"set ssl:ca-file {platform.endpoints['ca_file']};" if tls else "",
        f"open -u guest,guest -p {platform.port} {platform.host};",
        f"put {archive} -o {archive.name}; bye",
    ]
    subprocess.run([lftp, "-c", " ".join(settings)], check=True, capture_output=True, timeout=30)
    platform.control.advance_clock(10)
    assert [m["text"] for m in platform.control.messages()] == ["from lftp"]
