"""Real TLS handshakes over 127.0.0.1 with the bootstrap certificate and trustme."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme
from nabat.system.tls import client_context, ensure_server_certificate, server_context


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        writer.write(await reader.readline())
        await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def _serve(context: ssl.SSLContext) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0, ssl=context)
    port: int = server.sockets[0].getsockname()[1]
    return server, port


@pytest.fixture
async def bootstrap_server(tmp_path: Path) -> AsyncIterator[tuple[Path, int]]:
    paths = ensure_server_certificate(tmp_path)
    server, port = await _serve(server_context(paths.cert, paths.key))
    async with server:
        yield paths.cert, port


async def roundtrip(port: int, context: ssl.SSLContext, name: str = "localhost") -> ssl.SSLObject:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname=name), 5
    )
    try:
        writer.write(b"LOGIN a b\r\n")
        assert await asyncio.wait_for(reader.readline(), 5) == b"LOGIN a b\r\n"
        tls: ssl.SSLObject = writer.get_extra_info("ssl_object")
        return tls
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await writer.wait_closed()


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1"])
async def test_verified_handshake_with_the_generated_cert(
    bootstrap_server: tuple[Path, int], name: str
) -> None:
    cert, port = bootstrap_server
    tls = await roundtrip(port, client_context(cert), name)
    assert tls.version() in ("TLSv1.2", "TLSv1.3")


async def test_strict_x509_verification(bootstrap_server: tuple[Path, int]) -> None:
    cert, port = bootstrap_server
    context = client_context(cert)
    context.verify_flags |= getattr(ssl, "VERIFY_X509_STRICT", 0)
    await roundtrip(port, context)


async def test_insecure_client(bootstrap_server: tuple[Path, int]) -> None:
    _, port = bootstrap_server
    await roundtrip(port, client_context(insecure=True), "anything.invalid")


async def test_wrong_host_name_fails(bootstrap_server: tuple[Path, int]) -> None:
    cert, port = bootstrap_server
    with pytest.raises(ssl.SSLCertVerificationError):
        await roundtrip(port, client_context(cert), "elsewhere.example")


async def test_client_trusting_another_ca_fails(
    bootstrap_server: tuple[Path, int], tmp_path: Path
) -> None:
    _, port = bootstrap_server
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with pytest.raises(ssl.SSLCertVerificationError):
        await roundtrip(port, client_context(other))


async def test_trustme_ca_and_mismatch(tmp_path: Path) -> None:
    ca = trustme.CA()
    leaf = ca.issue_cert("localhost", "127.0.0.1")
    leaf.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    leaf.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server, port = await _serve(server_context(tmp_path / "cert.pem", tmp_path / "key.pem"))
    async with server:
        await roundtrip(port, client_context(tmp_path / "ca.pem"))
        own = ensure_server_certificate(tmp_path / "data")
        with pytest.raises(ssl.SSLCertVerificationError):
            await roundtrip(port, client_context(own.cert))


def test_context_settings(tmp_path: Path) -> None:
    paths = ensure_server_certificate(tmp_path)
    server = server_context(paths.cert, paths.key)
    assert server.minimum_version is ssl.TLSVersion.TLSv1_2
    client = client_context(paths.cert)
    assert client.minimum_version is ssl.TLSVersion.TLSv1_2
    assert client.check_hostname and client.verify_mode is ssl.CERT_REQUIRED
    insecure = client_context(insecure=True)
    assert not insecure.check_hostname and insecure.verify_mode is ssl.CERT_NONE
    assert client_context().verify_mode is ssl.CERT_REQUIRED
    with pytest.raises(ValueError):
        client_context(paths.cert, insecure=True)
