"""Connections of a SourceBoundClientPool come from its source address."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from nabat.loadtests.locust.binding import SourceBoundClientPool


class _EchoPeer(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = self.client_address[0].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoPeer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("source", ["127.0.0.2", "127.0.0.3", None])
def test_peer_address_is_the_source(echo_url: str, source: str | None) -> None:
    pool = SourceBoundClientPool(source, concurrency=1, network_timeout=5, connection_timeout=5)
    try:
        client = pool.get_client(echo_url)
        assert pool.get_client(echo_url) is client  # one client per host:port, as before
        for _ in range(2):  # a kept-alive connection and the first one alike
            response = client.get("/")
            assert response.status_code == 200
            assert response.read().decode() == (source or "127.0.0.1")
    finally:
        pool.close()
