"""The proof table: for every ATS case, a way to make the target non-conforming
that the case must catch, and the clause it must report as failed.

Each entry is a factory (mutations may count answers, so every test gets a
fresh one). ``strict`` marks mutations that only break a SHOULD: the case is
then expected to fail under --strict. test_proofs.py asserts the table names
exactly the registered cases, so a new case without a proof fails the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conformance.mutating import (
    Match,
    Mutator,
    clear_bits,
    header_dropped,
    header_text_replaced,
    header_to,
    json_body,
    lowest_bit_only,
    status_to,
    when,
)

CALL_PATHS = ("/call", "/%D1%81all", "/\u0441all")
A_IP = "127.0.0.1"
UNKNOWN_IP = "127.0.0.9"
A_LAST = "79099999999"  # the last number of operator A's range in the default plan
TEN_TIMES_WINDOW = 600.0


@dataclass(frozen=True)
class Proof:
    description: str
    clause: str
    mutate: Mutator
    strict: bool = False
    reserve_port: bool = False
    sim_window: float | None = None  # run against a simulator variant with this window


def _ten_times_window(description: str, clause: str) -> Proof:
    """A hub that keeps registrations for 10x the ruled 60 s (and says so if asked);
    the mutator is a no-op: the deviation is the simulator's own window."""
    return Proof(description, clause, lambda _source, _request, _response: None,
                 sim_window=TEN_TIMES_WINDOW)


ProofFactory = Callable[[dict[str, Any]], Proof]


def _drop_inn(body: Any) -> Any:
    body["data"].pop("INN", None)
    return body


def _set_bits(value: int) -> Callable[[Any], Any]:
    return header_to("X-Error-Bits", f"0x{value:08x}")


PROOFS: dict[str, ProofFactory] = {
    # --- service
    "help_post_returns_markdown": lambda _: Proof(
        "help sent as an attachment", "ATS-HELP-NO-CONTENT-DISPOSITION",
        when(Match(path="/help"), header_to("Content-Disposition", "attachment; filename=a.md"))),
    "help_get_allowed": lambda _: Proof(
        "GET /help refused", "ATS-HELP-GET",
        when(Match(path="/help", method="GET"), status_to(405))),
    "ping_post": lambda _: Proof(
        "ping reports a failure", "ATS-PING-200",
        when(Match(path="/ping", method="POST"), status_to(400))),
    "ping_get": lambda _: Proof(
        "GET /ping refused", "ATS-PING-GET",
        when(Match(path="/ping", method="GET"), status_to(405))),
    "head_on_help_and_ping": lambda _: Proof(
        "HEAD /help answered 404", "ATS-WIRE-HEAD",
        when(Match(path="/help", method="HEAD"), status_to(404)), strict=True),
    "wrong_method_is_405": lambda _: Proof(
        "GET /RegisterCall answered 404", "ATS-WIRE-405-WRONG-METHOD",
        when(Match(path="/RegisterCall", method="GET"), status_to(404))),
    # --- numberInfo
    "number_info_fields": lambda _: Proof(
        "INN missing from numberInfo", "ATS-INFO-200-SHAPE",
        when(Match(path="/numberInfo", status=200), json_body(_drop_inn))),
    "number_info_unknown_is_404_null": lambda _: Proof(
        "404 body is {\"data\": {}}", "ATS-INFO-404-NULL",
        when(Match(path="/numberInfo", status=404), json_body(lambda _: {"data": {}}))),
    "number_info_bad_n": lambda _: Proof(
        "numberInfo n=7900abc without 0x4", "ATS-INFO-400-BITS",
        when(Match(path="/numberInfo", status=400), clear_bits(0x4)), strict=True),
    # --- RegisterCall
    "register_valid_call": lambda _: Proof(
        "registration answered 200", "ATS-REGISTER-201",
        when(Match(path="/RegisterCall", status=201), status_to(200))),
    "register_without_optional_params": lambda _: Proof(
        "registration without id_dst refused", "ATS-REGISTER-ID-DST-OPTIONAL",
        when(Match(path="/RegisterCall", lacks_params=("id_dst",)), status_to(400))),
    "register_repeat": lambda _: Proof(
        "second registration of a pair refused", "ATS-REGISTER-REPEAT-201",
        when(Match(path="/RegisterCall", status=201, nth=2), status_to(400)), strict=True),
    "register_as_multipart": lambda _: Proof(
        "multipart bodies ignored", "ATS-WIRE-MULTIPART",
        when(Match(path="/RegisterCall", body_contains=b"Content-Disposition: form-data"),
             status_to(400)), strict=True),
    "register_call_to_foreign_number": lambda _: Proof(
        "a foreign b refused", "ATS-REGISTER-ANY-B",
        when(Match(path="/RegisterCall", body_contains=b"&b=1"), status_to(400)), strict=True),
    "register_by_non_owner": lambda _: Proof(
        "NOT_A_OWNER not reported", "ATS-BIT-NOT-A-OWNER",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x00800000))),
    "register_from_unknown_client": lambda _: Proof(
        "CLIENT_ID_SRC_EMPTY not reported", "ATS-BIT-CLIENT-ID-SRC-EMPTY",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x100))),
    "register_number_not_in_plan": lambda _: Proof(
        "A_NOT_FOUND_IN_DB not reported", "ATS-BIT-A-NOT-FOUND-IN-DB",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x400))),
    "register_foreign_number": lambda _: Proof(
        "PARAM_A_NOT_RUS not reported", "ATS-BIT-A-NOT-RUS",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x01000000))),
    "register_missing_a": lambda _: Proof(
        "missing a reported as PARAM_A_NOT_INT", "ATS-BIT-A-NOT-FOUND",
        when(Match(path="/RegisterCall", status=400), _set_bits(0x4))),
    "register_missing_b": lambda _: Proof(
        "PARAM_B_NOT_FOUND not reported", "ATS-BIT-B-NOT-FOUND",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x2))),
    "register_a_not_a_number": lambda _: Proof(
        "bad a reported as missing", "ATS-BIT-A-NOT-INT",
        when(Match(path="/RegisterCall", status=400), _set_bits(0x1))),
    "register_b_not_a_number": lambda _: Proof(
        "PARAM_B_NOT_INT not reported", "ATS-BIT-B-NOT-INT",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x8))),
    "register_bad_bh": lambda _: Proof(
        "PARAM_B_HASH_BAD_REGEX not reported", "ATS-BIT-BH-BAD-REGEX",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x10))),
    "register_empty_params_are_missing": lambda _: Proof(
        "empty a reported as not a number", "ATS-WIRE-EMPTY-IS-MISSING",
        when(Match(path="/RegisterCall", status=400, param_len=("a", 0), has_param="a"),
             _set_bits(0x4))),
    "register_several_errors_at_once": lambda _: Proof(
        "validation stops at the first error", "ATS-ERRBITS-COMBINED",
        when(Match(path="/RegisterCall", status=400), lowest_bit_only())),
    "register_hash_and_plain_interchange": lambda _: Proof(
        "a check by bh does not find a registration by b", "ATS-HASH-BH-MATCHES-B",
        when(Match(path="/CheckCall", has_param="bh", status=200), status_to(404))),
    "register_bh_overrides_b": lambda _: Proof(
        "b validated although bh is present", "ATS-HASH-BH-OVERRIDES-B",
        when(Match(path="/RegisterCall", body_contains=b"b=not-a-number"), status_to(400))),
    "register_call_id_limits": lambda _: Proof(
        "a 100-character call_id refused", "ATS-CALLID-MAX-100",
        when(Match(path="/RegisterCall", param_len=("call_id", 100)), status_to(400))),
    # --- CheckCall
    "check_registered_call": lambda _: Proof(
        "registered call not found", "ATS-CHECK-200-REGISTERED",
        when(Match(path="/CheckCall", status=200), status_to(404))),
    "check_unregistered_call": lambda _: Proof(
        "unregistered call verified", "ATS-CHECK-404-UNREGISTERED",
        when(Match(path="/CheckCall", status=404), status_to(200))),
    "check_does_not_consume": lambda _: Proof(
        "registration consumed by the first check", "ATS-CHECK-NOT-CONSUMED",
        when(Match(path="/CheckCall", status=200, nth=2), status_to(404)), strict=True),
    "check_window_expiry": lambda _: _ten_times_window(
        "a 600 s window: still verified just past 60 s", "ATS-CHECK-WINDOW"),
    "control_reports_the_expected_window": lambda _: _ten_times_window(
        "the control API reports a 600 s window", "ATS-WINDOW-AS-EXPECTED"),
    "check_redirected_call_via_c": lambda _: Proof(
        "c ignored", "ATS-CHECK-REDIRECT-C",
        when(Match(path="/CheckCall", has_param="c", status=200), status_to(404))),
    "check_redirected_call_via_ch": lambda _: Proof(
        "ch ignored", "ATS-CHECK-REDIRECT-CH",
        when(Match(path="/CheckCall", has_param="ch", status=200), status_to(404))),
    "check_requires_call_id_or_id_src": lambda _: Proof(
        "check without call_id and id_src accepted", "ATS-CHECK-CALLID-REQUIRED",
        when(Match(path="/CheckCall", lacks_params=("call_id", "id_src")), status_to(404))),
    "check_with_id_src_instead_of_call_id": lambda _: Proof(
        "call_id demanded although id_src is given", "ATS-CHECK-ID-SRC-SUFFICES",
        when(Match(path="/CheckCall", has_param="id_src"), status_to(400))),
    "check_by_non_owner_of_b": lambda _: Proof(
        "any operator may check any b", "ATS-CHECK-B-OWNER",
        when(Match(path="/CheckCall", source=A_IP, status=400), status_to(404))),
    "check_foreign_caller": lambda _: Proof(
        "foreign a refused", "ATS-CHECK-A-ANY-NUMBER",
        when(Match(path="/CheckCall", status=404), status_to(400)), strict=True),
    "check_bit_of_each_parameter": lambda _: Proof(
        "PARAM_D_NOT_INT not reported", "ATS-BIT-D-NOT-INT",
        when(Match(path="/CheckCall", status=400), clear_bits(0x80))),
    "check_several_errors_at_once": lambda _: Proof(
        "validation stops at the first error", "ATS-ERRBITS-COMBINED",
        when(Match(path="/CheckCall", status=400), lowest_bit_only())),
    "check_reused_call_id": lambda _: Proof(
        "malformed warning header", "ATS-WARN-FORMAT",
        when(Match(path="/CheckCall", status=200), header_to("X-Warning-Bits", "1")),
        strict=True),
    "success_answers_carry_no_error": lambda _: Proof(
        "error bit set on a 201", "ATS-ERRBITS-SUCCESS-ZERO",
        when(Match(path="/RegisterCall", status=201), header_to("X-Error-Bits", "0x00000001")),
        strict=True),
    # --- dbg
    "dbg_lists_every_bit": lambda _: Proof(
        "no X-Error-Messages with dbg=1", "ATS-DBG-MESSAGES",
        when(Match(header="X-Error-Messages"), header_dropped("X-Error-Messages"))),
    "dbg_texts_of_each_condition": lambda _: Proof(
        "message texts reworded", "ATS-DBG-TEXTS",
        when(Match(header="X-Error-Messages"),
             header_text_replaced("X-Error-Messages", "can not", "cannot")), strict=True),
    "no_messages_without_dbg": lambda _: Proof(
        "messages sent without dbg", "ATS-DBG-OFF",
        when(Match(status=400), header_to("X-Error-Messages", "[0x00000001] text"))),
    # --- call
    "call_paths": lambda _: Proof(
        "universal method served nowhere", "ATS-CALL-PATH",
        when(Match(path=CALL_PATHS), status_to(404))),
    "call_registers_for_owner_of_a": lambda _: Proof(
        "call registration answered 200", "ATS-CALL-201-REGISTER",
        when(Match(path=CALL_PATHS, status=201), status_to(200))),
    "call_checks_for_other_operator": lambda _: Proof(
        "call check does not find the registration", "ATS-CALL-200-CHECK",
        when(Match(path=CALL_PATHS, status=200), status_to(404))),
    "call_not_found": lambda _: Proof(
        "call verifies an unregistered pair", "ATS-CALL-404",
        when(Match(path=CALL_PATHS, status=404), status_to(200))),
    "call_error_bits": lambda _: Proof(
        "call validation stops at the first error", "ATS-ERRBITS-COMBINED",
        when(Match(path=CALL_PATHS, status=400), lowest_bit_only())),
    # --- callUpdate
    "update_checked_call": lambda _: Proof(
        "checked call not found by callUpdate", "ATS-UPDATE-200",
        when(Match(path="/callUpdate", status=200), status_to(404))),
    "update_call_made_by_universal_method": lambda _: Proof(
        "call made by /call not found by callUpdate", "ATS-UPDATE-AFTER-CALL",
        when(Match(path="/callUpdate", status=200), status_to(404))),
    "update_unknown_call": lambda _: Proof(
        "unknown CALL_ID updated", "ATS-UPDATE-404-UNKNOWN",
        when(Match(path="/callUpdate", status=404), status_to(200))),
    "update_other_operators_call": lambda _: Proof(
        "operator A updates B's call", "ATS-UPDATE-404-OTHER-OPERATOR",
        when(Match(path="/callUpdate", source=A_IP, status=404), status_to(200))),
    "update_after_twelve_hours": lambda _: Proof(
        "calls never age out", "ATS-UPDATE-12H",
        when(Match(path="/callUpdate", status=404), status_to(200))),
    "update_requires_call_id": lambda _: Proof(
        "callUpdate without CALL_ID answered 404", "ATS-UPDATE-CALLID-REQUIRED",
        when(Match(path="/callUpdate", status=400), status_to(404))),
    "update_rejects_non_numeric_parameters": lambda _: Proof(
        "TA=long accepted", "ATS-UPDATE-PARAM-NOT-INT",
        when(Match(path="/callUpdate", has_param="TA", status=400), status_to(200)),
        strict=True),
    "update_spoofed_call": lambda _: Proof(
        "a call whose check was 404 cannot be updated", "ATS-UPDATE-AFTER-404-CHECK",
        when(Match(path="/callUpdate", status=200), status_to(404)), strict=True),
    "update_from_unknown_client": lambda _: Proof(
        "callUpdate from an unknown address answered 404", "ATS-UPDATE-UNKNOWN-CLIENT",
        when(Match(path="/callUpdate", source=UNKNOWN_IP), status_to(404)), strict=True),
    "update_call_id_too_long": lambda _: Proof(
        "a 101-character CALL_ID looked up (404)", "ATS-CALLID-OVER-100-REJECTED",
        when(Match(path="/callUpdate", status=400), status_to(404)), strict=True),
    "update_is_post_only": lambda _: Proof(
        "GET /callUpdate answered 200", "ATS-WIRE-405-WRONG-METHOD",
        when(Match(path="/callUpdate", method="GET"), status_to(200))),
    "update_release_code_spellings": lambda _: Proof(
        "Cyrillic RС refused", "ATS-UPDATE-RC-SPELLINGS",
        when(Match(path="/callUpdate", body_contains=b"R%D0%A1="), status_to(400)),
        strict=True),
    "call_checks_redirected_call": lambda _: Proof(
        "call ignores c", "ATS-CALL-REDIRECT-C",
        when(Match(path=CALL_PATHS, has_param="c", status=200), status_to(404))),
    "call_from_unknown_client": lambda _: Proof(
        "CLIENT_ID_SRC_EMPTY not reported by call", "ATS-BIT-CLIENT-ID-SRC-EMPTY",
        when(Match(path=CALL_PATHS, source=UNKNOWN_IP, status=400), clear_bits(0x100))),
    "call_check_by_non_owner_of_b": lambda _: Proof(
        "call checks a b its client does not own", "ATS-CHECK-B-OWNER",
        when(Match(path=CALL_PATHS, source=A_IP, status=400, has_param="call_id"),
             status_to(404))),
    # --- numbers and encodings
    "numbers_are_e164_without_plus": lambda _: Proof(
        "a number with '+' accepted", "ATS-NUMBER-E164",
        when(Match(path="/CheckCall", body_contains=b"a=%2B"), status_to(404))),
    "range_edges_belong_to_their_operator": lambda _: Proof(
        "the last number of A's range refused", "ATS-PLAN-RANGE-EDGES",
        when(Match(path="/RegisterCall", param_equals=("a", A_LAST)), status_to(400))),
    "percent_escapes_in_either_case": lambda _: Proof(
        "lower-case escapes refused", "ATS-WIRE-URLENCODED",
        when(Match(path="/RegisterCall", body_contains=b"%2f"), status_to(400))),
    "one_call_id_in_every_encoding": lambda _: Proof(
        "'+' kept literally (the call_id with %20 is another)", "ATS-WIRE-URLENCODED",
        when(Match(path="/callUpdate", body_contains=b"%20"), status_to(404))),
    "repeated_parameter_takes_the_last_value": lambda _: Proof(
        "the first of two values wins", "ATS-WIRE-REPEATED-LAST",
        when(Match(path="/RegisterCall", body_contains=b"a=not-a-number"), status_to(400)),
        strict=True),
    "malformed_body_is_a_client_error": lambda _: Proof(
        "a broken escape answered 500", "ATS-WIRE-MALFORMED-400",
        when(Match(path="/RegisterCall", body_contains=b"%zz"), status_to(500)), strict=True),
    "number_info_range_edges": lambda _: Proof(
        "the last number of A's range unknown to numberInfo", "ATS-PLAN-RANGE-EDGES",
        when(Match(path="/numberInfo", param_equals=("n", A_LAST)), status_to(404))),
    "number_info_any_client": lambda _: Proof(
        "numberInfo refuses an unknown address", "ATS-INFO-ANY-CLIENT",
        when(Match(path="/numberInfo", source=UNKNOWN_IP), status_to(400)), strict=True),
    "number_info_is_post_only": lambda _: Proof(
        "GET /numberInfo answered 400", "ATS-WIRE-405-WRONG-METHOD",
        when(Match(path="/numberInfo", method="GET"), status_to(400))),
    "dbg_any_non_empty_value": lambda _: Proof(
        "dbg=2 gives no messages", "ATS-DBG-ANY-VALUE",
        when(Match(path="/RegisterCall", param_equals=("dbg", "2")),
             header_dropped("X-Error-Messages")), strict=True),
    "warning_messages_follow_dbg": lambda _: Proof(
        "warning messages without dbg", "ATS-WARN-MESSAGES",
        when(Match(path="/CheckCall", header="X-Warning-Bits", lacks_params=("dbg",)),
             header_to("X-Warning-Messages", "[0x00000001] reused call_id")), strict=True),
    "unknown_path_is_404": lambda _: Proof(
        "an unknown path answered 201", "ATS-WIRE-UNKNOWN-PATH-404",
        when(Match(path="/RegisterCallX"), status_to(201))),
    "unknown_client_reports_parameter_bits_too": lambda _: Proof(
        "an unknown client's request reports CLIENT_ID_SRC_EMPTY alone",
        "ATS-ERRBITS-COMBINED-CLIENT",
        when(Match(path="/RegisterCall", source=UNKNOWN_IP, status=400), _set_bits(0x100)),
        strict=True),
    "window_counts_from_latest_registration": lambda _: Proof(
        "the window counts from the first registration", "ATS-CHECK-WINDOW-LATEST",
        when(Match(path="/CheckCall", status=200), status_to(404))),
    "check_optional_parameters": lambda _: Proof(
        "a valid d refused", "ATS-CHECK-OPTIONAL-PARAMS",
        when(Match(path="/CheckCall", has_param="d"), status_to(400))),
    "check_call_id_limits": lambda _: Proof(
        "a 100-character call_id refused by CheckCall", "ATS-CALLID-MAX-100",
        when(Match(path="/CheckCall", param_len=("call_id", 100)), status_to(400))),
    "check_from_unknown_client": lambda _: Proof(
        "an unknown address may check", "ATS-CHECK-400-ON-ERROR",
        when(Match(path="/CheckCall", source=UNKNOWN_IP), status_to(200))),
    # --- simulator profiles
    "legacy_header_profile": lambda _: Proof(
        "X-errors-hex disagrees with X-errors", "ATS-LEGACY-HEADERS",
        when(Match(header="X-errors-hex"), header_to("X-errors-hex", "00000007"))),
    "plan_entries_without_operator_or_uvr": lambda _: Proof(
        "A_ID_SRC_IS_EMPTY not reported", "ATS-BIT-A-ID-SRC-IS-EMPTY",
        when(Match(path="/RegisterCall", status=400), clear_bits(0x200))),
    # --- failover
    "failover_on_server_error": lambda sim: Proof(
        "reserve does not share registrations", "ATS-FAILOVER-SHARED-STATE",
        when(Match(path="/CheckCall", port=sim["reserve_port"], status=200), status_to(404))),
    "failover_on_redirect": lambda _: Proof(
        "ping keeps answering 200 during maintenance", "ATS-FAILOVER-PING-307",
        when(Match(path="/ping", status=307), status_to(200))),
}
