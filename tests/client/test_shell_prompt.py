"""The interactive shell as a person sees it: the banner is a line of its
own, each prompt comes after the previous answer (reply or error), and Tab
completes command words, also after ``help``. Driven through ``run_shell``
with a scripted ``read_line`` that records when each prompt was shown."""

from __future__ import annotations

import io
import threading

from nabat.system.cli.client_completion import completions
from nabat.system.cli.client_output import Printer
from nabat.system.cli.client_shell import BANNER, PROMPT, ReadLine, run_shell

from tests.client.conftest import Connect

Event = tuple[str, str]


class Recorder(io.StringIO):
    """A stream that logs each write, in order with the prompts, as (name, text)."""

    def __init__(self, name: str, events: list[Event], lock: threading.Lock) -> None:
        super().__init__()
        self.name, self.events, self.lock = name, events, lock

    def write(self, text: str) -> int:
        with self.lock:
            self.events.append((self.name, text))
        return super().write(text)


def _script(lines: list[str], events: list[Event], lock: threading.Lock) -> ReadLine:
    pending = list(lines)

    def read_line(prompt: str) -> str:
        with lock:
            events.append(("prompt", prompt))
        if not pending:
            raise EOFError
        return pending.pop(0)

    return read_line


def _index(events: list[Event], name: str, fragment: str) -> int:
    return next(i for i, (who, text) in enumerate(events) if who == name and fragment in text)


def _prompts(events: list[Event]) -> list[int]:
    return [i for i, (who, _) in enumerate(events) if who == "prompt"]


async def test_each_prompt_comes_after_the_answer(connect: Connect) -> None:
    client = await connect("admin")
    events: list[Event] = []
    lock = threading.Lock()
    printer = Printer(Recorder("out", events, lock), Recorder("err", events, lock))
    read_line = _script(["PING", "nosuchthing", "help PING", "PING"], events, lock)
    assert await run_shell(client, printer, read_line=read_line, interactive=True) == 0
    prompts = _prompts(events)
    assert len(prompts) == 5 and all(events[i][1] == PROMPT for i in prompts)
    before_prompt = "".join(text for who, text in events[: prompts[0]] if who == "err")
    assert before_prompt.endswith(f"{BANNER}\n")  # the banner is a whole line
    assert prompts[0] < _index(events, "out", "PING OK") < prompts[1]
    assert prompts[1] < _index(events, "err", "unknown command 'NOSUCHTHING'") < prompts[2]
    assert prompts[2] < _index(events, "out", "rights:") < prompts[3]
    last_ping = max(i for i, (who, text) in enumerate(events) if "PING OK" in text)
    assert prompts[3] < last_ping < prompts[4]


async def test_piped_stdin_has_no_prompt_or_banner(connect: Connect) -> None:
    client = await connect("admin")
    events: list[Event] = []
    lock = threading.Lock()
    printer = Printer(Recorder("out", events, lock), Recorder("err", events, lock))
    read_line = _script(["PING"], events, lock)
    assert await run_shell(client, printer, read_line=read_line, interactive=False) == 0
    assert {text for who, text in events if who == "prompt"} == {""}
    assert not [text for who, text in events if who == "err"]


def test_tab_completes_command_words() -> None:
    assert completions("", "")[:2] == ["help", "exit"]
    assert "GETGROUPS" in completions("", "")
    assert completions("getg", "getg") == ["GETGROUPS"]
    assert completions("he", "he") == ["help"]
    assert completions("help ADDG", "ADDG") == ["ADDGROUP"]
    assert completions("help ", "")[:1] == ["ADDABONENT"]
    assert completions("PING x", "x") == []


async def test_a_notification_while_the_prompt_waits_redraws_the_prompt(
    connect: Connect,
) -> None:
    import asyncio

    from nabat.system.cli.client_shell import CLEAR_LINE

    from tests.client.test_library import _task

    client, oper = await connect("admin"), await connect("oper")
    events: list[Event] = []
    lock = threading.Lock()
    printer = Printer(Recorder("out", events, lock), Recorder("err", events, lock))
    waiting, release = threading.Event(), threading.Event()
    pending = ["MONITORING 1"]

    def read_line(prompt: str) -> str:
        with lock:
            events.append(("prompt", prompt))
        if pending:
            return pending.pop(0)
        waiting.set()  # the prompt is up; a notification arrives now
        release.wait(10)
        raise EOFError

    shell = asyncio.create_task(run_shell(client, printer, read_line=read_line, interactive=True))
    await asyncio.to_thread(waiting.wait, 10)
    task = await oper.add_task(await _task(oper))
    assert task.id is not None
    await oper.start_task(task.id)
    for _ in range(100):  # until the shell has shown the notification
        with lock:
            if any("UPDATETASK" in text for _, text in events):
                break
        await asyncio.sleep(0.05)
    release.set()
    assert await shell == 0
    last_prompt = _prompts(events)[-1]
    after = [text for who, text in events[last_prompt + 1:] if who == "out"]
    shown = "".join(after)
    assert shown.startswith(CLEAR_LINE + "* UPDATETASK"), shown
    assert shown.endswith("\n" + PROMPT), shown  # the prompt is drawn again, after the line
