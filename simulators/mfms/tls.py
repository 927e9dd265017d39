"""The HTTPS listener's certificate: the shared minting of simulators/control/tls.py.

``server_context(cert, key, folder)`` returns the server's ``SSLContext`` and
the CA file clients must trust (None for configured files); a minted CA is
written to ``folder`` as ``mfms-ca.pem``.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from nabat.simulators.control.tls import server_context as shared_context

CA_FILE_NAME = "mfms-ca.pem"


def server_context(
    cert_file: Path | None, key_file: Path | None, folder: Path
) -> tuple[ssl.SSLContext, Path | None]:
    return shared_context(cert_file, key_file, folder, CA_FILE_NAME)
