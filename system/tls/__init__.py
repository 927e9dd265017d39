"""TLS for the client-server protocol: certificate bootstrap and SSL contexts.

See docs/licence.md (section "TLS bootstrap").
"""

from nabat.system.tls.certs import (
    CertificatePaths,
    TLSBootstrapError,
    certificate_names,
    ensure_server_certificate,
    make_self_signed,
    subject_alt_names,
)
from nabat.system.tls.contexts import client_context, server_context

__all__ = [
    "CertificatePaths",
    "TLSBootstrapError",
    "certificate_names",
    "client_context",
    "ensure_server_certificate",
    "make_self_signed",
    "server_context",
    "subject_alt_names",
]
