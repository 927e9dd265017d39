"""The statement inventory of the GSM modem suite: V.250, 3GPP TS 27.007 and 27.005
(with TS 23.038 / 23.040 for what a message holds), as the rulings' "GSM modem"
section lists the commands and issue 11 the behaviour.

Ids are ``GSM-<spec>-<topic>``: ``V250``, ``27007``, ``27005``, ``23038`` for
the standards, ``VENDOR`` for the dialects' own codes (the ruling's
"DTMF-detection URC" and Huawei's call progress). Sections cite the clause
of the standard ("27.005 §3.5.1"). What needs a second party calling or
texting the modem on cue, a fault (no SIM, SIM busy, no service) or far ends
that are busy or do not answer is checked through the simulator's control
API (capability ``control``): against a real modem those cases are
unsupported. Only a wrong PIN is never tried, on any target (see HARM);
``nabat conformance gsm --inventory`` lists every statement.
"""

from __future__ import annotations

from nabat.conformance.framework.clauses import ClauseRegistry, untestable

GSM = ClauseRegistry("GSM", "GSM modem AT interface (V.250, 3GPP TS 27.007, 27.005)")
M, S = GSM.must, GSM.should

HARM = untestable(
    "a wrong PIN uses up one of the SIM's three attempts and three lock it with its PUK: "
    "the suite never enters a PIN it does not know to be right")

# --- V.250: command lines and result codes ------------------------------------------
M("GSM-V250-AT-OK", "V.250 §5.2.1, §5.7", "AT alone is answered OK.")
M("GSM-V250-RESULT-FRAMING", "V.250 §5.7.1, §6.2.6",
  "Under ATV1 a final result code is framed <CR><LF>code<CR><LF>.")
M("GSM-V250-INFO-FRAMING", "V.250 §5.7.2",
  "Under ATV1 information text is framed <CR><LF>text<CR><LF> and comes before the final "
  "result code.")
M("GSM-V250-LOWERCASE", "V.250 §5.1, §5.2.1",
  "The AT prefix and command names may be typed in lower case (at, at+cmee?) with the same "
  "meaning.")
M("GSM-V250-ECHO", "V.250 §6.2.4",
  "ATE1 echoes the characters of a command line back; ATE0 stops the echo.")
M("GSM-V250-NUMERIC", "V.250 §6.2.6, table 1",
  "Under ATV0 final result codes are numeric (0<CR> for OK, 4<CR> for ERROR); ATV1 restores "
  "the words.")
S("GSM-V250-NUMERIC-INFO", "V.250 §6.2.6",
  "Under ATV0 information text is text<CR><LF>, without the leading <CR><LF>.")
M("GSM-V250-QUIET", "V.250 §6.2.5",
  "ATQ1 suppresses result codes (a command gets no OK); ATQ0 restores them.")
M("GSM-V250-UNKNOWN-COMMAND", "V.250 §5.6",
  "An unknown command ends in an error result (ERROR; Huawei's COMMAND NOT SUPPORT is "
  "accepted), never OK.")
M("GSM-V250-CONCATENATION", "V.250 §5.2.2, §5.4",
  "Several commands on one line (extended ones separated by ';') run in order: the "
  "information text of each, then one final result code.")
M("GSM-V250-LINE-STOPS-AT-ERROR", "V.250 §5.6",
  "When a command of a line fails, the commands after it are not executed and the line ends "
  "in an error result.")
M("GSM-V250-S-PARAMETERS", "V.250 §5.3.2, §6.2.1-§6.2.3",
  "ATS3?, ATS4? and ATS5? answer their values as three decimal digits: 013, 010 and 008.")
S("GSM-V250-BACKSPACE", "V.250 §5.2.2, §6.2.3",
  "The S5 character (backspace) deletes the character before it from the command line.")
S("GSM-V250-REPEAT", "V.250 §5.2.4", "A/ repeats the previous command line.")
M("GSM-V250-RESET", "V.250 §6.1.1",
  "ATZ is answered OK (it restores the saved profile, whose values the suite cannot know).")
S("GSM-V250-FACTORY", "V.250 §6.1.2, §6.2.4, §6.2.6",
  "AT&F is answered OK and sets the factory values: echo on (E1) and verbose result codes (V1).")
M("GSM-V250-DIAL-VOICE", "V.250 §6.3.1; 27.007 §6.2",
  "ATD<number>; starts a voice call and is answered OK without waiting for the far end to "
  "answer (unless +COLP=1).")
M("GSM-V250-HANGUP", "V.250 §6.3.6",
  "ATH ends the call and is answered OK; +CLCC then lists no call.")
S("GSM-V250-HANGUP-IDLE", "V.250 §6.3.6", "ATH without a call is answered OK.")
S("GSM-V250-ANSWER-IDLE", "V.250 §6.3.5",
  "ATA without an incoming call is not answered OK (NO CARRIER or an error result).")
M("GSM-V250-ANSWER", "V.250 §6.3.5; 27.007 §7.18",
  "ATA answers an incoming call: OK, and +CLCC then shows it active (dir 1, stat 0).")
M("GSM-V250-CALL-RESULTS", "V.250 §6.3.1, table 1",
  "A call the far end refuses or does not answer ends in BUSY, NO ANSWER or NO CARRIER; one "
  "the far end ends, in NO CARRIER.")

# --- 27.007: errors ------------------------------------------------------------------
M("GSM-27007-CMEE-SETTING", "27.007 §9.1",
  "+CMEE=<n> sets the error mode; +CMEE? answers +CMEE: <n> with that value; +CMEE=? lists "
  "the supported values, 0, 1 and 2 among them.")
M("GSM-27007-CMEE-OFF", "27.007 §9.1", "Under +CMEE=0 an ME error ends in plain ERROR.")
M("GSM-27007-CMEE-NUMERIC", "27.007 §9.1, §9.2",
  "Under +CMEE=1 an ME error ends in +CME ERROR: <err> with a numeric code.")
M("GSM-27007-CMEE-VERBOSE", "27.007 §9.1, §9.2",
  "Under +CMEE=2 an ME error ends in +CME ERROR: <err> with the verbose text.")
S("GSM-27007-CME-TEXT", "27.007 §9.2",
  "The verbose text names the same error as the numeric code (the §9.2 table).")
M("GSM-27007-CME-SIM", "27.007 §9.2 (10-14)",
  "A command that needs the SIM answers +CME ERROR: 10 without a SIM, 11 or 12 while a PIN or "
  "PUK is pending, 14 while the SIM is busy.")

# --- 27.007: identity, SIM, network ----------------------------------------------------
M("GSM-27007-IDENTIFICATION", "27.007 §5.1-§5.4; V.250 §6.1.4-§6.1.7",
  "+CGMI, +CGMM, +CGMR and +CGSN answer their text and OK; their test forms answer OK.")
S("GSM-27007-CGSN-IMEI", "27.007 §5.4; 23.003 §6.2.1",
  "+CGSN gives the IMEI: 15 digits, the last one the Luhn check digit.")
M("GSM-27007-CIMI", "27.007 §5.6; 23.003 §2.2", "+CIMI gives the IMSI: 6 to 15 digits.")
S("GSM-27007-CNUM", "27.007 §7.1",
  "+CNUM answers OK with zero or more lines +CNUM: [<alpha>],\"<number>\",<type>, type 145 "
  "exactly when the number starts with + (else 129).")
S("GSM-27007-CLAC", "27.007 §8.37",
  "+CLAC lists the supported commands one per line, the ones this suite uses among them.")
M("GSM-27007-CFUN-READ", "27.007 §8.2",
  "+CFUN? answers +CFUN: <fun>, 1 for a modem in full service.")
M("GSM-27007-CFUN-SET", "27.007 §8.2",
  "+CFUN=4 turns the radio off (+CFUN? then answers 4 and the modem deregisters) and "
  "+CFUN=1 on again.")
M("GSM-27007-CPIN-READ", "27.007 §8.3",
  "+CPIN? answers +CPIN: <code>, READY when no password is pending.")
M("GSM-27007-CPIN-ENTER", "27.007 §8.3",
  "+CPIN=<pin> with the right PIN unlocks the SIM: +CPIN? then answers READY.")
M("GSM-27007-CPIN-WRONG", "27.007 §8.3, §9.2 (16)",
  "A wrong PIN is answered +CME ERROR: 16 (incorrect password).", HARM)
M("GSM-27007-CPIN-PUK", "27.007 §8.3",
  "After three wrong PINs +CPIN? answers SIM PUK; +CPIN=<puk>,<new pin> unlocks it.", HARM)
M("GSM-27007-CREG-READ", "27.007 §7.2",
  "+CREG? answers +CREG: <n>,<stat>: n as set (0, 1 or 2), stat 0-5.")
S("GSM-27007-CREG-LOCATION", "27.007 §7.2",
  "Under +CREG=2 a registered modem adds <lac>,<ci> as quoted hexadecimal strings.")
M("GSM-27007-CREG-URC", "27.007 §7.2",
  "Under +CREG=1 a change of registration is reported unsolicited as +CREG: <stat>.")
M("GSM-27007-COPS-READ", "27.007 §7.3",
  "+COPS? answers +COPS: <mode>[,<format>,\"<oper>\"[,<AcT>]] with mode 0-4 and format 0-2.")
S("GSM-27007-COPS-FORMAT", "27.007 §7.3",
  "+COPS=3,2 makes +COPS? give the numeric operator (MCC and MNC: 5 or 6 digits); "
  "+COPS=3,0 the long alphanumeric name.")
M("GSM-27007-COPS-LIST", "27.007 §7.3",
  "+COPS=? lists the operators found as (<stat>,\"long\",\"short\",\"numeric\") groups.")
M("GSM-27007-CSQ", "27.007 §8.5",
  "+CSQ answers +CSQ: <rssi>,<ber> with rssi 0-31 or 99 and ber 0-7 or 99.")
S("GSM-27007-CSQ-TEST", "27.007 §8.5", "+CSQ=? answers +CSQ: (<rssi> list),(<ber> list).")
M("GSM-27007-CSCS", "27.007 §5.5",
  "+CSCS=\"GSM\", \"UCS2\" and \"IRA\" select the TE character set; +CSCS? answers it quoted; "
  "+CSCS=? lists the sets.")

# --- 27.007: calls ---------------------------------------------------------------------
M("GSM-27007-CLIP-SETTING", "27.007 §7.6",
  "+CLIP=<n> sets caller-id presentation; +CLIP? answers +CLIP: <n>,<m> with m 0-2.")
M("GSM-27007-CLIP-URC", "27.007 §7.6",
  "With +CLIP=1 the RING of an incoming call is followed by +CLIP: \"<number>\",<type>[,...], "
  "type 145 exactly for a number starting with +.")
M("GSM-27007-RING", "V.250 table 1; 27.007 §6.11",
  "An incoming call rings: RING (+CRING: VOICE under +CRC=1), repeated while it rings.")
S("GSM-27007-RING-WITH-CLIP", "issue 11 §1",
  "RING is immediately followed by its +CLIP line, with no other line between them.")
M("GSM-27007-CLCC-IDLE", "27.007 §7.18", "+CLCC without a call answers OK and no +CLCC line.")
M("GSM-27007-CLCC-CALL", "27.007 §7.18",
  "During a call +CLCC lists it as +CLCC: <id>,<dir>,<stat>,<mode>,<mpty>,\"<number>\",<type>: "
  "dir 0 for a call the modem dialled, stat 2 or 3 while dialling or alerting and 0 once "
  "answered, mode 0 (voice), the number dialled.")
M("GSM-27007-CHUP", "27.007 §6.5", "+CHUP ends the call and is answered OK.")
S("GSM-27007-CVHU", "27.007 §6.20",
  "+CVHU=<mode> sets how ATH treats voice calls; +CVHU? answers +CVHU: <mode>.")
M("GSM-27007-VTS", "27.007 §C.2.11 (+VTS)",
  "During an answered call +VTS=<key> sends the tone and is answered OK.")
S("GSM-27007-VTS-IDLE", "27.007 §C.2.11 (+VTS)",
  "+VTS without a call ends in an error result, never OK.")
M("GSM-27007-URC-OUTSIDE-ANSWERS", "V.250 §5.7; 27.007 §4.2",
  "An unsolicited result code is never written inside the answer to a command (between the "
  "command and its final result code).")
M("GSM-VENDOR-DTMF-URC", "spec-rulings \"GSM modem\"; SIM800 +DDET, EC25 +QTONEDET, Huawei "
  "^DDSETEX",
  "After the dialect's detection switch (AT+DDET=1, AT+QTONEDET=1 or AT^DDSETEX=2) a key "
  "the far end presses is reported unsolicited: +DTMF: <key>, +QTONEDET: <ASCII code> or "
  "^DDTMF: <key>.")
S("GSM-VENDOR-HUAWEI-CALL-URC", "Huawei E-series AT manual (^ORIG, ^CONN, ^CEND)",
  "A modem that reports ^ORIG:<id>,<type> for a dialled call reports ^CONN:<id>,<type> when "
  "it is answered and ^CEND:<id>,<duration>,<end status>[,<cause>] when it ends.")

# --- 27.005: settings ------------------------------------------------------------------
M("GSM-27005-CMGF", "27.005 §3.2.3",
  "+CMGF=1 selects text mode and +CMGF=0 PDU mode; +CMGF? answers the mode; +CMGF=? lists "
  "both.")
M("GSM-27005-CSCA", "27.005 §3.3.1",
  "+CSCA? answers +CSCA: \"<sca>\",<tosca> (145 when the address starts with +); writing the "
  "same address back is answered OK.")
M("GSM-27005-CSMP", "27.005 §3.3.2",
  "+CSMP=<fo>,<vp>,<pid>,<dcs> sets the text-mode parameters that +CSMP? then answers.")
M("GSM-27005-CPMS", "27.005 §3.2.2",
  "+CPMS? answers the three memories with <used>,<total> each (used <= total); selecting the "
  "current memories answers +CPMS: <used1>,<total1>,<used2>,<total2>,<used3>,<total3>.")
M("GSM-27005-CNMI", "27.005 §3.4.1",
  "+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr> sets the new-message indications that +CNMI? then "
  "answers; +CNMI=? lists the supported values.")

# --- 27.005: incoming messages -------------------------------------------------------------
M("GSM-27005-CMTI", "27.005 §3.4.1",
  "With <mt>=1 an arriving SMS is stored and indicated by +CMTI: \"<mem>\",<index>.")
M("GSM-27005-CMT", "27.005 §3.4.1",
  "With <mt>=2 an arriving SMS is routed as +CMT: ... with the message on the next line, not "
  "stored.")
M("GSM-27005-REC-UNREAD", "27.005 §3.4.3",
  "A received message reads REC UNREAD until +CMGR or +CMGL reads it, then REC READ.")
M("GSM-27005-CDS", "27.005 §3.4.1; 23.040 §9.2.2.3",
  "A status report asked for (TP-SRR) comes back as +CDS (<ds>=1) carrying the TP-MR of the "
  "submission.")

# --- 27.005: sending and storing ---------------------------------------------------------
M("GSM-27005-CMGS-PROMPT", "27.005 §3.5.1, §4.3",
  "+CMGS=\"<da>\" (text mode) and +CMGS=<length> (PDU mode) answer the four characters "
  "<CR><LF>><space> before the message.")
M("GSM-27005-CMGS-ESCAPE", "27.005 §3.5.1",
  "Esc instead of Ctrl-Z cancels the message: nothing is sent (no +CMGS) and the modem takes "
  "commands again.")
M("GSM-27005-CMGS-TEXT", "27.005 §3.5.1",
  "In text mode the text ended by Ctrl-Z is sent: +CMGS: <mr> (0-255), then OK.")
M("GSM-27005-CMGS-PDU", "27.005 §4.3",
  "In PDU mode the SMS-SUBMIT in hex ended by Ctrl-Z is sent: +CMGS: <mr> (0-255), then OK.")
M("GSM-27005-CMGS-UCS2", "27.005 §4.3; 23.038 §5",
  "A UCS2 (Cyrillic) SMS-SUBMIT (DCS 0x08) is sent in PDU mode: +CMGS: <mr>, then OK.")
S("GSM-27005-TEXT-UCS2", "27.005 §3.5.1; 27.007 §5.5",
  "In text mode with +CSCS=\"UCS2\" and +CSMP <dcs> 8 the address and the text are hex UCS2 "
  "and the message is sent: +CMGS: <mr>.")
S("GSM-27005-MESSAGE-REFERENCE", "23.040 §9.2.3.6",
  "Consecutive submissions get different message references (TP-MR).")
S("GSM-27005-CONCATENATED", "23.040 §9.2.3.24.1",
  "Each part of a concatenated message (user data header, IEI 0) is sent: +CMGS: <mr> per "
  "part.")
M("GSM-27005-CMGW", "27.005 §3.5.3, §4.5",
  "+CMGW stores a message (prompt, text or PDU, Ctrl-Z) and answers +CMGW: <index>.")
M("GSM-27005-CMGR-TEXT", "27.005 §3.4.3",
  "In text mode +CMGR=<index> of a stored unsent message answers +CMGR: \"STO UNSENT\","
  "\"<da>\",... with its text on the next line.")
M("GSM-27005-CMGR-PDU", "27.005 §4.2",
  "In PDU mode +CMGR=<index> answers +CMGR: <stat>,[<alpha>],<length> and the PDU on the "
  "next line: stat 2 for a stored unsent message, <length> the TPDU octets (SMSC part not "
  "counted), the TPDU as it was written.")
M("GSM-27005-CMGL", "27.005 §3.4.2, §4.1",
  "+CMGL=\"STO UNSENT\" (text mode) and +CMGL=2 (PDU mode) list the stored message: +CMGL: "
  "<index>,<stat>,... and its text or PDU.")
M("GSM-27005-CMGD", "27.005 §3.5.4",
  "+CMGD=<index> deletes the message: +CMGR of that index then finds none (OK alone, or "
  "+CMS ERROR: 321).")
M("GSM-27005-INVALID-INDEX", "27.005 §3.2.5 (321)",
  "+CMGR of an index outside the memory answers +CMS ERROR: 321 under +CMEE=1.")
M("GSM-27005-CMS-ERROR", "27.005 §3.2.5",
  "A failed SMS command ends in +CMS ERROR: <err>, numeric under +CMEE=1 (under +CMEE=0, "
  "ERROR or +CMS ERROR).")
S("GSM-27005-CMS-VERBOSE", "27.005 §3.2.5; 27.007 §9.1",
  "Under +CMEE=2 +CMS ERROR carries the verbose text.")
M("GSM-27005-INVALID-PDU", "27.005 §3.2.5; issue 11 §1",
  "A malformed PDU after the prompt is answered +CMS ERROR and the modem goes on answering "
  "commands.")
S("GSM-27005-INVALID-PDU-CODE", "27.005 §3.2.5 (304)",
  "The error for a malformed PDU is 304 (invalid PDU mode parameter).")
M("GSM-27005-CMS-NETWORK", "27.005 §3.2.5 (331)",
  "A submission without network service is answered +CMS ERROR: 331 (no network service).")

# --- 23.038: what stored messages read back as -------------------------------------------
M("GSM-23038-GSM7-EXTENSION", "23.038 §6.2.1.1",
  "A stored 7-bit message with extension-table characters ({ } [ ] ~ \\ | ^ €) reads back in "
  "text mode as those characters.")
M("GSM-23038-UCS2-READBACK", "23.038 §5; 27.005 §3.4.3",
  "A stored UCS2 message reads back in text mode under +CSCS=\"UCS2\" as the hex of its "
  "UCS2 text.")
