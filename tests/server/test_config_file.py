"""The one declaration of the configuration keys: TOML file, validation,
defaults, command-line precedence, and the key table of docs/server.md."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from nabat.system.protocol import ChannelType
from nabat.system.server import DEFAULT_HOST, DEFAULT_PORT, LoginPolicy, ServerSettings
from nabat.system.server.config import ConfigError, load_config, load_settings
from nabat.system.server.settings import KEYS, keys_table, with_values

ROOT = Path(__file__).resolve().parents[2]

EVERY_KEY = """\
host = "127.0.0.2"
port = 7100
data_dir = "data"
licence = "nabat.lic"
idle_timeout = 30
max_line_length = 4096
max_upload_size = 1048576
password_cost = 12
welcome = "Привет"
simulated_gsm_modems = 2
login_delay = 0.25
login_max_delay = 2
login_max_failures = 7
login_lockout = 60.5
login_address_max_failures = 9
login_queue = 8
login_queue_timeout = 1.5
tts_command = ""
tts_timeout = 5
max_sessions = 10
tls_handshake_timeout = 3
max_tls_handshakes = 20
max_unauthenticated = 5
max_unauthenticated_per_address = 2
login_timeout = 9
send_buffer = 65536
write_timeout = 12
report_format = "xls"
clock_speed = 2.5

[[channels]]
type = "gsm"
name = "Модем 1"

[verification]
primary_url = "http://127.0.0.1:8085"
"""


def test_every_key_of_the_file_reaches_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "nabat.toml"
    path.write_text(EVERY_KEY, encoding="utf-8")
    settings = load_settings(path)
    assert settings.host == "127.0.0.2" and settings.port == 7100
    assert settings.data_dir == "data" and settings.licence == "nabat.lic"
    assert settings.idle_timeout == 30.0 and isinstance(settings.idle_timeout, float)
    assert settings.max_line_length == 4096 and settings.welcome == "Привет"
    assert settings.simulated_gsm_modems == 2
    assert settings.login == LoginPolicy(delay=0.25, max_delay=2.0, max_failures=7, lockout=60.5,
                                         address_max_failures=9, queue=8, queue_timeout=1.5)
    assert settings.max_upload_size == 1048576 and settings.password_cost == 12
    assert settings.tts_command == "" and settings.tts_timeout == 5.0
    assert settings.max_sessions == 10 and settings.tls_handshake_timeout == 3.0
    assert (settings.max_tls_handshakes, settings.max_unauthenticated,
            settings.max_unauthenticated_per_address, settings.send_buffer) == (20, 5, 2, 65536)
    assert settings.login_timeout == 9.0 and settings.write_timeout == 12.0
    assert settings.report_format == "XLS" and settings.clock_speed == 2.5
    assert settings.channels is not None and settings.channels[0].ctype is ChannelType.GSM
    assert settings.verification is not None
    assert settings.verification.primary_url == "http://127.0.0.1:8085"
    assert set(load_config(path)) == set(KEYS)  # the sample covers every key


def test_defaults_run_on_loopback_with_no_file() -> None:
    settings = load_settings()
    assert settings == ServerSettings()
    assert (settings.host, settings.port) == (DEFAULT_HOST, DEFAULT_PORT) == ("127.0.0.1", 7021)
    for name, key in KEYS.items():
        assert key.get(settings) == key.default, name
    assert (settings.idle_timeout, settings.max_line_length, settings.max_sessions) == (
        300.0, 8192, 1000,
    )  # fmt: skip


def test_command_line_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nabat.toml"
    path.write_text("port = 7100\nidle_timeout = 30\n", encoding="utf-8")
    settings = load_settings(path, {"port": 7200, "idle_timeout": None, "host": "127.0.0.3"})
    assert (settings.host, settings.port, settings.idle_timeout) == ("127.0.0.3", 7200, 30.0)
    with pytest.raises(ConfigError, match="command line: key 'port' must be <= 65535"):
        load_settings(path, {"port": 70000})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 1", "unknown key 'prot'"),
        ('port = "7100"', "key 'port' must be int, got str"),
        ("port = 70000", "key 'port' must be <= 65535"),
        ("idle_timeout = 0", "key 'idle_timeout' must be >= 0.001"),
        ("idle_timeout = inf", "key 'idle_timeout' must be a finite number"),
        ("login_max_failures = 1.5", "key 'login_max_failures' must be int, got float"),
        ("max_sessions = true", "key 'max_sessions' must be int, got bool"),
        ("welcome = 5", "key 'welcome' must be str, got int"),
        ("channels = 1", "key 'channels' must be list"),
        ('[[channels]]\ntype = "fax"\nname = "x"', "key 'channels': channel 1: type must be"),
        ("port = ", "not valid TOML"),
    ],
)
def test_file_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value).startswith(f"config file {path}: ")
    assert message in str(raised.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file .*gone\.toml"):
        load_settings(tmp_path / "gone.toml")


def test_settings_are_validated_and_immutable() -> None:
    with pytest.raises(ValueError, match="key 'max_sessions' must be >= 1"):
        ServerSettings(max_sessions=0)
    with pytest.raises(ValueError, match="key 'login_lockout' must be >= 0"):
        LoginPolicy(lockout=-1)
    settings = ServerSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(settings, "port", 1)  # noqa: B010 - mypy would refuse the plain assignment
    changed = with_values(settings, {"login_delay": 2.0, "welcome": "hi"})
    assert changed.login.delay == 2.0 and changed.welcome == "hi"
    assert settings.login.delay == 0.5 and settings.welcome != "hi"  # a new object


def test_docs_show_the_declared_keys() -> None:
    docs = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    begin, end = "<!-- config-keys:begin -->\n", "\n<!-- config-keys:end -->"
    assert begin in docs and end in docs
    shown = docs[docs.index(begin) + len(begin) : docs.index(end)]
    assert shown == keys_table(), (
        "docs/server.md is out of date; paste the output of: python -c "
        '"from nabat.system.server.settings import keys_table; print(keys_table())"'
    )
