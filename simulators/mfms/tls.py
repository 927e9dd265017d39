"""The HTTPS listener's certificate: from files, or minted at start with trustme.

``server_context(cert, key, folder)`` returns the server's ``SSLContext`` and
the path of the CA file clients must trust (None for configured files: their
issuer is the operator's business). A minted CA (issued for ``localhost``,
``127.0.0.1`` and ``::1``) is written to ``folder`` as ``mfms-ca.pem`` so
curl (``--cacert``) and httpx (``verify=``) can use it.
"""

from __future__ import annotations

import ssl
from pathlib import Path

CA_FILE_NAME = "mfms-ca.pem"


def server_context(
    cert_file: Path | None, key_file: Path | None, folder: Path
) -> tuple[ssl.SSLContext, Path | None]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if cert_file is not None and key_file is not None:
        context.load_cert_chain(str(cert_file), str(key_file))
        return context, None
    import trustme  # only when minting: configured certificates need no trustme

    authority = trustme.CA()
    authority.issue_cert("localhost", "127.0.0.1", "::1").configure_cert(context)
    folder.mkdir(parents=True, exist_ok=True)
    ca_path = folder / CA_FILE_NAME
    authority.cert_pem.write_to_path(str(ca_path))
    return context, ca_path
