"""Server certificate bootstrap for ``nabat serve``.

``ensure_server_certificate(data_dir, host=...)`` returns the certificate and
key paths under ``<data_dir>/tls/``, creating a self-signed EC P-256
certificate (valid 10 years, SAN: localhost, 127.0.0.1 and the configured
host) when neither file exists. The key is written with mode 0600. When only
one of the two files exists it refuses: the caller must restore or delete it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger(__name__)

TLS_DIR = "tls"
CERT_NAME = "server.crt"
KEY_NAME = "server.key"
VALIDITY = dt.timedelta(days=3650)
DEFAULT_NAMES = ("localhost", "127.0.0.1")


class TLSBootstrapError(Exception):
    """The certificate files are in a state the bootstrap will not guess about."""


@dataclass(frozen=True, slots=True)
class CertificatePaths:
    """Where the server's certificate and key are; ``created`` on this call."""

    cert: Path
    key: Path
    created: bool


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def subject_alt_names(host: str | None = None) -> list[str]:
    """The SAN entries: localhost, 127.0.0.1 and ``host`` (when another name)."""
    names = list(DEFAULT_NAMES)
    if host and host not in names and host not in ("0.0.0.0", "::"):
        names.append(host)
    return names


def certificate_names(cert: Path) -> list[str]:
    """The DNS and IP SAN entries of a PEM certificate file, as text."""
    loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    try:
        san = loaded.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return san.get_values_for_type(x509.DNSName) + ips


def make_self_signed(
    host: str | None = None, *, now: dt.datetime | None = None
) -> tuple[bytes, bytes]:
    """A new self-signed certificate and its key, both PEM: ``(cert, key)``."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)  # clock skew
    names = subject_alt_names(host)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, names[2] if len(names) > 2 else "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Nabat (self-signed)"),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + VALIDITY)
        .add_extension(
            x509.SubjectAlternativeName([_general_name(n) for n in names]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a file that must not exist yet, created with ``mode`` (no umask race)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # the umask may have narrowed the mode given to open
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_server_certificate(
    data_dir: str | os.PathLike[str], host: str | None = None
) -> CertificatePaths:
    """The server's certificate and key under ``<data_dir>/tls/``, created if absent.

    Reuses an existing pair as is (warning when it does not name ``host``). Raises
    ``TLSBootstrapError`` when only one of the two files exists.
    """
    directory = Path(data_dir) / TLS_DIR
    cert_path, key_path = directory / CERT_NAME, directory / KEY_NAME
    has_cert, has_key = cert_path.exists(), key_path.exists()
    if has_cert and has_key:
        mode = stat.S_IMODE(key_path.stat().st_mode)
        if mode & 0o077:
            log.warning("TLS key %s is readable by others (mode %o); chmod 600 it", key_path, mode)
        if host and host not in certificate_names(cert_path):
            log.warning(
                "TLS certificate %s does not name the configured host %s: clients that check "
                "host names will refuse it (delete both files to have a new one created)",
                cert_path,
                host,
            )
        return CertificatePaths(cert_path, key_path, created=False)
    if has_cert or has_key:
        present, missing = (cert_path, key_path) if has_cert else (key_path, cert_path)
        raise TLSBootstrapError(
            f"{present} exists but {missing} does not: restore the missing file, "
            f"or delete {present} to have a new self-signed certificate created"
        )
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    cert_pem, key_pem = make_self_signed(host)
    tmp_key, tmp_cert = key_path.with_suffix(".key.tmp"), cert_path.with_suffix(".crt.tmp")
    for tmp in (tmp_key, tmp_cert):
        tmp.unlink(missing_ok=True)  # left by an interrupted earlier run
    _write_new(tmp_key, key_pem, 0o600)
    _write_new(tmp_cert, cert_pem, 0o644)
    os.replace(tmp_key, key_path)
    os.replace(tmp_cert, cert_path)
    log.warning("created a self-signed TLS certificate %s (key %s)", cert_path, key_path)
    return CertificatePaths(cert_path, key_path, created=True)
