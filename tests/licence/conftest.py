"""Licence-file helpers: write a valid licence, with fields changed or removed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

VALID = {
    "format": "1",
    "holder": '"ООО Пример"',
    "expires": "2030-12-31",
    "boards": "2",
    "gsm_modems": "1",
    "dynamic_tts": "true",
    "email": "true",
    "e1": "false",
}

WriteLicence = Callable[..., Path]


@pytest.fixture
def write_licence(tmp_path: Path) -> WriteLicence:
    """``write_licence(boards="3", e1=None)``: VALID with overrides; None drops a field."""

    def write(**changes: str | None) -> Path:
        fields = {**VALID, **changes}
        text = "# test licence\n" + "".join(
            f"{k} = {v}\n" for k, v in fields.items() if v is not None
        )
        path = tmp_path / "licence.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
