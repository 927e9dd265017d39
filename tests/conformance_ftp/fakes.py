"""Tiny fake servers for the pre-flight tests: a port that accepts and says nothing,
one that greets in HTTP, and a scripted FTP server that counts the commands it gets."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress


@contextmanager
def listener(
    greeting: bytes | None, replies: Mapping[str, bytes] | None = None
) -> Iterator[tuple[int, Counter[str]]]:
    """A loopback server on a free port: sends ``greeting`` (None: silence) then answers
    each command by its verb from ``replies`` (default ``502``); yields (port, verbs seen)."""
    server = socket.create_server(("127.0.0.1", 0))
    seen: Counter[str] = Counter()
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            if greeting is not None:
                conn.sendall(greeting)
            buffer = b""
            while not stop.is_set():
                try:
                    chunk = conn.recv(4096)
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                while b"\r\n" in buffer:
                    line, buffer = buffer.split(b"\r\n", 1)
                    verb = line.split(b" ", 1)[0].decode("ascii", "replace").upper()
                    seen[verb] += 1
                    conn.sendall((replies or {}).get(verb, b"502 Not implemented.\r\n"))

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conns.append(conn)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
        for conn in conns:
            with suppress(OSError):
                conn.close()
