"""Licence, download and upload commands over HTTP: httpx, and curl as the spec's examples."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from nabat.system.wire.oktell import read_mapper, read_upload_result

CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(CURL is None, reason="curl is not installed")


def curl(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CURL is not None
    return subprocess.run([CURL, "-sS", *args], capture_output=True, timeout=20, check=False)


def test_licence_over_http(oktell_simulator: Any) -> None:
    url = oktell_simulator.url
    info = httpx.get(f"{url}/getlicenseinfo", params={"detail": "confirmdate"})
    assert info.status_code == 200 and info.text == "31.12.2030"
    xml = httpx.get(f"{url}/getlicensefullxml")
    assert xml.content.startswith(b"\xff\xfe")
    assert read_mapper(xml.content).only("license").require("regserial").value == "2012345"
    assert httpx.post(f"{url}/getlicenseinfo", data={"detail": "nope"}).status_code == 400


def test_upload_and_download_over_httpx(oktell_simulator: Any) -> None:
    url = oktell_simulator.url
    files = [("file", ("a.bin", b"\x00\x01binary")), ("file", ("../b.txt", b"evil"))]
    answer = httpx.post(f"{url}/upload", files=files)
    assert answer.status_code == 200
    saved, refused = read_upload_result(answer.content).files
    assert saved.saved and saved.size == 8 and Path(saved.path or "").name == "a.bin"
    assert not refused.saved
    params = {"name": "echo", "startparam1": "UploadData/a.bin", "async": "0", "timeout": "10"}
    download = httpx.get(f"{url}/download/byscript", params=params)
    assert download.status_code == 200 and download.content == b"\x00\x01binary"


@needs_curl
def test_spec_example_urls_in_curl(oktell_simulator: Any, tmp_path: Path) -> None:
    url = oktell_simulator.url
    assert curl(f"{url}/getlicensefullxml?detail=regserial").stdout == b"2012345"
    text = curl(f"{url}/getlicensefulltext").stdout.decode("utf-8")
    assert "Регистрационный номер: 2012345" in text
    assert b"404" in curl("-o", "/dev/null", "-w", "%{http_code}", f"{url}/download/rec/ABC").stdout
    link = curl(
        "-o", "/dev/null", "-w", "%{http_code}", f"{url}/downloadrecordbylink?recordlink=ABCDEFGH"
    )
    assert link.stdout == b"404"
    note = tmp_path / "note.txt"
    note.write_bytes(b"x" * 938)
    jpg = tmp_path / "1.jpg"
    jpg.write_bytes(b"\xff\xd8" * 100)
    uploaded = curl("-F", f"file=@{jpg}", "-F", f"file2=@{note}", f"{url}/upload")
    files = read_upload_result(uploaded.stdout).files
    assert [(f.name, f.saved, f.size) for f in files] == [
        ("1.jpg", True, 200),
        ("note.txt", True, 938),
    ]
    octet = curl(
        "-H",
        "Content-Type: application/octet-stream",
        "-H",
        'Content-Disposition: attachment; filename="raw.bin"',
        "--data-binary",
        f"@{note}",
        f"{url}/upload",
    )
    (raw,) = read_upload_result(octet.stdout).files
    assert raw.name == "raw.bin" and raw.saved and raw.size == 938
