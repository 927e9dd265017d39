"""Appendix B as one table, plus the few codes the project adds.

Each ``ErrorCode`` member is one *meaning*: its wire ``code`` (emitted
literally, even where the spec reuses a code for another failure, spec-ruling
7), the spec's Russian ``text`` (the default reply text), an English
``meaning``, the ``intended`` code a suite may accept instead of a reused
literal one, and whether the project added it (``project``). Error replies are
``WORD ERR_CODE text`` with the text as one escaped parameter; a decoder also
takes unescaped trailing text (``lines.decode_reply_line``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nabat.system.protocol.exceptions import ProtocolError
from nabat.system.protocol.lines import Line


class ErrorCode(enum.Enum):
    """One failure meaning; members in appendix-B order, project codes last."""

    code: str
    text: str
    meaning: str
    intended: str
    project: bool

    def __init__(
        self, code: str, text: str, meaning: str, intended: str = "", project: bool = False
    ) -> None:
        self.code = code
        self.text = text
        self.meaning = meaning
        self.intended = intended or code
        self.project = project

    BADARGUMENT_COUNT = (
        "ERR_BADARGUMENT_COUNT",
        "синтаксическая ошибка: неправильное количество аргументов.",
        "wrong number of parameters",
    )
    BADLOGIN = (
        "ERR_BADLOGIN",
        "указанная учетная запись не существует либо неверный пароль.",
        "no such account or wrong password",
    )
    NOACCESS = ("ERR_NOACCESS", "У вас нет прав для данной операции.", "not allowed")
    USERALREADY = (
        "ERR_USERALREADY",
        "пользователь с таким логином уже существует.",
        "a user with this login exists",
    )
    CHECKPASSW = ("ERR_CHECKPASSW", "неверный логин/пароль.", "wrong login or password")
    USERADD = ("ERR_USERADD", "не удалось создать пользователя.", "could not create the user")
    USERCHG = (
        "ERR_USERCHG",
        "не удалось изменить данные пользователя.",
        "could not change the user",
    )
    USERDEL = ("ERR_USERDEL", "не удалось удалить пользователя.", "could not delete the user")
    NOLOGFILE = ("ERR_NOLOGFILE", "нет файла на указанную дату.", "no log file for that date")
    BADSYNTAX = ("ERR_BADSYNTAX", "неправильный синтаксис команды.", "malformed command")
    DELABONENTS = (
        "ERR_DELABONENTS",
        "не удалось удалить указанного абонента.",
        "could not delete the abonent",
    )
    ADDGROUP = ("ERR_ADDGROUP", "не удалось создать группу.", "could not create the group")
    DELGROUP = ("ERR_DELGROUP", "не удалось удалить группу.", "could not delete the group")
    UPDATEGROUP = ("ERR_UPDATEGROUP", "не удалось обновить группу.", "could not update the group")
    GROUPADDABONENTS = (
        "ERR_GROUPADDABONENTS",
        "не удалось добавить абонентов в группу",
        "could not move the abonents into the group",
    )
    ADDLIST = ("ERR_ADDLIST", "не удалось создать список рассылки.", "could not create the list")
    UPDATELIST = (
        "ERR_UPDATELIST",
        "не удалось обновить список рассылки.",
        "could not update the list",
    )
    LISTADDABONENTS = (
        "ERR_LISTADDABONENTS",
        "не удалось добавить абонентов в список",
        "could not add the abonents to the list",
    )
    LISTADDGROUPS = (
        "ERR_LISTADDGROUPS",
        "не удалось добавить группы в список",
        "could not add the groups to the list",
    )
    LISTDELABONENTS = (
        "ERR_LISTADDABONENTS",
        "не удалось удалить абонентов из список",
        "could not remove the abonents from the list",
        "ERR_LISTDELABONENTS",
    )
    LISTDELGROUPS = (
        "ERR_LISTADDGROUPS",
        "не удалось удалить группы из список",
        "could not remove the groups from the list",
        "ERR_LISTDELGROUPS",
    )
    DELLIST = ("ERR_DELLIST", "не удалось удалить список рассылки.", "could not delete the list")
    LISTCLEAR = (
        "ERR_LISTCLEAR",
        "не удалось очистить список рассылки.",
        "could not clear the list",
    )
    ADDMESSAGE = ("ERR_ADDMESSAGE", "не удалось создать сообщение.", "could not create the message")
    UPDATEMESSAGE = (
        "ERR_UPDATEMESSAGE",
        "не удалось обновить сообщение.",
        "could not update the message",
    )
    DELMESSAGE = ("ERR_DELMESSAGE", "не удалось удалить сообщение.", "could not delete the message")
    NOFILE = ("ERR_NOFILE", "нет файла.", "no such file")
    ADDTASK = ("ERR_ADDTASK", "не удалось создать задание.", "could not create the task")
    UPDATETASK = ("ERR_UPDATETASK", "не удалось обновить задание.", "could not update the task")
    DELTASK = (
        "ERR_ADDTASK",
        "не удалось удалить задание.",
        "could not delete the task",
        "ERR_DELTASK",
    )
    GETTASK = ("ERR_GETTASK", "Задание не найдено.", "no such task")
    GETTTS = (
        "ERR_GETTTS",
        "Синтез не установлен либо не содержит подходящих голосов.",
        "speech synthesis not installed or no suitable voice",
    )
    GETABONENT = ("ERR_GETABONENT", "Абонент не найден.", "no such abonent")
    MESSAGEUSE = ("ERR_MESSAGEUSE", "Сообщение используется в задании.", "message used by a task")
    LISTUSE = ("ERR_LISTUSE", "Список рассылки используется в задании.", "list used by a task")
    GETREPORT = (
        "ERR_GETREPORT",
        "Невозможно создать отчет о заданий, неверный идентификатор задания.",
        "no report: no such task",
    )
    TASKNOTRUNNING = (
        "ERR_TASKNOTRUNNING",
        "Невозможно создать отчет о задании, задание еще не выполнялось.",
        "the task has not run (no report yet; also: STOPTASK of a task not running)",
    )
    NOHASPFORSTART = (
        "ERR_NOHASPFORSTART",
        "Невозможно запустить задание т.к. отсутствует HASP-ключ, либо в ключе запрещен "
        "данный вид оповещения.",
        "the licence does not allow this kind of task",
    )
    NOGSM = (
        "ERR_NOGSM",
        "Невозможно запустить задание т.к. не найдено работающего GSM-модема.",
        "no working GSM modem",
    )
    NOHASP = ("ERR_NOHASP", "На сервере отсутствует HASP-ключ.", "no licence key on the server")
    # --- project codes: appendix B has no code for these failures -------------
    ADDABONENT = (
        "ERR_ADDABONENT",
        "не удалось создать абонента.",
        "could not create the abonent",
        "",
        True,
    )
    UPDATEABONENT = (
        "ERR_UPDATEABONENT",
        "не удалось обновить абонента.",
        "could not update the abonent",
        "",
        True,
    )
    GETCHANINFO = ("ERR_GETCHANINFO", "Канал не найден.", "no such channel", "", True)
    SETCHANINFO = (
        "ERR_SETCHANINFO",
        "не удалось изменить параметры канала.",
        "could not change the channel",
        "",
        True,
    )
    SETCONFIG = (
        "ERR_SETCONFIG",
        "не удалось изменить параметр конфигурации.",
        "unknown configuration key or bad value",
        "",
        True,
    )
    SENDRAWFILE = (
        "ERR_SENDRAWFILE",
        "не удалось сохранить файл.",
        "could not store the file",
        "",
        True,
    )
    BUSY = (
        "ERR_BUSY",
        "сервер занят: слишком много открытых сеансов.",
        "the server has its maximum of sessions open",
        "",
        True,
    )
    INTERNAL = (
        "ERR_INTERNAL",
        "внутренняя ошибка сервера.",
        "the server failed internally (a bug, not a refusal and not an unknown command); "
        "the text names an incident id that the server's log also holds",
        "",
        True,
    )

    @property
    def accepted(self) -> frozenset[str]:
        """The codes a conformance suite accepts for this meaning."""
        return frozenset({self.code, self.intended})


APPENDIX_B: tuple[ErrorCode, ...] = tuple(e for e in ErrorCode if not e.project)
PROJECT_CODES: tuple[ErrorCode, ...] = tuple(e for e in ErrorCode if e.project)


def meanings(code: str) -> tuple[ErrorCode, ...]:
    """Every meaning a wire code may stand for (a literal or an intended code)."""
    return tuple(e for e in ErrorCode if code in (e.code, e.intended))


def error_for(exc: ProtocolError) -> ErrorCode:
    """The appendix-B meaning a server answers a codec error with."""
    return next(e for e in ErrorCode if e.code == exc.reply_code)


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """A decoded ``WORD ERR_CODE text`` reply."""

    word: str
    code: str
    text: str

    @property
    def meanings(self) -> tuple[ErrorCode, ...]:
        return meanings(self.code)

    def means(self, error: ErrorCode) -> bool:
        """True when the code is the literal or the intended code of ``error``."""
        return self.code in error.accepted


def error_line(word: str, error: ErrorCode | str, text: str | None = None) -> Line:
    """``WORD ERR_CODE text``; the text defaults to the table's Russian text."""
    if isinstance(error, ErrorCode):
        return Line(word, (error.code, error.text if text is None else text))
    known = meanings(error)
    default = known[0].text if known else ""
    return Line(word, (error, default if text is None else text))


def is_error_line(line: Line) -> bool:
    return bool(line.params) and line.params[0].startswith("ERR_")


def parse_error(line: Line) -> ErrorReply:
    """An error reply line to an ``ErrorReply``; extra parameters (unescaped
    text split by a strict decoder) are joined back with single spaces."""
    if not is_error_line(line):
        raise ValueError(f"not an error reply: {line.command} {line.params[:1]}")
    return ErrorReply(line.command, line.params[0], " ".join(line.params[1:]))
