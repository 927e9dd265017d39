"""The channels and runtime-settings repositories (migration 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.system.protocol import ChannelType
from nabat.system.store import NotFound, Store
from nabat.system.store.channels import StoredChannel


def test_sync_keeps_changes_and_fixes_the_type(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.channels.sync([StoredChannel(1, ChannelType.GSM, "GSM 1", True, "")])
        store.channels.update(1, "Модем", False, "pin=1")
    with Store.open(tmp_path) as store:
        store.channels.sync([
            StoredChannel(1, ChannelType.E1, "GSM 1", True, ""),
            StoredChannel(2, ChannelType.SMTP, "E-mail", True, "host=x"),
        ])  # fmt: skip
        assert store.channels.all() == [
            StoredChannel(1, ChannelType.E1, "Модем", False, "pin=1"),
            StoredChannel(2, ChannelType.SMTP, "E-mail", True, "host=x"),
        ]
        with pytest.raises(NotFound) as info:
            store.channels.update(3, "x", True, "")
        assert (info.value.entity, info.value.key) == ("channel", 3)
        with pytest.raises(NotFound):
            store.channels.get(3)


def test_runtime_settings(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.runtime_settings.set("welcome", "Привет")
        store.runtime_settings.set("welcome", "Здравствуйте")
        store.runtime_settings.set("idle_timeout", "30")
    with Store.open(tmp_path) as store:
        assert store.runtime_settings.all() == {"idle_timeout": "30", "welcome": "Здравствуйте"}
        store.runtime_settings.reset("idle_timeout")
        assert store.runtime_settings.all() == {"welcome": "Здравствуйте"}
