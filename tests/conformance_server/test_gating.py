"""Capability gating: a project command the server lacks (ERR_BADSYNTAX for
the word) and a licence that refuses STARTTASK make cases unsupported, not
failed; --without turns capabilities off. An internal failure (ERR_INTERNAL)
is never taken for "unsupported": the case ends in error."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from nabat.conformance.framework import CaseResult, Outcome
from nabat.simulators.server_fixture import NabatServerHandle, start_nabat_server
from nabat.system.licence import Licence
from nabat.system.server import dispatch
from nabat.system.server.context import Call

from tests.conformance_server.conftest import leftovers, run_cases, suite_config
from tests.conformance_server.mutations import status_to, when
from tests.conformance_server.proxy import MutatingProxy


def _through_proxy(server: NabatServerHandle, word: str, status: str, case: str) -> CaseResult:
    proxy = MutatingProxy(server.host, server.port, server.certfile, server.keyfile,
                          server.cafile,
                          when(word, change=status_to(status, "not%20known")))
    server.run(proxy.start())
    try:
        (result,) = run_cases(suite_config(proxy.target, server.cafile), [case]).results
    finally:
        server.run(proxy.stop())
    return result


def test_missing_project_command_is_unsupported(server: NabatServerHandle) -> None:
    result = _through_proxy(server, "GETCHANNELS", "ERR_BADSYNTAX", "channels")
    assert result.outcome is Outcome.UNSUPPORTED, result.reason
    assert "GETCHANNELS" in result.reason


@pytest.mark.parametrize(("word", "case"), [("GETCHANNELS", "channels"),
                                            ("GETABONENT", "unknown_abonent"),
                                            ("GETTASKINFO", "start_stop_report")])
def test_internal_error_is_never_unsupported(server: NabatServerHandle, word: str,
                                             case: str) -> None:
    result = _through_proxy(server, word, "ERR_INTERNAL", case)
    assert result.outcome is Outcome.ERROR, (result.outcome, result.reason)
    assert result.outcome.is_failure(strict=False)
    assert "ERR_INTERNAL" in result.reason and word in result.reason


async def _crash(call: Call) -> None:
    raise RuntimeError("a bug in the handler")


def test_a_crashing_nabat_handler_fails_the_case(server: NabatServerHandle,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "HANDLERS", {**dispatch.HANDLERS, "GETCHANNELS": _crash})
    (result,) = run_cases(suite_config(server.target, server.cafile), ["channels"]).results
    assert result.outcome is Outcome.ERROR, (result.outcome, result.reason)
    assert "GETCHANNELS answered ERR_INTERNAL" in result.reason


@pytest.fixture(scope="module")
def keyless(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NabatServerHandle]:
    running = start_nabat_server(tmp_path_factory.mktemp("keyless"),
                                 licence=Licence.no_dongle("test"))
    yield running
    running.stop()


def test_licence_refusal_is_unsupported(keyless: NabatServerHandle) -> None:
    ran = run_cases(suite_config(keyless.target, keyless.cafile),
                    ["start_stop_report", "start_refused_by_licence", "login_and_hasp"])
    outcomes = {r.name: (r.outcome, r.reason) for r in ran.results}
    assert outcomes["start_stop_report"][0] is Outcome.UNSUPPORTED
    assert "ERR_NOHASP" in outcomes["start_stop_report"][1]
    assert outcomes["start_refused_by_licence"][0] is Outcome.PASS
    assert outcomes["login_and_hasp"][0] is Outcome.PASS
    assert leftovers(keyless, ran.binding.prefix) == []


def test_without_users(server: NabatServerHandle) -> None:
    config = dataclasses.replace(suite_config(server.target, server.cafile),
                                 without=frozenset({"users"}))
    ran = run_cases(config, ["whoami", "read_only_rights", "group_errors"])
    outcomes = [r.outcome for r in ran.results]
    assert outcomes == [Outcome.UNSUPPORTED, Outcome.UNSUPPORTED, Outcome.PASS]
