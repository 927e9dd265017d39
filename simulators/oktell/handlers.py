"""Handlers of the directory, call and script commands (command_table.py).

Replies use the shared codec (system/wire/oktell.py): execsvcscript and
tst_getuserstate as utf-16 ``oktellxmlmapper`` documents with a BOM,
tst_getintnumberreadyusers as the utf-8 ``group`` document,
wp_getchaincontent and wp_getabonentinfo as UTF-8 JSON with the spec's field
names. wp_* commands act on behalf of the internal line that ``line=``,
``user=`` or ``wp=`` determines (directory.py); the call-control commands
answer 200 with an empty body when done. Errors (all plain text, see
docs/oktell-simulator.md): 400 for a missing or malformed parameter, 404 for
no such line/user/number, 409 for an ambiguous value or a line in the wrong
state, 503 when no external line is free.
"""

from __future__ import annotations

from datetime import datetime

from nabat.simulators.http.messages import Response
from nabat.simulators.oktell.calls import Call, CallRefused
from nabat.simulators.oktell.command_table import OktellError, OktellRequest, command
from nabat.simulators.oktell.directory import EXTERNAL, Ambiguous, Line, LookupFailed, User
from nabat.simulators.oktell.pbx import OktellPbx, ScriptResult
from nabat.simulators.oktell.states import LineState, UserState
from nabat.simulators.oktell.user_rules import BadValue, SetUserStateRequest, apply_request
from nabat.system.wire.oktell import (
    AbonentInfo,
    AbonentInfoReply,
    ChainContent,
    CommutationElement,
    ReadyUsers,
    ScriptReply,
    UserStateReply,
    dump_json,
    write_ready_users,
    write_script_reply,
    write_user_state,
)

XML_UTF16 = "text/xml; charset=utf-16"
XML_UTF8 = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
PLAIN = "text/plain; charset=utf-8"
MAX_TIMEOUT_SECONDS = 86_400.0
STARTRESULT_OK = 0
STARTRESULT_UNKNOWN = 1
STARTRESULT_FAILED = 2


def ok(body: bytes = b"", content_type: str = PLAIN) -> Response:
    headers = [("Content-Type", content_type)] if body else []
    return Response(200, headers, body)


# --- who the command acts for -------------------------------------------------------
def acting_line(request: OktellRequest, pbx: OktellPbx) -> Line:
    for name in ("line", "user", "wp"):
        value = request.params.get(name)
        if value is not None:
            try:
                return pbx.directory.resolve(value)
            except LookupFailed as error:
                raise OktellError(404, str(error)) from None
            except Ambiguous as error:
                raise OktellError(409, str(error)) from None
    raise OktellError(400, "one of the parameters line, user or wp is required")


def acting_user(request: OktellRequest, pbx: OktellPbx) -> tuple[User, Line]:
    line = acting_line(request, pbx)
    user = pbx.directory.user_on(line.id)
    if user is None:
        raise OktellError(404, f"no user works on line {line.number}")
    return user, line


# --- tst_* --------------------------------------------------------------------------
@command("tst_getuserstate")
def get_user_state(request: OktellRequest, pbx: OktellPbx) -> Response:
    # The spec's example passes iduser= although its text says number: both are accepted.
    value = (
        request.params.get("iduser") or request.params.get("number") or request.params.get("user")
    )
    if not value:
        raise OktellError(400, "iduser (or number) is required")
    try:
        line = pbx.directory.resolve(value)
    except LookupFailed as error:
        raise OktellError(404, str(error)) from None
    except Ambiguous as error:
        raise OktellError(409, str(error)) from None
    user = pbx.directory.user_on(line.id)
    if user is None:
        raise OktellError(404, f"no user works on line {line.number}")
    reply = UserStateReply(user.id, user.state.code, user.state.label)
    return ok(write_user_state(reply), XML_UTF16)


@command("tst_getintnumberreadyusers")
def get_ready_users(request: OktellRequest, pbx: OktellPbx) -> Response:
    number = request.params.get("number", "").strip()
    if not number:
        raise OktellError(400, "number is required")
    directory = pbx.directory
    group = directory.groups.get(number)
    if group is not None:
        members = [directory.users[user_id] for user_id in group.members]
    else:
        user = directory.user_by_number(number)
        line = directory.line_by_number(number)
        if user is None and line is not None:
            user = directory.user_on(line.id)
        if user is None:
            raise OktellError(404, f"no internal number {number}")
        members = [user]
    free = [user for user in members if is_free(user, pbx)]
    busy = len(members) - len(free)
    reply = ReadyUsers(number, len(free), busy, tuple(user.number for user in free))
    return ok(write_ready_users(reply), XML_UTF8)


def is_free(user: User, pbx: OktellPbx) -> bool:
    line = pbx.directory.lines[user.line_id]
    return user.state is UserState.READY and line.state is LineState.FREE


# --- wp_setuserstate ----------------------------------------------------------------
@command("wp_setuserstate")
def set_user_state(request: OktellRequest, pbx: OktellPbx) -> Response:
    user, line = acting_user(request, pbx)
    try:
        outcome = apply_request(
            user, pbx.calls.talking(line), SetUserStateRequest.from_params(request.params)
        )
    except BadValue as error:
        raise OktellError(400, str(error)) from None
    pbx.note("setuserstate", user=user.login, state=user.state.label, **outcome.to_json())
    return ok()


# --- calls --------------------------------------------------------------------------
def _call_parameters(request: OktellRequest) -> tuple[str, str | None, str]:
    number = request.params.get("number", "").strip()
    if not number:
        raise OktellError(400, "number is required")
    if len(number) > 64 or not all(c.isalnum() or c in "+*#" for c in number):
        raise OktellError(400, f"number {number!r} is not a phone number")
    direction = request.params.get("direction", "").strip().lower() or None
    if direction not in (None, "pbx", "city"):
        raise OktellError(400, "direction must be pbx or city")
    sequence = request.params.get("sequence", "").strip().lower() or "direct"
    if sequence not in ("direct", "back"):
        raise OktellError(400, "sequence must be direct or back")
    return number, direction, sequence


def _start(pbx: OktellPbx, line: Line | None, request: OktellRequest) -> Call:
    number, direction, sequence = _call_parameters(request)
    try:
        return pbx.calls.start(line, number, direction, sequence)
    except CallRefused as refused:
        raise OktellError(refused.status, refused.text) from None


@command("wp_autocallstart")
def autocall_start(request: OktellRequest, pbx: OktellPbx) -> Response:
    _start(pbx, acting_line(request, pbx), request)
    return ok()


@command("wp_switchcall")
def switch_call(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    call = pbx.calls.call_of(line)
    if call is None:
        _start(pbx, line, request)  # an idle line: the spec says it starts an autocall
        return ok()
    _call_parameters(request)
    if line.state is LineState.COMMUTATED:
        pbx.calls.flash(line)
    # the held party is transferred to the new number: this line's call ends and it dials
    pbx.calls.hang_up(call, "transferred")
    _start(pbx, line, request)
    return ok()


@command("wp_autocallstop")
def autocall_stop(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    call = pbx.calls.call_of(line)
    if call is None:
        raise OktellError(409, f"no autocall session on line {line.number}")
    pbx.calls.hang_up(call, "stopped")
    return ok()


@command("wp_flash")
def flash(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    try:
        pbx.calls.flash(line)
    except CallRefused as refused:
        raise OktellError(refused.status, refused.text) from None
    return ok()


@command("wp_declinecall")
def decline_call(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    try:
        pbx.calls.decline(line)
    except CallRefused as refused:
        raise OktellError(refused.status, refused.text) from None
    return ok()


def _party(pbx: OktellPbx, call: Call) -> tuple[User | None, Line | None]:
    directory = pbx.directory
    if call.direction == "pbx":
        user = directory.user_by_number(call.number)
        line = directory.lines[user.line_id] if user else directory.line_by_number(call.number)
        return user, line
    trunk = directory.lines.get(call.trunk_id or "")
    return None, trunk


def _time(pbx: OktellPbx, simulated: float | None) -> datetime | None:
    if simulated is None:
        return None
    return datetime.fromtimestamp(round(pbx.clock.wall_of(simulated)))


@command("wp_getchaincontent")
def chain_content(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    call = pbx.calls.call_of(line)
    if call is None:
        raise OktellError(404, f"line {line.number} takes part in no chain")
    user = pbx.directory.user_on(line.id)
    other_user, other_line = _party(pbx, call)
    started = _time(pbx, call.created)
    assert started is not None
    element = CommutationElement(
        connectiontype=3 if call.direction == "pbx" else 1,
        btext=other_user.name if other_user else call.number,
        aisuser=user is not None,
        atext=user.name if user else line.name,
        connectiontypestr="ctInnerInner" if call.direction == "pbx" else "ctInnerOuter",
        buserid=other_user.id if other_user else "",
        ausername=user.name if user else "",
        aoutnumber=user.number if user else line.number,
        blineid=other_line.id if other_line else "",
        auserlogin=user.login if user else "",
        bisuser=other_user is not None,
        buserlogin=other_user.login if other_user else "",
        auserid=user.id if user else "",
        busername=other_user.name if other_user else "",
        timeanswer=_time(pbx, call.answered),
        isrecorded=pbx.recorder is not None,
        commutationid=call.commutation_id,
        bnumberdialed="",
        timestart=started,
        boutnumber=call.number,
        anumberdialed="" if call.incoming else call.number,
        alinenumber=line.number,
        blinenumber=other_line.number if other_line else "",
        alineid=line.id,
    )
    content = ChainContent(started, (element,), "", call.chain_id)
    return ok(dump_json(content), JSON)


@command("wp_getabonentinfo")
def abonent_info(request: OktellRequest, pbx: OktellPbx) -> Response:
    line = acting_line(request, pbx)
    call = pbx.calls.call_of(line)
    info = None
    if call is not None:
        other_user, other_line = _party(pbx, call)
        name = other_user.name if other_user else call.number
        info = AbonentInfo(
            cansendfiles=False,
            isconference=False,
            callerlineid=other_line.id if other_line else "",
            callercomment="",
            isuser=other_user is not None,
            callername=name,
            canswitchtoconf=False,
            callerusername=other_user.name if other_user else "",
            commutationid=call.commutation_id,
            calleruserlogin=other_user.login if other_user else "",
            callerdescription="",
            callerlinenum=other_line.number if other_line else "",
            isivr=False,
            callerid=call.number,
            callersimple=name,
            calleruserid=other_user.id if other_user else "",
            canfax=other_line is not None and other_line.kind != EXTERNAL,
            canvideo=False,
            chainid=call.chain_id,
            isextline=call.direction == "city",
        )
    reply = AbonentInfoReply(info, line.state.label, line.state.code)
    return ok(dump_json(reply), JSON)


# --- service scripts ------------------------------------------------------------------
def script_arguments(request: OktellRequest) -> tuple[str, list[str], bool, float | None]:
    """name, startparam1..5, async, timeout (None: wait to the end) of an execsvcscript."""
    params = request.params
    name = params.get("name", "").strip()
    if not name:
        raise OktellError(400, "name is required")
    startparams = [params.get(f"startparam{index}", "") for index in range(1, 6)]
    mode = params.get("async", "0").strip() or "0"
    if mode not in ("0", "1"):
        raise OktellError(400, "async must be 0 or 1")
    raw_timeout = params.get("timeout", "").strip()
    timeout: float | None = None
    if raw_timeout:
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise OktellError(400, f"timeout {raw_timeout!r} is not a number of seconds") from None
        if not 0 <= timeout <= MAX_TIMEOUT_SECONDS:
            raise OktellError(400, f"timeout must be within [0, {MAX_TIMEOUT_SECONDS:.0f}]")
    return name, startparams, mode == "1", timeout


async def run_from_request(request: OktellRequest, pbx: OktellPbx) -> ScriptResult:
    name, startparams, asynchronous, timeout = script_arguments(request)
    if asynchronous:
        started = pbx.start_script(name, startparams)
        return started if isinstance(started, ScriptResult) else ScriptResult(timed_out=True)
    return await pbx.run_script(name, startparams, timeout)


def script_reply(result: ScriptResult) -> ScriptReply:
    if not result.started:
        return ScriptReply(False, STARTRESULT_UNKNOWN, None)
    if result.error is not None:
        return ScriptReply(True, STARTRESULT_FAILED, None)
    return ScriptReply(True, STARTRESULT_OK, None if result.timed_out else result.return_value)


@command("execsvcscript")
async def exec_svc_script(request: OktellRequest, pbx: OktellPbx) -> Response:
    result = await run_from_request(request, pbx)
    return ok(write_script_reply(script_reply(result)), XML_UTF16)


@command("execsvcscriptplain")
async def exec_svc_script_plain(request: OktellRequest, pbx: OktellPbx) -> Response:
    result = await run_from_request(request, pbx)
    if not result.started:
        raise OktellError(404, result.error or "no such service script")
    if result.error is not None:
        raise OktellError(500, f"the script failed: {result.error}")
    output = result.output if result.output is not None else ""
    return Response(200, [("Content-Type", PLAIN)], output.encode("utf-8"))
