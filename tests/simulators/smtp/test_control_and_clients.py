"""The sink's control API errors, and curl as another outside SMTP client."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from nabat.simulators.ats.control_client import ControlApiError
from nabat.simulators.smtp.config import ConfigError, load_config


def control_url(sink: Any) -> str:
    return f"{sink.control.base_url}/__sim/"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("POST", "faults", b"{not json", 400, "not valid JSON"),
        ("POST", "faults", b"[1]", 400, "JSON object"),
        ("POST", "faults", b'{"kind": "boom"}', 400, "kind must be one of"),
        ("POST", "faults", b'{"kind": "status", "status": 250}', 400, "400 to 599"),
        ("POST", "faults", b'{"kind": "reset", "stages": ["quit"]}', 400, "stages must be"),
        ("POST", "clock", b'{"advance": -5}', 400, "advance"),
        ("POST", "clock", b'{"rewind": 5}', 400, "rewind"),
        ("GET", "messages?limit=x", b"", 400, "limit must be"),
        ("GET", "messages/abc", b"", 400, "integer"),
        ("GET", "messages/999", b"", 404, "no message 999"),
        ("GET", "nowhere", b"", 404, "unknown control path"),
        ("DELETE", "state", b"", 405, "not allowed"),
        ("POST", "world/overrides", b'{"planet": "mars"}', 400, ""),
    ],
)
def test_control_errors_are_clear(
    smtp_sink: Any, method: str, path: str, body: bytes, status: int, words: str
) -> None:
    answer = httpx.request(method, control_url(smtp_sink) + path, content=body, timeout=10)
    assert answer.status_code == status, answer.text
    message = answer.json()["error"]
    assert words in message
    assert smtp_sink.control.faults() == []  # nothing was half-applied


def test_the_typed_client_raises_with_the_status(smtp_sink: Any) -> None:
    with pytest.raises(ControlApiError) as failure:
        smtp_sink.control.remove_fault(12345)
    assert "no fault 12345" in str(failure.value)
    fault = smtp_sink.control.add_fault("status", ["rcpt"], status=450)
    assert [f["id"] for f in smtp_sink.control.faults()] == [fault]
    smtp_sink.control.remove_fault(fault)
    assert smtp_sink.control.faults() == []


def test_config_errors_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "smtp.toml"
    path.write_text("max_recipients = 0\n")
    with pytest.raises(ConfigError, match="max_recipients"):
        load_config(path)
    path.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="colour: not a setting"):
        load_config(path)
    path.write_text('idle_timeout = 5\nauth_required = true\n[accounts]\nops = "секрет"\n')
    config = load_config(path)
    assert (config.idle_timeout, config.auth_required) == (5.0, True)
    assert config.accounts == {"ops": "секрет"}


CURL = shutil.which("curl")


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.parametrize("tls", [False, True])
def test_curl_uploads_a_message(smtp_sink: Any, tmp_path: Path, tls: bool) -> None:
    assert CURL is not None
    smtp_sink.control.add_override(domain="example.org", email={"outcomes": {"accepted": 1}})
    letter = tmp_path / "letter.eml"
    letter.write_bytes(
        "From: curl@example.net\r\nTo: ops@example.org\r\nSubject: =?utf-8?b?"
        "0J/RgNC40LLQtdGC?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nПривет из curl\r\n".encode()
    )
    command = [CURL, "-sS", "--max-time", "20", f"smtp://{smtp_sink.host}:{smtp_sink.port}",
               "--mail-from", "curl@example.net", "--mail-rcpt", "ops@example.org",
               "--upload-file", str(letter)]  # fmt: skip
    if tls:
        command += ["--ssl-reqd", "--cacert", str(smtp_sink.ca_file),
                    "--user", "nabat:nabat"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    [stored] = smtp_sink.control.messages()
    assert stored["subject"] == "Привет"
    assert stored["parts"][0]["text"] == "Привет из curl\n"
    assert stored["session"]["tls"] is tls
    assert stored["session"]["login"] == ("nabat" if tls else None)
