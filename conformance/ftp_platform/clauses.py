"""The statement inventory of the FTP/FTPS bulk-SMS platform suite:
ftp-sms-platform.ru.txt (both variants, "with template" and "without template")
and the rulings' "FTP/FTPS SMS platform" section.

Ids are ``FTP-<part>-<topic>``: ``SESSION`` for the FTP commands the spec
lists, ``TLS`` for explicit FTPS (ruling 2), ``POLL`` for the platform's
poller, ``NAME`` for the archive's name, ``ZIP`` for its layout, ``TPL`` for the
template variant, ``PLAIN`` for the variant without template, ``RULE3`` for
what happens to an archive that breaks the rules. What the messages became
(text, sender, validity, send time) is visible only in the "personal account":
against the simulator that is its control API (capability ``control``);
against a real platform those cases are unsupported.
``nabat conformance ftp --inventory`` lists every statement.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, needs_capability, untestable

FTP = ClauseRegistry("FTP", "FTP/FTPS bulk-SMS platform (ftp-sms-platform.ru.txt)")
M, S = FTP.must, FTP.should

TPL = "with template, Техническая часть"
PLAIN = "without template, Техническая часть"
REQ = "Спецификация запросов"

# --- the FTP session -----------------------------------------------------------------
M(
    "FTP-SESSION-LOGIN",
    REQ,
    "The client identifies itself with USER and PASS (331, then 230) and is then logged in.",
)
M(
    "FTP-SESSION-FOLDER",
    "Общие положения",
    "After login the client works in its own folder: a file it stores there is listed there.",
)
M(
    "FTP-SESSION-CWD-CDUP",
    REQ,
    "CWD changes the working directory (250) and CDUP goes one level up (200 or 250); CWD to a "
    "directory that does not exist is refused (550).",
)
M(
    "FTP-SESSION-PASV",
    REQ,
    "PASV answers 227 with h1,h2,h3,h4,p1,p2: an address of the server and the port "
    "p1*256+p2 where it listens for the data connection.",
)
S(
    "FTP-SESSION-PORT",
    REQ,
    "PORT h1,h2,h3,h4,p1,p2 names the client's data address; a transfer then connects to it.",
)
M("FTP-SESSION-TYPE", REQ, "TYPE I (binary) and TYPE A (ASCII) are accepted (200).")
M(
    "FTP-SESSION-STOR",
    REQ,
    "STOR (put) uploads a file: 150 or 125, then 226 once all bytes arrived, the same bytes.",
)
S("FTP-SESSION-RETR", REQ, "RETR (get) copies a file of the folder back, byte for byte.")
M("FTP-SESSION-LIST", REQ, "LIST (dir) and NLST (ls) list the folder's files.")
M("FTP-SESSION-DELE", REQ, "DELE (mdel) removes a file of the folder (250).")
M("FTP-SESSION-QUIT", REQ, "QUIT ends the session (221).")
S(
    "FTP-SESSION-MODE",
    REQ,
    "MODE S (stream) is accepted; the spec lists block and stream modes as a choice.",
)
M(
    "FTP-SESSION-PASSWORD-SAFE",
    "Общие положения",
    "The folder's password is given to the client securely.",
    untestable("how the platform hands out passwords happens outside FTP"),
)
M(
    "FTP-SESSION-WRONG-PASSWORD",
    REQ,
    "A wrong password is refused.",
    untestable(
        "a wrong password may lock the account: the suite logs in once, with the "
        "password it was given, and never tries another"
    ),
)

# --- explicit FTPS (ruling 2) --------------------------------------------------------
M(
    "FTP-TLS-AUTH",
    "ruling 2",
    "AUTH TLS on the control port is answered 234 and a TLS handshake follows (explicit TLS).",
)
M("FTP-TLS-PBSZ-PROT", "ruling 2", "After AUTH TLS, PBSZ 0 and PROT P are accepted (200).")
M(
    "FTP-TLS-DATA-PROTECTED",
    "ruling 2",
    "With PROT P the data connections of LIST and STOR are TLS connections.",
)
M(
    "FTP-TLS-DATA-REQUIRED",
    "ruling 2",
    "FTPS has protected data channels: after AUTH TLS a transfer over a clear data channel "
    "(PROT C, or no PROT) is refused.",
)
M(
    "FTP-TLS-LOGIN-PROTECTED",
    "ruling 2",
    "Over FTPS the login (USER, PASS) travels inside TLS: it works after AUTH TLS.",
)

# --- the poller ----------------------------------------------------------------------
M(
    "FTP-POLL-PICKUP",
    "Общие положения",
    "The service looks for an archive once every 10 seconds: an archive is processed within the "
    "poll period (and some slack).",
)
M(
    "FTP-POLL-DELETE",
    "Общие положения",
    "An archive is deleted from the FTP server after it was processed.",
)
M(
    "FTP-POLL-OLDEST-FIRST",
    "Общие положения",
    "With several archives in the folder the earliest is processed first.",
)
M(
    "FTP-POLL-ONE-AT-A-TIME",
    "Общие положения",
    "Archives are processed in turn: the messages of one archive are not mixed with another's.",
)
M(
    "FTP-POLL-HALF-UPLOADED",
    "issue 12 §2",
    "An archive still being uploaded is never processed; once complete it is.",
)
S(
    "FTP-POLL-PERIOD-10S",
    "Общие положения",
    "The period is 10 seconds, not less.",
    untestable(
        "processing sooner than every 10 s cannot be told apart from a faster platform "
        "that still conforms; the suite only bounds it from above"
    ),
)

# --- the archive's name --------------------------------------------------------------
M(
    "FTP-NAME-FORMAT",
    TPL,
    "An archive is named [client login]_[YYYYMMDDhhmmss].zip; one named otherwise is not "
    "processed into messages.",
)
M(
    "FTP-NAME-LOGIN",
    TPL,
    "The login in the name is the client's own: an archive named for another login is not "
    "processed into messages.",
)
S(
    "FTP-NAME-DATE",
    TPL,
    "The YYYYMMDDhhmmss of the name is a date and time: an impossible one (month 13) is not "
    "processed into messages.",
)

# --- the archive's layout ------------------------------------------------------------
M(
    "FTP-ZIP-NO-PASSWORD",
    TPL,
    "The archive is a .zip without a password: an encrypted one is not sent.",
)
M(
    "FTP-ZIP-SMS-FOLDER",
    TPL,
    "The files are in the folder sms of the archive: files at its root are not sent.",
)
M(
    "FTP-ZIP-TEMPLATE-FILES",
    TPL,
    "The template variant has sms/contacts.csv and sms/template.csv: with one missing nothing "
    "is sent.",
)
M("FTP-ZIP-UTF8", TPL, "Files are UTF-8 by default: Cyrillic text arrives intact.")
M(
    "FTP-ZIP-OTHER-ENCODING",
    TPL,
    "Another encoding is agreed with support.",
    needs_capability("the account's encoding is platform configuration the suite cannot set"),
)

# --- the template variant ------------------------------------------------------------
M(
    "FTP-TPL-CONTACT-PER-MESSAGE",
    TPL,
    "Each line of contacts.csv (columns separated by ';') is one message to its phone.",
)
M(
    "FTP-TPL-PHONE-REQUIRED",
    TPL,
    "contacts.csv must have the phone column: without it nothing is sent.",
)
S(
    "FTP-TPL-PHONE-FORMAT",
    TPL,
    "phone is an international number (country code, network code, number): a value that is "
    "not digits is refused and nothing is sent.",
)
M("FTP-TPL-ONE-LINE", TPL, "template.csv has exactly one data line: with two nothing is sent.")
M(
    "FTP-TPL-MESSAGE-REQUIRED",
    TPL,
    "template.csv must have the message column: without it nothing is sent.",
)
M(
    "FTP-TPL-SUBSTITUTION",
    TPL,
    "Each #attrN# of the message is replaced by the contact's attrN value.",
)
M(
    "FTP-TPL-MISSING-ATTR",
    TPL,
    "A field with no value in contacts.csv (no such column) becomes empty.",
)
M(
    "FTP-TPL-SENDER-REQUIRED",
    TPL,
    "template.csv must have the sourceaddress column: without it nothing is sent.",
)
M(
    "FTP-TPL-SENDER-FORMAT",
    TPL,
    "sourceaddress is up to 11 Latin characters or up to 15 digits: 12 letters or 16 digits "
    "are refused.",
)
M(
    "FTP-TPL-SENDER-REGISTERED",
    TPL,
    "sourceaddress must have been registered for the client: an unregistered one is refused.",
)
M(
    "FTP-TPL-SENDER-CASE",
    TPL,
    "The sender's case matters: TESTSMS is not testsms; the other case is refused.",
)
M("FTP-TPL-SENDER-USED", TPL, "Messages carry the sourceaddress of template.csv as sender.")
M("FTP-TPL-VALIDITY", TPL, "validity is the message's lifetime in minutes.")
M("FTP-TPL-VALIDITY-DEFAULT", TPL, "Without validity the lifetime is 1440 minutes (24 h).")
M(
    "FTP-TPL-SENDDATE-EMPTY",
    TPL,
    "An empty senddate means the message is sent right after the file was received.",
)
M(
    "FTP-TPL-SENDDATE-FORMAT",
    "ruling 1",
    "senddate is accepted as YYYYMMDDThh:mm:ss and as YYYY-MM-DDThh:mm:ss, meaning the same time.",
)
M(
    "FTP-TPL-SENDDATE-TEMPLATE",
    TPL,
    "A senddate in template.csv applies to the contacts without their own.",
)
M(
    "FTP-TPL-SENDDATE-CONTACT",
    TPL,
    "A contact's senddate takes priority over the one in template.csv.",
)
S(
    "FTP-TPL-SENDDATE-BAD",
    "ruling 3",
    "A senddate that is neither spelling is refused and nothing is sent.",
)
M(
    "FTP-TPL-LOCALTIME",
    TPL,
    "localtime=1 sends at senddate in the subscriber's time zone (from the number); 0 in the "
    "client's.",
)
M(
    "FTP-TPL-LOCALTIME-NEEDS-DATE",
    TPL,
    "localtime applies only with a senddate: without one the message is sent at once.",
)

# --- the variant without template ----------------------------------------------------
M(
    "FTP-PLAIN-FILE",
    PLAIN,
    "The archive holds one .csv or .txt file in sms; its lines from the second on are one "
    "message each (TELRN_LONG;TEXT), the first line is the header.",
)
M("FTP-PLAIN-TXT", PLAIN, "The data file may be a .txt file.")
M("FTP-PLAIN-COLUMNS", PLAIN, "TELRN_LONG and TEXT are required: without TEXT nothing is sent.")
M(
    "FTP-PLAIN-DEFAULT-SENDER",
    PLAIN,
    "The sender is the client's default one, agreed with support (the same for every message).",
)
M("FTP-PLAIN-VALIDITY", PLAIN, "The lifetime is 24 hours by default.")
M(
    "FTP-PLAIN-NO-SCHEDULE",
    PLAIN,
    "Delayed sending and sending by time zones are not offered: messages go at once.",
)

# --- rejected archives (ruling 3) ----------------------------------------------------
M("FTP-RULE3-NOT-SENT", "ruling 3", "An archive that breaks the rules sends no message at all.")
M(
    "FTP-RULE3-MOVED-ASIDE",
    "ruling 3",
    "It leaves the client's upload folder (moved aside), never left to be tried again forever.",
)
M(
    "FTP-RULE3-REPORT",
    "ruling 3",
    "It is moved aside with an error report naming the problem, never silently dropped.",
)
M(
    "FTP-RULE3-UNSAFE-PATHS",
    "ruling 3",
    "An archive with unsafe paths (../, an absolute path) is not sent.",
)
M("FTP-RULE3-TOO-LARGE", "ruling 3", "An archive too large when unpacked (a zip bomb) is not sent.")
M(
    "FTP-RULE3-NEXT-GOES-ON",
    "ruling 3",
    "A rejected archive does not stop the service: the next good archive is processed.",
)

# --- the personal account ------------------------------------------------------------
S(
    "FTP-ACCOUNT-STATISTICS",
    "Общие положения",
    "The client sees the statistics of its mailings in its personal account.",
    needs_capability(
        "a real platform's personal account is a web site; the suite reads the "
        "simulator's instead (--sim-control), which every 'control' case uses"
    ),
)
