"""``SystemConfig``: defaults, TOML over them, errors naming the key path, the printed
configuration loadable again, and docs/system.md's key table in sync with the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.simulators.system.config import (
    ConfigError,
    SystemConfig,
    config_reference,
    load_config,
    to_toml,
    with_free_ports,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "system.md"


def test_defaults_are_the_documented_ports() -> None:
    config = load_config(None)
    assert dict(config.ports()) == {
        "server.port": 7021, "ats.primary": 8085, "ats.reserve": 8086,
        "gsm.control_port": 8095, "mfms.port": 9876, "mfms.tls_port": 9875,
        "ftp.port": 2121, "ftp.control": 2180, "oktell.port": 4055,
        "smtp.port": 2525, "smtp.control": 2580, "console.port": 8800,
    }  # fmt: skip
    assert (config.speed, config.gsm.modems, config.gsm.profile) == (10.0, 4, "simcom")
    assert config.server.admin_password == "nabat-admin" and config.server.licence is None


def test_a_file_overrides_any_part_and_relative_paths_follow_it(tmp_path: Path) -> None:
    file = tmp_path / "conf" / "nabat.toml"
    file.parent.mkdir()
    file.write_text(
        'speed = 25\n[world]\nfile = "world.toml"\nseed = 7\n'
        '[gsm]\nmodems = 2\n[oktell]\nlines = ["101"]\n[server]\nlicence = "lic.txt"\n',
        encoding="utf-8",
    )
    config = load_config(file)
    assert config.speed == 25.0 and config.gsm.modems == 2 and config.oktell.lines == ("101",)
    assert config.world.file == file.parent / "world.toml" and config.world.seed == 7
    assert config.server.licence == file.parent / "lic.txt"
    assert config.ats.primary == 8085  # untouched sections keep their defaults


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[gsm]\nmodems = "x"\n', "gsm.modems: must be an integer 1-64, got 'x'"),
        ("[gsm]\nmodems = 65\n", "gsm.modems: must be an integer 1-64, got 65"),
        ("[gsm]\nmodemz = 2\n", "gsm.modemz: unknown key"),
        ('[gsm]\nprofile = "nokia"\n', "gsm.profile: must be one of generic, simcom"),
        ("[smpt]\nport = 1\n", "smpt: unknown key"),
        ("speed = 0\n", "speed: must be a number 0.001-100000, got 0"),
        ("gsm = 3\n", "gsm: must be a table"),
        ("[ats]\nprimary = true\n", "ats.primary: must be an integer 0-65535, got True"),
        ("[ftp]\nport = 8085\n", "ftp.port: port 8085 is also ats.primary"),
        ('[oktell]\nlines = ["1", "1"]\n', "oktell.lines: must be a list"),
        ('[server]\nadmin_password = ""\n', "server.admin_password: must be printable text"),
        ("[world]\nseed = -1\n", "world.seed: must be an integer 0-"),
        ("speed = [\n", "not valid TOML"),
    ],
)
def test_mistakes_name_their_key(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "nabat.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(file)
    assert message in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.toml")


def test_construction_checks_too() -> None:
    with pytest.raises(ConfigError, match="speed"):
        SystemConfig(speed=float("nan"))
    with pytest.raises(ConfigError, match=r"gsm\.modems"):
        SystemConfig().replace_section("gsm", modems=0)


def test_printed_configuration_loads_back_the_same(tmp_path: Path) -> None:
    config = load_config(None).replace_section("world", file=tmp_path / "w.toml", seed=3)
    for each in (config, with_free_ports(config), SystemConfig(speed=2.5)):
        file = tmp_path / "printed.toml"
        file.write_text(to_toml(each), encoding="utf-8")
        assert load_config(file) == each


def test_free_ports_means_every_port_zero() -> None:
    assert all(port == 0 for _, port in with_free_ports(SystemConfig()).ports())


def test_docs_list_every_key_with_its_default() -> None:
    assert config_reference() in DOCS.read_text(encoding="utf-8")
