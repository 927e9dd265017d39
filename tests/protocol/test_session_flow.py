"""The server loop of docs/protocol.md ("Python API") over a hostile byte stream:
every line gets exactly the reply the document promises."""

from __future__ import annotations

from nabat.system.protocol import (
    AbonentRequest,
    HaspInfo,
    InterruptedRequest,
    Line,
    LineSplitter,
    ProtocolError,
    RequestAssembler,
    Rights,
    TaskStatus,
    TaskSummary,
    TaskType,
    authorize,
    decode_args,
    decode_line,
    encode_lines,
    error_reply_for,
    login_reply,
    lookup,
    ok_line,
    task_status_line,
)


class ToySession:
    """The outline of docs/protocol.md with three toy handlers."""

    def __init__(self) -> None:
        self.splitter = LineSplitter(max_length=128)
        self.assembler = RequestAssembler()
        self.rights: Rights | None = None
        self.sent: list[Line] = []

    def receive(self, data: bytes) -> None:
        self.splitter.feed(data)
        while True:
            try:
                body = self.splitter.next_line()
                if body is None:
                    return
                self.handle(decode_line(body))
            except ProtocolError as exc:
                self.sent.append(error_reply_for(exc))

    def handle(self, line: Line) -> None:
        try:
            if self.assembler.busy:
                request = self.assembler.feed(line)
                if isinstance(request, AbonentRequest):
                    self.sent.append(ok_line(line.command, ("done",)))
                return
        except InterruptedRequest as exc:
            self.sent.append(error_reply_for(exc))
        command = lookup(line.command)
        authorize(command, self.rights)
        if command.multiline_request:
            self.assembler.feed(line)
            return
        args = decode_args(command, line.params)
        if command.word == "LOGIN":
            self.rights = Rights.OPERATOR
            self.sent += login_reply("hello", HaspInfo())
        elif command.word == "STARTTASK":
            task = TaskSummary(id=args["id"], name="t", ttype=TaskType.SMS,
                               status=TaskStatus.RUNNING)  # fmt: skip
            self.sent.append(task_status_line(task))
        else:
            self.sent.append(ok_line(line.command))


def test_the_documented_loop_answers_every_line() -> None:
    session = ToySession()
    stream = (
        b"PING\r\n"
        b"GETTASKS\r\n"  # before LOGIN
        b"login a b\r\n"  # lower case
        b"LOGIN admin secret\r\n"
        b"FOO\r\n"  # unknown
        b"STARTTASK 5\r\n"  # one parameter short
        b"STARTTASK x 0\r\n"  # invalid id
        b"STARTTASK 5 0\r\n"
        b"USERS\r\n"  # operator < administrator
        b"PING 100%\r\n"  # stray %
        b"PING\n"  # bare LF
        b"GETTASK " + b"9" * 200 + b"\r\n"  # overlong
        b"\r\n"  # empty
        b"ADDABONENT BEGIN\r\n"
        b"ADDABONENT DATA 1 0 x 0         \r\n"
        b"PING\r\n"  # interrupts the ADDABONENT, then answered itself
        b"ADDABONENT BEGIN\r\n"
        b"ADDABONENT DATA 1 0 x 0         \r\n"
        b"ADDABONENT EMAIL a@b.c\r\n"
        b"ADDABONENT END\r\n"
        b"QUIT\r\n"
    )
    for index in range(0, len(stream), 7):  # in awkward chunks
        session.receive(stream[index : index + 7])
    got = [(line.command, line.params[0] if line.params else "") for line in session.sent]
    assert got == [
        ("PING", "OK"),
        ("GETTASKS", "ERR_NOACCESS"),
        ("ERROR", "ERR_BADSYNTAX"),
        ("LOGIN", "OK"),
        ("HASP", "0"),
        ("FOO", "ERR_BADSYNTAX"),
        ("STARTTASK", "ERR_BADARGUMENT_COUNT"),
        ("STARTTASK", "ERR_BADSYNTAX"),
        ("UPDATETASK", "OK"),
        ("USERS", "ERR_NOACCESS"),
        ("PING", "ERR_BADSYNTAX"),
        ("PING", "ERR_BADSYNTAX"),
        ("GETTASK", "ERR_BADSYNTAX"),
        ("ERROR", "ERR_BADSYNTAX"),
        ("ADDABONENT", "ERR_BADSYNTAX"),
        ("PING", "OK"),
        ("ADDABONENT", "OK"),
        ("QUIT", "OK"),
    ]
    assert encode_lines(session.sent)  # every reply is encodable
