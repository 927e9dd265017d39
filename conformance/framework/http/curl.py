"""Render one HTTP request as a single-line curl command that repeats it.

``-i`` shows the answer's status line and headers; HEAD uses ``-I``. A request
made from a bound source address gets ``--interface IP`` unless that address
is the default one (127.0.0.1 is what the kernel picks for a loopback target
anyway). A printable body is sent verbatim with ``--data-raw``; a body with
control or non-UTF-8 bytes (multipart, say) with ``--data-binary $'...'``
(bash ANSI-C quoting) so the command stays on one line and byte-exact. Only
headers the test set explicitly are repeated (curl adds Host, Content-Length).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence


def _printable(body: bytes) -> str | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def ansi_c_quote(body: bytes) -> str:
    """``$'...'`` quoting of arbitrary bytes for bash."""
    named = {0x5C: "\\\\", 0x27: "\\'", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
    parts = []
    for byte in body:
        if byte in named:
            parts.append(named[byte])
        elif 0x20 <= byte < 0x7F:
            parts.append(chr(byte))
        else:
            parts.append(f"\\x{byte:02x}")
    return "$'" + "".join(parts) + "'"


def render_curl(
    method: str,
    url: str,
    *,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    interface: str | None = None,
    default_interface: str | None = "127.0.0.1",
) -> str:
    method = method.upper()
    parts = ["curl", "-sS"]
    if method == "HEAD":
        parts.append("-I")
    else:
        parts.append("-i")
        if method != "GET" and not (method == "POST" and body):
            parts += ["-X", method]
    if interface and interface != default_interface:
        parts += ["--interface", interface]
    for name, value in headers:
        parts += ["-H", f"{name}: {value}"]
    binary: str | None = None
    if body:
        text = _printable(body)
        if text is not None:
            parts += ["--data-raw", text]
        else:
            binary = ansi_c_quote(body)
    parts.append(url)
    line = " ".join(shlex.quote(part) for part in parts)
    if binary is not None:
        head, _, tail = line.rpartition(" ")
        line = f"{head} --data-binary {binary} {tail}"
    return line
