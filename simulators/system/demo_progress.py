"""The demo's live progress display: GETTASKINFO polling and MONITORING lines, drawn with rich.

``TaskBoard`` keeps one row per task (status, total, processed, confirmed,
failed) and a short log of the ``UPDATETASK`` notifications a MONITORING
session received. ``follow(client, monitor, task_ids, console)`` draws it
live (a rich ``Live`` table, redrawn as the figures change) until every
task is FINISHED or FAILED: one client polls GETTASKINFO, the other
session's notifications are read beside it. On a terminal the table
updates in place; piped, rich prints the final table and the log lines.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from nabat.system.client import NabatClient
from nabat.system.protocol import TaskProgress, TaskStatus, TaskSummary
from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

POLL_INTERVAL = 0.25  # s between two GETTASKINFO rounds
DONE = frozenset({TaskStatus.FINISHED, TaskStatus.FAILED})
STATUS_STYLE = {
    TaskStatus.STOPPED: "dim", TaskStatus.RUNNING: "bold yellow", TaskStatus.WAITING: "cyan",
    TaskStatus.FINISHED: "bold green", TaskStatus.FAILED: "bold red",
}  # fmt: skip


class DemoTimeout(Exception):
    """A task did not finish in the time the demo gives it."""


@dataclass
class TaskBoard:
    names: dict[int, str]
    progress: dict[int, TaskProgress] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def update(self, info: TaskProgress) -> None:
        self.progress[info.id] = info

    def notified(self, note: TaskSummary) -> str:
        line = f"MONITORING: UPDATETASK {note.id} {note.name} {note.status.name}"
        self.log.append(line)
        return line

    def finished(self) -> bool:
        return all(
            task in self.progress and self.progress[task].status in DONE for task in self.names
        )

    def render(self) -> Table:
        table = Table(title="Tasks", expand=False)
        for column in ("task", "status", "progress", "total", "processed", "confirmed", "failed"):
            table.add_column(column, justify="left" if column in ("task", "status") else "right")
        for task, name in self.names.items():
            info = self.progress.get(task)
            if info is None:
                table.add_row(name, "…", "", "", "", "", "")
                continue
            bar = ProgressBar(total=max(info.total, 1), completed=info.processed, width=24)
            table.add_row(
                name, Text(info.status.name, style=STATUS_STYLE[info.status]), bar,
                str(info.total), str(info.processed), str(info.confirmed), str(info.failed),
            )  # fmt: skip
        return table


async def _poll(client: NabatClient, board: TaskBoard) -> None:
    for task in board.names:
        board.update(await client.get_task_info(task))


async def _listen(monitor: NabatClient, board: TaskBoard, console: Console) -> None:
    async for note in monitor.notifications():
        if note.id in board.names:
            console.print(Text(board.notified(note), style="dim"))


async def follow(
    client: NabatClient,
    monitor: NabatClient,
    task_ids: Sequence[int],
    names: Sequence[str],
    console: Console,
    timeout: float,
) -> TaskBoard:
    """Draw the tasks' progress until every one ends; ``DemoTimeout`` after ``timeout`` s."""
    board = TaskBoard(dict(zip(task_ids, names, strict=True)))
    listener = asyncio.create_task(_listen(monitor, board, console))
    deadline = time.monotonic() + timeout
    try:
        with Live(Group(board.render()), console=console, refresh_per_second=8) as live:
            while True:
                await _poll(client, board)
                live.update(Group(board.render()))
                if board.finished():
                    break
                if time.monotonic() > deadline:
                    raise DemoTimeout(f"tasks still running after {timeout:.0f} s")
                await asyncio.sleep(POLL_INTERVAL)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        console.line()  # piped, the final table ends without one
    return board
