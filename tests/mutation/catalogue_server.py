"""Deviations the server suite must catch, written into the notification server
(``system/``). See catalogue.py and mutant.py.

One small change each, of the kind a vendor could ship, across the classes of
deviation: wrong codes and words, missing, extra or reordered fields, wire
encoding and escaping, boundaries, state rules (an entity deleted while in
use, a refused transition allowed), rights, timestamps, ignored parameters,
accepting what must be refused and refusing what must be accepted. The level
is that of the statement broken (``statement``, a clause of
conformance/server/clauses.py): MUST for the spec and the rulings, SHOULD for
the project's own decisions (docs/protocol.md, "(project)").
"""

from __future__ import annotations

from tests.mutation.mutant import Edit, Mutant, mutant

S = "server"

_SESSION_CHECKS = (
    "            command = lookup(line.command)\n"
    "            authorize(command, self.rights, line.command)\n"
    "            if command.multiline_request:\n"
    "                self._assembler.feed(line)  # the BEGIN line\n"
    "                return\n"
    "            args = decode_args(command, line.params, line.command)\n"
)
_SESSION_COUNT_FIRST = (
    "            command = lookup(line.command)\n"
    "            if command.multiline_request:\n"
    "                authorize(command, self.rights, line.command)\n"
    "                self._assembler.feed(line)  # the BEGIN line\n"
    "                return\n"
    "            args = decode_args(command, line.params, line.command)\n"
    "            authorize(command, self.rights, line.command)\n"
)
_PHONES_THEN_EMAILS = (
    "    for phone in abonent.phones:\n"
    "        yield Line(word, (PHONE, *phone.to_params()))\n"
    "    for email in abonent.email_params():\n"
    "        yield Line(word, (EMAIL, *email))\n"
)
_EMAILS_THEN_PHONES = (
    "    for email in abonent.email_params():\n"
    "        yield Line(word, (EMAIL, *email))\n"
    "    for phone in abonent.phones:\n"
    "        yield Line(word, (PHONE, *phone.to_params()))\n"
)

SERVER: list[Mutant] = [
    # --- wire: encoding, escaping, framing, words ------------------------------------
    mutant("SRV-UTF8", S, "MUST", "text is UTF-8 instead of windows-1251",
           "system/protocol/escaping.py", 'ENCODING = "cp1251"', 'ENCODING = "utf-8"',
           statement="SRV-WIRE-CP1251"),
    mutant("SRV-REPLY-BARE-LF", S, "MUST", "reply lines end in a bare LF (Unix newline)",
           "system/protocol/lines.py", "data = b\"\".join((word, b\" \", joined, TERMINATOR))",
           "data = b\"\".join((word, b\" \", joined, b\"\\n\"))", statement="SRV-WIRE-CRLF"),
    mutant("SRV-TAB-RAW", S, "MUST", "a tab inside a reply parameter is sent raw, not as %09",
           "system/protocol/lines.py", 'rb"[\\x01-\\x20%\\x7f]"',
           'rb"[\\x01-\\x08\\x0a-\\x20%\\x7f]"', statement="SRV-WIRE-ESCAPE"),
    mutant("SRV-HEX-UPPER-ONLY", S, "MUST", "%xx with lower-case hex digits is refused",
           "system/protocol/escaping.py", '_HEX_DIGITS = b"0123456789abcdefABCDEF"',
           '_HEX_DIGITS = b"0123456789ABCDEF"', statement="SRV-WIRE-ESCAPE-ANYCASE"),
    mutant("SRV-TRAILING-SPACE-STRIPPED", S, "MUST",
           "trailing spaces of a request line are stripped (a trailing empty parameter is lost)",
           "system/protocol/lines.py", 'parts = body.split(b" ")',
           'parts = body.rstrip(b" ").split(b" ")', statement="SRV-WIRE-EMPTY-PARAM"),
    mutant("SRV-ERR-NO-TEXT", S, "MUST", "error replies carry the code without a text",
           "system/protocol/errors.py",
           "return Line(word, (error.code, error.text if text is None else text))",
           "return Line(word, (error.code,))", statement="SRV-REPLY-ERROR-TEXT"),
    mutant("SRV-LISTING-BEGIN-COUNT", S, "MUST",
           "GETLISTS BEGIN carries a row count, as GETTASKS does",
           "system/server/handlers/lists.py",
           "await call.reply(listing(call.word, (dlist.to_params() for dlist in lists)))",
           "await call.reply(listing(call.word, (dlist.to_params() for dlist in lists),"
           " (str(len(lists)),)))", statement="SRV-LISTING-SHAPE"),
    mutant("SRV-EXTRA-PARAMS-IGNORED", S, "MUST",
           "surplus parameters are ignored instead of ERR_BADARGUMENT_COUNT",
           "system/protocol/commands.py",
           "if command.min_params <= len(params) <= command.max_params:",
           "if command.min_params <= len(params):", statement="SRV-ERR-BADARGUMENT-COUNT"),
    # --- session, login and access -------------------------------------------------------
    mutant("SRV-HASP-FIVE-FIELDS", S, "MUST", "the HASP line has five fields (no e1)",
           "system/protocol/records.py",
           "FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {Form.FULL: tuple(CODECS)}",
           "FORMS: ClassVar[Mapping[Form, tuple[str, ...]]] = {Form.FULL: tuple(CODECS)[:5]}",
           statement="SRV-LOGIN-OK-HASP"),
    mutant("SRV-HASP-EMAIL-ZERO", S, "MUST",
           "the HASP line says e-mail 0 although e-mail tasks start",
           "system/licence/model.py", "email=self.email,", "email=False,",
           statement="SRV-HASP-CONSISTENT"),
    mutant("SRV-LOGIN-NO-WELCOME", S, "MUST", "LOGIN OK without the welcome parameter",
           "system/protocol/messages.py", 'Line("LOGIN", (OK, welcome))', 'Line("LOGIN", (OK,))',
           statement="SRV-LOGIN-OK"),
    mutant("SRV-BADLOGIN-AS-NOACCESS", S, "MUST", "a wrong password answers ERR_NOACCESS",
           "system/server/handlers/basic.py",
           "user = await _verify(call, ErrorCode.BADLOGIN)",
           "user = await _verify(call, ErrorCode.NOACCESS)", statement="SRV-LOGIN-BADLOGIN"),
    mutant("SRV-CHECKPASSW-AS-BADLOGIN", S, "MUST", "CHECKPASSW's failure answers ERR_BADLOGIN",
           "system/server/handlers/basic.py",
           "user = await _verify(call, ErrorCode.CHECKPASSW)",
           "user = await _verify(call, ErrorCode.BADLOGIN)", statement="SRV-ERR-CHECKPASSW"),
    mutant("SRV-GETLISTS-WITHOUT-LOGIN", S, "MUST", "GETLISTS works before LOGIN",
           "system/protocol/commands.py",
           '            row=dlist,\n            section="Получения списков рассылок",',
           '            row=dlist,\n            rights=None,\n'
           '            section="Получения списков рассылок",',
           statement="SRV-ERR-NOACCESS-BEFORE-LOGIN"),
    mutant("SRV-COUNT-BEFORE-ACCESS", S, "MUST",
           "the parameter count is checked before access: GETTASK without its id before LOGIN "
           "answers ERR_BADARGUMENT_COUNT", "system/server/session.py",
           _SESSION_CHECKS, _SESSION_COUNT_FIRST, statement="SRV-ERR-NOACCESS-BEFORE-LOGIN"),
    mutant("SRV-PING-NEEDS-LOGIN", S, "MUST", "PING before LOGIN answers ERR_NOACCESS",
           "system/protocol/commands.py", 'Command("PING", "keep-alive", rights=None)',
           'Command("PING", "keep-alive")', statement="SRV-ERR-NOACCESS-BEFORE-LOGIN"),
    # --- tasks ---------------------------------------------------------------------------
    mutant("SRV-GETTASKS-COUNT-OFF", S, "MUST", "GETTASKS BEGIN counts one row less",
           "system/server/handlers/tasks.py", "(str(len(rows)),)", "(str(len(rows) - 1),)",
           statement="SRV-GETTASKS-COUNT"),
    mutant("SRV-GETTASK-WITH-STATUS", S, "MUST", "GETTASK OK carries the status too (14 fields)",
           "system/protocol/records.py", 'Form.FULL: ("id", "ttype", *_TASK_BODY),',
           'Form.FULL: ("id", "ttype", "status", *_TASK_BODY),', statement="SRV-GETTASK-OK"),
    mutant("SRV-TASK-CHANNELS-DROPPED", S, "MUST", "a task's channel string is not stored",
           "system/store/tasks.py", "        task.channels, task.schedule,",
           '        "", task.schedule,', statement="SRV-GETTASK-OK"),
    mutant("SRV-STOPTASK-OWN-WORD", S, "MUST", "STOPTASK answers STOPTASK OK, not UPDATETASK OK",
           "system/server/handlers/tasks.py",
           "    summary = await call.context.engine.stop(current.id)\n"
           "    await call.reply([task_status_line(summary)])",
           "    summary = await call.context.engine.stop(current.id)\n"
           "    await call.reply([ok_line(call.word, summary.to_params())])",
           statement="SRV-STOPTASK-UPDATETASK"),
    mutant("SRV-STARTTASK-UNKNOWN-CODE", S, "MUST",
           "STARTTASK of an unknown task answers ERR_UPDATETASK, not ERR_GETTASK",
           "system/server/error_map.py", '"STARTTASK": CommandErrors(E.UPDATETASK, NO_TASK),',
           '"STARTTASK": CommandErrors(E.UPDATETASK),', statement="SRV-ERR-GETTASK"),
    mutant("SRV-GETREPORT-NEVER-RAN-EMPTY", S, "MUST",
           "GETREPORT of a task that never ran answers an empty report",
           "system/server/handlers/tasks.py",
           "    if report is None:\n        raise CommandFailed(ErrorCode.TASKNOTRUNNING)",
           '    if report is None:\n        report = ("HTML", b"")',
           statement="SRV-ERR-TASKNOTRUNNING"),
    mutant("SRV-GETREPORT-MIME", S, "MUST", "GETREPORT BEGIN names the format text/html",
           "system/engine/report/formats.py", '    HTML = "HTML"',
           '    HTML = "text/html"', statement="SRV-GETREPORT-FILE"),
    mutant("SRV-GETREPORT-XLS-IS-HTML", S, "MUST",
           "an XLS report whose data is the HTML page",
           "system/engine/report/__init__.py",
           "        return write_xls(data, limits or XLS_LIMITS)",
           "        return write_html(data)", statement="SRV-GETREPORT-CONTENT"),
    mutant("SRV-GETREPORT-FORMAT-IGNORED", S, "SHOULD",
           "GETREPORT ignores the format asked for",
           "system/server/handlers/tasks.py",
           'call.context.engine.report(task_id, call.args.get("format") or None)',
           "call.context.engine.report(task_id, None)", statement="SRV-GETREPORT-FORMAT-PARAM"),
    mutant("SRV-GETREPORT-UNKNOWN-CODE", S, "MUST",
           "GETREPORT of an unknown task answers ERR_GETTASK",
           "system/server/handlers/tasks.py", "raise CommandFailed(ErrorCode.GETREPORT)",
           "raise CommandFailed(ErrorCode.GETTASK)", statement="SRV-ERR-GETREPORT"),
    mutant("SRV-MONITORING-SILENT-UPDATE", S, "MUST",
           "a status change made by UPDATETASK is not sent to MONITORING sessions",
           "system/server/handlers/tasks.py",
           "    if summary.status != current.status:\n        call.context.hub.publish(summary)",
           "    if summary.status != current.status:\n        pass",
           statement="SRV-MONITORING-UNSOLICITED"),
    # --- groups, lists, abonents ---------------------------------------------------------
    mutant("SRV-DELGROUP-CASCADE", S, "MUST",
           "DELGROUP of a group holding abonents deletes them with it",
           "system/store/groups.py",
           '                raise InUse("group", group_id, by=f"abonent {member[0]}")',
           '                conn.execute("DELETE FROM abonents WHERE group_id = ?", (group_id,))',
           statement="SRV-DELGROUP-IN-USE"),
    mutant("SRV-DELLIST-CASCADE", S, "MUST",
           "DELLIST also deletes the abonents added to the list",
           "system/store/lists.py",
           '            conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))',
           '            conn.execute("DELETE FROM abonents WHERE id IN (SELECT abonent_id FROM'
           ' list_abonents WHERE list_id = ?)", (list_id,))\n'
           '            conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))',
           statement="SRV-DELLIST-KEEPS-MEMBERS"),
    mutant("SRV-LISTUSE-AS-DELLIST", S, "MUST", "DELLIST of a list in use answers ERR_DELLIST",
           "system/server/error_map.py",
           '"DELLIST": CommandErrors(E.DELLIST, {(InUse, "list"): E.LISTUSE}),',
           '"DELLIST": CommandErrors(E.DELLIST),', statement="SRV-ERR-LISTUSE"),
    mutant("SRV-MESSAGEUSE-AS-DELMESSAGE", S, "MUST",
           "DELMESSAGE of a message in use answers ERR_DELMESSAGE",
           "system/server/error_map.py",
           '"DELMESSAGE": CommandErrors(E.DELMESSAGE, {(InUse, "message"): E.MESSAGEUSE}),',
           '"DELMESSAGE": CommandErrors(E.DELMESSAGE),', statement="SRV-ERR-MESSAGEUSE"),
    mutant("SRV-GETGROUPS-LID-IGNORED", S, "MUST", "GETGROUPS <lid> lists every group",
           "system/server/handlers/groups.py",
           'groups = await blocking(call.store.groups.all, call.args["lid"])',
           'groups = await blocking(call.store.groups.all, call.args.get("id"))',
           statement="SRV-GETGROUPS-BY-LIST"),
    mutant("SRV-UPDATLIST-ECHOES-UPDATELIST", S, "MUST",
           "UPDATLIST is answered with the word UPDATELIST",
           "system/server/handlers/lists.py",
           "    dlist = await blocking(call.store.lists.update, DistributionList(**call.args))\n"
           "    await call.reply([ok_line(call.word, dlist.to_params())])",
           "    dlist = await blocking(call.store.lists.update, DistributionList(**call.args))\n"
           '    await call.reply([ok_line("UPDATELIST", dlist.to_params())])',
           statement="SRV-UPDATLIST-ECHO"),
    mutant("SRV-LISTDELABONENTS-CODE", S, "MUST",
           "LISTDELABONENTS' failure answers the groups' code ERR_LISTADDGROUPS",
           "system/server/error_map.py",
           '"LISTDELABONENTS": CommandErrors(E.LISTDELABONENTS),',
           '"LISTDELABONENTS": CommandErrors(E.LISTDELGROUPS),',
           statement="SRV-ERR-LISTDELABONENTS"),
    mutant("SRV-MEMBERS-ECHO-WITHOUT-LID", S, "MUST",
           "LISTADD*/LISTDEL* OK echo the ids without the list id",
           "system/server/handlers/lists.py", "(str(lid), ids_param(ids))", "(ids_param(ids),)",
           statement="SRV-LISTADDABONENTS-OK"),
    mutant("SRV-MOVE-FIRST-ONLY", S, "MUST", "GROUPADDABONENTS moves only the first abonent",
           "system/store/groups.py", "for abonent_id in set(abonent_ids)]",
           "for abonent_id in abonent_ids[:1]]", statement="SRV-GROUPADDABONENTS-OK"),
    mutant("SRV-FILTER-BOTH-IGNORES-GROUP", S, "MUST",
           "GETABONENTS <gid> <lid> ignores the group", "system/store/abonent_reads.py",
           "    if gid is not None:\n", "    if gid is not None and lid is None:\n",
           statement="SRV-GETABONENTS-FILTER"),
    mutant("SRV-PHONE-ALWAYS-ENABLED", S, "MUST", "every PHONE line reports enabled 1",
           "system/store/abonent_rows.py", "enabled=bool(enabled)", "enabled=True",
           statement="SRV-ADDABONENT-OK"),
    mutant("SRV-RANK-DEPARTMENT-SWAPPED", S, "MUST",
           "an abonent's department and rank are stored in each other's place",
           "system/store/abonent_rows.py",
           "abonent.ipaddress, abonent.organization, abonent.department, abonent.rank,",
           "abonent.ipaddress, abonent.organization, abonent.rank, abonent.department,",
           statement="SRV-ADDABONENT-OK"),
    mutant("SRV-PIN-DROPPED", S, "MUST", "an abonent's PIN is not stored",
           "system/store/abonent_rows.py",
           "to_db(abonent.experiodend), abonent.pin,", 'to_db(abonent.experiodend), "",',
           statement="SRV-ADDABONENT-OK"),
    mutant("SRV-EXPERIOD-END-AS-BEGIN", S, "MUST",
           "the exclusion period's end is stored as its beginning",
           "system/store/abonent_rows.py",
           "to_db(abonent.experiodbegin), to_db(abonent.experiodend),",
           "to_db(abonent.experiodbegin), to_db(abonent.experiodbegin),",
           statement="SRV-TIMESTAMP-FORMAT"),
    # --- timestamps (ruling 11, spec fields) ---------------------------------------------
    mutant("SRV-TIMESTAMP-SPACE", S, "MUST", "timestamps are written with a space instead of T",
           "system/protocol/fields.py", 'return value.isoformat(timespec="seconds")',
           'return value.isoformat(sep=" ", timespec="seconds")',
           statement="SRV-TIMESTAMP-FORMAT"),
    mutant("SRV-TIMESTAMP-ZONE", S, "MUST", "timestamps carry the zone offset (+03:00)",
           "system/protocol/fields.py", 'return value.isoformat(timespec="seconds")',
           'return value.astimezone().isoformat(timespec="seconds")',
           statement="SRV-TIMESTAMP-FORMAT"),
    mutant("SRV-TIMESTAMP-UNSET-EPOCH", S, "MUST", "an unset timestamp is 1970-01-01T00:00:00",
           "system/protocol/fields.py",
           '    if value is None:\n        return ""\n    if not isinstance(value, datetime):',
           '    if value is None:\n        return "1970-01-01T00:00:00"\n'
           '    if not isinstance(value, datetime):', statement="SRV-TIMESTAMP-FORMAT"),
    mutant("SRV-CREATETIME-RESET", S, "MUST", "UPDATEABONENT sets createtime to now",
           "system/store/abonents.py", ', edit_time = ?"\n    " WHERE id = ?"',
           ', edit_time = ?, create_time = strftime(\'%Y-%m-%dT%H:%M:%S\', \'now\','
           ' \'localtime\')"\n    " WHERE id = ?"', statement="SRV-ABONENT-TIMES"),
    mutant("SRV-EDITTIME-FROZEN", S, "MUST", "UPDATEABONENT leaves edittime as it was",
           "system/store/abonents.py", ', edit_time = ?"\n    " WHERE id = ?"',
           ', edit_time = COALESCE(edit_time, ?)"\n    " WHERE id = ?"',
           statement="SRV-ABONENT-TIMES"),
    # --- project commands with spec codes --------------------------------------------------
    mutant("SRV-TTS-VOICE-FALLBACK", S, "MUST",
           "TTS with an unknown voice falls back to the first voice instead of ERR_GETTTS",
           "system/server/handlers/tts.py",
           "        raise _failed(f\"no voice {voice!r}; GETTTS lists the voices\")",
           "        voice = (await _voices(synthesiser))[0].name", statement="SRV-ERR-GETTTS"),
    mutant("SRV-GETLOG-MISSING-EMPTY", S, "MUST",
           "GETLOG of a day without a log answers an empty listing",
           "system/server/handlers/logs.py",
           '        raise CommandFailed(ErrorCode.NOLOGFILE, f"{ErrorCode.NOLOGFILE.text}'
           ' ({day.isoformat()})")',
           "        await call.reply([Line(call.word, (BEGIN,)), Line(call.word, (END,))])\n"
           "        return", statement="SRV-ERR-NOLOGFILE"),
    mutant("SRV-MOVE-UNKNOWN-IGNORED", S, "MUST",
           "GROUPADDABONENTS moves the known abonents and ignores unknown ids",
           "system/store/groups.py",
           '            require_ids(conn, "abonents", abonent_ids, "abonent")\n            now',
           "            now", statement="SRV-ERR-GROUPADDABONENTS"),
    mutant("SRV-MONITORING-SILENT-START", S, "MUST",
           "STARTTASK and STOPTASK are not sent to MONITORING sessions",
           "system/engine/engine.py",
           "        self._publish(summary)\n        return summary\n",
           "        return summary\n", count=2, statement="SRV-MONITORING-UNSOLICITED"),
    mutant("SRV-USERALREADY-AS-USERADD", S, "MUST", "USERADD of a taken login answers ERR_USERADD",
           "system/server/error_map.py",
           '"USERADD": CommandErrors(E.USERADD, {(AlreadyExists, "user"): E.USERALREADY}),',
           '"USERADD": CommandErrors(E.USERADD),', statement="SRV-ERR-USERALREADY"),
    # --- SHOULD: the project's decisions ---------------------------------------------------
    mutant("SRV-BYTE-98-REPLACED", S, "SHOULD",
           "byte 0x98 (undefined in windows-1251) is silently replaced, not refused",
           "system/protocol/escaping.py", "        return raw.decode(ENCODING)\n",
           '        return raw.decode(ENCODING, errors="replace")\n',
           statement="SRV-WIRE-MALFORMED-PARAM"),
    mutant("SRV-ID-MAX-REFUSED", S, "SHOULD",
           "the largest id 2147483647 is refused as malformed (off by one)",
           "system/protocol/fields.py", "not low <= int(raw) <= INT_MAX",
           "not low <= int(raw) < INT_MAX", statement="SRV-FIELD-ID"),
    mutant("SRV-TIMESTAMP-SPACE-ACCEPTED", S, "SHOULD",
           "a timestamp with a space instead of T is accepted",
           "system/protocol/fields.py",
           '_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T',
           '_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]',
           statement="SRV-TIMESTAMP-REFUSE"),
    mutant("SRV-RELOGIN-FAILURE-KEEPS-SESSION", S, "SHOULD",
           "a failed LOGIN in a logged-in session leaves it logged in",
           "system/server/handlers/basic.py",
           "            call.session.log_out()  # a failed LOGIN logs the session out (project)",
           "            pass", statement="SRV-LOGIN-RELOGIN"),
    mutant("SRV-USERCHG-EMPTY-PASSWORD", S, "SHOULD",
           "USERCHG with an empty password sets an empty password instead of keeping the old",
           "system/store/users.py", "if user.password else None",
           "if user.password is not None else None", statement="SRV-USERCHG-KEEP-PASSWORD"),
    mutant("SRV-READONLY-STARTTASK", S, "SHOULD", "a read-only user may STARTTASK",
           "system/protocol/commands.py",
           "            rights=OP,\n            reply_word=UPDATETASK,\n"
           "            errors=(E.GETTASK, E.NOHASP",
           "            rights=RO,\n            reply_word=UPDATETASK,\n"
           "            errors=(E.GETTASK, E.NOHASP", statement="SRV-RIGHTS-EVERY-COMMAND"),
    mutant("SRV-OPERATOR-USERADD", S, "SHOULD", "an operator may USERADD",
           "system/protocol/commands.py",
           "            record=User,\n            rights=ADMIN,\n"
           "            errors=(E.USERALREADY, E.USERADD),",
           "            record=User,\n            rights=OP,\n"
           "            errors=(E.USERALREADY, E.USERADD),", statement="SRV-RIGHTS-EVERY-COMMAND"),
    mutant("SRV-READONLY-NO-GETTASKS", S, "SHOULD", "GETTASKS needs operator rights",
           "system/protocol/commands.py",
           '            row=task_summary,\n            section="Получение списка заданий",',
           '            row=task_summary,\n            rights=OP,\n'
           '            section="Получение списка заданий",', statement="SRV-RIGHTS-READS"),
    mutant("SRV-STARTTASK-RUNNING-REFUSED", S, "SHOULD",
           "STARTTASK of a running task is refused instead of answering its status",
           "system/server/handlers/tasks.py",
           "    if task.status is TaskStatus.RUNNING:\n"
           "        summary = await blocking(call.store.tasks.summary, task.id)\n"
           "        await call.reply([task_status_line(summary)])\n        return\n",
           "", statement="SRV-STARTTASK-RUNNING"),
    mutant("SRV-DELTASK-RUNNING", S, "SHOULD", "a running task can be deleted",
           "system/server/handlers/tasks.py",
           "    if current.status is TaskStatus.RUNNING:\n"
           "        raise CommandFailed(ErrorCode.DELTASK,",
           "    if current.status is None:\n        raise CommandFailed(ErrorCode.DELTASK,",
           statement="SRV-DELTASK-RUNNING"),
    mutant("SRV-LISTCLEAR-KEEPS-GROUPS", S, "SHOULD", "LISTCLEAR leaves the list's groups in it",
           "system/store/lists.py",
           '            conn.execute("DELETE FROM list_groups WHERE list_id = ?", (list_id,))\n'
           "\n    def _add(",
           "\n    def _add(", statement="SRV-LISTCLEAR"),
    Mutant("SRV-EMAILS-BEFORE-PHONES", S, "SHOULD",
           "an abonent's EMAIL lines come before its PHONE lines",
           "system/protocol/messages.py", (Edit(_PHONES_THEN_EMAILS, _EMAILS_THEN_PHONES),),
           statement="SRV-ABONENT-PHONES-FIRST"),
    mutant("SRV-MONITORING-OFF-IGNORED", S, "SHOULD",
           "MONITORING 0 does not stop the unsolicited lines",
           "system/server/handlers/basic.py", "        hub.unsubscribe(call.session)",
           "        pass", statement="SRV-MONITORING-OFF"),
    mutant("SRV-PHONE-AFTER-EMAIL", S, "SHOULD",
           "an ADDABONENT PHONE line after an EMAIL line is accepted",
           "system/protocol/requests.py", "    (P.EMAILS, Event.EMAIL): P.EMAILS,\n",
           "    (P.EMAILS, Event.EMAIL): P.EMAILS,\n    (P.EMAILS, Event.PHONE): P.EMAILS,\n",
           statement="SRV-MULTILINE-SEQUENCE"),
    mutant("SRV-DELABONENTS-PARTIAL", S, "SHOULD",
           "DELABONENTS deletes the known abonents and ignores unknown ids",
           "system/store/abonents.py",
           '            require_ids(conn, "abonents", abonent_ids, "abonent")\n'
           '            conn.executemany("DELETE FROM abonents',
           '            conn.executemany("DELETE FROM abonents', statement="SRV-DELABONENTS"),
    mutant("SRV-EMAIL-UNCHECKED", S, "SHOULD", "any text is accepted as an e-mail address",
           "system/protocol/fields.py", 'r"[^@\\s]+@[^@\\s]+"', 'r"\\S+"',
           statement="SRV-FIELD-VALUES"),
    mutant("SRV-RESTART-ANY-NUMBER", S, "SHOULD",
           "STARTTASK's restart flag accepts any number", "system/protocol/commands.py",
           '"restart": FLAG,', '"restart": UINT,', statement="SRV-FIELD-VALUES"),
    mutant("SRV-LIST-GROUPS-NOT-LISTED", S, "SHOULD",
           "GETABONENTS '' <lid> omits the abonents of the list's groups",
           "system/store/abonent_reads.py", '" OR group_id IN (SELECT group_id FROM list_groups',
           '" OR id IN (SELECT group_id FROM list_groups', statement="SRV-GETABONENTS-LIST-GROUPS"),
]
