"""A small pyftpdlib server on loopback for the FTP route's tests (plain or explicit FTPS)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import trustme
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer


@contextmanager
def ftp_server(
    root: Path, *, tls_files: tuple[Path, Path] | None = None
) -> Iterator[tuple[str, int]]:
    """Serve ``root`` as the home of ``guest``/``guest``; yields (host, port)."""
    authorizer = DummyAuthorizer()
    authorizer.add_user("guest", "guest", str(root), perm="elradfmwMT")
    handler: type[FTPHandler]
    if tls_files is None:
        handler = type("PlainHandler", (FTPHandler,), {})
    else:
        certfile, keyfile = tls_files
        handler = type(
            "TlsHandler",
            (TLS_FTPHandler,),
            {
                "certfile": str(certfile),
                "keyfile": str(keyfile),
                "tls_control_required": True,
                "tls_data_required": True,
            },
        )
    handler.authorizer = authorizer
    handler.passive_ports = None
    handler.auth_failed_timeout = 0.01
    server = FTPServer(("127.0.0.1", 0), handler)
    server.max_cons = 16
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.05}, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.address[1]
    finally:
        server.close_all()
        thread.join(timeout=5)


def tls_files(where: Path) -> tuple[Path, Path, Path]:
    """(ca.pem, server cert chain, server key) minted with trustme for 127.0.0.1."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca_path, cert_path, key_path = where / "ca.pem", where / "cert.pem", where / "key.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    cert.private_key_pem.write_to_path(str(key_path))
    for blob in cert.cert_chain_pems:
        blob.write_to_path(str(cert_path), append=True)
    return ca_path, cert_path, key_path
