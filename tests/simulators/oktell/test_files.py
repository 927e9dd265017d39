"""Downloads (rec/, fax/, byscript, by link) and uploads (multipart, octet-stream, limits)."""

from __future__ import annotations

import base64
import io
import os
import wave
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.oktell.command_table import OktellRequest
from nabat.simulators.oktell.pbx import OktellLimits
from nabat.simulators.oktell.uploads import safe_upload_name
from nabat.system.wire.oktell import UploadedFile, read_upload_result, xml_safe

from tests.simulators.oktell.oktell_files_support import call, make_pbx, make_request

BOUNDARY = "----nabatboundary"


def multipart(*files: tuple[str | None, bytes], extra: str = "") -> bytes:
    parts = []
    for name, data in files:
        disposition = 'form-data; name="file"' + (
            f'; filename="{name}"' if name is not None else ""
        )
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Type: application/octet-stream\r\n{extra}\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def upload_request(body: bytes) -> OktellRequest:
    return make_request(
        "upload",
        content_type="multipart/form-data",
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        body=body,
    )


def wav_bytes(rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x01" * 800)
    return buffer.getvalue()


async def test_rec_and_fax_by_id_stem_and_recording(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    (tmp_path / "rec" / "ABC.wav").write_bytes(b"RIFF-rec")
    (tmp_path / "fax" / "F1").write_bytes(b"fax-bytes")
    pbx.add_recording("call-7", tmp_path / "rec" / "ABC.wav")
    by_stem = await call(make_request("download", "rec/ABC"), pbx)
    assert by_stem.status == 200 and by_stem.body == b"RIFF-rec"
    assert ("Content-Type", "audio/wav") in by_stem.headers
    assert ("Content-Disposition", 'attachment; filename="ABC.wav"') in by_stem.headers
    assert (await call(make_request("download", "rec/call-7"), pbx)).body == b"RIFF-rec"
    assert (await call(make_request("download", "fax/F1"), pbx)).body == b"fax-bytes"
    link = await call(make_request("downloadrecordbylink", params={"recordlink": "call-7"}), pbx)
    assert link.body == b"RIFF-rec"


@pytest.mark.parametrize(
    ("rest", "params"),
    [
        ("rec/NOPE", {}),
        ("rec/../secret.txt", {}),
        ("rec/..", {}),
        ("fax/..\\secret.txt", {}),
        ("rec/", {}),
        ("elsewhere/x", {}),
    ],
)
async def test_unknown_or_escaping_ids_are_404(
    tmp_path: Path, rest: str, params: dict[str, str]
) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    response = await call(make_request("download", rest, params), make_pbx(tmp_path))
    assert response.status == 404


async def test_record_link_errors(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    assert (await call(make_request("downloadrecordbylink"), pbx)).status == 400
    unknown = make_request("downloadrecordbylink", params={"recordlink": "X"})
    assert (await call(unknown, pbx)).status == 404


async def test_byscript_serves_the_returned_path_only_inside(tmp_path: Path) -> None:
    work = tmp_path / "work"
    pbx = make_pbx(work)
    (work / "UploadData" / "msg.wav").write_bytes(b"message")
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours")
    os.symlink(outside, work / "UploadData" / "link.txt")

    async def by_script(path: str, name: str = "echo") -> tuple[int, bytes]:
        params = {"name": name, "startparam1": path, "async": "0", "timeout": "10"}
        response = await call(make_request("download", "byscript", params), pbx)
        return response.status, response.body

    assert await by_script("UploadData/msg.wav") == (200, b"message")
    assert await by_script(str(work / "UploadData" / "msg.wav")) == (200, b"message")
    assert (await by_script(str(outside)))[0] == 403
    assert (await by_script("../outside.txt"))[0] == 403
    assert (await by_script("UploadData/link.txt"))[0] == 403
    assert (await by_script("UploadData/none.wav"))[0] == 404
    assert (await by_script(""))[0] == 404
    assert (await by_script("x", name="fail"))[0] == 500
    assert (await by_script("x", name="no-such-script"))[0] == 500
    no_name = make_request("download", "byscript", {"timeout": "x"})
    assert (await call(no_name, pbx)).status == 400


async def test_multipart_upload_saves_files_and_refuses_unsafe_names(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    unsafe = ["../evil.txt", "a/b.txt", "C:evil.txt", "CON.txt", "nul", "", "x\x01y", "dot."]
    body = multipart(
        ("1.jpg", b"\xff\xd8binary\x00\r\n--not-a-boundary"),
        ("заметка.txt", "текст".encode()),
        *[(name, b"evil") for name in unsafe],
    )
    response = await call(upload_request(body), pbx)
    assert response.status == 200 and response.body.startswith(b"\xff\xfe")
    result = read_upload_result(response.body).files
    folder = (tmp_path / "UploadData").resolve()
    assert result[0] == UploadedFile("1.jpg", True, 27, str(folder / "1.jpg"))
    assert (folder / "1.jpg").read_bytes() == b"\xff\xd8binary\x00\r\n--not-a-boundary"
    assert result[1].saved and (folder / "заметка.txt").read_text("utf-8") == "текст"
    assert [(f.name, f.saved) for f in result[2:]] == [(xml_safe(name), False) for name in unsafe]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["1.jpg", "заметка.txt"]


async def test_limits_per_file_per_request_and_file_count(tmp_path: Path) -> None:
    limits = OktellLimits(
        max_upload_file_bytes=10, max_upload_request_bytes=2000, max_upload_files=2
    )
    pbx = make_pbx(tmp_path, limits)
    body = multipart(("big.bin", b"x" * 11), ("ok.bin", b"y" * 10), ("third.bin", b"z"))
    files = read_upload_result((await call(upload_request(body), pbx)).body).files
    assert [(f.name, f.saved) for f in files] == [
        ("big.bin", False),
        ("ok.bin", True),
        ("third.bin", False),
    ]
    assert not (tmp_path / "UploadData" / "big.bin").exists()
    too_big = multipart(*[(f"f{i}", b"x" * 9) for i in range(40)])
    assert (await call(upload_request(too_big), pbx)).status == 413
    assert not (tmp_path / "UploadData" / "f0").exists()


async def test_octet_stream_base64_overwrite_and_wav_format_noted(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    for data in (b"first", wav_bytes()):
        request = make_request(
            "upload",
            content_type="application/octet-stream",
            headers={
                "content-disposition": 'attachment; filename="message.wav"',
                "content-transfer-encoding": "base64",
            },
            body=base64.b64encode(data),
        )
        (saved,) = read_upload_result((await call(request, pbx)).body).files
        assert saved.saved and saved.size == len(data)
    assert (tmp_path / "UploadData" / "message.wav").read_bytes() == wav_bytes()
    uploads = [event for event in pbx.events if event["kind"] == "upload"]
    assert uploads[-1]["format"] == "wav 8000 Hz 16-bit mono 800 frames"
    assert "format" not in uploads[0]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\nno end"),
        ("multipart/form-data; boundary=x", b"no boundary at all"),
        ("multipart/form-data; boundary=x", b"--x\r\nno separator\r\n--x--"),
        ("text/plain", b"hello"),
    ],
)
async def test_malformed_uploads_are_400_and_save_nothing(
    tmp_path: Path, content_type: str, body: bytes
) -> None:
    request = make_request(
        "upload", content_type=content_type, headers={"content-type": content_type}, body=body
    )
    assert (await call(request, make_pbx(tmp_path))).status == 400
    assert list((tmp_path / "UploadData").iterdir()) == []


@given(st.text(max_size=40))
def test_a_name_judged_safe_stays_one_plain_file_name(name: str) -> None:
    safe = safe_upload_name(name)
    if safe is not None:
        assert os.path.basename(safe) == safe and safe not in (".", "..")
        assert "/" not in safe and "\\" not in safe and ":" not in safe and "\x00" not in safe
