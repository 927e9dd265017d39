"""Deviations the Oktell suite must catch, written into the Oktell PBX simulator
(``simulators/oktell``) and the Oktell reply codec it writes with
(``system/wire/oktell.py``): each is one small change of the kind a PBX could ship.
The campaign runs the simulator with a password, its control API and the suite with
``--allow-state-changes`` (targets.py).

Left out as not deviations (a mutant there would be equivalent, not a miss):

- wp_autocallstart without number answered 500 instead of 400: the spec asks only that
  no call starts, and either error does that;
- other names for the project's own state codes (lsDialing, usNotAvailable...): only
  usReady and lsCommutated are the spec's.
"""

from __future__ import annotations

from tests.mutation.mutant import Mutant, mutant

O = "simulators/oktell/"
APP, HANDLERS, RULES, STATES = O + "app.py", O + "handlers.py", O + "user_rules.py", O + "states.py"
LICENCE, UPLOADS, PBX = O + "licence.py", O + "uploads.py", O + "pbx.py"
WIRE = "system/wire/oktell.py"
_DUMP = "def _dump_value(value: object) -> object:\n    if isinstance(value, datetime):"

OKTELL: list[Mutant] = [
    # --- encodings (ruling 1) -------------------------------------------------------------
    mutant("OKT-UTF8-UNDER-UTF16", "oktell", "MUST", "UTF-8 bytes where utf-16 is declared",
           WIRE, 'return codecs.BOM_UTF16_LE + text.encode("utf-16-le")',
           'return text.encode("utf-8")', statement="OKT-XML-AGREES"),
    mutant("OKT-UTF16-NO-BOM", "oktell", "MUST", "UTF-16 without a byte-order mark",
           WIRE, 'return codecs.BOM_UTF16_LE + text.encode("utf-16-le")',
           'return text.encode("utf-16-le")', statement="OKT-XML-AGREES"),
    mutant("OKT-UTF8-BOM", "oktell", "SHOULD", "a BOM on UTF-8 documents",
           WIRE, '    return text.encode("utf-8")\n',
           '    return codecs.BOM_UTF8 + text.encode("utf-8")\n', statement="OKT-XML-UTF8-NO-BOM"),
    mutant("OKT-SCRIPT-UTF8", "oktell", "SHOULD", "execsvcscript in UTF-8 declaring utf-8",
           WIRE, 'def write_script_reply(reply: ScriptReply) -> bytes:\n'
           '    return write_mapper(reply.to_mapper(), "utf-16")',
           'def write_script_reply(reply: ScriptReply) -> bytes:\n'
           '    return write_mapper(reply.to_mapper(), "utf-8")', statement="OKT-XML-UTF16"),
    mutant("OKT-USERSTATE-UTF8", "oktell", "SHOULD", "tst_getuserstate in UTF-8",
           WIRE, 'def write_user_state(reply: UserStateReply) -> bytes:\n'
           '    return write_mapper(reply.to_mapper(), "utf-16")',
           'def write_user_state(reply: UserStateReply) -> bytes:\n'
           '    return write_mapper(reply.to_mapper(), "utf-8")', statement="OKT-XML-UTF16"),
    mutant("OKT-GROUP-UTF16", "oktell", "SHOULD", "the group document in UTF-16",
           WIRE, '    return encode_xml(root, "utf-8")', '    return encode_xml(root, "utf-16")',
           statement="OKT-XML-UTF8-GROUP"),
    mutant("OKT-UPLOAD-UTF8", "oktell", "SHOULD", "uploadfilesresult in UTF-8",
           WIRE, '    return encode_xml(root, "utf-16")', '    return encode_xml(root, "utf-8")',
           statement="OKT-XML-UTF16"),
    # --- password (ruling 2) ----------------------------------------------------------------
    mutant("OKT-PW-SKIPPED", "oktell", "MUST", "the password is never checked",
           APP, "if password is not None and not _authorised(",
           "if False and password is not None and not _authorised(", statement="OKT-PW-403"),
    mutant("OKT-PW-401", "oktell", "MUST", "401 instead of 403 without the password",
           APP, 'return text_response(403, "Forbidden\\n")',
           'return text_response(401, "Unauthorized\\n")', statement="OKT-PW-403"),
    mutant("OKT-PW-AFTER-COMMAND", "oktell", "MUST", "unknown commands answered before the "
           "password check", APP, "if password is not None and not _authorised(",
           "if password is not None and name in COMMANDS and not _authorised(",
           statement="OKT-PW-EVERY-REQUEST"),
    mutant("OKT-POST-FORM-IGNORED", "oktell", "MUST", "a POST body's form is not read",
           APP, 'if request.method == "POST" and request.body:', "if False:",
           statement="OKT-HTTP-POST"),
    # --- scripts --------------------------------------------------------------------------
    mutant("OKT-RETURNVALUE-IN-VALUE", "oktell", "MUST", "returnvalue in the value attribute",
           WIRE, 'PropertySimple("returnvalue", None, self.returnvalue)',
           'PropertySimple("returnvalue", self.returnvalue, None)',
           statement="OKT-SCRIPT-RETURNVALUE"),
    mutant("OKT-STARTED-NAME", "oktell", "MUST", "started named ok instead of success",
           WIRE, '"success" if self.started else "error"', '"ok" if self.started else "error"',
           statement="OKT-SCRIPT-STARTED"),
    mutant("OKT-TIMEOUT-IGNORED", "oktell", "MUST", "a synchronous run ignores timeout",
           PBX, "        if timeout is None:\n            return await asyncio.shield(task)",
           "        if True:\n            return await asyncio.shield(task)",
           statement="OKT-SCRIPT-TIMEOUT"),
    mutant("OKT-ASYNC-WAITS", "oktell", "MUST", "async=1 waits for the script",
           HANDLERS, "    if asynchronous:\n", "    if False:\n", statement="OKT-SCRIPT-ASYNC"),
    mutant("OKT-PLAIN-WRAPPED", "oktell", "MUST", "execsvcscriptplain wraps the output in XML",
           HANDLERS, 'return Response(200, [("Content-Type", PLAIN)], output.encode("utf-8"))',
           "return ok(write_script_reply(ScriptReply(True, 0, output)), XML_UTF16)",
           statement="OKT-PLAIN-OUTPUT"),
    mutant("OKT-UNKNOWN-SCRIPT-STARTED", "oktell", "SHOULD", "an unknown script reported started",
           HANDLERS, "return ScriptReply(False, STARTRESULT_UNKNOWN, None)",
           "return ScriptReply(True, STARTRESULT_UNKNOWN, None)", statement="OKT-SCRIPT-UNKNOWN"),
    # --- directory ----------------------------------------------------------------------
    mutant("OKT-READY-BUSY-SWAPPED", "oktell", "MUST", "ready and busy swapped",
           WIRE, '"ready": str(group.ready), "busy": str(group.busy)',
           '"ready": str(group.busy), "busy": str(group.ready)', statement="OKT-READY-COUNT"),
    mutant("OKT-USREADY-NAME", "oktell", "MUST", "state 1 named usFree",
           STATES, 'READY = (1, "usReady")', 'READY = (1, "usFree")',
           statement="OKT-USERSTATE-READY"),
    mutant("OKT-AWAY-NAMED-READY", "oktell", "SHOULD", "state 3 named as state 1",
           STATES, 'AWAY = (3, "usNotAvailable")', 'AWAY = (3, "usReady")',
           statement="OKT-USERSTATE-NAMES"),
    mutant("OKT-GUID-UPPER", "oktell", "SHOULD", "the user's GUID in upper case",
           HANDLERS, "reply = UserStateReply(user.id, user.state.code, user.state.label)",
           "reply = UserStateReply(user.id.upper(), user.state.code, user.state.label)",
           statement="OKT-USERSTATE-ID-LOWER"),
    # --- licence -------------------------------------------------------------------------
    mutant("OKT-REGSERIAL-6", "oktell", "MUST", "regserial with 6 digits",
           LICENCE, '        if name == "regserial":\n            return self.regserial',
           '        if name == "regserial":\n            return self.regserial[1:]',
           statement="OKT-LIC-REGSERIAL"),
    mutant("OKT-CONFIRMDATE-ISO", "oktell", "MUST", "confirmdate as yyyy-MM-dd",
           LICENCE, "return format_date(self.confirmdate)", "return self.confirmdate.isoformat()",
           statement="OKT-LIC-CONFIRMDATE"),
    mutant("OKT-UPDATELIMIT-ISO", "oktell", "MUST", "updatelimitdate as yyyy-MM-dd",
           LICENCE, "return format_date(self.updatelimitdate)",
           "return self.updatelimitdate.isoformat()", statement="OKT-LIC-UPDATELIMIT"),
    # --- uploads ---------------------------------------------------------------------------
    mutant("OKT-UPLOAD-UNSAFE-NAME", "oktell", "MUST", "upload saves ../ names",
           UPLOADS, 'if any(c in _FORBIDDEN_CHARACTERS for c in name) or name[-1] in ". ":',
           'if name[-1] in ". ":', statement="OKT-UP-FOLDER"),
    mutant("OKT-UPLOAD-COUNT-SAVED", "oktell", "MUST", "count counts only the saved files",
           WIRE, '{"count": str(len(result.files))}',
           '{"count": str(sum(f.saved for f in result.files))}', statement="OKT-UP-RESULT"),
    mutant("OKT-UPLOAD-SIZE-REQUEST", "oktell", "MUST", "size is the request's, not the file's",
           UPLOADS, "answers.append(UploadedFile(safe, True, len(part.data), str(path)))",
           "answers.append(UploadedFile(safe, True, len(request.body), str(path)))",
           statement="OKT-UP-RESULT"),
    # --- JSON -----------------------------------------------------------------------------
    mutant("OKT-JSON-BOOL-01", "oktell", "MUST", "booleans written as 0/1", WIRE, _DUMP,
           _DUMP.replace("    if isinstance(value, datetime):",
                         "    if isinstance(value, bool):\n        return int(value)\n"
                         "    if isinstance(value, datetime):"), statement="OKT-ABON-INFO"),
    mutant("OKT-JSON-INT-STRING", "oktell", "MUST", "integers written as strings", WIRE, _DUMP,
           _DUMP.replace("    if isinstance(value, datetime):",
                         "    if type(value) is int:\n        return str(value)\n"
                         "    if isinstance(value, datetime):"), statement="OKT-CHAIN-COMMUTATION"),
    mutant("OKT-JSON-FIELD-RENAMED", "oktell", "MUST", "currentlinestatestr renamed",
           WIRE, 'out["currentlinestatestr"] = self.currentlinestatestr',
           'out["currentlinestatename"] = self.currentlinestatestr', statement="OKT-ABON-JSON"),
    mutant("OKT-CHAIN-TIME-FORMAT", "oktell", "MUST", "chain times as dd.MM.yyyy HH:mm:ss",
           WIRE, 'DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"', 'DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"',
           statement="OKT-CHAIN-JSON"),
    # --- calls -------------------------------------------------------------------------------
    mutant("OKT-COMMUTATED-16", "oktell", "MUST", "lsCommutated with code 16",
           STATES, '(32, "lsCommutated")', '(16, "lsCommutated")',
           statement="OKT-ABON-COMMUTATED"),
    mutant("OKT-CITY-NOT-EXTERNAL", "oktell", "MUST", "isextline false for city calls",
           HANDLERS, 'isextline=call.direction == "city"', "isextline=False",
           statement="OKT-CALL-DIRECTION"),
    mutant("OKT-SEQUENCE-IGNORED", "oktell", "SHOULD", "sequence=back dials as direct",
           HANDLERS, 'sequence = request.params.get("sequence", "").strip().lower() or "direct"',
           'sequence = "direct"', statement="OKT-CALL-SEQUENCE"),
    mutant("OKT-FLASH-NOOP", "oktell", "MUST", "wp_flash does nothing",
           HANDLERS, "        pbx.calls.flash(line)\n    except CallRefused",
           "        pbx.calls.call_of(line)\n    except CallRefused", statement="OKT-CALL-FLASH"),
    mutant("OKT-DECLINE-NOOP", "oktell", "MUST", "wp_declinecall does nothing",
           HANDLERS, "pbx.calls.decline(line)", "pbx.calls.call_of(line)",
           statement="OKT-CALL-DECLINE"),
    mutant("OKT-STOP-NOOP", "oktell", "MUST", "wp_autocallstop leaves the call",
           HANDLERS, 'pbx.calls.hang_up(call, "stopped")', "pbx.calls.call_of(line)",
           statement="OKT-CALL-STOP"),
    mutant("OKT-SWITCH-IDLE-NOOP", "oktell", "MUST", "wp_switchcall on an idle line does nothing",
           HANDLERS, "_start(pbx, line, request)  # an idle line",
           "_call_parameters(request)  # an idle line", statement="OKT-CALL-SWITCH-IDLE"),
    # --- wp_setuserstate ---------------------------------------------------------------------
    mutant("OKT-SUS-BODY", "oktell", "MUST", "wp_setuserstate answers with a body",
           HANDLERS, "**outcome.to_json())\n    return ok()", '**outcome.to_json())\n'
           '    return ok(b"OK")', statement="OKT-SUS-200"),
    mutant("OKT-READY-WHILE-TALKING", "oktell", "MUST", "free while talking allowed",
           RULES, "if talking and wanted is not UserState.BUSY:",
           "if False and talking and wanted is not UserState.BUSY:",
           statement="OKT-SUS-NOT-FREE-TALKING"),
    mutant("OKT-BREAK-OUTSIDE-CC", "oktell", "MUST", "break allowed outside the call-centre",
           RULES, "if wanted is UserState.BREAK and not user.callcentre:",
           "if False and wanted is UserState.BREAK:", statement="OKT-SUS-NO-BREAK-OUTSIDE-CC"),
    mutant("OKT-LUNCH-OUTSIDE-CC", "oktell", "MUST", "lunch allowed outside the call-centre",
           RULES, "    if not user.callcentre:\n        outcome.refused.append(\"the lunch",
           "    if False:\n        outcome.refused.append(\"the lunch",
           statement="OKT-SUS-LUNCH-CC"),
    mutant("OKT-LUNCH-ALLOWS-READY", "oktell", "SHOULD", "the lunch mode lets the user be free",
           RULES, "if wanted is UserState.READY and user.lunch:",
           "if False and wanted is UserState.READY:", statement="OKT-SUS-LUNCH-HOLDS"),
    mutant("OKT-LEAVE-CC-KEEPS-BREAK", "oktell", "MUST", "leaving the call-centre keeps a break",
           RULES, "            if user.state is UserState.BREAK:\n",
           "            if False:\n", statement="OKT-SUS-LEAVE-CC"),
    mutant("OKT-SERVICE-STATE-ALLOWED", "oktell", "MUST", "userstateid 6 (reserved) applied",
           STATES, "    UserState.BUSY: UserEvent.SET_BUSY,\n}",
           "    UserState.BUSY: UserEvent.SET_BUSY,\n    UserState.RESERVED: UserEvent.RESERVE,\n}",
           statement="OKT-SUS-NO-SERVICE-STATE"),
]
