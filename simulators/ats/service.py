"""The ATS API's behaviour, free of I/O: parameters in, ``ApiResult`` out.

Each method validates every parameter without stopping at the first error
(spec, section 4 item 2), OR-ing Appendix 1 bits; with bits set it answers
400, otherwise it consults the numbering plan and the stores. The rules are
those of docs/ats-simulator.md; the HTTP layer (app.py) adds headers, faults,
latency and the journal around it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from nabat.simulators.ats.bits import SimErrorBit, SimWarningBit
from nabat.simulators.ats.plan import NumberingPlan, NumberRange
from nabat.simulators.ats.stores import (
    CallStore,
    RegistrationStore,
    hash_key_of_hex,
    hash_key_of_number,
    new_call_record,
)
from nabat.system.wire.ats import ErrorBit

# Plain ints for the request path: IntFlag arithmetic runs Python-level enum code.
E_A_NOT_FOUND = int(ErrorBit.PARAM_A_NOT_FOUND)
E_B_NOT_FOUND = int(ErrorBit.PARAM_B_NOT_FOUND)
E_A_NOT_INT = int(ErrorBit.PARAM_A_NOT_INT)
E_B_NOT_INT = int(ErrorBit.PARAM_B_NOT_INT)
E_B_HASH = int(ErrorBit.PARAM_B_HASH_BAD_REGEX)
E_C_NOT_INT = int(ErrorBit.PARAM_C_NOT_INT)
E_C_HASH = int(ErrorBit.PARAM_C_HASH_BAD_REGEX)
E_D_NOT_INT = int(ErrorBit.PARAM_D_NOT_INT)
E_CLIENT_UNKNOWN = int(ErrorBit.CLIENT_ID_SRC_EMPTY)
E_A_ID_SRC_EMPTY = int(ErrorBit.A_ID_SRC_IS_EMPTY)
E_A_NOT_IN_DB = int(ErrorBit.A_NOT_FOUND_IN_DB)
E_A_UVR = int(ErrorBit.A_UVR_IS_EMPTY_OR_SERVICE)
E_CALL_ID_TOO_LONG = int(SimErrorBit.SIM_CALL_ID_TOO_LONG)
E_CALL_ID_REQUIRED = int(SimErrorBit.SIM_CALL_ID_REQUIRED)
E_NOT_B_OWNER = int(SimErrorBit.SIM_NOT_B_OWNER)
E_PARAM_NOT_INT = int(SimErrorBit.SIM_PARAM_NOT_INT)
E_NOT_A_OWNER = int(ErrorBit.NOT_A_OWNER)
E_A_NOT_RUS = int(ErrorBit.PARAM_A_NOT_RUS)
W_DUPLICATE = int(SimWarningBit.SIM_CALL_ID_DUPLICATE)

MAX_CALL_ID_LENGTH = 100
_HEX = frozenset("0123456789abcdef")
_UPDATE_NUMERIC_FIELDS = ("ID_SRC", "ID_DST", "DUR", "TA")
_RC_NAMES = ("RC", "R\u0421")  # the spec writes "RС" with a Cyrillic С


@dataclass(slots=True)
class ApiResult:
    status: int
    error_bits: int = 0
    warning_bits: int = 0
    body: bytes = b""
    content_type: str | None = None


def is_number(value: str) -> bool:
    """E.164 digits without '+': 1 to 15 ASCII digits (ruling 1)."""
    return 0 < len(value) <= 15 and value.isascii() and value.isdigit()


def is_russian(value: str) -> bool:
    return len(value) == 11 and value[0] == "7"


def is_hash(value: str) -> bool:
    return len(value) == 64 and _HEX.issuperset(value)


def uvr_is_bad(number_range: NumberRange) -> bool:
    uvr = number_range.id_uvr_p
    return uvr is None or uvr < 1 or uvr > 16000


def _number_or_hash(
    params: Mapping[str, str], plain: str, hashed: str, required: bool
) -> tuple[int | None, str | None, int]:
    """Read ``b``/``bh`` (or ``c``/``ch``): (hash key, plain digits, error bits)."""
    missing: int
    not_int: int
    bad_hash: int
    if plain == "b":
        missing, not_int, bad_hash = (
            E_B_NOT_FOUND,
            E_B_NOT_INT,
            E_B_HASH,
        )
    else:
        missing, not_int, bad_hash = 0, E_C_NOT_INT, E_C_HASH
    digest = params.get(hashed, "")
    if digest:
        if is_hash(digest):
            return hash_key_of_hex(digest), None, 0
        return None, None, bad_hash
    value = params.get(plain, "")
    if not value:
        return None, None, missing if required else 0
    if not is_number(value):
        return None, None, not_int
    return hash_key_of_number(value), value, 0


class AtsService:
    """The shared state of one simulated hub: plan, stores, window, clock reader."""

    def __init__(
        self,
        plan: NumberingPlan,
        window: float,
        max_registrations: int,
        max_calls: int,
    ) -> None:
        self.plan = plan
        self.registrations = RegistrationStore(window, max_registrations)
        self.calls = CallStore(max_calls)
        self.help_text = resources.files("nabat.simulators.ats").joinpath("help.md").read_bytes()

    # --- shared validation --------------------------------------------------
    def _call_id_bits(self, call_id: str) -> int:
        return E_CALL_ID_TOO_LONG if len(call_id) > MAX_CALL_ID_LENGTH else 0

    def _a_plan_bits(self, a_number: int, operator: str | None) -> int:
        number_range = self.plan.find(a_number)
        if number_range is None:
            return E_A_NOT_IN_DB
        bits = 0
        if not number_range.id_src:
            bits |= E_A_ID_SRC_EMPTY
        if uvr_is_bad(number_range):
            bits |= E_A_UVR
        if operator is not None and number_range.id_src and number_range.id_src != operator:
            bits |= E_NOT_A_OWNER
        return bits

    def _record_call(
        self,
        operator: str | None,
        params: Mapping[str, str],
        a: str,
        b_key: int,
        status: int,
        now: float,
    ) -> int:
        call_id = params.get("call_id", "")
        if not call_id or operator is None:
            return 0
        if self.calls.record(operator, call_id, new_call_record(now, a, status)):
            return W_DUPLICATE
        return 0

    # --- methods ------------------------------------------------------------
    def register_call(self, params: Mapping[str, str], client_ip: str, now: float) -> ApiResult:
        operator = self.plan.operator_of_client(client_ip)
        bits = 0 if operator is not None else E_CLIENT_UNKNOWN
        a = params.get("a", "")
        a_number: int | None = None
        if not a:
            bits |= E_A_NOT_FOUND
        elif not is_number(a):
            bits |= E_A_NOT_INT
        else:
            a_number = int(a)
            if not is_russian(a):
                bits |= E_A_NOT_RUS
            bits |= self._a_plan_bits(a_number, operator)
        b_key, _, b_bits = _number_or_hash(params, "b", "bh", required=True)
        bits |= b_bits | self._call_id_bits(params.get("call_id", ""))
        if bits or a_number is None or b_key is None:
            return ApiResult(400, bits)
        self.registrations.register(a_number, b_key, now)
        return ApiResult(201)

    def check_call(
        self, params: Mapping[str, str], client_ip: str, now: float, call_id_optional: bool = False
    ) -> ApiResult:
        operator = self.plan.operator_of_client(client_ip)
        bits = 0 if operator is not None else E_CLIENT_UNKNOWN
        a = params.get("a", "")
        if not a:
            bits |= E_A_NOT_FOUND
        elif not is_number(a):
            bits |= E_A_NOT_INT
        b_key, b_plain, b_bits = _number_or_hash(params, "b", "bh", required=True)
        c_key, _, c_bits = _number_or_hash(params, "c", "ch", required=False)
        bits |= b_bits | c_bits
        d = params.get("d", "")
        if d and not is_number(d):
            bits |= E_D_NOT_INT
        call_id = params.get("call_id", "")
        bits |= self._call_id_bits(call_id)
        if not call_id and not params.get("id_src") and not call_id_optional:
            bits |= E_CALL_ID_REQUIRED
        if b_plain is not None and operator is not None:
            owner = self.plan.find(int(b_plain))
            if owner is None or owner.id_src != operator:
                bits |= E_NOT_B_OWNER
        if bits or b_key is None:
            return ApiResult(400, bits)
        a_number = int(a)
        registrations = self.registrations
        found = registrations.is_registered(a_number, b_key, now) or (
            c_key is not None and registrations.is_registered(a_number, c_key, now)
        )
        status = 200 if found else 404
        warnings = self._record_call(operator, params, a, b_key, status, now)
        return ApiResult(status, 0, warnings)

    def call(self, params: Mapping[str, str], client_ip: str, now: float) -> ApiResult:
        """The universal method: a registration when the client owns ``a``, else a check."""
        operator = self.plan.operator_of_client(client_ip)
        a = params.get("a", "")
        if operator is not None and is_number(a):
            owner = self.plan.find(int(a))
            if owner is not None and owner.id_src == operator:
                result = self.register_call(params, client_ip, now)
                if result.status == 201:
                    b_key, _, _ = _number_or_hash(params, "b", "bh", required=True)
                    result.warning_bits = self._record_call(
                        operator, params, a, b_key or 0, 201, now
                    )
                return result
        return self.check_call(params, client_ip, now, call_id_optional=True)

    def call_update(self, params: Mapping[str, str], client_ip: str, now: float) -> ApiResult:
        operator = self.plan.operator_of_client(client_ip)
        bits = 0 if operator is not None else E_CLIENT_UNKNOWN
        call_id = params.get("CALL_ID", "")
        if not call_id:
            bits |= E_CALL_ID_REQUIRED
        bits |= self._call_id_bits(call_id)
        updates: dict[str, str] = {}
        for name in (*_UPDATE_NUMERIC_FIELDS, *_RC_NAMES):
            value = params.get(name, "")
            if not value:
                continue
            if not (value.isascii() and value.isdigit()):
                bits |= E_PARAM_NOT_INT
            updates["RC" if name in _RC_NAMES else name] = value
        if bits or operator is None:
            return ApiResult(400, bits)
        if not self.calls.update(operator, call_id, updates, now):
            return ApiResult(404)
        return ApiResult(200)

    def number_info(self, params: Mapping[str, str]) -> ApiResult:
        n = params.get("n", "")
        if not n:
            return ApiResult(400, E_A_NOT_FOUND)
        if not is_number(n):
            return ApiResult(400, E_A_NOT_INT)
        number_range = self.plan.find(int(n))
        if number_range is None:
            return ApiResult(404, 0, 0, b'{"data": null}', "application/json")
        data = {
            "created": number_range.created,
            "number": int(n),
            "id_uvr_p": number_range.id_uvr_p,
            "id_uvr_s": number_range.id_uvr_s,
            "id_src": _json_id(number_range.id_src),
            "INN": number_range.inn,
            "IP_UVR_P_P": number_range.ip_uvr_p_p,
            "IP_UVR_P_S": number_range.ip_uvr_p_s,
            "IP_UVR_S_P": number_range.ip_uvr_s_p,
            "IP_UVR_S_S": number_range.ip_uvr_s_s,
        }
        body = json.dumps({"data": data}, ensure_ascii=False).encode("utf-8")
        return ApiResult(200, 0, 0, body, "application/json")

    def help(self) -> ApiResult:
        return ApiResult(200, 0, 0, self.help_text, "text/markdown; charset=utf-8")

    def sweep(self, now: float, budget: int) -> int:
        return self.registrations.sweep(now, budget) + self.calls.sweep(now, budget)


def _json_id(id_src: str | None) -> int | str | None:
    if id_src is None:
        return None
    return int(id_src) if id_src.isdigit() else id_src
