"""TLS certificates of the simulators: from files, or minted at start with trustme.

One place for every simulator's TLS (HTTPS of MFMS, FTPS, SMTP STARTTLS). A
minted certificate is issued for ``localhost``, ``127.0.0.1`` and ``::1`` by
a fresh CA, whose certificate is written to ``folder/<ca_file_name>`` (the
caller names it: ``mfms-ca.pem``, ``ftps-ca.pem``, ``smtp-ca.pem``) so
clients can trust it (``curl --cacert``, httpx ``verify=``,
``ssl.create_default_context(cafile=...)``). With configured files there is
no CA file: their issuer is the operator's business.

* ``server_context(cert, key, folder, ca_file_name)``: an ``SSLContext``
  for asyncio listeners and the CA file (None for configured files).
* ``certificate_file(configured, folder, ca_file_name, server_file_name)``:
  for servers that load a PEM file with key and chain (pyftpdlib over
  pyOpenSSL): the minted one is written with mode 0600.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import trustme

NAMES = ("localhost", "127.0.0.1", "::1")


def _mint(folder: Path, ca_file_name: str) -> tuple[trustme.LeafCert, Path]:
    """A fresh CA and a server certificate; the CA written to ``folder``."""
    import trustme  # only when minting: configured certificates need no trustme

    if not ca_file_name or Path(ca_file_name).name != ca_file_name:
        raise ValueError(f"a CA file name without folders, not {ca_file_name!r}")
    authority = trustme.CA()
    issued = authority.issue_cert(*NAMES)
    folder.mkdir(parents=True, exist_ok=True)
    ca_path = folder / ca_file_name
    authority.cert_pem.write_to_path(str(ca_path))
    return issued, ca_path


def server_context(
    cert_file: Path | None, key_file: Path | None, folder: Path, ca_file_name: str
) -> tuple[ssl.SSLContext, Path | None]:
    """A server ``SSLContext`` and the CA file clients trust (None: configured files)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if cert_file is not None and key_file is not None:
        context.load_cert_chain(str(cert_file), str(key_file))
        return context, None
    issued, ca_path = _mint(folder, ca_file_name)
    issued.configure_cert(context)
    return context, ca_path


def certificate_file(
    configured: Path | None, folder: Path, ca_file_name: str, server_file_name: str
) -> tuple[Path, Path | None]:
    """(a PEM file with key and chain, the CA file or None for a configured file)."""
    if configured is not None:
        if not configured.is_file():
            raise FileNotFoundError(f"certificate file {configured} does not exist")
        return configured, None
    issued, ca_path = _mint(folder, ca_file_name)
    server = folder / server_file_name
    descriptor = os.open(server, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(issued.private_key_and_cert_chain_pem.bytes())
    return server, ca_path
