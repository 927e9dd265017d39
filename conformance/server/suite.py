"""The server suite object: clause registry, capabilities, binding and options.

Case modules (``nabat.conformance.server.cases``) register into :data:`SUITE`;
import ``nabat.conformance.server.cases`` for the fully populated suite. The
capabilities only serve ``--without``: project commands a server lacks are
detected while running (``ERR_BADSYNTAX`` for the word) and their cases
become unsupported.
"""

from __future__ import annotations

from nabat.conformance.framework.suite import Suite
from nabat.conformance.server.binding import ServerBinding, ServerEnv, SetupFailed
from nabat.conformance.server.clauses import SRV
from nabat.conformance.server.options import OPTIONS

CAPABILITIES = {
    "start": "STARTTASK may run a task (an e-mail task on an empty list: nobody is notified)",
    "users": "user administration (USER, USERS, USERADD, USERCHG, USERDEL, CHECKPASSW)",
    "messages": "messages (ADDMESSAGE, UPDATEMESSAGE, DELMESSAGE, MESSAGES); tasks need them",
    "monitoring": "MONITORING and its unsolicited UPDATETASK lines",
    "channels": "GETCHANNELS, GETCHANINFO, SETCHANINFO",
    "config": "GETCONFIG, SETCONFIG",
    "log": "GETLOG",
    "tts": "GETTTS, TTS",
    "files": "SENDRAWFILE, GETRAWFILE (uploaded files cannot be deleted afterwards)",
    "extras": "the project's GETABONENT, DELABONENTS, LISTCLEAR, GETTASKINFO, PING, QUIT",
}

SUITE: Suite[ServerEnv] = Suite("server", SRV, CAPABILITIES, ServerBinding.from_config, OPTIONS,
                                target_errors=(SetupFailed,))
