"""The statements of MFMS HPG (mfms-hpg.ru.txt, 2018, and the rulings MFMS 1-3 of
shared/design/spec-rulings.md), one clause each.

Sections: "§2" the protocol description (request format, URLs, authentication,
types), "§2.1" SEND, "§2.2" STATUS, "§3" the answer codes, "§4" the delivery
statuses, "R-N" an MFMS ruling and "project" a decision of this project
written in docs/conformance.md (the MFMS section) and docs/mfms-simulator.md.
Statements that need the simulator's control API (moving the clock, cancelling
on the platform, a platform failure) are checked with ``--sim-control`` and
declared as the ``control`` capability; against a real platform those cases are
unsupported, never guessed.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, untestable

MFMS = ClauseRegistry("MFMS", "MFMS HPG protocol (2018) with the MFMS rulings")

# --- §1-§2: the protocol -------------------------------------------------------
MFMS.must(
    "MFMS-HTTP-GET",
    "§1; §2",
    "Every operation is an HTTP GET request whose parameters travel in the query string "
    "(<URL>?<credentials><parameters>).",
)
MFMS.must(
    "MFMS-URL-PATHS",
    "§2 URL",
    "SEND is served at <base>/send and STATUS at <base>/status, where <base> is "
    "http(s)://host:port/CLIENT/connector.",
)
MFMS.must(
    "MFMS-HTTPS",
    "§2 note; §2 URL",
    "The same requests are served over HTTPS, with an SSL certificate the client can "
    "verify (--ca).",
)
MFMS.must(
    "MFMS-AUTH-PARAMS",
    "§2 credentials",
    "The client authenticates with a login and a password parameter in every request; "
    "with the right ones the request is served (no error-auth).",
)
MFMS.must(
    "MFMS-AUTH-PARAM-NAMES",
    '§2 "Важно!"; R-1',
    "The names of the login and password parameters are those of the connector's "
    "configuration: the password under any other name is not accepted.",
)
MFMS.must(
    "MFMS-HTTP-200",
    "§2; §2.1; §2.2",
    "A request that is processed is answered HTTP 200 (even when some messages are "
    "refused with a per-message code).",
)
MFMS.must(
    "MFMS-TYPE-DATETIME",
    "§2 types; R-2",
    "Datetime values are yyyy.MM.dd HH:mm:ss (24-hour clock, a real date).",
)
MFMS.must(
    "MFMS-TYPE-STRING-UTF8",
    "§2 types",
    "String values are UTF-8: a text in Cyrillic, with spaces, commas and %20 escapes "
    '(the spec\'s "Hey,%20you"), is accepted.',
)
MFMS.must(
    "MFMS-TEXT-ROUNDTRIP",
    "§2 types; §2.1 text",
    "The platform sends the text exactly as given (UTF-8 decoded once; Cyrillic, "
    "spaces and punctuation kept), as the simulator's journal of accepted messages "
    "shows.",
)
MFMS.may(
    "MFMS-PUSH-STATUS",
    '§2 ("except when passing the status of sent messages")',
    "The platform may push statuses to the client, acting as the client then.",
    untestable("the spec describes no push interface (URL, format); the suite polls STATUS"),
)
MFMS.may(
    "MFMS-SSL-CERT-DELIVERY",
    "§2 note",
    "An SSL certificate is provided for HTTPS requests.",
    untestable(
        "how the certificate reaches the client is an operator's matter; the "
        "suite verifies the one presented against --ca (MFMS-HTTPS)"
    ),
)

# --- §2.1 SEND -----------------------------------------------------------------
MFMS.must(
    "MFMS-SEND-INDEXED",
    "§2.1 example; R-1",
    "SEND takes indexed parameters subject[i], address[i], text[i]; one request may "
    "carry many messages, each answered on its own line.",
)
MFMS.must(
    "MFMS-SEND-SUBJECT-REQUIRED",
    "§2.1 parameters; §3 error-syntax",
    "subject is required: a message without it is refused with error-syntax.",
)
MFMS.must(
    "MFMS-SEND-ADDRESS-REQUIRED",
    "§2.1 parameters; §3 error-syntax",
    "address is required: a message without it is refused with error-syntax.",
)
MFMS.must(
    "MFMS-SEND-TEXT-REQUIRED",
    "§2.1 parameters; §3 error-syntax",
    "text is required: a message without it is refused with error-syntax.",
)
MFMS.must(
    "MFMS-SEND-INDEX-REQUIRED",
    "§2.1 example; R-1; §3 error-syntax",
    "Message parameters carry an index: subject/address/text without [i] are a syntax "
    "error (error-syntax), never a message sent.",
)
MFMS.must(
    "MFMS-SEND-LINE-FORMAT",
    "§2.1 answer; R-2",
    "SEND answers one line code;clientId;providerId per message (fields separated by "
    "';', one line each, codes from section 3).",
)
MFMS.must(
    "MFMS-SEND-CLIENTID-INDEX",
    "§2.1 example answer",
    "Without clientId parameters a line's clientId is the message's index (the spec's "
    "answer ok;0;1001, ok;1;1002 to a request without clientIds).",
)
MFMS.should(
    "MFMS-SEND-CLIENTID-ECHO",
    "§2.1 parameter [clientId]; project",
    "A clientId[i] given by the client comes back in that message's line.",
)
MFMS.must(
    "MFMS-SEND-PROVIDERID-IFF-OK",
    "§2.1 providerId",
    "A line carries a providerId when, and only when, the message was accepted (ok).",
)
MFMS.must(
    "MFMS-SEND-PROVIDERID-UNIQUE",
    "§2.1 providerId",
    "providerIds are unique for the whole interaction: never two the same, within a "
    "request or across requests.",
)
MFMS.must(
    "MFMS-SEND-PER-MESSAGE",
    "§2.1; §3",
    "Codes are per message: in one request a good message is accepted (ok) while a bad "
    "one gets its own error code.",
)

# --- §2.2 STATUS -----------------------------------------------------------------
MFMS.must(
    "MFMS-STATUS-INDEXED",
    "§2.2 example; R-1",
    "STATUS takes providerId[i]; one request may ask for many messages, each answered "
    "on its own line naming its providerId.",
)
MFMS.must(
    "MFMS-STATUS-PROVIDERID-REQUIRED",
    "§2.2 parameters; §3 error-syntax",
    "providerId is required: a STATUS request without one is refused with error-syntax.",
)
MFMS.must(
    "MFMS-STATUS-LINE-FORMAT",
    "§2.2 answer; R-2",
    "STATUS answers code;providerId;status;dateTime;reason per message (five fields "
    "on an ok line, the reason empty when there is none).",
)
MFMS.must(
    "MFMS-STATUS-KNOWN-ID",
    '§2.1 providerId ("used later to ask for the delivery status")',
    "The providerId of an accepted message is known to STATUS (ok, never "
    "error-provider-id-unknown).",
)
MFMS.must(
    "MFMS-STATUS-VALUES",
    "§4",
    "The status of an ok line is one of section 4: enqueued, sent, delivered, "
    "undelivered, failed, delayed, cancelled.",
)
MFMS.must(
    "MFMS-STATUS-DATETIME",
    "§2.2 dateTime; §2 types; R-2",
    "An ok line carries the time the status was formed, as yyyy.MM.dd HH:mm:ss.",
)
MFMS.should(
    "MFMS-STATUS-ERROR-EMPTY",
    "§2.2 status, dateTime",
    'A line whose code is not ok carries no status and no dateTime (they "may be '
    "absent\"; a status there would be read as the message's).",
)
MFMS.must(
    "MFMS-STATUS-FRESH",
    "§4",
    "A message just accepted without a send time is enqueued, sent or already final; "
    "never delayed or cancelled.",
)
MFMS.must(
    "MFMS-STATUS-REASON-UNDELIVERED",
    "§2.2 reason",
    "An undelivered message's line carries the reason it was not delivered.",
)
MFMS.should(
    "MFMS-STATUS-REASON-ONLY-UNDELIVERED",
    "§2.2 reason",
    "A message that is not undelivered (or failed) carries no reason.",
)

# --- §3 codes ----------------------------------------------------------------------
MFMS.must("MFMS-CODE-OK", "§3 ok", "A request processed successfully is answered ok (per message).")
MFMS.must(
    "MFMS-CODE-AUTH",
    "§3 error-auth",
    "A wrong password is answered error-auth (the suite tries it once, never again).",
)
MFMS.must(
    "MFMS-CODE-SYSTEM",
    "§3 error-system",
    "A system error while processing is answered error-system (provoked through the "
    "simulator's control API).",
)
MFMS.must(
    "MFMS-CODE-PROVIDER-ID-UNKNOWN",
    "§3 error-provider-id-unknown",
    "STATUS of a providerId the platform never gave is answered "
    "error-provider-id-unknown on that id's line.",
)
MFMS.must(
    "MFMS-CODE-ADDRESS-FORMAT",
    "§3 error-address-format",
    "An address that is not a phone number is refused with error-address-format.",
)
MFMS.must(
    "MFMS-CODE-ADDRESS-UNKNOWN",
    "§3 error-address-unknown",
    "An address the platform forbids is refused with error-address-unknown (a real "
    "platform's list is its operator's: checked where the simulator's control API "
    "forbids one).",
)
MFMS.must(
    "MFMS-CODE-SUBJECT-FORMAT",
    "§3 error-subject-format",
    "A sender that is no sender name (longer than 11 characters of letters and digits, "
    "or holding other characters) is refused with error-subject-format.",
)
MFMS.must(
    "MFMS-CODE-SUBJECT-UNKNOWN",
    "§3 error-subject-unknown",
    "A well-formed sender the connector may not use is refused with error-subject-unknown.",
)
MFMS.must(
    "MFMS-ERR-PROFILE",
    '§2 ("HTTP_STATUS=500 with a description"); R-3',
    "A request-level error is answered either HTTP 500 with a description or HTTP 200 "
    "whose only line is the code; with --error-profile http500 or http200 exactly that "
    "one (any: either, the report says which).",
)
MFMS.must(
    "MFMS-ERR-200-CODE",
    "R-3",
    "In the HTTP 200 form the only line is the right section-3 code (error-auth for a "
    "wrong password, error-syntax for a syntax error).",
)
MFMS.should(
    "MFMS-ERR-500-NAMES-CODE",
    "§2; R-3; project",
    "In the HTTP 500 form the description names the right section-3 code, so a "
    "client can tell error-auth from error-syntax.",
)
MFMS.must(
    "MFMS-ERR-NOTHING-SENT",
    "§3; R-3",
    "A request refused as a whole sends nothing: no providerId is given out.",
)

# --- §4 lifecycle (the simulator's control API) --------------------------------------
MFMS.must(
    "MFMS-LIFE-ENQUEUED",
    "§4 enqueued",
    "A message accepted into the queue reads enqueued until it leaves the queue.",
)
MFMS.must(
    "MFMS-LIFE-SENT",
    "§4 sent",
    "A message that has left the queue and is not yet delivered reads sent.",
)
MFMS.must(
    "MFMS-LIFE-DELIVERED",
    "§4 delivered",
    "A message the world delivers reads delivered once delivered.",
)
MFMS.must(
    "MFMS-LIFE-UNDELIVERED",
    "§4 undelivered",
    "A message the world does not deliver reads undelivered, with a reason.",
)
MFMS.must(
    "MFMS-LIFE-FAILED", "§4 failed", "A message lost to an error on the platform reads failed."
)
MFMS.must(
    "MFMS-LIFE-DELAYED",
    "§4 delayed",
    "A message with a send time in the future reads delayed until that time, then "
    "goes through the queue.",
)
MFMS.must(
    "MFMS-LIFE-CANCELLED",
    "§4 cancelled",
    "A message cancelled manually on the platform reads cancelled, and stays so.",
)
MFMS.must(
    "MFMS-LIFE-FINAL-STAYS",
    "§4",
    "A final status (delivered, undelivered, failed, cancelled) never changes again.",
)
MFMS.must(
    "MFMS-LIFE-TIME",
    "§2.2 dateTime",
    "dateTime is the time the current status was formed: it moves forward when the "
    "status changes, by the time that passed on the platform, and not otherwise.",
)
