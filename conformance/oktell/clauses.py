"""The statements of Oktell's server HTTP interface (oktell-http-api.ru.txt, 2012)
and the rulings "Oktell HTTP" 1-2 of shared/design/spec-rulings.md, one clause each.

Sections name the spec's command ("execsvcscript", "wp_setuserstate"...),
"intro" its opening paragraphs, "R-N" a ruling and "project" a decision of this
project written in docs/conformance.md (the Oktell section). Statements that
change state on a PBX (calls, user states, uploads) are checked only with
``--allow-state-changes`` (the ``state`` capability); those that need an answered
call, an incoming call or the clock moved need the simulator's control API
(``control``); those that run service scripts need the names of two harmless
scripts (``scripts``: ``--echo-script``, ``--sleep-script``).

Encodings (ruling 1) are split by level: a body whose bytes contradict its
declaration (UTF-16 without a BOM, UTF-8 bytes declaring utf-16, a UTF-16 BOM
declaring utf-8) is a MUST failure; UTF-8 declaring utf-8 where the example
declares utf-16 is the ruling's accepted alternative, so using UTF-16 there is a
SHOULD; a UTF-8 byte-order mark (legal XML, but not what the example's
``<?xml`` start shows) is a SHOULD.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, untestable

OKTELL = ClauseRegistry("OKT", "Oktell server HTTP interface (2012) with the Oktell rulings")

# --- intro: transport and password --------------------------------------------------------
OKTELL.must(
    "OKT-HTTP-GET",
    "intro",
    "Requests are served when made with the GET method (parameters in the query string).",
)
OKTELL.must(
    "OKT-HTTP-POST",
    "intro",
    "Requests are served when made with the POST method "
    "(parameters in an application/x-www-form-urlencoded body), with the same answer "
    "as GET.",
)
OKTELL.may(
    "OKT-PORT-4055",
    "intro",
    "The service listens on port 4055 unless its configuration says otherwise.",
    untestable("the port is configurable; the suite tests the --target it is given"),
)
OKTELL.may(
    "OKT-ALL-INTERFACES",
    "intro",
    "The service listens on every network interface.",
    untestable("the suite reaches one address; other interfaces are not visible from it"),
)
OKTELL.must(
    "OKT-PW-403",
    "intro; R-2",
    "With a password configured (QueryWebServerPassword), a "
    "request without password= is answered 403 Forbidden.",
)
OKTELL.must(
    "OKT-PW-ACCEPTED",
    "intro",
    "With a password configured, a request carrying password=<the password> is served.",
)
OKTELL.must(
    "OKT-PW-EVERY-REQUEST",
    "intro; R-2",
    "The password is checked for every request "
    "before the command: an unknown command and a malformed request without password= "
    "are 403 too.",
)
OKTELL.must(
    "OKT-PW-NO-EFFECT",
    "intro; R-2",
    "A request refused for its password has no "
    "effect (a wp_setuserstate without password= leaves the user's state as it was).",
)
OKTELL.should(
    "OKT-UNKNOWN-COMMAND",
    "project",
    "An unknown command is answered with an HTTP "
    "error status (4xx), never 200 with a body a client could take for a result.",
)

# --- XML encodings (ruling 1) --------------------------------------------------------------
OKTELL.must(
    "OKT-XML-AGREES",
    "R-1",
    "An XML reply's bytes agree with its declaration: utf-16 "
    "is UTF-16 with a byte-order mark, utf-8 is UTF-8; no other encoding is declared.",
)
OKTELL.must(
    "OKT-XML-WELLFORMED",
    "R-1; every XML example",
    "An XML reply is a well-formed document without a DTD or entity declarations.",
)
OKTELL.should(
    "OKT-XML-UTF16",
    "R-1; execsvcscript, tst_getuserstate, upload examples",
    "The documents whose example declares utf-16 (oktellxmlmapper, uploadfilesresult) "
    "are UTF-16 with a BOM (UTF-8 declaring utf-8 is accepted as the alternative).",
)
OKTELL.should(
    "OKT-XML-UTF8-GROUP",
    "R-1; tst_getintnumberreadyusers example",
    "The group document of tst_getintnumberreadyusers is UTF-8 declaring utf-8, as its example.",
)
OKTELL.should(
    "OKT-XML-UTF8-NO-BOM",
    "R-1",
    "A UTF-8 document starts with its declaration, without a byte-order mark (as the examples).",
)

# --- execsvcscript / execsvcscriptplain --------------------------------------------------
OKTELL.must(
    "OKT-SCRIPT-STRUCTURE",
    "execsvcscript example",
    "execsvcscript answers an "
    'oktellxmlmapper with data name="result" count="1" holding property_set '
    'name="execsvcscript" with the property_simple keys started, startresult and '
    "returnvalue.",
)
OKTELL.must(
    "OKT-SCRIPT-STARTED",
    "execsvcscript example",
    "A script that exists and starts "
    'is reported started value="1" name="success" and startresult value="0" '
    'name="success".',
)
OKTELL.must(
    "OKT-SCRIPT-RETURNVALUE",
    "execsvcscript",
    "In synchronous mode (async=0) the "
    "script's returned value is the answer: the name attribute of the returnvalue "
    "property, as the example shows.",
)
OKTELL.must(
    "OKT-SCRIPT-PARAMS",
    "execsvcscript parameters",
    "startparam1..startparam5 reach the script unchanged (Cyrillic included).",
)
OKTELL.must(
    "OKT-SCRIPT-TIMEOUT",
    "execsvcscript timeout",
    "In synchronous mode past timeout "
    "seconds the service stops waiting and answers without the script's result.",
)
OKTELL.must(
    "OKT-SCRIPT-ASYNC",
    "execsvcscript async",
    "async=1 starts the script and answers "
    "without waiting for it to finish (and so without its result).",
)
OKTELL.should(
    "OKT-SCRIPT-UNKNOWN",
    "execsvcscript name; project",
    'A script that does not exist is not reported started (started value="0").',
)
OKTELL.must(
    "OKT-PLAIN-OUTPUT",
    "execsvcscriptplain",
    "execsvcscriptplain answers the script's "
    "output as the content itself, without distortion and not wrapped in XML.",
)

# --- tst_getintnumberreadyusers -----------------------------------------------------------
OKTELL.must(
    "OKT-READY-SHAPE",
    "tst_getintnumberreadyusers example",
    "The answer is a group "
    "element with name (the number asked), ready and busy (whole numbers) holding one "
    "element name=... per free user.",
)
OKTELL.must(
    "OKT-READY-COUNT",
    "tst_getintnumberreadyusers",
    "ready is the number of free users, which are the ones listed.",
)
OKTELL.must(
    "OKT-READY-STATE",
    "tst_getintnumberreadyusers",
    "A user who is not free (away) is counted busy and not listed; free again, ready and listed.",
)

# --- tst_getuserstate ------------------------------------------------------------------------
OKTELL.must(
    "OKT-USERSTATE-SHAPE",
    "tst_getuserstate example",
    "The answer is an "
    'oktellxmlmapper with data name="userstate" count="1" holding property_set '
    'name="user" id=GUID with property_simple id (value the same GUID) and state '
    "(value a whole number, name the state's name).",
)
OKTELL.must("OKT-USERSTATE-READY", "tst_getuserstate example", "State 1 is named usReady.")
OKTELL.should(
    "OKT-USERSTATE-NAMES",
    "tst_getuserstate; wp_setuserstate",
    "Each state value has one name, and different values have different us* names.",
)
OKTELL.must(
    "OKT-USERSTATE-VALUE",
    "tst_getuserstate; wp_setuserstate",
    "The state value is "
    "the user's current state in wp_setuserstate's numbering (1 free, 2 break, 3 away, "
    "5 busy).",
)
OKTELL.should(
    "OKT-USERSTATE-ID-LOWER",
    "tst_getuserstate example",
    "The GUID is written in lower case (the example asks in upper case and answers in lower case).",
)

# --- licence -----------------------------------------------------------------------------
OKTELL.must(
    "OKT-LIC-REGSERIAL",
    "getlicenseinfo",
    "getlicenseinfo?detail=regserial answers the 7-digit registration number.",
)
OKTELL.must(
    "OKT-LIC-CONFIRMDATE", "getlicenseinfo", "detail=confirmdate answers a real date as dd.MM.yyyy."
)
OKTELL.must(
    "OKT-LIC-UPDATELIMIT",
    "getlicenseinfo",
    "detail=updatelimitdate answers a real date as dd.MM.yyyy.",
)
OKTELL.must(
    "OKT-LIC-FULLTEXT",
    "getlicensefulltext",
    "getlicensefulltext answers the licence information as text naming the registration number.",
)
OKTELL.must(
    "OKT-LIC-FULLXML",
    "getlicensefullxml",
    "getlicensefullxml answers an XML document (the certificate) naming the registration number.",
)
OKTELL.may(
    "OKT-LIC-EXAMPLE-URL",
    "getlicenseinfo example",
    "The spec's example URL getlicensefullxml?detail=regserial answers the registration number.",
)

# --- download / upload --------------------------------------------------------------------
OKTELL.must(
    "OKT-DL-BYSCRIPT",
    "download",
    "download/byscript runs the service script with "
    "execsvcscript's parameters and returns the file at the path it returns.",
)
OKTELL.may(
    "OKT-DL-REC",
    "download",
    "download/rec/ID and download/fax/ID serve recordings and faxes.",
    untestable(
        "the right link comes only through the web-socket "
        "connection, which the spec does not describe"
    ),
)
OKTELL.may(
    "OKT-DL-RECORDLINK",
    "downloadrecordbylink",
    "downloadrecordbylink?recordlink=L serves the recording the link packs.",
    untestable("the link comes only through the web-socket connection"),
)
OKTELL.must(
    "OKT-UP-MULTIPART",
    "upload",
    "upload accepts multipart/form-data with several "
    "files in one request and saves each under its Content-Disposition file name.",
)
OKTELL.must(
    "OKT-UP-OCTET",
    "upload",
    "upload accepts application/octet-stream with the file "
    "name in the request's Content-Disposition.",
)
OKTELL.must(
    "OKT-UP-RESULT",
    "upload example",
    "The answer is uploadfilesresult count=N with "
    "one file element per file: name, saved 1 with size (the bytes received) and "
    "path, or saved 0.",
)
OKTELL.must(
    "OKT-UP-FOLDER",
    "upload",
    "Saved files are placed in the one upload folder: "
    "every path is that folder plus the file name; a name that would leave it "
    "(../x) is not saved there under another path.",
)
OKTELL.may(
    "OKT-UP-HEADERS",
    "upload",
    "Requests carry Content-Transfer-Encoding and Content-Disposition.",
    untestable("an obligation of the client; the suite's requests carry them"),
)

# --- wp_* commands -----------------------------------------------------------------------
OKTELL.must(
    "OKT-WP-ACTOR",
    "wp_* intro",
    "A wp_* command acts for the line named by line=, "
    "user= or wp=; one of them is enough, and the value may be a GUID, a login, a "
    "line number...",
)
OKTELL.must(
    "OKT-ABON-JSON",
    "wp_getabonentinfo example",
    "wp_getabonentinfo answers JSON with "
    "currentlinestatestr (a string) and currentlinestate (an integer).",
)
OKTELL.must(
    "OKT-ABON-INFO",
    "wp_getabonentinfo example",
    "In a commutation, abonentinfo holds "
    "the other party with the example's field names and types (booleans as JSON "
    "booleans, ids and numbers as strings).",
)
OKTELL.must(
    "OKT-ABON-COMMUTATED",
    "wp_getabonentinfo example",
    "A line in an answered commutation is in state 32 lsCommutated.",
)
OKTELL.must(
    "OKT-CHAIN-JSON",
    "wp_getchaincontent example",
    "wp_getchaincontent answers JSON: "
    "createtime (yyyy-MM-dd HH:mm:ss), trace (a list of elements with "
    "contentelementtype), customfield and chainid (strings).",
)
OKTELL.must(
    "OKT-CHAIN-COMMUTATION",
    "wp_getchaincontent example",
    "A commutation element of "
    "the trace carries the example's fields with the example's types (connectiontype "
    "an integer, isrecorded a boolean, timestart a date-time, line numbers strings).",
)
OKTELL.must(
    "OKT-CALL-START",
    "wp_autocallstart",
    "wp_autocallstart line=L number=N starts a call on the line (it leaves its idle state).",
)
OKTELL.must(
    "OKT-CALL-NUMBER-REQUIRED",
    "wp_autocallstart",
    "number is required: without it no call starts and the answer is not 200.",
)
OKTELL.must(
    "OKT-CALL-DIRECTION",
    "wp_autocallstart direction",
    "direction=city calls out: the other party is an external line (isextline true).",
)
OKTELL.must(
    "OKT-CALL-DIRECTION-PBX",
    "wp_autocallstart direction",
    "direction=pbx (or an internal number) calls inside: the other party is an internal line.",
)
OKTELL.should(
    "OKT-CALL-SEQUENCE",
    "wp_autocallstart sequence",
    "sequence=back rings the line "
    "itself first (the line is being rung), direct (the default) dials the number "
    "first (the line is not rung).",
)
OKTELL.must(
    "OKT-CALL-SWITCH-IDLE",
    "wp_switchcall",
    "wp_switchcall on an inactive line starts an autocall as wp_autocallstart.",
)
OKTELL.must(
    "OKT-CALL-STOP",
    "wp_autocallstop",
    "wp_autocallstop ends the line's active session: the line is idle again.",
)
OKTELL.must(
    "OKT-CALL-FLASH",
    "wp_flash",
    "wp_flash in a commutation changes the line's state "
    "(hold); a second flash brings the commutation back.",
)
OKTELL.must(
    "OKT-CALL-DECLINE",
    "wp_declinecall",
    "wp_declinecall declines the incoming call ringing on the line: the line is idle again.",
)

# --- wp_setuserstate -------------------------------------------------------------------------
OKTELL.must(
    "OKT-SUS-200",
    "wp_setuserstate",
    "When the user is determined the answer is 200 OK without a body, whatever the request asked.",
)
OKTELL.must(
    "OKT-SUS-STATES",
    "wp_setuserstate userstateid",
    "userstateid 3 (away) and 1 (free) change a free user's state, as tst_getuserstate shows.",
)
OKTELL.must(
    "OKT-SUS-NOT-FREE-TALKING",
    "wp_setuserstate userstateid",
    "A user talking on the phone cannot be made free (or away): the state stays busy.",
)
OKTELL.must(
    "OKT-SUS-NO-BREAK-OUTSIDE-CC",
    "wp_setuserstate userstateid",
    "A user outside the call-centre mode cannot be put on break.",
)
OKTELL.must(
    "OKT-SUS-NO-SERVICE-STATE",
    "wp_setuserstate userstateid",
    "A user cannot be put into a service state (disconnected, no phone, reserved).",
)
OKTELL.must(
    "OKT-SUS-LUNCH-CC",
    "wp_setuserstate onlunch",
    "onlunch=1 works only in the "
    "call-centre mode: outside it the free user stays free; inside it the free user "
    "goes on break.",
)
OKTELL.should(
    "OKT-SUS-LUNCH-HOLDS",
    "wp_setuserstate onlunch",
    "In the lunch mode the user is "
    "put on break instead of free: userstateid=1 leaves them on break.",
)
OKTELL.must(
    "OKT-SUS-LEAVE-CC",
    "wp_setuserstate oncallcenter",
    "Leaving the call-centre mode takes the user out of a break.",
)
OKTELL.may(
    "OKT-SUS-REDIRECT",
    "wp_setuserstate onredirect",
    "onredirect only outside the call-centre mode; entering the call-centre ends it.",
    untestable(
        "the redirect mode shows only in the workplace's event notifications "
        "(web-socket), not in any HTTP answer"
    ),
)
OKTELL.may(
    "OKT-SUS-LUNCH-REASON",
    "wp_setuserstate lunchreasonid",
    "lunchreasonid (a "
    "regulated reason's code) or lunchreasonmsg (an individual reason's text) go with "
    "the lunch mode.",
    untestable("the reason shows in no HTTP answer"),
)
OKTELL.may(
    "OKT-SUS-EVENTS",
    "wp_setuserstate",
    "Mode and state changes are notified to the workplace by events.",
    untestable(
        "the events travel over the web-socket connection, which the spec does not describe"
    ),
)
