"""The plugin names every fixture's handle type, loaded only when asked for, and the
package ships ``py.typed`` so a user's type checker sees them."""

from __future__ import annotations

from importlib import resources

import nabat.simulators.pytest_plugin as plugin
import pytest


def test_every_exported_name_resolves() -> None:
    for name in plugin.__all__:
        assert getattr(plugin, name).__name__ == name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        plugin.Nothing  # noqa: B018


def test_the_package_is_typed() -> None:
    assert resources.files("nabat.simulators").joinpath("py.typed").is_file()
