"""The command table: every command word the server knows, declaratively.

One ``Command`` per wire word (UPDATLIST and UPDATELIST are two words of one
command, spec-ruling 6): its request parameters (trailing ``optional`` ones
may be left out; an empty optional parameter also means "absent"), request
and reply shapes, the parameters of the reply's OK/BEGIN line (``head``) and
of each DATA row (``row``), the rights it needs (``None``: allowed before
LOGIN, spec-ruling 8), the appendix-B errors it may answer besides the
generic ERR_BADSYNTAX / ERR_BADARGUMENT_COUNT / ERR_NOACCESS, and where it is
defined (a spec section, or appendix A only and so by the project).
``lookup``, ``check_arity`` and ``authorize`` are what a server dispatches
with; docs/protocol.md documents every row and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nabat.system.protocol.errors import ErrorCode as E
from nabat.system.protocol.exceptions import (
    AccessDenied,
    ArgumentCountError,
    InvalidField,
    UnknownCommand,
)
from nabat.system.protocol.fields import (
    DATE,
    FILENAME,
    FLAG,
    ID,
    ID_LIST,
    KEY,
    NAME,
    TEXT,
    UINT,
    FieldCodec,
    decode_field,
)
from nabat.system.protocol.messages import BEGIN, UPDATETASK, ReplyShape, RequestShape
from nabat.system.protocol.records import (
    Abonent,
    Channel,
    ConfigEntry,
    DistributionList,
    Form,
    Group,
    Message,
    Task,
    TaskProgress,
    TaskSummary,
    User,
    Voice,
    WireRecord,
)
from nabat.system.protocol.values import Rights

RO, OP, ADMIN = Rights.READ_ONLY, Rights.OPERATOR, Rights.ADMINISTRATOR

# How a request parameter that is not a record field is validated, by name.
SIMPLE_PARAMS: Mapping[str, FieldCodec[Any]] = {
    "id": ID, "lid": ID, "gid": ID, "num": ID, "restart": FLAG, "enable": FLAG,
    "abonids": ID_LIST, "groupids": ID_LIST, "date": DATE, "filename": FILENAME, "size": UINT,
    "voice": NAME, "text": TEXT, "login": NAME, "password": TEXT, "name": NAME,
    "description": TEXT, "key": KEY, "value": TEXT, "format": TEXT,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Command:
    word: str
    summary: str
    params: tuple[str, ...] = ()
    optional: int = 0
    request: RequestShape = RequestShape.LINE
    reply: ReplyShape = ReplyShape.OK
    head: tuple[str, ...] = ()
    row: tuple[str, ...] = ()
    rights: Rights | None = RO
    errors: tuple[E, ...] = ()
    reply_word: str | None = None  # success replies carry this word instead (STARTTASK)
    section: str | None = None  # the spec section defining it; None: appendix A only
    in_appendix_a: bool = True
    alias_of: str | None = None
    record: type[WireRecord] | None = None  # whose codecs validate the request parameters

    @property
    def min_params(self) -> int:
        return len(self.params) - self.optional

    @property
    def max_params(self) -> int:
        return len(self.params)

    @property
    def login_required(self) -> bool:
        return self.rights is not None

    @property
    def multiline_request(self) -> bool:
        return self.request is not RequestShape.LINE

    @property
    def project_defined(self) -> bool:
        return self.section is None

    def ok_word(self, requested: str | None = None) -> str:
        """The word success replies carry (the alias used is echoed)."""
        return self.reply_word or requested or self.word

    @property
    def codecs(self) -> tuple[FieldCodec[Any], ...]:
        """One codec per request parameter (of the BEGIN line if multi-line)."""
        own = self.record.CODECS if self.record is not None else {}
        return tuple(own.get(name) or SIMPLE_PARAMS[name] for name in self.params)

    @property
    def synopsis(self) -> str:
        """The request line as docs/protocol.md writes it."""
        fixed = [f"<{name}>" for name in self.params[: self.min_params]]
        optional = [f"[{name}]" for name in self.params[self.min_params :]]
        begin = [BEGIN] if self.multiline_request else []
        return " ".join([self.word, *begin, *fixed, *optional])


_TASK_ID = ("id",)


def _build() -> dict[str, Command]:
    task_summary = TaskSummary.fields()
    group, dlist = Group.fields(), DistributionList.fields()
    abonent_new = Abonent.fields(Form.NEW)
    user = User.fields()
    commands = [
        # --- spec sections ---------------------------------------------------
        Command(
            "LOGIN",
            "identify the session",
            ("login", "password"),
            reply=ReplyShape.LOGIN,
            head=("welcome",),
            rights=None,
            errors=(E.BADLOGIN,),
            section="Идентификация на сервере",
        ),
        Command(
            "GETTASKS",
            "list tasks",
            reply=ReplyShape.LIST,
            head=("count",),
            row=task_summary,
            section="Получение списка заданий",
        ),
        Command(
            "GETTASK",
            "one task's parameters",
            _TASK_ID,
            head=Task.fields(Form.FULL),
            errors=(E.GETTASK,),
            section="Получение параметров задания",
        ),
        Command(
            "ADDTASK",
            "create a task",
            Task.fields(Form.NEW),
            head=task_summary,
            record=Task,
            rights=OP,
            errors=(E.ADDTASK,),
            section="Добавление задания",
        ),
        Command(
            "UPDATETASK",
            "change a task",
            Task.fields(Form.UPDATE),
            head=task_summary,
            record=Task,
            rights=OP,
            errors=(E.UPDATETASK, E.GETTASK),
            section="Обновление параметров задания",
        ),
        Command(
            "DELTASK",
            "delete a task",
            _TASK_ID,
            head=_TASK_ID,
            rights=OP,
            errors=(E.DELTASK, E.GETTASK),
            section="Удаление задания",
        ),
        Command(
            "STARTTASK",
            "start a task",
            ("id", "restart"),
            reply=ReplyShape.TASK_STATUS,
            head=task_summary,
            rights=OP,
            reply_word=UPDATETASK,
            errors=(E.GETTASK, E.NOHASP, E.NOHASPFORSTART, E.NOGSM, E.UPDATETASK),
            section="Запуск задания",
        ),
        Command(
            "STOPTASK",
            "stop a task",
            _TASK_ID,
            reply=ReplyShape.TASK_STATUS,
            head=task_summary,
            rights=OP,
            reply_word=UPDATETASK,
            errors=(E.GETTASK, E.TASKNOTRUNNING),
            section="Остановка задания",
        ),
        Command(
            "GETREPORT",
            "a task's report file (format: HTML, XLS or XLSX)",
            ("id", "format"),
            optional=1,
            reply=ReplyShape.FILE,
            head=("format",),
            row=("data",),
            errors=(E.GETREPORT, E.TASKNOTRUNNING),
            section="Получение отчета выполнения задания",
        ),
        Command(
            "GETGROUPS",
            "list groups (of one list)",
            ("lid",),
            optional=1,
            reply=ReplyShape.LIST,
            row=group,
            section="Получение списка групп",
        ),
        Command(
            "ADDGROUP",
            "create a group",
            Group.fields(Form.NEW),
            head=group,
            rights=OP,
            record=Group,
            errors=(E.ADDGROUP,),
            section="Добавление группы",
        ),
        Command(
            "UPDATEGROUP",
            "change a group",
            group,
            head=group,
            rights=OP,
            record=Group,
            errors=(E.UPDATEGROUP,),
            section="Обновление данных группы",
        ),
        Command(
            "DELGROUP",
            "delete a group",
            ("id",),
            head=("id",),
            rights=OP,
            errors=(E.DELGROUP,),
            section="Удаление группы",
        ),
        Command(
            "GETLISTS",
            "list distribution lists",
            reply=ReplyShape.LIST,
            row=dlist,
            section="Получения списков рассылок",
        ),
        Command(
            "ADDLIST",
            "create a distribution list",
            ("name", "description"),
            head=dlist,
            rights=OP,
            errors=(E.ADDLIST,),
            section="Добавление списка рассылки",
        ),
        Command(
            "UPDATELIST",
            "change a distribution list",
            dlist,
            head=dlist,
            rights=OP,
            errors=(E.UPDATELIST,),
            section="Обновление данных списка рассылки",
        ),
        Command(
            "UPDATLIST",
            "change a distribution list (the section's spelling)",
            dlist,
            head=dlist,
            rights=OP,
            errors=(E.UPDATELIST,),
            section="Обновление данных списка рассылки",
            in_appendix_a=False,
            alias_of="UPDATELIST",
        ),
        Command(
            "DELLIST",
            "delete a distribution list",
            ("id",),
            head=("id",),
            rights=OP,
            errors=(E.DELLIST, E.LISTUSE),
            section="Удаление списка рассылки",
        ),
        Command(
            "GETABONENTS",
            "list abonents (of a group and/or a list)",
            ("gid", "lid"),
            optional=2,
            reply=ReplyShape.ABONENT_LIST,
            row=Abonent.fields(),
            section="Получение списка абонентов",
        ),
        Command(
            "ADDABONENT",
            "create an abonent",
            request=RequestShape.ABONENT,
            reply=ReplyShape.ABONENT,
            head=Abonent.fields(),
            row=abonent_new,
            rights=OP,
            errors=(E.ADDABONENT,),
            section="Добавление абонента",
        ),
        Command(
            "UPDATEABONENT",
            "change an abonent",
            ("id",),
            request=RequestShape.ABONENT,
            reply=ReplyShape.ABONENT,
            head=Abonent.fields(),
            row=abonent_new,
            rights=OP,
            errors=(E.GETABONENT, E.UPDATEABONENT),
            section="Обновление данных абонента",
        ),
        Command(
            "GROUPADDABONENTS",
            "move abonents into a group",
            ("gid", "abonids"),
            head=("gid", "abonids"),
            rights=OP,
            errors=(E.GROUPADDABONENTS,),
            section="Перемещение абонента в другую группу",
        ),
        Command(
            "LISTADDABONENTS",
            "add abonents to a list",
            ("lid", "abonids"),
            head=("lid", "abonids"),
            rights=OP,
            errors=(E.LISTADDABONENTS,),
            section="Добавление абонентов в список рассылки",
        ),
        Command(
            "LISTADDGROUPS",
            "add groups to a list",
            ("lid", "groupids"),
            head=("lid", "groupids"),
            rights=OP,
            errors=(E.LISTADDGROUPS,),
            section="Добавление групп в список рассылки",
        ),
        Command(
            "LISTDELABONENTS",
            "remove abonents from a list",
            ("lid", "abonids"),
            head=("lid", "abonids"),
            rights=OP,
            errors=(E.LISTDELABONENTS,),
            section="Удаление абонентов из списка рассылки",
        ),
        Command(
            "LISTDELGROUPS",
            "remove groups from a list",
            ("lid", "groupids"),
            head=("lid", "groupids"),
            rights=OP,
            errors=(E.LISTDELGROUPS,),
            section="Удаление групп из списка рассылки",
        ),
        # --- appendix A only: defined by the project (spec-ruling 12) ---------
        Command(
            "ADDMESSAGE",
            "create a message",
            Message.fields(Form.NEW),
            record=Message,
            head=Message.fields(),
            rights=OP,
            errors=(E.ADDMESSAGE,),
        ),
        Command(
            "UPDATEMESSAGE",
            "change a message",
            Message.fields(Form.UPDATE),
            record=Message,
            head=Message.fields(),
            rights=OP,
            errors=(E.UPDATEMESSAGE,),
        ),
        Command(
            "DELMESSAGE",
            "delete a message",
            ("id",),
            head=("id",),
            rights=OP,
            errors=(E.DELMESSAGE, E.MESSAGEUSE),
        ),
        Command("MESSAGES", "list messages", reply=ReplyShape.LIST, row=Message.fields()),
        Command("USER", "the session's own account", head=user),
        Command("USERS", "list user accounts", reply=ReplyShape.LIST, row=user, rights=ADMIN),
        Command(
            "USERADD",
            "create a user account",
            User.fields(Form.NEW),
            head=user,
            record=User,
            rights=ADMIN,
            errors=(E.USERALREADY, E.USERADD),
        ),
        Command(
            "USERCHG",
            "change a user account (empty password: unchanged)",
            User.fields(Form.UPDATE),
            head=user,
            rights=ADMIN,
            errors=(E.USERCHG,),
            record=User,
        ),
        Command(
            "USERDEL",
            "delete a user account",
            ("login",),
            head=("login",),
            rights=ADMIN,
            errors=(E.USERDEL,),
        ),
        Command(
            "CHECKPASSW",
            "check a login and password",
            ("login", "password"),
            head=("login",),
            errors=(E.CHECKPASSW,),
        ),
        Command(
            "GETCHANNELS",
            "list channels and their states",
            reply=ReplyShape.LIST,
            row=Channel.fields(Form.SUMMARY),
        ),
        Command(
            "GETCHANINFO",
            "one channel with its settings",
            ("num",),
            head=Channel.fields(),
            rights=ADMIN,
            errors=(E.GETCHANINFO,),
        ),
        Command(
            "SETCHANINFO",
            "change a channel",
            Channel.fields(Form.UPDATE),
            record=Channel,
            head=Channel.fields(),
            rights=ADMIN,
            errors=(E.GETCHANINFO, E.SETCHANINFO),
        ),
        Command(
            "GETCONFIG",
            "list server settings",
            reply=ReplyShape.LIST,
            row=ConfigEntry.fields(),
            rights=ADMIN,
        ),
        Command(
            "SETCONFIG",
            "change a server setting",
            ConfigEntry.fields(),
            record=ConfigEntry,
            head=ConfigEntry.fields(),
            rights=ADMIN,
            errors=(E.SETCONFIG,),
        ),
        Command(
            "GETLOG",
            "the server log of one day",
            ("date",),
            reply=ReplyShape.LIST,
            row=("text",),
            rights=ADMIN,
            errors=(E.NOLOGFILE,),
        ),
        Command(
            "TTS",
            "synthesise speech (audio file back)",
            ("voice", "text"),
            reply=ReplyShape.FILE,
            head=("format",),
            row=("data",),
            rights=OP,
            errors=(E.GETTTS,),
        ),
        Command(
            "GETTTS",
            "list synthesis voices",
            reply=ReplyShape.LIST,
            row=Voice.fields(),
            errors=(E.GETTTS,),
        ),
        Command(
            "SENDRAWFILE",
            "upload a file (audio for a message)",
            ("filename", "size"),
            request=RequestShape.FILE,
            head=("filename", "size"),
            row=("data",),
            rights=OP,
            errors=(E.SENDRAWFILE,),
        ),
        Command(
            "GETRAWFILE",
            "download a file",
            ("filename",),
            reply=ReplyShape.FILE,
            head=("filename", "size"),
            row=("data",),
            errors=(E.NOFILE,),
        ),
        Command(
            "MONITORING",
            "switch unsolicited task-status lines on or off",
            ("enable",),
            optional=1,
            head=("enable",),
        ),
        Command(
            "GETTASKINFO",
            "a task's progress",
            _TASK_ID,
            head=TaskProgress.fields(),
            errors=(E.GETTASK,),
        ),
        Command(
            "GETABONENT",
            "one abonent",
            ("id",),
            reply=ReplyShape.ABONENT,
            head=Abonent.fields(),
            errors=(E.GETABONENT,),
        ),
        Command(
            "DELABONENTS",
            "delete abonents",
            ("abonids",),
            head=("abonids",),
            rights=OP,
            errors=(E.DELABONENTS,),
        ),
        Command(
            "LISTCLEAR",
            "remove every abonent and group from a list",
            ("lid",),
            head=("lid",),
            rights=OP,
            errors=(E.LISTCLEAR,),
        ),
        Command("PING", "keep-alive", rights=None),
        Command("QUIT", "end the session (the server closes after the reply)", rights=None),
    ]
    return {command.word: command for command in commands}


COMMANDS: Mapping[str, Command] = _build()


def lookup(word: str) -> Command:
    """The table row of a command word; ``UnknownCommand`` (ERR_BADSYNTAX) if none."""
    try:
        return COMMANDS[word]
    except KeyError:
        raise UnknownCommand(f"unknown command {word[:40]!r}", word=word) from None


def check_arity(command: Command, params: Sequence[str], word: str | None = None) -> None:
    """``ArgumentCountError`` (ERR_BADARGUMENT_COUNT) unless the count fits."""
    if command.min_params <= len(params) <= command.max_params:
        return
    expected = (
        str(command.max_params)
        if command.optional == 0
        else f"{command.min_params} to {command.max_params}"
    )
    raise ArgumentCountError(
        f"{command.synopsis}: expected {expected} parameters, got {len(params)}",
        word=word or command.word,
    )


def authorize(command: Command, rights: Rights | None, word: str | None = None) -> None:
    """``AccessDenied`` (ERR_NOACCESS) unless a session with ``rights`` (``None``:
    not logged in) may run ``command``."""
    if command.rights is None:
        return
    if rights is None:
        raise AccessDenied(f"{command.word}: log in first", word=word or command.word)
    if rights < command.rights:
        raise AccessDenied(
            f"{command.word} needs {command.rights.name.lower().replace('_', '-')} rights",
            word=word or command.word,
        )


def decode_args(command: Command, params: Sequence[str], word: str | None = None) -> dict[str, Any]:
    """Check the count, then validate every parameter with its codec; an absent
    or empty optional parameter is ``None``. Keys are the parameter names."""
    check_arity(command, params, word)
    args: dict[str, Any] = {}
    for index, (name, codec) in enumerate(zip(command.params, command.codecs, strict=True)):
        raw = params[index] if index < len(params) else ""
        if raw == "" and index >= command.min_params:
            args[name] = None
            continue
        try:
            args[name] = decode_field(name, codec, raw)
        except InvalidField as exc:
            exc.word = word or command.word
            raise
    return args
