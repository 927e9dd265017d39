"""Capability gating: a project command the server lacks (ERR_BADSYNTAX for
the word) and a licence that refuses STARTTASK make cases unsupported, not
failed; --without turns capabilities off."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from nabat.conformance.framework import Outcome
from nabat.system.licence import Licence

from tests.conformance_server.conftest import run_cases, suite_config
from tests.conformance_server.mutations import status_to, when
from tests.conformance_server.proxy import MutatingProxy
from tests.conformance_server.server_thread import ServerThread


def test_missing_project_command_is_unsupported(server: ServerThread) -> None:
    proxy = MutatingProxy(server.host, server.port, server.certfile, server.keyfile,
                          server.cafile,
                          when("GETCHANNELS", change=status_to("ERR_BADSYNTAX", "not%20known")))
    server.run(proxy.start())
    try:
        (result,) = run_cases(suite_config(proxy.target, server.cafile), ["channels"]).results
    finally:
        server.run(proxy.stop())
    assert result.outcome is Outcome.UNSUPPORTED, result.reason
    assert "GETCHANNELS" in result.reason


@pytest.fixture(scope="module")
def keyless(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    running = ServerThread(tmp_path_factory.mktemp("keyless"), Licence.no_dongle("test"))
    yield running
    running.stop()


def test_licence_refusal_is_unsupported(keyless: ServerThread) -> None:
    ran = run_cases(suite_config(keyless.target, keyless.cafile),
                    ["start_stop_report", "start_refused_by_licence", "login_and_hasp"])
    outcomes = {r.name: (r.outcome, r.reason) for r in ran.results}
    assert outcomes["start_stop_report"][0] is Outcome.UNSUPPORTED
    assert "ERR_NOHASP" in outcomes["start_stop_report"][1]
    assert outcomes["start_refused_by_licence"][0] is Outcome.PASS
    assert outcomes["login_and_hasp"][0] is Outcome.PASS
    assert keyless.leftovers(ran.binding.prefix) == []


def test_without_users(server: ServerThread) -> None:
    config = dataclasses.replace(suite_config(server.target, server.cafile),
                                 without=frozenset({"users"}))
    ran = run_cases(config, ["whoami", "read_only_rights", "group_errors"])
    outcomes = [r.outcome for r in ran.results]
    assert outcomes == [Outcome.UNSUPPORTED, Outcome.UNSUPPORTED, Outcome.PASS]
