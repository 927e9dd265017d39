"""The server's ``[verification]`` table: parsed, refused with clear messages, a started client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from nabat.system.server.config import ConfigError, load_settings
from nabat.system.server.live import refusal
from nabat.system.server.verification_config import parse_verification
from nabat.system.verification.settings import Direction, Policy

from tests.server.conftest import Start


def test_the_table_gives_the_client_settings() -> None:
    settings = parse_verification({
        "primary_url": "http://127.0.0.1:8085/", "reserve_url": "http://127.0.0.1:8086",
        "source_address": "127.0.0.2", "budget": 1, "outgoing_policy": "fail_closed",
    })  # fmt: skip
    assert settings is not None
    assert (settings.primary_url, settings.reserve_url) == (
        "http://127.0.0.1:8085", "http://127.0.0.1:8086")  # fmt: skip
    assert settings.source_address == "127.0.0.2" and settings.budget == 1.0
    assert settings.policies[Direction.OUTGOING] is Policy.FAIL_CLOSED
    assert settings.policies[Direction.INCOMING] is Policy.FAIL_OPEN
    assert settings.policies[Direction.REMOTE_START] is Policy.FAIL_CLOSED  # the default
    small = parse_verification({"primary_url": "http://127.0.0.1:1", "budget": 0.05})
    assert small is not None and small.primary_attempt_timeout == 0.05


def test_no_primary_url_means_no_verification() -> None:
    assert parse_verification({}) is None
    assert parse_verification({"primary_url": "", "incoming_policy": "fail_open"}) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('primary_url = "ftp://127.0.0.1"', "primary_url must be an http(s) URL"),
        ('primary_url = "http://127.0.0.1:1"\nreserve_url = "x"', "reserve_url must be an"),
        ('reserve_url = "http://127.0.0.1:1"', "reserve_url needs a primary_url"),
        ("primary_url = 5", "primary_url must be a string"),
        ('primary_url = "http://127.0.0.1:1"\nbudget = 0', "budget must be within"),
        ('primary_url = "http://127.0.0.1:1"\nbudget = "fast"', "budget must be a number"),
        ('source_address = "localhost"', "source_address must be an IP address"),
        ('remote_start_policy = "maybe"', "remote_start_policy must be one of fail_open"),
        ("prmary_url = 1", "unknown key 'prmary_url'"),
    ],
)
def test_bad_tables_stop_the_start_naming_the_key(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "server.toml"
    path.write_text(f"[verification]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(raised.value).startswith(f"config file {path}: key 'verification': ")
    assert message in str(raised.value)


def test_it_is_a_start_up_setting() -> None:
    assert (
        refusal("verification") == "verification is set in the config file's [verification] table"
    )


async def test_a_server_with_verification_registers_calls_through_its_client(
    start_server: Start, ats_simulator: Any
) -> None:
    settings = parse_verification({"primary_url": ats_simulator.url, "budget": 2})
    server = await start_server(verification=settings)
    client = server.context.verification
    assert client is not None
    # the server runs on its own loop (thread): its client is used there
    registering = client.register_call("79160000001", "79160000002", call_id="index-1")
    result = await asyncio.wrap_future(server.handle.submit(registering))
    assert result.server == "primary", result
    journal = await asyncio.to_thread(ats_simulator.control.journal, 20)
    assert any("RegisterCall" in str(entry) and "79160000001" in str(entry) for entry in journal)


async def test_a_server_without_verification_warns_once(
    start_server: Start, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="nabat.server"):
        server = await start_server()
    assert server.context.verification is None
    warnings = [r for r in caplog.records if "calls are placed unregistered" in r.getMessage()]
    assert len(warnings) == 1
