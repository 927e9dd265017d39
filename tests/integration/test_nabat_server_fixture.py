"""The plugin's ``nabat_server`` fixtures: the handle, the marker's settings,
the factory, injected synthesiser and users, and a clean stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.simulators.pytest_plugin import NabatServerFactory
from nabat.simulators.server_fixture import NabatServerHandle
from nabat.system.client import ClientError, ConnectFailed, ServerError
from nabat.system.protocol import Rights, User

from tests.conformance_server.synthesiser import ToneSynthesiser


@pytest.mark.nabat_server(max_sessions=3, welcome="fixture test")
async def test_handle_settings_from_the_marker_and_a_ready_client(
    nabat_server: NabatServerHandle, tmp_path: Path
) -> None:
    assert nabat_server.host == "127.0.0.1" and nabat_server.port > 0
    assert nabat_server.data_dir.is_relative_to(tmp_path) and nabat_server.cafile.is_file()
    assert nabat_server.context.settings.max_sessions == 3
    client = await nabat_server.connect()
    try:
        me = await client.user()
        assert me.login == nabat_server.admin_login and me.rights is Rights.ADMINISTRATOR
    finally:
        await client.close()
    anonymous = await nabat_server.connect(login=None)
    try:
        with pytest.raises(ServerError):
            await anonymous.user()
    finally:
        await anonymous.close()
    with pytest.raises(ServerError):
        await nabat_server.connect(password="wrong")


async def test_factory_injects_users_and_a_synthesiser(
    nabat_server_factory: NabatServerFactory,
) -> None:
    viewer = User(login="viewer", password="viewer-secret", rights=Rights.READ_ONLY)
    first = nabat_server_factory(users=[viewer], synthesiser=ToneSynthesiser())
    second = nabat_server_factory(synthesiser=None)
    assert first.port != second.port and first.data_dir != second.data_dir
    client = await first.connect("viewer")
    try:
        assert (await client.user()).rights is Rights.READ_ONLY
    finally:
        await client.close()
    client = await first.connect()
    try:
        audio = await client.tts("ru", "проверка")
        assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    finally:
        await client.close()
    admin = await second.connect()
    try:
        with pytest.raises(ServerError):
            await admin.get_tts()  # no synthesiser at all
    finally:
        await admin.close()
    second.stop()
    second.stop()  # idempotent
    with pytest.raises(ConnectFailed):
        await second.connect()
    assert issubclass(ConnectFailed, ClientError)


def test_the_fixture_marks_the_settings_synthesiser_as_the_product_does() -> None:
    from nabat.simulators import server_fixture
    from nabat.system.server import server

    assert server_fixture.FROM_SETTINGS == server.FROM_SETTINGS
