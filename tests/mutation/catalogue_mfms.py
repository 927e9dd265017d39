"""Deviations the MFMS suite must catch, written into the MFMS HPG simulator
(``simulators/mfms``), the shared SMS delivery model
(``simulators/sms_platform/delivery.py``) and the HPG codec it uses
(``system/wire/hpg.py``): each is one small change of the kind a platform could
ship. The campaign runs the simulator over plain HTTP with its control API and
the suite expecting the http500 error profile (targets.py).

Left out as not deviations from mfms-hpg.ru.txt or the MFMS rulings (a mutant
there would be equivalent, not a miss):

- a ``+`` before the address, accepted or refused: the spec's Address type is
  "the user's identifier" and fixes no format beyond its examples;
- the Content-Type or charset of the answers: the spec names neither, and every
  answer line is ASCII (codes, ids, dates, reason tokens), so a latin-1 charset
  reads the same;
- an error line of two fields (``error-address-format;3`` without the empty
  providerId, ``error-provider-id-unknown;1003`` without status and dateTime):
  providerId, status and dateTime are optional fields that "may be absent";
- lines ending CRLF, or no LF after the last line: the spec fixes no line end;
- the order of the answer's lines when each carries its clientId or providerId;
- a 12-hour clock in dateTime: it differs only after noon of the platform's
  time, so a run's verdict would depend on the hour it runs.
"""

from __future__ import annotations

from tests.mutation.mutant import Edit, Mutant, mutant

M = "simulators/mfms/"
SERVICE, APP, QUERY = M + "service.py", M + "app.py", M + "query.py"
DELIVERY = "simulators/sms_platform/delivery.py"
HPG = "system/wire/hpg.py"

_OK_LINE = 'lines.append(f"{_OK};{client_id};{accept(submission, fail=fail)}")'
_SEND_LOOP = "        for record in records:\n            address, subject"
_STATUS_LOOP = "        for record in records:\n            provider_id = record.provider_id"
_SEND_SYNTAX = (
    "            records, _ = parse_send_records(pairs)\n        except HpgSyntaxError:\n"
    "            return self.request_error(ResponseCode.ERROR_SYNTAX)"
)
_STATUS_SYNTAX = (
    "            records, _ = parse_status_records(pairs)\n        except HpgSyntaxError:\n"
    "            return self.request_error(ResponseCode.ERROR_SYNTAX)"
)
_WRONG_PASSWORD = (
    "        if not good:\n            return None, self.request_error(ResponseCode.ERROR_AUTH)"
)
_STATUS_OK_LINE = (
    'lines.append(f"{_OK};{provider_id};{view.status.value};{moment};{view.reason or \'\'}")'
)

MFMS: list[Mutant] = [
    # --- SEND answer lines (§2.1, R-2) ----------------------------------------------
    mutant("MFMS-SEND-COMMA", "mfms", "MUST", "SEND lines separate their fields with ','",
           SERVICE, _OK_LINE,
           'lines.append(f"{_OK},{client_id},{accept(submission, fail=fail)}")',
           statement="MFMS-SEND-LINE-FORMAT"),
    mutant("MFMS-SEND-NO-CLIENTID", "mfms", "MUST", "an ok line is ok;providerId, no clientId",
           SERVICE, _OK_LINE, 'lines.append(f"{_OK};{accept(submission, fail=fail)}")',
           statement="MFMS-SEND-LINE-FORMAT"),
    mutant("MFMS-SEND-EMPTY-PROVIDERID", "mfms", "MUST",
           "an accepted message's line carries an empty providerId",
           SERVICE, _OK_LINE, 'accept(submission, fail=fail)\n'
           '                lines.append(f"{_OK};{client_id};")',
           statement="MFMS-SEND-PROVIDERID-IFF-OK"),
    mutant("MFMS-SEND-PROVIDERID-ON-ERROR", "mfms", "MUST",
           "a refused message's line carries a providerId",
           SERVICE, 'lines.append(f"{_SUBJECT_UNKNOWN};{client_id};")',
           'lines.append(f"{_SUBJECT_UNKNOWN};{client_id};0")',
           statement="MFMS-SEND-PROVIDERID-IFF-OK"),
    mutant("MFMS-SEND-ERROR-LINE-CODE-ONLY", "mfms", "MUST",
           "an error-subject-format line is the code alone, without the clientId",
           SERVICE, 'lines.append(f"{_SUBJECT_FORMAT};{client_id};")',
           'lines.append(f"{_SUBJECT_FORMAT}")', statement="MFMS-SEND-LINE-FORMAT"),
    mutant("MFMS-SEND-LAST-DROPPED", "mfms", "MUST",
           "the last message of a request gets no line (and is not sent)",
           SERVICE, _SEND_LOOP,
           "        for record in records[:-1]:\n            address, subject",
           statement="MFMS-SEND-LINE-FORMAT"),
    mutant("MFMS-SEND-HTTP500-ON-REFUSAL", "mfms", "MUST",
           "a request with a refused message is answered HTTP 500 (lines kept)",
           SERVICE, 'return HpgAnswer(200, "\\n".join(lines), accepted=accepted)',
           'return HpgAnswer(200 if accepted == len(records) else 500, "\\n".join(lines), '
           "accepted=accepted)", statement="MFMS-HTTP-200"),
    # --- providerIds ------------------------------------------------------------------
    mutant("MFMS-PROVIDERID-SAME", "mfms", "MUST", "every message gets the same providerId",
           DELIVERY, "        provider_id = str(next(self._ids))\n",
           "        provider_id = str(next(self._ids))\n"
           "        self._ids = itertools.count(int(provider_id))\n",
           statement="MFMS-SEND-PROVIDERID-UNIQUE"),
    mutant("MFMS-PROVIDERID-PER-REQUEST", "mfms", "MUST",
           "providerIds count from 7001 again in each request (unique within one only)",
           SERVICE, "        delivery = self.delivery\n        accept = delivery.accept",
           "        delivery = self.delivery\n        delivery._ids = iter(range(7001, 10**9))\n"
           "        accept = delivery.accept", statement="MFMS-SEND-PROVIDERID-UNIQUE"),
    # --- clientIds ----------------------------------------------------------------------
    mutant("MFMS-CLIENTID-FROM-ONE", "mfms", "MUST",
           "without clientIds the lines count 1, 2... instead of the indexes 0, 1...",
           HPG, "            client_id = str(index)\n", "            client_id = str(index + 1)\n",
           statement="MFMS-SEND-CLIENTID-INDEX"),
    mutant("MFMS-CLIENTID-IGNORED", "mfms", "SHOULD",
           "clientId[i] is ignored: lines always carry the index",
           HPG, 'client_id = record.get("clientId")', 'client_id = record.get("clientid")',
           statement="MFMS-SEND-CLIENTID-ECHO"),
    mutant("MFMS-CLIENTID-ROTATED", "mfms", "MUST",
           "each message's line carries the next message's clientId (mis-indexed)",
           HPG, "        for record, client_id in zip(records, client_ids, strict=True)\n"
           "    ], plain\n\n\ndef parse_status_records",
           "        for record, client_id in zip(records, client_ids[1:] + client_ids[:1], "
           "strict=True)\n    ], plain\n\n\ndef parse_status_records",
           statement="MFMS-SEND-CLIENTID-INDEX"),
    # --- per-message codes (§3) -----------------------------------------------------------
    mutant("MFMS-ADDRESS-FORMAT-AS-SYNTAX", "mfms", "MUST",
           "a malformed address is answered error-syntax",
           SERVICE, 'lines.append(f"{_ADDRESS_FORMAT};{client_id};")',
           'lines.append(f"{_SYNTAX};{client_id};")', statement="MFMS-CODE-ADDRESS-FORMAT"),
    mutant("MFMS-ADDRESS-ANY", "mfms", "MUST", "any address is accepted, letters included",
           SERVICE, "            if not is_address(address):", "            if False:",
           statement="MFMS-CODE-ADDRESS-FORMAT"),
    mutant("MFMS-ADDRESS-BLOCK-IGNORED", "mfms", "MUST",
           "a forbidden address is accepted", SERVICE,
           "            elif blocked and address.startswith(blocked):", "            elif False:",
           statement="MFMS-CODE-ADDRESS-UNKNOWN"),
    mutant("MFMS-SUBJECT-FORMAT-AS-UNKNOWN", "mfms", "MUST",
           "a malformed sender is answered error-subject-unknown",
           SERVICE, 'lines.append(f"{_SUBJECT_FORMAT};{client_id};")',
           'lines.append(f"{_SUBJECT_UNKNOWN};{client_id};")',
           statement="MFMS-CODE-SUBJECT-FORMAT"),
    Mutant("MFMS-SUBJECT-LONG-NAMES", "mfms", "MUST",
           "sender names up to 32 characters pass the format check",
           HPG, (Edit('_SUBJECT_NAME = re.compile(r"[A-Za-z0-9 ._-]{0,11}")',
                      '_SUBJECT_NAME = re.compile(r"[A-Za-z0-9 ._-]{0,32}")'),
                 Edit("        0 < len(text) <= 11\n", "        0 < len(text) <= 32\n")),
           statement="MFMS-CODE-SUBJECT-FORMAT"),
    mutant("MFMS-SUBJECT-ANY-CONNECTOR", "mfms", "MUST",
           "any well-formed sender is allowed for every connector",
           SERVICE, "            elif subject not in subjects:\n", "            elif False:\n",
           statement="MFMS-CODE-SUBJECT-UNKNOWN"),
    Mutant("MFMS-TEXT-OPTIONAL", "mfms", "MUST", "a message without text is sent (empty)",
           HPG, (Edit('SEND_REQUIRED = ("subject", "address", "text")',
                      'SEND_REQUIRED = ("subject", "address")'),
                 Edit('            record["text"],\n', '            record.get("text", ""),\n')),
           statement="MFMS-SEND-TEXT-REQUIRED"),
    # --- STATUS lines (§2.2, §4) ------------------------------------------------------
    mutant("MFMS-STATUS-LAST-DROPPED", "mfms", "MUST",
           "the last providerId of a STATUS request gets no line",
           SERVICE, _STATUS_LOOP,
           "        for record in records[:-1]:\n            provider_id = record.provider_id",
           statement="MFMS-STATUS-INDEXED"),
    mutant("MFMS-UNKNOWN-ID-AS-SYNTAX", "mfms", "MUST",
           "an unknown providerId is answered error-syntax on its line",
           SERVICE, 'lines.append(f"{_UNKNOWN_ID};{shown};;;")',
           'lines.append(f"{_SYNTAX};{shown};;;")', statement="MFMS-CODE-PROVIDER-ID-UNKNOWN"),
    mutant("MFMS-UNKNOWN-ID-WITH-STATUS", "mfms", "SHOULD",
           "an unknown providerId's error line carries a status and a time",
           SERVICE, 'lines.append(f"{_UNKNOWN_ID};{shown};;;")',
           'lines.append(f"{_UNKNOWN_ID};{shown};undelivered;2012.03.15 19:53:07;")',
           statement="MFMS-STATUS-ERROR-EMPTY"),
    mutant("MFMS-STATUS-QUEUED", "mfms", "MUST",
           "the enqueued status is spelt queued (outside section 4)",
           DELIVERY, '    ENQUEUED = "enqueued"', '    ENQUEUED = "queued"',
           statement="MFMS-STATUS-VALUES"),
    mutant("MFMS-DATETIME-ISO", "mfms", "MUST", "dateTime is ISO 8601 (2012-03-15 19:53:14)",
           HPG, "    return moment.strftime(DATETIME_FORMAT)",
           '    return moment.isoformat(sep=" ")', statement="MFMS-STATUS-DATETIME"),
    mutant("MFMS-DATETIME-DMY", "mfms", "MUST", "dateTime is dd.MM.yyyy HH:mm:ss",
           HPG, "    return moment.strftime(DATETIME_FORMAT)",
           '    return moment.strftime("%d.%m.%Y %H:%M:%S")', statement="MFMS-TYPE-DATETIME"),
    mutant("MFMS-DATETIME-NO-SECONDS", "mfms", "MUST", "dateTime drops the seconds",
           HPG, "    return moment.strftime(DATETIME_FORMAT)",
           '    return moment.strftime("%Y.%m.%d %H:%M")', statement="MFMS-STATUS-DATETIME"),
    mutant("MFMS-STATUS-TIME-IS-NOW", "mfms", "MUST",
           "dateTime is the time of the STATUS request, not of the status",
           SERVICE, "moment = format_datetime(delivery.wall_time(view.at))",
           "moment = format_datetime(delivery.wall_time(delivery.clock.now()))",
           statement="MFMS-LIFE-TIME"),
    mutant("MFMS-REASON-DROPPED", "mfms", "MUST", "STATUS lines never carry a reason",
           SERVICE, _STATUS_OK_LINE,
           'lines.append(f"{_OK};{provider_id};{view.status.value};{moment};")',
           statement="MFMS-STATUS-REASON-UNDELIVERED"),
    mutant("MFMS-REASON-ON-DELIVERED", "mfms", "SHOULD",
           "a delivered message's line carries a reason (delivered-ok)",
           DELIVERY, "return StatusView(provider_id, SmsStatus.DELIVERED, message.ends_at, None)",
           'return StatusView(provider_id, SmsStatus.DELIVERED, message.ends_at, "delivered-ok")',
           statement="MFMS-STATUS-REASON-ONLY-UNDELIVERED"),
    # --- request-level errors (§2, §3, R-3) ---------------------------------------------
    mutant("MFMS-WRONG-PASSWORD-ACCEPTED", "mfms", "MUST", "any password is accepted",
           SERVICE, "        good &= hmac.compare_digest(password.encode(), "
           "connector.password.encode())\n", "", statement="MFMS-CODE-AUTH"),
    mutant("MFMS-AUTH-AS-SYNTAX", "mfms", "MUST", "a wrong password is answered error-syntax",
           SERVICE, _WRONG_PASSWORD,
           "        if not good:\n            return None, "
           "self.request_error(ResponseCode.ERROR_SYNTAX)", statement="MFMS-CODE-AUTH"),
    Mutant("MFMS-PARAM-NAMES-IGNORED", "mfms", "MUST",
           "login and password are also taken under their default names on every connector",
           SERVICE, (Edit("if name == connector.login_param and login is None:",
                          'if name in (connector.login_param, "login") and login is None:'),
                     Edit("elif name == connector.password_param and password is None:",
                          'elif name in (connector.password_param, "password") '
                          "and password is None:")),
           statement="MFMS-AUTH-PARAM-NAMES"),
    mutant("MFMS-SYNTAX-AS-AUTH", "mfms", "MUST", "a SEND syntax error is answered error-auth",
           SERVICE, _SEND_SYNTAX, _SEND_SYNTAX.replace("ERROR_SYNTAX", "ERROR_AUTH"),
           statement="MFMS-SEND-SUBJECT-REQUIRED"),
    mutant("MFMS-STATUS-SYNTAX-AS-SYSTEM", "mfms", "MUST",
           "a STATUS syntax error is answered error-system",
           SERVICE, _STATUS_SYNTAX, _STATUS_SYNTAX.replace("ERROR_SYNTAX", "ERROR_SYSTEM"),
           statement="MFMS-STATUS-PROVIDERID-REQUIRED"),
    mutant("MFMS-SYSTEM-ERROR-IGNORED", "mfms", "MUST",
           "a system error is never reported: the request is served",
           SERVICE, "        if self.system_errors > 0:", "        if False:",
           statement="MFMS-CODE-SYSTEM"),
    mutant("MFMS-HTTP200-IN-500-PROFILE", "mfms", "MUST",
           "request-level errors are HTTP 200 though the platform's profile is http500",
           SERVICE, 'http500=self.error_profile == "http500"', "http500=False",
           statement="MFMS-ERR-PROFILE"),
    mutant("MFMS-HTTP200-WITH-DESCRIPTION", "mfms", "MUST",
           "in the http200 profile the code line carries a description too",
           HPG, '    return 200, f"{code.value}\\n"',
           '    return 200, f"{code.value}: {REQUEST_ERROR_DESCRIPTIONS[code]}\\n"',
           statement="MFMS-ERR-200-CODE"),
    mutant("MFMS-500-EMPTY", "mfms", "MUST", "HTTP 500 errors come without a description",
           HPG, 'return 500, f"{code.value}: {REQUEST_ERROR_DESCRIPTIONS.get(code, '
           'code.value)}\\n"', 'return 500, ""', statement="MFMS-ERR-PROFILE"),
    mutant("MFMS-500-GENERIC", "mfms", "SHOULD",
           "HTTP 500 errors describe themselves without naming the code",
           HPG, 'return 500, f"{code.value}: {REQUEST_ERROR_DESCRIPTIONS.get(code, '
           'code.value)}\\n"', 'return 500, "request failed\\n"',
           statement="MFMS-ERR-500-NAMES-CODE"),
    # --- the request --------------------------------------------------------------------
    mutant("MFMS-GET-REFUSED", "mfms", "MUST", "only POST is served; GET is answered 405",
           APP, '        if method != "GET" and method != "POST":',
           '        if method != "POST":', statement="MFMS-HTTP-GET"),
    mutant("MFMS-TEXT-LATIN1", "mfms", "MUST", "parameters are decoded as latin-1, not UTF-8",
           QUERY, ').decode("utf-8")', ').decode("latin-1")', count=2,
           statement="MFMS-TEXT-ROUNDTRIP"),
    # --- the delivery lifecycle (§4) --------------------------------------------------------
    mutant("MFMS-QUEUE-STUCK", "mfms", "MUST", "messages never leave the queue",
           DELIVERY, "        self.sent_at = self.start + queue_seconds\n",
           "        self.sent_at = self.start + 365 * 86400.0\n", statement="MFMS-LIFE-SENT"),
    mutant("MFMS-SENT-NEVER-SHOWN", "mfms", "MUST",
           "a message out of the queue still reads enqueued until it is delivered",
           DELIVERY, "            return StatusView(provider_id, SmsStatus.SENT, "
           "message.sent_at, None)", "            return StatusView(provider_id, "
           "SmsStatus.ENQUEUED, message.start, None)", statement="MFMS-LIFE-SENT"),
    mutant("MFMS-UNDELIVERED-AS-DELIVERED", "mfms", "MUST",
           "every message the world decided reads delivered in the end",
           DELIVERY, "        if message.outcome is SmsOutcome.DELIVERED:\n",
           "        if True:\n", statement="MFMS-LIFE-UNDELIVERED"),
    mutant("MFMS-FAILED-AS-UNDELIVERED", "mfms", "MUST",
           "a message lost on the platform reads undelivered",
           DELIVERY, "StatusView(provider_id, SmsStatus.FAILED, message.ends_at, PLATFORM_ERROR)",
           "StatusView(provider_id, SmsStatus.UNDELIVERED, message.ends_at, PLATFORM_ERROR)",
           statement="MFMS-LIFE-FAILED"),
    mutant("MFMS-FAILURE-NEVER-INJECTED", "mfms", "MUST",
           "a platform failure never reaches the message: it is delivered",
           SERVICE, "                fail = self.failed_messages > 0\n",
           "                fail = False\n", statement="MFMS-LIFE-FAILED"),
    mutant("MFMS-STARTTIME-IGNORED", "mfms", "MUST",
           "startTime is checked but the message is sent at once",
           SERVICE, "send_at = delivery.instant_of(parse_datetime(record.start_time))",
           "parse_datetime(record.start_time)", statement="MFMS-LIFE-DELAYED"),
    mutant("MFMS-DELAYED-SHOWN-ENQUEUED", "mfms", "MUST",
           "a message waiting for its send time reads enqueued",
           DELIVERY, "return StatusView(provider_id, SmsStatus.DELAYED, message.accepted_at, None)",
           "return StatusView(provider_id, SmsStatus.ENQUEUED, message.accepted_at, None)",
           statement="MFMS-LIFE-DELAYED"),
    mutant("MFMS-STARTTIME-UTC", "mfms", "MUST",
           "startTime is read as UTC, not the platform's time: sent three hours late",
           DELIVERY, "else moment.replace(tzinfo=self.utc_offset)",
           "else moment.replace(tzinfo=timezone.utc)", statement="MFMS-LIFE-DELAYED"),
    mutant("MFMS-CANCELLED-NOT-FINAL", "mfms", "MUST",
           "a cancelled message goes on to be delivered a minute later",
           DELIVERY, "        if message.cancelled_at is not None:\n",
           "        if message.cancelled_at is not None and now < message.cancelled_at + 60:\n",
           statement="MFMS-LIFE-FINAL-STAYS"),
    mutant("MFMS-CANCEL-IGNORED", "mfms", "MUST",
           "a cancellation on the platform is acknowledged but changes nothing",
           DELIVERY, "        message.cancelled_at = now\n", "", statement="MFMS-LIFE-CANCELLED"),
]
