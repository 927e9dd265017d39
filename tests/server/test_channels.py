"""GETCHANNELS, GETCHANINFO, SETCHANINFO over TLS; the configured channel set."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.system.licence import Licence
from nabat.system.protocol import ChannelType, Reply
from nabat.system.server.channelconfig import ChannelSpec, check_settings, default_channels
from nabat.system.server.config import ConfigError, load_config

from tests.server.conftest import Running, Start


def code(reply: Reply) -> str | None:
    return None if reply.error is None else str(reply.error.code)


async def test_default_channels_from_the_licence(running: Running) -> None:
    viewer = await running.client("viewer")
    reply = await viewer.request("GETCHANNELS")
    assert reply.ok, reply
    assert reply.rows == (  # no working modem (simulated_gsm_modems 0): GSM is FAULT
        ("1", "1", "GSM 1", "1", "2"),
        ("2", "1", "GSM 2", "1", "2"),
        ("3", "1", "GSM 3", "1", "2"),
        ("4", "1", "GSM 4", "1", "2"),
        ("5", "6", "E-mail", "1", "0"),
    )
    await viewer.close()


async def test_gsm_channels_are_idle_only_while_the_engine_has_working_modems(
    start_server: Start,
) -> None:
    server = await start_server(simulated_gsm_modems=2)
    admin = await server.client("admin")
    states = [row[4] for row in (await admin.request("GETCHANNELS")).rows]
    assert states == ["0", "0", "2", "2", "0"]
    assert (await admin.request("SETCHANINFO", "1", "GSM 1", "0", "")).head[4] == "3"
    states = [row[4] for row in (await admin.request("GETCHANNELS")).rows]
    assert states == ["3", "0", "0", "2", "0"]  # the working modems are the enabled ones
    assert (await admin.request("GETCHANINFO", "3")).head[4] == "0"
    await admin.close()


async def test_no_licence_key_no_default_channels(start_server: Start) -> None:
    server = await start_server(Licence.no_dongle("test"))
    viewer = await server.client("viewer")
    assert (await viewer.request("GETCHANNELS")).rows == ()
    await viewer.close()


async def test_configured_channels(start_server: Start) -> None:
    channels = (
        ChannelSpec(ctype=ChannelType.BOARD, name="Линия 1", settings="line=1"),
        ChannelSpec(ctype=ChannelType.MFMS, name="MFMS", enabled=False, settings="login=x"),
    )
    server = await start_server(channels=channels)
    admin = await server.client("admin")
    assert (await admin.request("GETCHANNELS")).rows == (
        ("1", "0", "Линия 1", "1", "0"),
        ("2", "4", "MFMS", "0", "3"),
    )
    assert (await admin.request("GETCHANINFO", "2")).head == ("2", "4", "MFMS", "0", "3", "login=x")
    await admin.close()


async def test_rights(running: Running) -> None:
    for login in ("viewer", "oper"):
        client = await running.client(login)
        assert (await client.request("GETCHANNELS")).ok
        assert code(await client.request("GETCHANINFO", "1")) == "ERR_NOACCESS"
        assert code(await client.request("SETCHANINFO", "1", "x", "1", "")) == "ERR_NOACCESS"
        await client.close()


async def test_getchaninfo_and_setchaninfo(running: Running) -> None:
    admin = await running.client("admin")
    assert (await admin.request("GETCHANINFO", "1")).head == ("1", "1", "GSM 1", "1", "2", "")
    assert code(await admin.request("GETCHANINFO", "99")) == "ERR_GETCHANINFO"
    reply = await admin.request("SETCHANINFO", "1", "Модем 1", "0", "port=/dev/tty USB0;pin=1234")
    assert reply.ok, reply
    assert reply.head == ("1", "1", "Модем 1", "0", "3", "port=/dev/tty USB0;pin=1234")
    assert (await admin.request("GETCHANNELS")).rows[0] == ("1", "1", "Модем 1", "0", "3")
    assert (await admin.request("GETCHANINFO", "1")).head == reply.head
    reply = await admin.request("SETCHANINFO", "1", "Модем 1", "1", "")
    assert reply.head == ("1", "1", "Модем 1", "1", "2", "")
    assert code(await admin.request("SETCHANINFO", "99", "x", "1", "")) == "ERR_GETCHANINFO"
    await admin.close()


@pytest.mark.parametrize("settings", ["novalue", "a=1;a=2", "a=1;", ";a=1", "bad key=1", "=1"])
async def test_bad_settings_are_refused(running: Running, settings: str) -> None:
    admin = await running.client("admin")
    reply = await admin.request("SETCHANINFO", "2", "x", "1", settings)
    assert code(reply) == "ERR_SETCHANINFO"
    assert reply.error is not None and "settings" in reply.error.text
    assert (await admin.request("GETCHANINFO", "2")).head[2] == "GSM 2"  # unchanged
    await admin.close()


async def test_bad_fields(running: Running) -> None:
    admin = await running.client("admin")
    assert code(await admin.request("SETCHANINFO", "2", " ", "1", "")) == "ERR_SETCHANINFO"
    assert code(await admin.request("SETCHANINFO", "2", "x", "2", "")) == "ERR_BADSYNTAX"
    assert code(await admin.request("SETCHANINFO", "0", "x", "1", "")) == "ERR_BADSYNTAX"
    assert code(await admin.request("SETCHANINFO", "2", "x", "1")) == "ERR_BADARGUMENT_COUNT"
    assert code(await admin.request("GETCHANINFO", "-1")) == "ERR_BADSYNTAX"
    await admin.close()


def test_settings_grammar() -> None:
    assert check_settings("") == ""
    assert check_settings("a=1;b.c-d_e=x=y;e=") == "a=1;b.c-d_e=x=y;e="
    with pytest.raises(ValueError, match="given twice"):
        check_settings("a=1;a=2")


def test_default_set() -> None:
    licence = Licence(source="t", gsm_modems=2, email=False)
    assert [c.name for c in default_channels(licence)] == ["GSM 1", "GSM 2"]


def test_channels_in_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "nabat.toml"
    config.write_text(
        '[[channels]]\ntype = "gsm"\nname = "Модем"\nsettings = "port=/dev/ttyUSB0"\n'
        '[[channels]]\ntype = "SMTP"\nname = "Почта"\nenabled = false\n',
        encoding="utf-8",
    )
    channels = load_config(config)["channels"]
    assert channels == (
        ChannelSpec(ctype=ChannelType.GSM, name="Модем", settings="port=/dev/ttyUSB0"),
        ChannelSpec(ctype=ChannelType.SMTP, name="Почта", enabled=False),
    )
    for bad, message in (
        ('[[channels]]\ntype = "FAX"\nname = "x"\n', "type must be one of"),
        ('[[channels]]\ntype = "GSM"\n', "name must be"),
        ('[[channels]]\ntype = "GSM"\nname = "x"\nspeed = 1\n', "unknown field 'speed'"),
        ('[[channels]]\ntype = "GSM"\nname = "x"\nsettings = "a"\n', "not key=value"),
        ("channels = 3\n", "must be list"),
    ):
        config.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config(config)
