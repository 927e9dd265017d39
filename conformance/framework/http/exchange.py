"""The evidence record of one HTTP request and its answer (or transport error).

Implements the core's ``Exchange`` protocol: ``title()`` for lists,
``render_text()`` in a curl-then-wire layout for JUnit and HTML, ``to_dict()``
for JSON, ``reproduce()`` for the one-line curl. Bodies are shown as UTF-8
text (invalid bytes replaced) and cut at :data:`BODY_LIMIT` characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nabat.conformance.framework.http.curl import render_curl

BODY_LIMIT = 4000

Headers = tuple[tuple[str, str], ...]


def _text(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    if len(text) > BODY_LIMIT:
        return text[:BODY_LIMIT] + f"... [{len(text) - BODY_LIMIT} more characters]"
    return text


@dataclass(frozen=True)
class HttpExchange:
    label: str
    method: str
    url: str
    path: str
    source_address: str | None
    request_headers: Headers
    request_body: bytes
    explicit_headers: Headers
    status: int | None
    response_headers: Headers
    response_body: bytes
    elapsed_ms: float
    error: str | None = None
    default_source: str | None = "127.0.0.1"
    kind: str = "http"

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.response_headers:
            if key.lower() == wanted:
                return value
        return None

    def title(self) -> str:
        answer = str(self.status) if self.error is None else f"error: {self.error}"
        who = f" [{self.label}]" if self.label else ""
        return f"{self.method} {self.path} -> {answer} ({self.elapsed_ms:.1f} ms){who}"

    def reproduce(self) -> str:
        return render_curl(
            self.method,
            self.url,
            headers=self.explicit_headers,
            body=self.request_body,
            interface=self.source_address,
            default_interface=self.default_source,
        )

    def render_text(self) -> str:
        lines = [f"$ {self.reproduce()}", f"> {self.method} {self.url}"]
        if self.source_address:
            lines.append(f"> (from {self.source_address})")
        lines += [f"> {k}: {v}" for k, v in self.request_headers]
        if self.request_body:
            lines += [">", "> " + _text(self.request_body)]
        if self.error is not None:
            lines.append(f"< transport error: {self.error}")
        else:
            lines.append(f"< {self.status}")
            lines += [f"< {k}: {v}" for k, v in self.response_headers]
            if self.response_body:
                lines += ["<"] + ["< " + line for line in _text(self.response_body).splitlines()]
        lines.append(f"({self.elapsed_ms:.1f} ms)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "source_address": self.source_address,
            "request": {
                "headers": [list(pair) for pair in self.request_headers],
                "body": _text(self.request_body),
            },
            "response": None if self.error is not None else {
                "status": self.status,
                "headers": [list(pair) for pair in self.response_headers],
                "body": _text(self.response_body),
            },
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "curl": self.reproduce(),
        }
