"""pytest entry for the suites in a checkout (``pytest conformance/ats
--target URL``): loads ``nabat.conformance.plugin``, which registers the
options and the session hooks. ``import_plugin`` does nothing when the plugin
is already loaded (``-p nabat.conformance.plugin``, as ``nabat conformance``
and ``pytest --pyargs`` pass it), so the options are never added twice."""

from __future__ import annotations

import pytest
from nabat.conformance.plugin import NAME


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.import_plugin(NAME)
