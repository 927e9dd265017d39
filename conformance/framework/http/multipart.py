"""Deterministic multipart/form-data encoding (fixed boundary), so the body in
the evidence is exactly what was sent and the curl line repeats it."""

from __future__ import annotations

from collections.abc import Sequence

BOUNDARY = "nabat-conformance-7f3a"


def encode_multipart(
    fields: Sequence[tuple[str, str]], boundary: str = BOUNDARY
) -> tuple[bytes, str]:
    """Return (body, Content-Type header value) for text fields."""
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
