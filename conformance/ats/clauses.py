"""The clauses of the ATS call-verification API (spec v0.9.13, the rulings of
shared/design/spec-rulings.md and the project's reading in
docs/ats-simulator.md), one per checkable requirement.

Sections: "Intro N" is item N of the spec's introduction, "§N" its method
sections (help, numberInfo and ping are §5, §6 and §6bis: the spec numbers
ping 6 too), "App.1" the error-bit appendix, "R-N" an ATS ruling and
"project" a decision documented in docs/ats-simulator.md. Project decisions
are never MUST unless they only restate HTTP.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, needs_capability, untestable

ATS = ClauseRegistry("ATS", "ATS call-verification API v0.9.13")

# --- wire -------------------------------------------------------------------
ATS.must("ATS-WIRE-405-WRONG-METHOD", "Intro 1; RFC 9110 §15.5.6",
         "A method other than the documented ones (POST; also GET for help and ping) is "
         "answered 405 Method Not Allowed.")
ATS.should("ATS-WIRE-405-ALLOW", "RFC 9110 §15.5.6",
           "A 405 answer carries an Allow header naming the permitted methods.")
ATS.should("ATS-WIRE-HEAD", "RFC 9110 §9.3.2; project",
           "help and ping answer HEAD like GET (status and headers, no body).")
ATS.should("ATS-WIRE-MULTIPART", "§1 parameter call_id",
           "Parameters are also accepted as multipart/form-data (the spec recommends it for "
           "call_id values with special characters).")
ATS.must("ATS-WIRE-EMPTY-IS-MISSING", "App.1 (\"not found or empty\")",
         "A parameter that is present but empty counts as missing.")
ATS.must("ATS-WIRE-URLENCODED", "Intro 1; §1 parameter call_id; RFC 3986 §2.1; R-2",
         "application/x-www-form-urlencoded bodies decode as that format says: a %XX escape "
         "in lower-case hex is the same byte as in upper-case hex, + is a space, and a "
         "charset parameter on the Content-Type changes nothing.")
ATS.should("ATS-WIRE-MALFORMED-400", "Intro 6 (5xx means the server is down); project",
           "A form body that is not valid percent-encoding is answered 400 with error bits, "
           "never 2xx and never 5xx (a 5xx sends clients to the reserve).")
ATS.should("ATS-WIRE-REPEATED-LAST", "App.1 (PHP $_POST); project",
           "A parameter given twice takes its last value, as PHP's $_POST does.")
ATS.must("ATS-WIRE-UNKNOWN-PATH-404", "Intro 1; RFC 9110 §15.5.5",
         "A path that is no method of the API is answered 404.")
ATS.may("ATS-SERVERS-PER-METHOD", "Intro 2",
        "Different methods may be served by different servers and ports.",
        needs_capability("one URL per method: the suite sends every method to --target "
                         "(and --reserve)"))

# --- numbers (ruling 1) --------------------------------------------------------
ATS.must("ATS-NUMBER-E164", "R-1; App.1 PARAM_*_NOT_INT",
         "A number is E.164 without '+': 1 to 15 digits. A value with '+' or with 16 digits "
         "is not a number (PARAM_A_NOT_INT / PARAM_B_NOT_INT); 15 digits are.")
ATS.must("ATS-PLAN-RANGE-EDGES", "§1 condition 2; §2 condition 1; §6",
         "The first and the last number of an operator's range are that operator's like any "
         "other: it registers and checks them, numberInfo reports them.")

# --- error headers ----------------------------------------------------------
ATS.must("ATS-ERRBITS-PRESENT-ON-400", "Intro 3-5; §1-§4 return values",
         "Every 400 answer carries the error bits: X-Error-Bits, or on old servers the legacy "
         "set (X-Error-Code / X-errors / X-errors-hex).")
ATS.must("ATS-ERRBITS-FORMAT", "Intro 4; R-5",
         "X-Error-Bits is 0x followed by 8 hexadecimal digits.")
ATS.must("ATS-ERRBITS-COMBINED", "Intro 4; §4 item 2; R-5",
         "Several errors in one request are all reported at once, each by its own bit.")
ATS.should("ATS-ERRBITS-NO-SPURIOUS", "App.1",
           "No Appendix-1 bit is set beyond the errors the request contains (bits of the "
           "FREE range are implementation-specific and tolerated).")
ATS.should("ATS-ERRBITS-SUCCESS-ZERO", "Intro 3; project",
           "When X-Error-Bits is sent on a non-error answer (200, 201, 404) it is 0x00000000.")
ATS.may("ATS-ERRBITS-ON-SUCCESS", "project",
        "X-Error-Bits: 0x00000000 is sent on non-error answers too.")
ATS.should("ATS-WARN-FORMAT", "Intro 3",
           "X-Warning-Bits, when sent, is 0x followed by 8 hexadecimal digits.")

# --- error bits, one per Appendix-1 condition -------------------------------
ATS.must("ATS-BIT-A-NOT-FOUND", "App.1 0x00000001",
         "Missing or empty \"a\" sets PARAM_A_NOT_FOUND (0x00000001).")
ATS.must("ATS-BIT-B-NOT-FOUND", "App.1 0x00000002",
         "Missing or empty \"b\" (and no \"bh\") sets PARAM_B_NOT_FOUND (0x00000002).")
ATS.must("ATS-BIT-A-NOT-INT", "App.1 0x00000004; R-1",
         "An \"a\" that is not a number sets PARAM_A_NOT_INT (0x00000004).")
ATS.must("ATS-BIT-B-NOT-INT", "App.1 0x00000008; R-1",
         "A \"b\" that is not a number (and no \"bh\") sets PARAM_B_NOT_INT (0x00000008).")
ATS.must("ATS-BIT-BH-BAD-REGEX", "App.1 0x00000010; R-2",
         "A \"bh\" that is not 64 lowercase hex digits sets PARAM_B_HASH_BAD_REGEX "
         "(0x00000010).")
ATS.must("ATS-BIT-C-NOT-INT", "App.1 0x00000020",
         "A \"c\" that is not a number (and no \"ch\") sets PARAM_C_NOT_INT (0x00000020).")
ATS.must("ATS-BIT-CH-BAD-REGEX", "App.1 0x00000040; R-2",
         "A bad \"ch\" sets PARAM_C_HASH_BAD_REGEX (0x00000040).")
ATS.must("ATS-BIT-D-NOT-INT", "App.1 0x00000080",
         "A \"d\" that is not a number sets PARAM_D_NOT_INT (0x00000080).")
ATS.must("ATS-BIT-CLIENT-ID-SRC-EMPTY", "App.1 0x00000100; R-4",
         "A client address that belongs to no operator sets CLIENT_ID_SRC_EMPTY (0x00000100).")
ATS.must("ATS-BIT-A-ID-SRC-IS-EMPTY", "App.1 0x00000200",
         "Registering an \"a\" whose range has an empty id_src sets A_ID_SRC_IS_EMPTY "
         "(0x00000200).")
ATS.must("ATS-BIT-A-NOT-FOUND-IN-DB", "App.1 0x00000400",
         "Registering an \"a\" that is in no range sets A_NOT_FOUND_IN_DB (0x00000400).")
ATS.must("ATS-BIT-A-UVR-EMPTY", "App.1 0x00000800",
         "Registering an \"a\" whose range has no primary UVr sets A_UVR_IS_EMPTY_OR_SERVICE "
         "(0x00000800).")
ATS.must("ATS-BIT-A-UVR-SERVICE", "App.1 0x00000800 (\"<1 OR >16000\")",
         "A primary UVr id below 1 or above 16000 sets A_UVR_IS_EMPTY_OR_SERVICE; 1 and 16000 "
         "do not.")
ATS.must("ATS-BIT-NOT-A-OWNER", "App.1 0x00800000; §1 condition 2",
         "Registering an \"a\" the client's operator does not own sets NOT_A_OWNER "
         "(0x00800000).")
ATS.must("ATS-BIT-A-NOT-RUS", "App.1 0x01000000; R-1",
         "Registering a non-Russian \"a\" (not /^7\\d{10}$/: a foreign number, 10 or 12 "
         "digits, a leading 8) sets PARAM_A_NOT_RUS (0x01000000).")
ATS.must("ATS-BIT-INTERNAL-FAILURES", "App.1 0x00001000-0x00004000, 0x02000000, "
         "0x04000000, 0x80000000",
         "USER_UVR_NOT_FOUND, USER_HUB_P_NOT_FOUND, GRFC_CHECK_UVR_FAILED, GRFC_DB_ERROR, "
         "UVR_RESPONSE_TIMEOUT and EXCEPTION report failures inside the hub.",
         untestable("they report the hub's own tables, the GRFC and UVr services and its code "
                    "failing; a client cannot provoke that (the simulator fakes them only by "
                    "fault injection, which would test the injection)"))
ATS.must("ATS-APP2-VERIFYCALLSTATE", "App.2",
         "The VerifyCallState bits (Appendix 2) have their own meanings.",
         untestable("VerifyCallState is an interface between hubs (UVz/UVr), not a method of "
                    "this API; the appendix says the bits may or may not reach clients"))
ATS.should("ATS-ERRBITS-COMBINED-CLIENT", "Intro 4; §4 item 2; App.1",
           "A request from an address of no operator that also has bad parameters reports "
           "CLIENT_ID_SRC_EMPTY together with the parameter bits.")

# --- dbg ----------------------------------------------------------------------
ATS.must("ATS-DBG-MESSAGES", "Intro 4; R-5",
         "With dbg=1, an error answer carries X-Error-Messages as "
         "\"[0x00000001] text; [0x00000002] text\".")
ATS.must("ATS-DBG-MESSAGES-MATCH-BITS", "Intro 4",
         "X-Error-Messages lists exactly the bits set in X-Error-Bits.")
ATS.should("ATS-DBG-ORDER", "Intro 4 example; R-5",
           "X-Error-Messages lists the bits in ascending order.")
ATS.should("ATS-DBG-TEXTS", "App.1 MESSAGES",
           "The message of each Appendix-1 bit is the appendix's text.")
ATS.must("ATS-DBG-OFF", "§1-§4 parameter dbg",
         "Without dbg, or with dbg=0, no X-Error-Messages is sent.")
ATS.should("ATS-DBG-ANY-VALUE", "Intro 4 (\"non-empty value, preferably 1\")",
           "Any non-empty dbg other than 0 (dbg=2, dbg=true) turns the messages on too.")
ATS.should("ATS-WARN-MESSAGES", "Intro 3; project",
           "When warning bits are sent, X-Warning-Messages comes only with dbg=1, in the "
           "X-Error-Messages format, listing exactly the warning bits.")

# --- hashes -----------------------------------------------------------------
ATS.must("ATS-HASH-BH-MATCHES-B", "§1, §2 parameter bh; R-2",
         "bh is the lowercase hex SHA-256 of the number: a registration made with b is found "
         "by a check made with bh, and vice versa.")
ATS.must("ATS-HASH-BH-OVERRIDES-B", "§1, §2 parameter bh",
         "When bh is present, b is ignored.")
ATS.must("ATS-HASH-CH-OVERRIDES-C", "§2 parameter ch",
         "When ch is present, c is ignored.")

# --- RegisterCall -------------------------------------------------------------
ATS.must("ATS-REGISTER-201", "§1 return values",
         "A valid RegisterCall from the owner of \"a\" is answered 201 Created.")
ATS.must("ATS-REGISTER-400-ON-ERROR", "§1 return values",
         "A RegisterCall with an error is answered 400 Bad Request.")
ATS.must("ATS-REGISTER-ID-DST-OPTIONAL", "§1 condition 3",
         "Registration succeeds without id_dst and call_id.")
ATS.should("ATS-REGISTER-REPEAT-201", "project",
           "Repeating a registration of the same pair is answered 201 again.")
ATS.should("ATS-REGISTER-ANY-B", "§1 parameter b",
           "RegisterCall takes any number as b, a foreign one included (only a must be "
           "Russian).")
ATS.must("ATS-REGISTER-OWNER-ONLY", "§1 condition 2",
         "Only the operator owning \"a\" (by client address) may register it: others get 400.")
ATS.must("ATS-REGISTER-RUSSIAN-A", "§1; R-1",
         "RegisterCall with a non-Russian \"a\" is answered 400.")
ATS.must("ATS-CALLID-MAX-100", "§1 parameter call_id (also for other methods, v0.9.5)",
         "A call_id of 100 characters is accepted, counted in characters (100 Cyrillic "
         "letters are 200 bytes of UTF-8), by RegisterCall and CheckCall alike.")
ATS.should("ATS-CALLID-OVER-100-REJECTED", "§1 parameter call_id; project",
           "A call_id (CALL_ID) longer than 100 characters is answered 400 by RegisterCall, "
           "CheckCall and callUpdate.")
ATS.should("ATS-CALLID-UTF8", "§1 parameter call_id (utf8mb4)",
           "A call_id with non-ASCII UTF-8 characters is accepted, four-byte ones (utf8mb4) "
           "included.")
ATS.should("ATS-CALLID-UNIQUE", "§1, §2 parameter call_id",
           "call_id values are unique per operator for at least 12 hours (a day).",
           untestable("a duty of the operator that generates them, not of the hub"))

# --- CheckCall ----------------------------------------------------------------
ATS.must("ATS-CHECK-200-REGISTERED", "§2 return values; R-3",
         "CheckCall(a, b) is 200 when (a, b) was registered within the window.")
ATS.must("ATS-CHECK-404-UNREGISTERED", "§2 return values; R-3",
         "CheckCall(a, b) is 404 when no such pair was registered.")
ATS.must("ATS-CHECK-400-ON-ERROR", "§2 return values",
         "A CheckCall with an error is answered 400.")
ATS.should("ATS-CHECK-NOT-CONSUMED", "project",
           "A check does not consume the registration: checking again is 200 again.")
ATS.must("ATS-CHECK-WINDOW", "R-3",
         "A registration is found just inside the run's window (60 s unless --ats-window says "
         "otherwise) and not just past it.")
ATS.must("ATS-CHECK-WINDOW-LATEST", "R-3",
         "The window counts from the latest RegisterCall of the pair: a call registered again "
         "verifies for a whole window after the repeat.")
ATS.must("ATS-WINDOW-AS-EXPECTED", "R-3",
         "A target whose control API reports its registration window reports the run's window "
         "(60 s unless --ats-window says otherwise): the suite never takes the target's word.")
ATS.must("ATS-CHECK-REDIRECT-C", "§2 parameter c; R-3",
         "CheckCall(a, b, c) is 200 when (a, c) was registered (call redirected from c to b).")
ATS.must("ATS-CHECK-REDIRECT-CH", "§2 parameter ch; R-2, R-3",
         "The same with c given as its hash ch.")
ATS.must("ATS-CHECK-REDIRECT-NEEDS-C", "R-3",
         "Without c, a registration of (a, c) does not verify (a, b).")
ATS.must("ATS-CHECK-C-KEEPS-B", "§2 parameters c, ch; R-3",
         "c (or ch) adds the number before redirection: a registration of (a, b) still "
         "verifies when an unrelated c is given.")
ATS.must("ATS-CHECK-OPTIONAL-PARAMS", "§2 parameters; §2 condition 2",
         "c, d, id_src and id_dst are optional and do not change the verdict: a check with "
         "only a, b and call_id, and one with a valid d, id_src and id_dst, are answered alike.")
ATS.must("ATS-CHECK-CALLID-REQUIRED", "§2 parameter call_id",
         "CheckCall without call_id and without id_src is answered 400.")
ATS.must("ATS-CHECK-ID-SRC-SUFFICES", "§2 parameter call_id",
         "CheckCall with id_src and without call_id is processed normally.")
ATS.must("ATS-CHECK-B-OWNER", "§2 condition 1",
         "CheckCall with a plain \"b\" the client's operator does not own is answered 400.")
ATS.should("ATS-CHECK-A-ANY-NUMBER", "§2 parameter a; project",
           "The \"a\" of CheckCall may be any E.164 number, foreign ones included (no 400).")
ATS.should("ATS-CHECK-DUPLICATE-CALLID", "§2 parameter call_id; project",
           "A reused call_id does not stop the check: it is answered as usual.")

# --- callUpdate ---------------------------------------------------------------
ATS.must("ATS-UPDATE-200", "§3 return values",
         "callUpdate with the CALL_ID of the operator's earlier CheckCall is answered 200.")
ATS.must("ATS-UPDATE-AFTER-CALL", "§3",
         "callUpdate also finds a call made with the universal method call.")
ATS.must("ATS-UPDATE-404-UNKNOWN", "§3 return values",
         "callUpdate with an unknown CALL_ID is answered 404.")
ATS.must("ATS-UPDATE-404-OTHER-OPERATOR", "§3; R-3 (call_id unique per operator)",
         "callUpdate cannot reach another operator's call: 404.")
ATS.must("ATS-UPDATE-12H", "§3; R-3",
         "Calls of the last 12 hours can be updated (200 a moment before 12 hours) and older "
         "ones cannot (404 a moment after).")
ATS.must("ATS-UPDATE-CALLID-REQUIRED", "§3 parameter CALL_ID",
         "callUpdate without CALL_ID is answered 400.")
ATS.should("ATS-UPDATE-PARAM-NOT-INT", "§3 parameters",
           "callUpdate with a non-numeric ID_SRC, ID_DST, DUR, RC or TA (number parameters) "
           "is answered 400.")
ATS.should("ATS-UPDATE-RC-SPELLINGS", "§3 parameter RС; project",
           "The release code is accepted both as RC and as RС (Cyrillic С, as the spec spells "
           "it).")
ATS.must("ATS-UPDATE-REPEATABLE", "§3 (\"several calls, as the data appear\")",
         "A call can be updated several times, each update answered 200.")
ATS.should("ATS-UPDATE-AFTER-404-CHECK", "§3 (incidents); project",
           "A call whose CheckCall was answered 404 (a spoofed call: an incident) can be "
           "updated too.")
ATS.should("ATS-UPDATE-UNKNOWN-CLIENT", "App.1 0x00000100; R-4",
           "callUpdate from an address of no operator is answered 400 with CLIENT_ID_SRC_EMPTY.")
ATS.should("ATS-UPDATE-CLIENT-DUTIES", "§3",
           "The operator calls callUpdate when CheckCall lacked id_src/id_dst/DUR/TA, within 5 "
           "minutes, and again as further data appear.",
           untestable("duties of the calling operator; the hub's statistics and incidents "
                      "they feed are not visible on the API"))

# --- call (universal) ---------------------------------------------------------
ATS.must("ATS-CALL-PATH", "§4",
         "The universal method is served at /сall (Cyrillic с, as the spec writes it) or /call.")
ATS.should("ATS-CALL-BOTH-PATHS", "§4; project",
           "Both /call and /сall are served.")
ATS.must("ATS-CALL-201-REGISTER", "§4 item 1 and return values",
         "call from the operator owning \"a\" registers the call: 201.")
ATS.must("ATS-CALL-200-CHECK", "§4 item 1 and return values",
         "call from another operator checks the call: 200 when registered.")
ATS.must("ATS-CALL-404", "§4 return values",
         "call checking an unregistered pair is answered 404.")
ATS.must("ATS-CALL-400-ON-ERROR", "§4 return values",
         "call with an error is answered 400 with the error bits.")
ATS.must("ATS-CALL-CALLID-OPTIONAL", "§4 parameter call_id",
         "call works without call_id and id_src.")
ATS.must("ATS-CALL-REDIRECT-C", "§4 parameter c",
         "call checking (a, b) with c finds a registration of (a, c).")
ATS.should("ATS-IDS-FOR-STATISTICS", "§1 condition 3; §2 condition 2; §4 item 3",
           "id_src and id_dst filled in correctly let the GRFC statistics and incident tests "
           "pass.",
           untestable("the GRFC statistics and incidents are not visible on the API"))

# --- numberInfo ---------------------------------------------------------------
ATS.must("ATS-INFO-200-SHAPE", "§6 return values",
         "numberInfo of a known number is 200 with JSON {\"data\": {...}} holding created, "
         "number, id_uvr_p, id_uvr_s, id_src, INN, IP_UVR_P_P, IP_UVR_P_S, IP_UVR_S_P, "
         "IP_UVR_S_S, number being the JSON integer asked for.")
ATS.should("ATS-INFO-TYPES", "§6 example",
           "numberInfo field types follow the example: created \"YYYY-MM-DD HH:MM:SS\", "
           "id_src the operator's id (a JSON integer when it is numeric, as in the example), "
           "UVr ids integers or null, INN and IPs strings or null.")
ATS.should("ATS-INFO-JSON-CONTENT-TYPE", "§6; RFC 8259",
           "numberInfo answers (200 and 404) carry Content-Type application/json.")
ATS.must("ATS-INFO-404-NULL", "§6 return values",
         "numberInfo of an unknown number is 404 with the JSON body {\"data\": null}.")
ATS.should("ATS-INFO-400-BITS", "project",
           "numberInfo without n is 400 with 0x00000001; with a non-numeric n, 400 with "
           "0x00000004.")
ATS.should("ATS-INFO-ANY-CLIENT", "§6; project",
           "numberInfo answers any client, another operator and an address of no operator "
           "included.")

# --- help and ping ------------------------------------------------------------
ATS.must("ATS-HELP-200", "§5", "POST /help answers 200 with the API description.")
ATS.must("ATS-HELP-GET", "§5 (\"GET is allowed\")", "GET /help answers 200 as well.")
ATS.must("ATS-HELP-NO-CONTENT-DISPOSITION", "§5",
         "The help answer has no Content-Disposition header.")
ATS.should("ATS-HELP-MARKDOWN-TYPE", "§5; project",
           "The help answer's Content-Type is a markdown (or plain text) type.")
ATS.should("ATS-HELP-DESCRIBES-API", "§5",
           "The help text is the API's description: it names its methods (RegisterCall, "
           "CheckCall).")
ATS.must("ATS-PING-200", "§6bis", "POST /ping answers 200 when the server is up.")
ATS.must("ATS-PING-GET", "§6bis (\"GET is allowed\")", "GET /ping answers 200 as well.")
ATS.must("ATS-PING-400-ON-FAILURE", "§6bis",
         "ping answers 400 when the API server or its database fails.",
         needs_capability("a way to break the hub's database; the control API has none"))

# --- failover -----------------------------------------------------------------
ATS.must("ATS-FAILOVER-5XX", "Intro 6; R-6",
         "While the primary answers 5xx, the reserve server serves the API.")
ATS.must("ATS-FAILOVER-SHARED-STATE", "Intro 6; R-6",
         "The primary and the reserve share their calls: a call registered on the primary "
         "verifies on the reserve, and one registered on the reserve during the failure "
         "verifies on the primary once it is back.")
ATS.must("ATS-FAILOVER-307", "Intro 6; R-6",
         "A primary under maintenance answers API methods with 307 Temporary Redirect.")
ATS.should("ATS-FAILOVER-307-LOCATION", "Intro 6; RFC 9110 §15.4.8",
           "The 307 answer carries a Location header that leads away from the redirecting "
           "server (not back to it).")
ATS.must("ATS-FAILOVER-PING-307", "Intro 6",
         "While the 307 condition holds, /ping answers 307 too.")
ATS.must("ATS-FAILOVER-PING-RECOVERS", "Intro 6; R-6",
         "When the condition is lifted, the primary's /ping answers 200 again.")
ATS.should("ATS-FAILOVER-5XX-RETURN", "Intro 6",
           "After a 5xx the client returns to the primary only by agreement with support.",
           untestable("an operating procedure of the client, not behaviour of the hub"))

# --- legacy headers -----------------------------------------------------------
ATS.must("ATS-LEGACY-HEADERS", "Intro 5; R-7",
         "An old-server profile sends X-Error-Code and X-errors (decimal), X-errors-hex (8 hex "
         "digits, no 0x) with the same bits, and X-Error-Message only with dbg=1; a server "
         "sending both sets sends the same bits in each.")
