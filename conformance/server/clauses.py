"""The clauses of the client-server protocol, one per checkable requirement.

Sources: "§Title" is a section of shared/specs/notification-server-protocol.ru.txt
(Russian section titles), "App.A" / "App.B" its appendices, "R-N" ruling N of
the "Client-server protocol" rulings in shared/design/spec-rulings.md, and
"project" a design of docs/protocol.md (ruling 12: the appendix-A commands
without a section). Project-only clauses are SHOULD unless they restate the
spec's reply patterns; their cases turn "unsupported" when the server does
not know the command.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, needs_capability, untestable

SRV = ClauseRegistry("SRV", "Notification server client-server protocol")
S, M = SRV.should, SRV.must

# --- wire -------------------------------------------------------------------
M("SRV-WIRE-TLS", "§Нижний уровень; R-1",
  "The server speaks TLS; its certificate verifies against the given CA.")
S("SRV-WIRE-OPENSSL", "§Нижний уровень",
  "The server encrypts with the OpenSSL libraries.",
  untestable("which TLS library a server uses is not visible on the wire; only that it "
             "speaks TLS (SRV-WIRE-TLS)"))
M("SRV-WIRE-CRLF", "§Верхний уровень; R-1", "Every line the server sends ends in CRLF.")
M("SRV-WIRE-CP1251", "§Верхний уровень; R-1",
  "Text is windows-1251: Cyrillic sent raw comes back as the same cp1251 bytes.")
M("SRV-WIRE-ESCAPE", "§Верхний уровень; R-2",
  "Spaces, %, tabs, CR and LF inside a parameter are %XX-escaped by the server and "
  "understood when the client escapes them.")
M("SRV-WIRE-ESCAPE-ANYCASE", "R-2",
  "The server decodes %XX in either case: a parameter escaped with lower-case hex and the "
  "same one with upper-case hex give the same result.")
M("SRV-WIRE-EMPTY-PARAM", "R-2",
  "An empty parameter (two adjacent separators, or a trailing space) is kept as empty.")
M("SRV-WIRE-BADSYNTAX", "§Верхний уровень; App.B ERR_BADSYNTAX",
  "A line whose command word is not upper-case Latin letters only (lower case, a digit, a "
  "leading space, an empty line) is answered ERR_BADSYNTAX.")
S("SRV-WIRE-MALFORMED-PARAM", "R-1; R-2; project",
  "A line with a stray %, a raw control byte (tab included), byte 0x98 (raw or escaped), a "
  "bare LF or a bare CR is answered ERR_BADSYNTAX: never silently accepted or replaced.")
S("SRV-WIRE-BADSYNTAX-WORD", "project",
  "The ERR_BADSYNTAX reply to a malformed line carries the line's command word when it is "
  "readable, else ERROR.")
S("SRV-WIRE-LINE-LENGTH", "project",
  "Lines are at most 8192 bytes with CRLF; longer ones are answered ERR_BADSYNTAX.",
  untestable("the maximum is a server setting; the suite cannot know the value in force"))
S("SRV-WIRE-SESSION-CONTINUES", "project", "After a malformed line the session goes on.")
M("SRV-WIRE-UNKNOWN-COMMAND", "R-8", "An unknown command word is answered WORD ERR_BADSYNTAX.")
M("SRV-REPLY-WORD", "§Верхний уровень",
  "A reply starts with the request's command word, then OK, BEGIN/DATA/END or ERR_code.")
M("SRV-REPLY-ERROR-TEXT", "§Верхний уровень; R-3",
  "An error reply is WORD ERR_code followed by a non-empty text; the text is one escaped "
  "parameter or unescaped trailing text (R-3: both accepted, the variant is recorded).")
M("SRV-LISTING-SHAPE", "R-4",
  "Listings are WORD BEGIN, WORD DATA lines, WORD END; BEGIN carries nothing except for "
  "GETTASKS and file replies.")

M("SRV-TIMESTAMP-FORMAT", "R-11",
  "Every timestamp (createtime, edittime, the exclusion period, GETTASKINFO's start and end) "
  "is YYYY-MM-DDTHH:MM:SS without a zone, and empty when unset; a period set by the client "
  "comes back as sent.")
S("SRV-TIMESTAMP-REFUSE", "R-11; project",
  "A timestamp sent in another form (a space for T, no seconds, dd.mm.yyyy, a zone) is "
  "refused, never stored.")
M("SRV-TIMESTAMP-LOCAL", "R-11", "Timestamps are the server's local time.",
  untestable("the suite does not know the server's time zone or clock"))
M("SRV-ABONENT-TIMES", "§Получение списка абонентов (createtime, edittime)",
  "createtime is set when the abonent is created and UPDATEABONENT keeps it; edittime is "
  "the last change: not before createtime, and later after an UPDATEABONENT a second on.")

S("SRV-FIELD-VALUES", "project (value types)",
  "Values outside a field's documented form are refused with ERR_BADSYNTAX (or the "
  "command's own code): a phone with letters or of 33 digits, an e-mail without @, a PIN "
  "with letters, a channel string with other than 0/1, a remote or phone type outside its "
  "table, a restart flag other than 0/1; a 32-digit phone and a 16-digit PIN are accepted.")
M("SRV-TASK-TYPE-REFUSE", "§Получение параметров задания (ttype)",
  "ADDTASK with a task type outside 0-3 is refused (ERR_ADDTASK or ERR_BADSYNTAX).")
S("SRV-MULTILINE-SEQUENCE", "R-5; project",
  "A multi-line request that breaks its sequence (PHONE after EMAIL, a second DATA line, END "
  "without DATA) is answered ERR_BADSYNTAX and creates nothing.")
S("SRV-FIELD-ID", "project (value types)",
  "Ids are decimal 1..2147483647: 0, 2147483648 and a sign are refused with ERR_BADSYNTAX; "
  "2147483647 is a well-formed id (an unknown one answers the command's own code).")

# --- session ----------------------------------------------------------------
M("SRV-LOGIN-OK", "§Идентификация на сервере",
  "LOGIN with a valid account answers LOGIN OK <welcome> (one parameter).")
M("SRV-LOGIN-OK-HASP", "§Идентификация на сервере; R-13",
  "LOGIN OK is followed by HASP <haspset> <boards> <gsmmodems> <dynamiccts> <email> <e1>: "
  "flags 0/1 and counts.")
M("SRV-HASP-CONSISTENT", "R-13",
  "STARTTASK agrees with the HASP line: no key (haspset 0) never starts a task; an e-mail "
  "task starts only when e-mail is 1, and is not refused for the licence when it is.")
M("SRV-HASP-LICENCE-FILE", "R-13",
  "The licence file decides the HASP line and what STARTTASK allows (ERR_NOHASP, "
  "ERR_NOHASPFORSTART, ERR_NOGSM).",
  needs_capability("changing the target's licence; the suite checks the HASP line against "
                   "STARTTASK instead (SRV-HASP-CONSISTENT)"))
M("SRV-LOGIN-BADLOGIN", "App.B ERR_BADLOGIN",
  "LOGIN with an unknown login or a wrong password answers ERR_BADLOGIN.")
M("SRV-ERR-NOACCESS-BEFORE-LOGIN", "R-8; App.B ERR_NOACCESS",
  "Before a successful LOGIN every command but LOGIN, PING and QUIT answers ERR_NOACCESS "
  "(whatever its parameters), and LOGIN, PING and QUIT are never refused with it.")
M("SRV-ERR-BADARGUMENT-COUNT", "R-8; App.B ERR_BADARGUMENT_COUNT",
  "A wrong number of parameters is answered ERR_BADARGUMENT_COUNT.")
S("SRV-PING", "project", "PING answers PING OK, before and after LOGIN.")
S("SRV-QUIT", "project", "QUIT answers QUIT OK, then the server closes the connection.")
S("SRV-RIGHTS-READONLY", "project; App.B ERR_NOACCESS",
  "A read-only user may read but a change (ADDGROUP, ADDTASK, ...) answers ERR_NOACCESS.")
S("SRV-RIGHTS-OPERATOR", "project; App.B ERR_NOACCESS",
  "An operator may change groups but user administration answers ERR_NOACCESS.")
S("SRV-RIGHTS-EVERY-COMMAND", "project; App.B ERR_NOACCESS",
  "Every command of the suite's command table answers ERR_NOACCESS to a user below its "
  "rights level: a read-only user for every change, an operator for every administration "
  "command.")
S("SRV-RIGHTS-READS", "project",
  "A read-only user may run every command that only reads (never ERR_NOACCESS).")
S("SRV-LOGIN-RELOGIN", "project",
  "A LOGIN in a logged-in session re-authenticates: success replaces the session's user, "
  "failure logs the session out.")

# --- tasks ------------------------------------------------------------------
M("SRV-GETTASKS-COUNT", "§Получение списка заданий; R-4",
  "GETTASKS BEGIN carries the number of DATA lines that follow.")
M("SRV-GETTASKS-ROW", "§Получение списка заданий",
  "A GETTASKS row is <id> <name> <type> <status> and lists a created task.")
M("SRV-ADDTASK-OK", "§Добавление задания",
  "ADDTASK answers ADDTASK OK <id> <name> <ttype> <status>.")
M("SRV-GETTASK-OK", "§Получение параметров задания",
  "GETTASK answers the task's 13 parameters exactly as ADDTASK / UPDATETASK set them "
  "(channels, schedule, rkey, rpin, rsms, confirm, addinfo included).")
S("SRV-TASK-CLIENT-STATUS", "R-10; project",
  "A client sets only STOPPED (0) or WAITING (2): ADDTASK with another status answers "
  "ERR_ADDTASK, UPDATETASK to one ERR_UPDATETASK.")
M("SRV-TASK-STATUS-VALUES", "R-10",
  "Task statuses are the documented integers 0-4 and task types 0-3, everywhere a task "
  "is reported.")
M("SRV-UPDATETASK-OK", "§Обновление параметров задания",
  "UPDATETASK answers UPDATETASK OK <id> <name> <ttype> <status> and changes the task.")
M("SRV-DELTASK-OK", "§Удаление задания", "DELTASK answers DELTASK OK <id>; the task is gone.")
M("SRV-ERR-GETTASK", "App.B ERR_GETTASK",
  "An unknown task id answers ERR_GETTASK: GETTASK, STARTTASK and STOPTASK.")
M("SRV-ERR-ADDTASK", "App.B ERR_ADDTASK", "ADDTASK with an unknown list answers ERR_ADDTASK.")
M("SRV-ERR-UPDATETASK", "App.B ERR_UPDATETASK",
  "UPDATETASK of an unknown task answers ERR_UPDATETASK (or ERR_GETTASK, project).")
M("SRV-ERR-DELTASK", "App.B; R-7",
  "A failed DELTASK answers ERR_ADDTASK (literal) or ERR_DELTASK (intended); for an unknown "
  "id ERR_GETTASK is also accepted.")
S("SRV-DELTASK-RUNNING", "project",
  "A running task cannot be deleted: DELTASK answers ERR_ADDTASK / ERR_DELTASK.")
S("SRV-UPDATETASK-RUNNING", "project",
  "A running task cannot be changed: UPDATETASK answers ERR_UPDATETASK.")
S("SRV-STARTTASK-RUNNING", "project",
  "STARTTASK of a running task answers UPDATETASK OK with its current status.")
S("SRV-STARTTASK-RESTART", "§Запуск задания",
  "restart 1 starts the task from the beginning, 0 resumes where it stopped.",
  untestable("where a run resumes shows only in whom it notifies; the suite notifies nobody"))
M("SRV-STARTTASK-UPDATETASK", "§Запуск задания; R-9",
  "STARTTASK answers UPDATETASK OK <id> <name> <ttype> <status> with the new status.")
M("SRV-STOPTASK-UPDATETASK", "§Остановка задания; R-9",
  "STOPTASK answers UPDATETASK OK <id> <name> <ttype> <status> with the new status.")
M("SRV-ERR-STARTTASK-LICENCE", "App.B; R-13",
  "A STARTTASK the licence refuses answers ERR_NOHASP, ERR_NOHASPFORSTART or ERR_NOGSM; "
  "ERR_NOHASP when the HASP line says no key.")
S("SRV-ERR-STOPTASK-NOTRUNNING", "project; App.B ERR_TASKNOTRUNNING",
  "STOPTASK of a task that is not running answers ERR_TASKNOTRUNNING.")
M("SRV-GETREPORT-FILE", "§Получение отчета выполнения задания",
  "GETREPORT of a task that ran answers BEGIN <format>, hex DATA lines, END.")
M("SRV-GETREPORT-CONTENT", "§Получение отчета выполнения задания",
  "The report's data is a file of the format BEGIN names: an HTML page for HTML, an "
  "Excel 97 workbook (an OLE2 compound file) for XLS.")
S("SRV-GETREPORT-FORMAT-PARAM", "project",
  "GETREPORT <id> <format> answers the format asked for (HTML, XLS), and ERR_GETREPORT for "
  "a format it does not write.")
M("SRV-ERR-GETREPORT", "App.B ERR_GETREPORT", "GETREPORT of an unknown task answers ERR_GETREPORT.")
M("SRV-ERR-TASKNOTRUNNING", "App.B ERR_TASKNOTRUNNING",
  "GETREPORT of a task that never ran answers ERR_TASKNOTRUNNING.")
S("SRV-GETTASKINFO", "project",
  "GETTASKINFO answers the task's progress (8 parameters, its id and current status); an "
  "unknown task answers ERR_GETTASK.")

# --- groups -----------------------------------------------------------------
M("SRV-GETGROUPS-LISTING", "§Получение списка групп",
  "GETGROUPS lists <id> <name> <description> rows, a created group among them.")
M("SRV-GETGROUPS-BY-LIST", "§Получение списка групп",
  "GETGROUPS <lid> lists exactly the list's groups (without lid: every group).")
M("SRV-ADDGROUP-OK", "§Добавление группы",
  "ADDGROUP answers ADDGROUP OK <id> <name> <description>.")
M("SRV-UPDATEGROUP-OK", "§Обновление данных группы",
  "UPDATEGROUP answers UPDATEGROUP OK <id> <name> <description> and changes the group.")
M("SRV-DELGROUP-OK", "§Удаление группы", "DELGROUP answers DELGROUP OK <id>; the group is gone.")
M("SRV-ERR-UPDATEGROUP", "App.B ERR_UPDATEGROUP",
  "UPDATEGROUP of an unknown group answers ERR_UPDATEGROUP.")
M("SRV-ERR-DELGROUP", "App.B ERR_DELGROUP", "DELGROUP of an unknown group answers ERR_DELGROUP.")
M("SRV-DELGROUP-IN-USE", "§Получение списка абонентов (gid); App.B ERR_DELGROUP",
  "DELGROUP of a group that still holds abonents answers ERR_DELGROUP; the group and its "
  "abonents stay (every abonent is in a group: none is deleted with it).")
S("SRV-ERR-ADDGROUP", "App.B ERR_ADDGROUP",
  "ADDGROUP with an empty name is refused (ERR_ADDGROUP, or ERR_BADSYNTAX for the field).")

# --- lists ------------------------------------------------------------------
M("SRV-GETLISTS-LISTING", "§Получения списков рассылок",
  "GETLISTS lists <id> <name> <description> rows, a created list among them.")
M("SRV-ADDLIST-OK", "§Добавление списка рассылки",
  "ADDLIST answers ADDLIST OK <id> <name> <description>.")
M("SRV-UPDATLIST-ECHO", "§Обновление данных списка рассылки; R-6",
  "UPDATLIST (the section's spelling) works and its reply word is UPDATLIST.")
M("SRV-UPDATELIST-ECHO", "App.A; R-6", "UPDATELIST works and its reply word is UPDATELIST.")
M("SRV-DELLIST-OK", "§Удаление списка рассылки",
  "DELLIST answers DELLIST OK <id>; the list is gone.")
M("SRV-ERR-UPDATELIST", "App.B ERR_UPDATELIST",
  "UPDATELIST of an unknown list answers ERR_UPDATELIST.")
M("SRV-ERR-DELLIST", "App.B ERR_DELLIST", "DELLIST of an unknown list answers ERR_DELLIST.")
M("SRV-ERR-LISTUSE", "App.B ERR_LISTUSE", "DELLIST of a list a task uses answers ERR_LISTUSE.")
M("SRV-DELLIST-KEEPS-MEMBERS", "§Удаление списка рассылки",
  "DELLIST deletes the list only: its abonents and groups stay.")
S("SRV-ERR-ADDLIST", "App.B ERR_ADDLIST",
  "ADDLIST with an empty name is refused (ERR_ADDLIST, or ERR_BADSYNTAX for the field).")
M("SRV-LISTADDABONENTS-OK", "§Добавление абонентов в список рассылки",
  "LISTADDABONENTS answers OK <lid> <abonids>; the abonents are in the list.")
M("SRV-LISTADDGROUPS-OK", "§Добавление групп в список рассылки",
  "LISTADDGROUPS answers OK <lid> <groupids>; the groups are in the list.")
M("SRV-LISTDELABONENTS-OK", "§Удаление абонентов из списка рассылки",
  "LISTDELABONENTS answers OK <lid> <abonids>; the abonents left the list.")
M("SRV-LISTDELGROUPS-OK", "§Удаление групп из списка рассылки; R-6",
  "LISTDELGROUPS <lid> <groupids> answers OK; the groups left the list.")
M("SRV-ERR-LISTADDABONENTS", "App.B ERR_LISTADDABONENTS",
  "LISTADDABONENTS to an unknown list answers ERR_LISTADDABONENTS.")
M("SRV-ERR-LISTADDGROUPS", "App.B ERR_LISTADDGROUPS",
  "LISTADDGROUPS to an unknown list answers ERR_LISTADDGROUPS.")
M("SRV-ERR-LISTDELABONENTS", "App.B; R-7",
  "LISTDELABONENTS on an unknown list answers ERR_LISTADDABONENTS (literal) or "
  "ERR_LISTDELABONENTS.")
M("SRV-ERR-LISTDELGROUPS", "App.B; R-7",
  "LISTDELGROUPS on an unknown list answers ERR_LISTADDGROUPS (literal) or ERR_LISTDELGROUPS.")
S("SRV-LISTCLEAR", "project", "LISTCLEAR empties a list (ERR_LISTCLEAR for an unknown one).")

# --- abonents ---------------------------------------------------------------
M("SRV-ADDABONENT-OK", "§Добавление абонента; R-5",
  "ADDABONENT BEGIN/DATA/PHONE/EMAIL/END answers OK <16 fields>, PHONE and EMAIL lines, END, "
  "every field as sent.")
M("SRV-UPDATEABONENT-OK", "§Обновление данных абонента; R-5",
  "UPDATEABONENT changes every field and replaces the phones and e-mails.")
M("SRV-GETABONENTS-LISTING", "§Получение списка абонентов",
  "GETABONENTS lists DATA <16 fields>, each followed by its PHONE and EMAIL lines.")
M("SRV-GETABONENTS-FILTER", "§Получение списка абонентов",
  "GETABONENTS <gid>, GETABONENTS '' <lid> and both filter by group and list.")
S("SRV-GETABONENTS-LIST-GROUPS", "§Добавление групп в список рассылки; project",
  "GETABONENTS '' <lid> also lists the abonents of the groups in the list.")
S("SRV-ABONENT-PHONES-FIRST", "project",
  "In an abonent's reply lines every PHONE line comes before its EMAIL lines.")
S("SRV-ABONENT-LIMITS", "project",
  "An abonent has at most 32 phones and 32 e-mails; more are refused.",
  untestable("the limits are server settings; the suite cannot know the values in force"))
S("SRV-ERR-ADDABONENT", "project",
  "ADDABONENT into an unknown group answers ERR_ADDABONENT.")
M("SRV-GROUPADDABONENTS-OK", "§Перемещение абонента в другую группу",
  "GROUPADDABONENTS <gid> <abonids> answers OK and moves the abonents.")
M("SRV-ERR-GROUPADDABONENTS", "App.B ERR_GROUPADDABONENTS",
  "GROUPADDABONENTS to an unknown group answers ERR_GROUPADDABONENTS.")
M("SRV-ERR-GETABONENT", "App.B ERR_GETABONENT",
  "UPDATEABONENT (and GETABONENT) of an unknown abonent answers ERR_GETABONENT.")
S("SRV-GETABONENT", "project", "GETABONENT <id> answers in ADDABONENT's reply shape.")
S("SRV-DELABONENTS", "project; App.B ERR_DELABONENTS",
  "DELABONENTS deletes abonents; unknown ids answer ERR_DELABONENTS.")
S("SRV-MULTILINE-INTERRUPTED", "project",
  "A foreign line inside a multi-line request drops it with ERR_BADSYNTAX and is itself "
  "answered.")

# --- messages (project) -----------------------------------------------------
S("SRV-ADDMESSAGE-OK", "project", "ADDMESSAGE answers OK <8 fields>.")
S("SRV-UPDATEMESSAGE-OK", "project", "UPDATEMESSAGE answers OK <8 fields> with the new values.")
S("SRV-MESSAGES-LISTING", "project", "MESSAGES lists the messages, a created one among them.")
S("SRV-DELMESSAGE-OK", "project", "DELMESSAGE answers DELMESSAGE OK <id>.")
M("SRV-ERR-MESSAGEUSE", "App.B ERR_MESSAGEUSE",
  "DELMESSAGE of a message a task uses answers ERR_MESSAGEUSE.")
S("SRV-ERR-ADDMESSAGE", "App.B ERR_ADDMESSAGE; project",
  "ADDMESSAGE of a message that cannot be sent (an SMS without text) answers ERR_ADDMESSAGE.")
S("SRV-ERR-UPDATEMESSAGE", "App.B ERR_UPDATEMESSAGE",
  "UPDATEMESSAGE of an unknown message answers ERR_UPDATEMESSAGE.")
S("SRV-ERR-DELMESSAGE", "App.B ERR_DELMESSAGE",
  "DELMESSAGE of an unknown message answers ERR_DELMESSAGE.")

# --- users (project) --------------------------------------------------------
S("SRV-USER", "project", "USER answers the session's own account.")
S("SRV-USERS-LISTING", "project", "USERS lists the accounts, a created one among them.")
S("SRV-USERADD-OK", "project", "USERADD answers OK <login> <rights> <name> <description>.")
M("SRV-ERR-USERALREADY", "App.B ERR_USERALREADY",
  "USERADD of a taken login answers ERR_USERALREADY.")
S("SRV-USERCHG-OK", "project", "USERCHG changes an account; the new password works.")
S("SRV-USERCHG-KEEP-PASSWORD", "project", "USERCHG with an empty password keeps the old one.")
S("SRV-ERR-USERADD", "App.B ERR_USERADD; project",
  "USERADD with an empty password answers ERR_USERADD.")
S("SRV-USERDEL-LAST-ADMIN", "project",
  "The last administrator can be neither deleted nor demoted (ERR_USERDEL / ERR_USERCHG).",
  needs_capability("a target whose only administrator the suite may try to delete"))
S("SRV-ERR-USERCHG", "App.B ERR_USERCHG", "USERCHG of an unknown login answers ERR_USERCHG.")
S("SRV-USERDEL-OK", "project", "USERDEL answers USERDEL OK <login>; the login no longer works.")
S("SRV-ERR-USERDEL", "App.B ERR_USERDEL", "USERDEL of an unknown login answers ERR_USERDEL.")
S("SRV-CHECKPASSW-OK", "project", "CHECKPASSW with the right password answers OK <login>.")
M("SRV-ERR-CHECKPASSW", "App.B ERR_CHECKPASSW",
  "CHECKPASSW with a wrong password answers ERR_CHECKPASSW.")
S("SRV-CHECKPASSW-SESSION", "project",
  "CHECKPASSW does not change the session: after a wrong password it is still logged in.")

# --- monitoring (R-9) -------------------------------------------------------
S("SRV-MONITORING-OK", "project", "MONITORING [0|1] answers MONITORING OK <state>.")
M("SRV-MONITORING-UNSOLICITED", "R-9",
  "After MONITORING a session receives UPDATETASK OK <id> <name> <ttype> <status> when a "
  "task's status changes.")
S("SRV-MONITORING-BETWEEN-REPLIES", "project",
  "Unsolicited lines never arrive inside a multi-line reply.")
S("SRV-MONITORING-OFF", "project", "After MONITORING 0 no unsolicited lines arrive.")

# --- appendix A, project designs -------------------------------------------
S("SRV-GETCHANNELS-LISTING", "project", "GETCHANNELS lists <num> <ctype> <name> <enabled> <state>.")
S("SRV-GETCHANINFO-OK", "project", "GETCHANINFO <num> answers the channel with its settings.")
S("SRV-ERR-GETCHANINFO", "project", "GETCHANINFO of an unknown channel answers ERR_GETCHANINFO.")
S("SRV-SETCHANINFO-OK", "project",
  "SETCHANINFO changes a channel's name (the suite restores it) and echoes the channel.")
S("SRV-GETCONFIG-LISTING", "project", "GETCONFIG lists <key> <value> rows.")
S("SRV-SETCONFIG-OK", "project", "SETCONFIG <key> <value> answers OK <key> <value>.")
S("SRV-ERR-SETCONFIG", "project", "SETCONFIG of an unknown key answers ERR_SETCONFIG.")
S("SRV-GETLOG-LISTING", "project", "GETLOG <date> lists the day's log, or ERR_NOLOGFILE.")
M("SRV-ERR-NOLOGFILE", "App.B ERR_NOLOGFILE",
  "GETLOG of a day without a log answers ERR_NOLOGFILE.")
S("SRV-GETTTS-LISTING", "project", "GETTTS lists <name> <language> <description>, or ERR_GETTTS.")
S("SRV-TTS-FILE", "project", "TTS <voice> <text> answers a WAV file reply, or ERR_GETTTS.")
M("SRV-ERR-GETTTS", "App.B ERR_GETTTS", "TTS with an unknown voice answers ERR_GETTTS.")
S("SRV-SENDRAWFILE-OK", "project",
  "SENDRAWFILE BEGIN <name> <size>, DATA, END answers SENDRAWFILE OK <name> <size>.")
S("SRV-GETRAWFILE-FILE", "project", "GETRAWFILE returns the bytes that were uploaded.")
M("SRV-ERR-NOFILE", "App.B ERR_NOFILE", "GETRAWFILE of a missing file answers ERR_NOFILE.")
S("SRV-FILENAME-PLAIN", "project (value types)",
  "A file name is a plain name in the server's store: one with a path (/, \\, ..) is "
  "refused (ERR_BADSYNTAX or ERR_NOFILE), never served.")
