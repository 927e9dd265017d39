"""Every server case can fail: run it through a mutating proxy (or with a
wrong CA) as the proof table says and require the named clause to fail; the
whole suite passes against our server; and the table covers every case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.server.cases import SUITE
from nabat.simulators.server_fixture import NabatServerHandle
from nabat.system.tls import ensure_server_certificate

from tests.conformance_server.conftest import leftovers, run_cases, suite_config
from tests.conformance_server.proofs import PROOFS, WRONG_CA, Proof
from tests.conformance_server.proxy import MutatingProxy

# Checked clauses no proof targets yet (each still checked against our server); keep short.
# (Statements no case checks carry an Unchecked reason instead; they need no proof.)
UNPROVEN: frozenset[str] = frozenset()


def test_every_case_has_a_proof() -> None:
    registered = {case.name for case in SUITE}
    assert set(PROOFS) - registered == set(), "proofs for cases that do not exist"
    assert registered - set(PROOFS) == set(), "cases without a proof that they can fail"


def test_clauses_without_a_proof() -> None:
    proven = {proof.clause for proofs in PROOFS.values() for proof in proofs}
    checked = {clause.id for case in SUITE for clause in case.clauses}
    missing = checked - proven
    assert missing == UNPROVEN, f"clauses without a failure proof: {sorted(missing)}"


def test_whole_suite_passes_against_our_server(server: NabatServerHandle) -> None:
    ran = run_cases(suite_config(server.target, server.cafile, strict=True))
    bad = {r.name: (r.outcome.value, r.reason) for r in ran.results
           if r.outcome is not Outcome.PASS}
    assert bad == {}
    assert ran.run.passed
    assert ran.run.coverage().never_exercised == []
    assert all(count == 0 for count in ran.binding.swept.values()), ran.binding.swept
    assert leftovers(server, ran.binding.prefix) == []


@pytest.fixture(scope="module")
def wrong_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_server_certificate(tmp_path_factory.mktemp("other-ca")).cert


@pytest.fixture
def proxied(server: NabatServerHandle) -> Iterator[list[MutatingProxy]]:
    proxies: list[MutatingProxy] = []
    yield proxies
    for proxy in proxies:
        server.run(proxy.stop())


CASES = [(name, index) for name in sorted(PROOFS) for index in range(len(PROOFS[name]))]


@pytest.mark.parametrize(("name", "index"), CASES,
                         ids=[f"{n}-{PROOFS[n][i].clause}" for n, i in CASES])
def test_case_fails_against_non_conforming_server(
    name: str, index: int, server: NabatServerHandle, wrong_ca: Path,
    proxied: list[MutatingProxy],
) -> None:
    proof: Proof = PROOFS[name][index]
    target = server.target
    if proof.mutate is not None:
        proxy = MutatingProxy(server.host, server.port, server.certfile, server.keyfile,
                              server.cafile, proof.mutate)
        server.run(proxy.start())
        proxied.append(proxy)
        target = proxy.target
    cafile = wrong_ca if proof.ca == WRONG_CA else server.cafile
    ran = run_cases(suite_config(target, cafile, strict=proof.strict), [name])
    (result,) = ran.results
    assert result.outcome is not Outcome.ERROR, result.details or result.reason
    assert result.outcome.is_failure(proof.strict), (
        f"{name} did not catch: {proof.description} ({result.outcome.value}: {result.reason})"
    )
    failed = {record.clause.id for record in result.checks if not record.passed}
    assert proof.clause in failed, f"{name}: expected {proof.clause} to fail, failed: {failed}"
    collateral = failed - {proof.clause} - proof.also
    assert not collateral, f"{name}: the mutation also broke {collateral}"
    assert leftovers(server, ran.binding.prefix) == []
