"""The FTPS certificate: a configured PEM file, or one minted at start with trustme.

pyftpdlib's TLS handler (pyOpenSSL) loads a certificate chain and key from a
file, so a minted certificate (for ``localhost``, ``127.0.0.1`` and ``::1``)
is written with its key to ``folder/ftps-server.pem`` (mode 0600) and its CA
to ``folder/ftps-ca.pem``, the file clients trust (``curl --cacert``,
``ssl.create_default_context(cafile=...)``). ``folder`` is outside every
client's home, so no FTP user can download the key.
"""

from __future__ import annotations

import os
from pathlib import Path

SERVER_FILE_NAME = "ftps-server.pem"
CA_FILE_NAME = "ftps-ca.pem"


def ensure_certificate(configured: Path | None, folder: Path) -> tuple[Path, Path | None]:
    """(server PEM with key, CA file or None for a configured certificate)."""
    if configured is not None:
        if not configured.is_file():
            raise FileNotFoundError(f"certificate file {configured} does not exist")
        return configured, None
    import trustme  # only when minting

    authority = trustme.CA()
    issued = authority.issue_cert("localhost", "127.0.0.1", "::1")
    folder.mkdir(parents=True, exist_ok=True)
    server = folder / SERVER_FILE_NAME
    descriptor = os.open(server, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(issued.private_key_and_cert_chain_pem.bytes())
    ca_path = folder / CA_FILE_NAME
    authority.cert_pem.write_to_path(str(ca_path))
    return server, ca_path
