"""The ATS API's behaviour (docs/ats-simulator.md), without HTTP: bits, window,
redirection, hashes, call_id rules, the universal method and numberInfo."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.ats.bits import SimErrorBit as S
from nabat.simulators.ats.bits import SimWarningBit
from nabat.simulators.ats.plan import NumberRange, default_plan
from nabat.simulators.ats.service import AtsService
from nabat.system.wire.ats import ErrorBit as E

OP1, OP2, NOBODY = "127.0.0.1", "127.0.0.2", "127.0.0.9"
A1, B1, C1 = "79000000001", "79000000002", "79000000003"
A2, B2 = "79100000001", "79100000002"


def sha(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()


@pytest.fixture
def hub() -> AtsService:
    return AtsService(default_plan(), window=60.0, max_registrations=1000, max_calls=1000)


def test_genuine_cross_operator_call(hub: AtsService) -> None:
    assert hub.register_call({"a": A1, "b": B2}, OP1, 0.0).status == 201
    result = hub.check_call({"a": A1, "b": B2, "call_id": "x"}, OP2, 1.0)
    assert (result.status, result.error_bits) == (200, 0)


def test_spoofed_call_is_not_found(hub: AtsService) -> None:
    assert hub.check_call({"a": A1, "b": B2, "call_id": "x"}, OP2, 0.0).status == 404


def test_window(hub: AtsService) -> None:
    hub.register_call({"a": A1, "b": B1}, OP1, 100.0)
    assert hub.check_call({"a": A1, "b": B1, "id_src": "1"}, OP1, 159.9).status == 200
    assert hub.check_call({"a": A1, "b": B1, "id_src": "1"}, OP1, 160.0).status == 404


def test_registration_not_consumed_and_refreshed(hub: AtsService) -> None:
    hub.register_call({"a": A1, "b": B1}, OP1, 0.0)
    for now in (1.0, 2.0):
        assert hub.check_call({"a": A1, "b": B1, "id_src": "1"}, OP1, now).status == 200
    hub.register_call({"a": A1, "b": B1}, OP1, 50.0)
    assert hub.check_call({"a": A1, "b": B1, "id_src": "1"}, OP1, 100.0).status == 200


@pytest.mark.parametrize("register_with_hash", [False, True])
@pytest.mark.parametrize("check_with_hash", [False, True])
def test_hash_and_plain_forms_interoperate(
    hub: AtsService, register_with_hash: bool, check_with_hash: bool
) -> None:
    reg = {"a": A1, "bh": sha(B2)} if register_with_hash else {"a": A1, "b": B2}
    check = (
        {"a": A1, "bh": sha(B2), "id_src": "1"}
        if check_with_hash
        else {"a": A1, "b": B2, "id_src": "1"}
    )
    assert hub.register_call(reg, OP1, 0.0).status == 201
    assert hub.check_call(check, OP2, 1.0).status == 200


def test_bh_takes_precedence_over_b(hub: AtsService) -> None:
    hub.register_call({"a": A1, "b": "garbage", "bh": sha(B2)}, OP1, 0.0)
    assert hub.check_call({"a": A1, "b": B2, "id_src": "1"}, OP2, 1.0).status == 200


@pytest.mark.parametrize("redirect_param", ["c", "ch"])
def test_redirection(hub: AtsService, redirect_param: str) -> None:
    # A1 calls C1 (operator 1), which forwards to B2 (operator 2).
    hub.register_call({"a": A1, "b": C1}, OP1, 0.0)
    assert hub.check_call({"a": A1, "b": B2, "id_src": "1"}, OP2, 1.0).status == 404
    original = C1 if redirect_param == "c" else sha(C1)
    assert (
        hub.check_call({"a": A1, "b": B2, redirect_param: original, "id_src": "1"}, OP2, 1.0).status
        == 200
    )


@pytest.mark.parametrize(
    ("params", "client", "bits"),
    [
        ({"b": B1}, OP1, E.PARAM_A_NOT_FOUND),
        ({"a": "", "b": B1}, OP1, E.PARAM_A_NOT_FOUND),
        ({"a": A1}, OP1, E.PARAM_B_NOT_FOUND),
        ({}, OP1, E.PARAM_A_NOT_FOUND | E.PARAM_B_NOT_FOUND),
        ({"a": "7900000000x", "b": B1}, OP1, E.PARAM_A_NOT_INT),
        ({"a": "+79000000001", "b": B1}, OP1, E.PARAM_A_NOT_INT),
        ({"a": "1" * 16, "b": B1}, OP1, E.PARAM_A_NOT_INT),
        ({"a": A1, "b": "7900-000"}, OP1, E.PARAM_B_NOT_INT),
        ({"a": A1, "bh": "ABC"}, OP1, E.PARAM_B_HASH_BAD_REGEX),
        ({"a": A1, "bh": sha(B1).upper()}, OP1, E.PARAM_B_HASH_BAD_REGEX),
        ({"a": A1, "b": B1}, NOBODY, E.CLIENT_ID_SRC_EMPTY),
        ({"a": "79500000000", "b": B1}, OP1, E.A_NOT_FOUND_IN_DB),
        ({"a": A2, "b": B1}, OP1, E.NOT_A_OWNER),
        ({"a": "4930000000", "b": B1}, OP1, E.PARAM_A_NOT_RUS | E.A_NOT_FOUND_IN_DB),
        ({"a": A1, "b": B1, "call_id": "x" * 101}, OP1, S.SIM_CALL_ID_TOO_LONG),
        (
            {"a": "x", "bh": "y"},
            NOBODY,
            E.PARAM_A_NOT_INT | E.PARAM_B_HASH_BAD_REGEX | E.CLIENT_ID_SRC_EMPTY,
        ),
    ],
)
def test_register_call_errors(
    hub: AtsService, params: dict[str, str], client: str, bits: int
) -> None:
    result = hub.register_call(params, client, 0.0)
    assert (result.status, result.error_bits) == (400, bits)
    assert len(hub.registrations) == 0


def test_register_call_accepts_call_id_of_100_characters(hub: AtsService) -> None:
    assert hub.register_call({"a": A1, "b": B1, "call_id": "x" * 100}, OP1, 0.0).status == 201


def test_plan_fields_raise_their_bits(hub: AtsService) -> None:
    hub.plan.add(
        [
            NumberRange(79500000000, 79500000009, None, id_uvr_p=None),
            NumberRange(79500000010, 79500000019, "1", id_uvr_p=16001),
        ],
        {},
    )
    result = hub.register_call({"a": "79500000001", "b": B1}, OP1, 0.0)
    assert result.error_bits == E.A_ID_SRC_IS_EMPTY | E.A_UVR_IS_EMPTY_OR_SERVICE
    result = hub.register_call({"a": "79500000011", "b": B1}, OP1, 0.0)
    assert result.error_bits == E.A_UVR_IS_EMPTY_OR_SERVICE


@pytest.mark.parametrize(
    ("params", "client", "bits"),
    [
        ({"b": B1, "id_src": "1"}, OP1, E.PARAM_A_NOT_FOUND),
        ({"a": A1, "id_src": "1"}, OP1, E.PARAM_B_NOT_FOUND),
        ({"a": "x", "b": B1, "id_src": "1"}, OP1, E.PARAM_A_NOT_INT),
        ({"a": A1, "b": "x", "id_src": "1"}, OP1, E.PARAM_B_NOT_INT),
        ({"a": A1, "bh": "x", "id_src": "1"}, OP1, E.PARAM_B_HASH_BAD_REGEX),
        ({"a": A1, "b": B1, "c": "x", "id_src": "1"}, OP1, E.PARAM_C_NOT_INT),
        ({"a": A1, "b": B1, "c": "x", "ch": "y", "id_src": "1"}, OP1, E.PARAM_C_HASH_BAD_REGEX),
        ({"a": A1, "b": B1, "d": "x", "id_src": "1"}, OP1, E.PARAM_D_NOT_INT),
        ({"a": A1, "b": B1, "id_src": "1"}, NOBODY, E.CLIENT_ID_SRC_EMPTY),
        ({"a": A1, "b": B1}, OP1, S.SIM_CALL_ID_REQUIRED),
        ({"a": A1, "b": B2, "id_src": "1"}, OP1, S.SIM_NOT_B_OWNER),
        ({"a": A1, "b": B1, "call_id": "y" * 101}, OP1, S.SIM_CALL_ID_TOO_LONG),
        (
            {"d": "z", "c": "q"},
            OP1,
            E.PARAM_A_NOT_FOUND
            | E.PARAM_B_NOT_FOUND
            | E.PARAM_C_NOT_INT
            | E.PARAM_D_NOT_INT
            | S.SIM_CALL_ID_REQUIRED,
        ),
    ],
)
def test_check_call_errors(hub: AtsService, params: dict[str, str], client: str, bits: int) -> None:
    result = hub.check_call(params, client, 0.0)
    assert (result.status, result.error_bits) == (400, bits)


def test_check_call_accepts_foreign_a(hub: AtsService) -> None:
    assert hub.check_call({"a": "4930123456", "b": B1, "id_src": "9"}, OP1, 0.0).status == 404


def test_call_update_lifecycle(hub: AtsService) -> None:
    hub.register_call({"a": A1, "b": B2}, OP1, 0.0)
    assert hub.check_call({"a": A1, "b": B2, "call_id": "c-1"}, OP2, 1.0).status == 200
    update = {
        "CALL_ID": "c-1",
        "DUR": "42",
        "R\u0421": "16",
        "ID_SRC": "1",
        "ID_DST": "2",
        "TA": "0",
    }
    assert hub.call_update(update, OP2, 100.0).status == 200
    record = hub.calls.live("2", "c-1", 100.0)
    assert record is not None
    assert record.fields == {"DUR": "42", "RC": "16", "ID_SRC": "1", "ID_DST": "2", "TA": "0"}
    # Another operator cannot see it; after 12 hours nobody can.
    assert hub.call_update({"CALL_ID": "c-1"}, OP1, 100.0).status == 404
    assert hub.call_update({"CALL_ID": "c-1"}, OP2, 1.0 + 12 * 3600).status == 404
    assert hub.call_update({"CALL_ID": "nope"}, OP2, 100.0).status == 404


def test_not_found_checks_are_recorded_too(hub: AtsService) -> None:
    assert hub.check_call({"a": A1, "b": B2, "call_id": "spoof"}, OP2, 0.0).status == 404
    assert hub.call_update({"CALL_ID": "spoof", "DUR": "0"}, OP2, 1.0).status == 200


@pytest.mark.parametrize(
    ("params", "client", "bits"),
    [
        ({}, OP1, S.SIM_CALL_ID_REQUIRED),
        ({"CALL_ID": "x", "DUR": "ten"}, OP1, S.SIM_PARAM_NOT_INT),
        ({"CALL_ID": "x", "R\u0421": "-1"}, OP1, S.SIM_PARAM_NOT_INT),
        ({"CALL_ID": "x"}, NOBODY, E.CLIENT_ID_SRC_EMPTY),
        (
            {"CALL_ID": "x" * 101, "TA": "t"},
            NOBODY,
            S.SIM_CALL_ID_TOO_LONG | S.SIM_PARAM_NOT_INT | E.CLIENT_ID_SRC_EMPTY,
        ),
    ],
)
def test_call_update_errors(
    hub: AtsService, params: dict[str, str], client: str, bits: int
) -> None:
    result = hub.call_update(params, client, 0.0)
    assert (result.status, result.error_bits) == (400, bits)


def test_duplicate_call_id_is_a_warning(hub: AtsService) -> None:
    first = hub.check_call({"a": A1, "b": B1, "call_id": "dup"}, OP1, 0.0)
    second = hub.check_call({"a": A1, "b": B1, "call_id": "dup"}, OP1, 1.0)
    other_operator = hub.check_call({"a": A1, "b": B2, "call_id": "dup"}, OP2, 1.0)
    assert first.warning_bits == 0 and other_operator.warning_bits == 0
    assert (second.status, second.warning_bits) == (404, SimWarningBit.SIM_CALL_ID_DUPLICATE)
    assert (
        hub.check_call({"a": A1, "b": B1, "call_id": "dup"}, OP1, 2.0 + 12 * 3600).warning_bits == 0
    )


def test_universal_call_registers_for_the_owner_and_checks_otherwise(hub: AtsService) -> None:
    registered = hub.call({"a": A1, "b": B2, "call_id": "u-1"}, OP1, 0.0)
    assert registered.status == 201
    assert hub.call({"a": A1, "b": B2}, OP2, 1.0).status == 200  # call_id optional in call
    assert hub.call({"a": A2, "b": B1}, OP1, 1.0).status == 404
    assert hub.call({"a": "x", "b": B1}, OP1, 1.0).error_bits == E.PARAM_A_NOT_INT
    assert hub.call({"a": A1, "b": B1}, NOBODY, 1.0).error_bits == E.CLIENT_ID_SRC_EMPTY
    assert hub.call_update({"CALL_ID": "u-1", "DUR": "5"}, OP1, 2.0).status == 200


def test_number_info(hub: AtsService) -> None:
    found = hub.number_info({"n": "79000000005"})
    data = json.loads(found.body)["data"]
    assert found.status == 200 and found.content_type == "application/json"
    assert set(data) == {
        "created",
        "number",
        "id_uvr_p",
        "id_uvr_s",
        "id_src",
        "INN",
        "IP_UVR_P_P",
        "IP_UVR_P_S",
        "IP_UVR_S_P",
        "IP_UVR_S_S",
    }
    assert data["number"] == 79000000005 and data["id_src"] == 1
    missing = hub.number_info({"n": "79990000000"})
    assert (missing.status, json.loads(missing.body)) == (404, {"data": None})
    assert hub.number_info({}).error_bits == E.PARAM_A_NOT_FOUND
    assert hub.number_info({"n": "x"}).error_bits == E.PARAM_A_NOT_INT


def test_help_is_markdown(hub: AtsService) -> None:
    result = hub.help()
    assert result.status == 200 and result.content_type.startswith("text/markdown")
    assert b"/RegisterCall" in result.body and b"/CheckCall" in result.body


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "bh", "c", "ch", "d", "call_id", "id_src", "dbg"]),
        st.text(max_size=70),
        max_size=9,
    ),
    st.sampled_from([OP1, OP2, NOBODY]),
)
def test_hostile_parameters_never_crash_and_status_matches_bits(
    params: dict[str, str], client: str
) -> None:
    hub = AtsService(default_plan(), window=60.0, max_registrations=100, max_calls=100)
    for method in (hub.register_call, hub.check_call, hub.call):
        result = method(params, client, 0.0)
        assert result.status in (200, 201, 404, 400)
        assert (result.status == 400) == (result.error_bits != 0)
