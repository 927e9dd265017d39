"""AT commands, both sides of the line: one import for the modem simulator and the GSM driver.

How it works: the codec lives in three modules with one job each, and this
module gathers their public names so callers write
``from nabat.system.wire import at`` and use ``at.CommandLineReader``,
``at.ResponseParser``, ``at.format_error`` and so on:

* ``at_commands`` — the modem's side: ``CommandLineReader`` turns the bytes a
  terminal types into command lines (S3/S5, the AT prefix, ``A/``) and SMS
  bodies (Ctrl-Z sends, ESC cancels); ``parse_command_line`` splits a line
  into basic, S-parameter and extended commands (action / set / read / test);
* ``at_responses`` — the terminal's side: ``ResponseParser`` turns modem
  output into final results, information lines, echo, the ``> `` prompt and
  URCs (with the second line of +CMT / +CBM / PDU-mode +CDS), plus
  ``frame_line`` / ``frame_final`` / ``PROMPT`` for a modem to write with;
* ``at_errors`` — the +CME ERROR / +CMS ERROR tables, numeric and verbose,
  used by a modem to answer per AT+CMEE and by a driver to name the error.

Public API (see each module for details)::

    CommandKind, AtCommand, ParsedLine, parse_command_line, split_arguments,
    ReaderState, BodyOutcome, CommandLine, LineOverflow, SmsBody, BodyLineBreak,
    ReaderEvent, CommandLineReader, CTRL_Z, ESC
    FinalKind, FinalResult, classify_final, NUMERIC_RESULT_CODES, SecondLine, URC_TABLE,
    urc_name, needs_second_line, InfoLine, Echo, SmsPrompt, Urc, Overflow, ResponseEvent,
    ParserState, ResponseParser, PROMPT, frame_line, frame_final
    ErrorFamily, ModemError, CME_ERRORS, CMS_ERRORS, lookup_error, format_error,
    parse_error_line

No I/O.
"""

from __future__ import annotations

from nabat.system.wire.at_commands import (
    CTRL_Z,
    ESC,
    AtCommand,
    BodyLineBreak,
    BodyOutcome,
    CommandKind,
    CommandLine,
    CommandLineReader,
    LineOverflow,
    ParsedLine,
    ReaderEvent,
    ReaderState,
    SmsBody,
    parse_command_line,
    split_arguments,
)
from nabat.system.wire.at_errors import (
    CME_ERRORS,
    CMS_ERRORS,
    ErrorFamily,
    ModemError,
    format_error,
    lookup_error,
    parse_error_line,
)
from nabat.system.wire.at_responses import (
    NUMERIC_RESULT_CODES,
    PROMPT,
    URC_TABLE,
    Echo,
    FinalKind,
    FinalResult,
    InfoLine,
    Overflow,
    ParserState,
    ResponseEvent,
    ResponseParser,
    SecondLine,
    SmsPrompt,
    Urc,
    classify_final,
    frame_final,
    frame_line,
    needs_second_line,
    urc_name,
)

__all__ = [
    "CME_ERRORS",
    "CMS_ERRORS",
    "CTRL_Z",
    "ESC",
    "NUMERIC_RESULT_CODES",
    "PROMPT",
    "URC_TABLE",
    "AtCommand",
    "BodyLineBreak",
    "BodyOutcome",
    "CommandKind",
    "CommandLine",
    "CommandLineReader",
    "Echo",
    "ErrorFamily",
    "FinalKind",
    "FinalResult",
    "InfoLine",
    "LineOverflow",
    "ModemError",
    "Overflow",
    "ParsedLine",
    "ParserState",
    "ReaderEvent",
    "ReaderState",
    "ResponseEvent",
    "ResponseParser",
    "SecondLine",
    "SmsBody",
    "SmsPrompt",
    "Urc",
    "classify_final",
    "format_error",
    "frame_final",
    "frame_line",
    "lookup_error",
    "needs_second_line",
    "parse_command_line",
    "parse_error_line",
    "split_arguments",
    "urc_name",
]
