"""Certificate bootstrap: files, permissions, SAN, reuse, half-present pairs."""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from nabat.system.tls import TLSBootstrapError, ensure_server_certificate, subject_alt_names


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_creates_cert_and_private_key(tmp_path: Path) -> None:
    paths = ensure_server_certificate(tmp_path / "data", host="nabat.example")
    assert paths.created
    assert paths.cert == tmp_path / "data" / "tls" / "server.crt"
    assert paths.key == tmp_path / "data" / "tls" / "server.key"
    assert stat.S_IMODE(paths.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.key.parent.stat().st_mode) & 0o077 == 0
    assert b"PRIVATE KEY" in paths.key.read_bytes()
    assert not list(paths.key.parent.glob("*.tmp"))
    cert = load(paths.cert)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.subject == cert.issuer
    days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
    assert days == 3650
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost", "nabat.example"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]


def test_configured_ip_host_is_an_ip_san(tmp_path: Path) -> None:
    paths = ensure_server_certificate(tmp_path, host="10.1.2.3")
    san = load(paths.cert).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("10.1.2.3") in san.get_values_for_type(x509.IPAddress)


def test_san_names() -> None:
    assert subject_alt_names() == ["localhost", "127.0.0.1"]
    assert subject_alt_names("localhost") == ["localhost", "127.0.0.1"]
    assert subject_alt_names("0.0.0.0") == ["localhost", "127.0.0.1"]
    assert subject_alt_names("h") == ["localhost", "127.0.0.1", "h"]


def test_second_call_reuses(tmp_path: Path) -> None:
    first = ensure_server_certificate(tmp_path)
    pem = first.cert.read_bytes()
    second = ensure_server_certificate(tmp_path, host="other.example")
    assert not second.created
    assert (second.cert, second.key) == (first.cert, first.key)
    assert second.cert.read_bytes() == pem


def test_warns_when_reused_cert_lacks_the_host(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ensure_server_certificate(tmp_path, host="a.example")
    ensure_server_certificate(tmp_path, host="a.example")
    assert "does not name" not in caplog.text
    ensure_server_certificate(tmp_path, host="b.example")
    assert "does not name the configured host b.example" in caplog.text


def test_warns_about_a_readable_key(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths = ensure_server_certificate(tmp_path)
    paths.key.chmod(0o644)
    ensure_server_certificate(tmp_path)
    assert "readable by others" in caplog.text


@pytest.mark.parametrize("keep", ["cert", "key"])
def test_refuses_half_a_pair(tmp_path: Path, keep: str) -> None:
    paths = ensure_server_certificate(tmp_path)
    kept, lost = (paths.cert, paths.key) if keep == "cert" else (paths.key, paths.cert)
    lost.unlink()
    with pytest.raises(TLSBootstrapError) as info:
        ensure_server_certificate(tmp_path)
    assert str(kept) in str(info.value) and str(lost) in str(info.value)
    assert not lost.exists()  # nothing is overwritten or invented
