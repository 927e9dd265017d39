"""Deviations the FTP suite must catch, written into the FTP platform simulator
(``simulators/ftp_platform``): each is one small change of the kind a platform
could ship. The campaign runs the simulator over explicit FTPS with its control
API (targets.py). Left out as equivalent from outside (an archive that breaks one
rule breaks another the simulator still checks, and is refused anyway): merely not
refusing a zip-slip entry (the layout check refuses any other name; reading it as
the name it points to is in), a 12-letter or 16-digit sender
(not registered either), an encrypted entry or a zip bomb (unreadable or not a
valid CSV). See catalogue.py and mutant.py."""

from __future__ import annotations

from tests.mutation.mutant import Edit, Mutant, mutant

F = "simulators/ftp_platform/"
ARCHIVE, BATCH, INTAKE = F + "archive.py", F + "batch.py", F + "intake.py"
POLLER, SERVER, ACCOUNTS = F + "poller.py", F + "ftp_server.py", F + "accounts.py"

FTP: list[Mutant] = [
    # --- the FTP session -------------------------------------------------------------
    mutant("FTP-PASV-MASQUERADE", "ftp", "MUST", "PASV names an address that is not the server's",
           SERVER, "    masquerade_address = None", '    masquerade_address = "10.9.8.7"',
           statement="FTP-SESSION-PASV"),
    mutant("FTP-NO-DELETE-PERMISSION", "ftp", "MUST", "DELE is refused in the client's folder",
           SERVER, 'PERMISSIONS = "elradfmw"', 'PERMISSIONS = "elrafmw"',
           statement="FTP-SESSION-DELE"),
    mutant("FTP-NO-READ-PERMISSION", "ftp", "SHOULD", "RETR is refused in the client's folder",
           SERVER, 'PERMISSIONS = "elradfmw"', 'PERMISSIONS = "eladfmw"',
           statement="FTP-SESSION-RETR"),
    mutant("FTP-PROT-P-NOT-ENFORCED", "ftp", "MUST",
           "after AUTH TLS, data connections in clear (no PROT, or PROT C) are served",
           SERVER, "        if self._ssl_established:\n            if cmd == \"PROT\"",
           "        if False:\n            if cmd == \"PROT\"", statement="FTP-TLS-DATA-REQUIRED"),
    mutant("FTP-DATA-BEFORE-PROT", "ftp", "MUST",
           "after AUTH TLS, a data connection before PROT P is served in clear",
           SERVER, "            if cmd in _DATA_CONNECTION_COMMANDS and not self._prot:",
           "            if False:", statement="FTP-TLS-DATA-REQUIRED"),
    # --- the poller --------------------------------------------------------------------
    mutant("FTP-NEWEST-FIRST", "ftp", "MUST", "the newest archive is processed first",
           POLLER, "found.sort(key=lambda item: item[0])",
           "found.sort(key=lambda item: item[0], reverse=True)",
           statement="FTP-POLL-OLDEST-FIRST"),
    mutant("FTP-HALF-UPLOADED", "ftp", "MUST",
           "an archive whose upload is still open is processed once its size stays the same",
           POLLER, 'if state in ("open", "incomplete"):', 'if state in ("incomplete",):',
           statement="FTP-POLL-HALF-UPLOADED"),
    mutant("FTP-NOT-DELETED", "ftp", "MUST", "a processed archive is not deleted",
           POLLER, "            path.unlink()\n", "            pass\n",
           statement="FTP-POLL-DELETE"),
    mutant("FTP-REJECT-LEFT-IN-PLACE", "ftp", "MUST",
           "an archive that breaks the rules is left in the upload folder",
           POLLER, "            os.replace(path, target)\n",
           "            raise OSError('left in place')\n", statement="FTP-RULE3-MOVED-ASIDE"),
    mutant("FTP-NO-ERROR-REPORT", "ftp", "MUST",
           "a rejected archive is moved aside without an error report beside it",
           POLLER, 'target.with_name(target.name + ".error.txt").write_text(report, '
           'encoding="utf-8")', "report.strip()", statement="FTP-RULE3-REPORT"),
    # --- the archive's name ------------------------------------------------------------
    mutant("FTP-OTHER-LOGIN-NAME", "ftp", "MUST", "an archive named for another login is taken",
           ARCHIVE, 'if match["login"] != login:', 'if not match["login"].endswith(login):',
           statement="FTP-NAME-LOGIN"),
    mutant("FTP-NAME-DASH", "ftp", "MUST", "<login>-<stamp>.zip (a dash) is taken as well",
           ARCHIVE, r'_NAME = re.compile(r"(?P<login>.+)_(?P<stamp>',
           r'_NAME = re.compile(r"(?P<login>.+)[_-](?P<stamp>', statement="FTP-NAME-FORMAT"),
    Mutant("FTP-NAME-ANY-DATE", "ftp", "SHOULD", "an impossible date in the name is accepted",
           ARCHIVE, (Edit('    except ValueError:\n        raise ArchiveError(\n'
                          '            f"archive name {name[:120]!r}: {match[\'stamp\']} is not',
                          '    except ValueError:\n        stamp = datetime(2000, 1, 1)\n'
                          '        return ArchiveName(match["login"], stamp)\n'
                          '        raise ArchiveError(\n'
                          '            f"archive name {name[:120]!r}: {match[\'stamp\']} is not'),),
           statement="FTP-NAME-DATE"),
    # --- the archive's layout ----------------------------------------------------------
    Mutant("FTP-ZIP-SLIP-SANITISED", "ftp", "MUST",
           "an entry ../sms/contacts.csv is read as sms/contacts.csv instead of refused",
           ARCHIVE, (Edit('    if any(part in ("..", ".") for part in name.rstrip("/").split("/"))',
                          '    if False and any(part in ("..", ".") for part in '
                          'name.rstrip("/").split("/"))'),
                     Edit("        files[info.filename] = info",
                          '        files[info.filename.replace("../", "")] = info')),
           statement="FTP-RULE3-UNSAFE-PATHS"),
    mutant("FTP-PLAIN-CSV-ONLY", "ftp", "MUST", "the data file must be .csv (a .txt is refused)",
           ARCHIVE, 'DATA_SUFFIXES = (".csv", ".txt")', 'DATA_SUFFIXES = (".csv",)',
           statement="FTP-PLAIN-TXT"),
    # --- the template variant ----------------------------------------------------------
    mutant("FTP-NO-SUBSTITUTION", "ftp", "MUST", "#attrN# fields are sent as written",
           BATCH, "        if fields:\n            for slot",
           "        if False:\n            for slot",
           statement="FTP-TPL-SUBSTITUTION"),
    mutant("FTP-MISSING-ATTR-KEPT", "ftp", "MUST",
           "a #attrN# with no column stays in the text instead of becoming empty",
           BATCH, 'pieces[2 * slot + 1] = "" if blank[slot] else f"#{name}#"',
           'pieces[2 * slot + 1] = f"#{name}#"', statement="FTP-TPL-MISSING-ATTR"),
    mutant("FTP-VALIDITY-DEFAULT-720", "ftp", "MUST", "the default validity is 720 minutes",
           BATCH, "DEFAULT_VALIDITY_MINUTES = 1440", "DEFAULT_VALIDITY_MINUTES = 720",
           statement="FTP-TPL-VALIDITY-DEFAULT"),
    mutant("FTP-VALIDITY-SECONDS", "ftp", "MUST", "validity is taken as seconds, not minutes",
           INTAKE, "validity=message.validity_minutes * 60.0",
           "validity=message.validity_minutes * 1.0", statement="FTP-TPL-VALIDITY"),
    mutant("FTP-SENDDATE-COMPACT-ONLY", "ftp", "MUST",
           "senddate YYYY-MM-DDThh:mm:ss is refused (only YYYYMMDDThh:mm:ss)",
           BATCH, 'SENDDATE_FORMATS = ("%Y%m%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S")',
           'SENDDATE_FORMATS = ("%Y%m%dT%H:%M:%S",)', statement="FTP-TPL-SENDDATE-FORMAT"),
    mutant("FTP-SENDDATE-DASHED-ONLY", "ftp", "MUST",
           "senddate YYYYMMDDThh:mm:ss is refused (only YYYY-MM-DDThh:mm:ss)",
           BATCH, 'SENDDATE_FORMATS = ("%Y%m%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S")',
           'SENDDATE_FORMATS = ("%Y-%m-%dT%H:%M:%S",)', statement="FTP-TPL-SENDDATE-FORMAT"),
    mutant("FTP-CONTACT-SENDDATE-IGNORED", "ftp", "MUST",
           "a contact's senddate does not override the template's",
           BATCH, "            if own is not None:\n                senddate = own",
           "            if own is None:\n                senddate = own",
           statement="FTP-TPL-SENDDATE-CONTACT"),
    mutant("FTP-SENDDATE-IGNORED", "ftp", "MUST", "every message is sent at once",
           INTAKE, "send_at = instant if instant > now else None", "send_at = None",
           statement="FTP-TPL-SENDDATE-TEMPLATE"),
    mutant("FTP-LOCALTIME-IGNORED", "ftp", "MUST", "localtime=1 uses the client's time zone",
           INTAKE, "zone = plan.timezone(message.address) if message.subscriber_time else "
           "client_zone", "zone = client_zone", statement="FTP-TPL-LOCALTIME"),
    mutant("FTP-LOCALTIME-ALWAYS", "ftp", "MUST", "localtime=0 uses the subscriber's time zone",
           INTAKE, "zone = plan.timezone(message.address) if message.subscriber_time else "
           "client_zone", "zone = plan.timezone(message.address)",
           statement="FTP-TPL-LOCALTIME"),
    mutant("FTP-SENDER-ANY-CASE", "ftp", "MUST", "the sender's case is ignored (testsms passes)",
           BATCH, "    if sender not in account.senders:",
           "    if sender.upper() not in {s.upper() for s in account.senders}:",
           statement="FTP-TPL-SENDER-CASE"),
    mutant("FTP-SENDER-UNREGISTERED", "ftp", "MUST", "any well-formed sender is accepted",
           BATCH, "    if sender not in account.senders:", "    if not sender:",
           statement="FTP-TPL-SENDER-REGISTERED"),
    mutant("FTP-TEMPLATE-TWO-LINES", "ftp", "MUST",
           "template.csv with two data lines is accepted (the first is used)",
           BATCH, "    if len(data) != 1:", "    if not data:", statement="FTP-TPL-ONE-LINE"),
    mutant("FTP-PHONE-SHORT", "ftp", "SHOULD",
           "a phone of 5 to 9 digits (no country or network code) is accepted",
           BATCH, '_PHONE = re.compile(r"[0-9]{10,15}", re.ASCII)',
           '_PHONE = re.compile(r"[0-9]{5,15}", re.ASCII)', statement="FTP-TPL-PHONE-FORMAT"),
    mutant("FTP-SENDDATE-BAD-IGNORED", "ftp", "SHOULD",
           "a senddate in neither spelling means 'at once'",
           BATCH, "    raise ArchiveError(\n        f\"senddate {value[:40]!r} is not",
           "    return None\n    raise ArchiveError(\n        f\"senddate {value[:40]!r} is not",
           statement="FTP-TPL-SENDDATE-BAD"),
    # --- the variant without template --------------------------------------------------
    mutant("FTP-PLAIN-VALIDITY-12H", "ftp", "MUST",
           "messages without template live 12 hours, not 24",
           BATCH, "append(PlannedMessage(phone, text, sender, DEFAULT_VALIDITY_MINUTES, None, "
           "False))", "append(PlannedMessage(phone, text, sender, 720, None, False))",
           statement="FTP-PLAIN-VALIDITY"),
]
