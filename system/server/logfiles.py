"""The server's daily log files: ``<data_dir>/logs/nabat-YYYY-MM-DD.log``.

``DailyFileHandler`` is a ``logging.Handler`` that appends each record to
the file of the record's local date (UTF-8, one formatted record per line;
a traceback continues on the following lines), switching to a new file when
the date changes; files are never deleted by the server. ``install`` adds
one to the root logger for the life of ``nabat serve`` (``server.serve``), so the
file receives what the root logger passes (INFO and up there). Nothing in
the server logs a password. ``open_day`` opens a day's file for GETLOG, or
returns None when there is none.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

LOG_DIR = "logs"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(data_dir: Path, day: date) -> Path:
    return data_dir / LOG_DIR / f"nabat-{day.isoformat()}.log"


class DailyFileHandler(logging.Handler):
    def __init__(self, data_dir: Path, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.data_dir = data_dir
        self._day: date | None = None
        self._file: TextIO | None = None
        self.setFormatter(logging.Formatter(FORMAT))

    def _file_for(self, day: date) -> TextIO:
        if self._file is None or day != self._day:
            if self._file is not None:
                self._file.close()
            path = log_path(self.data_dir, day)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8", errors="replace")
            self._day = day
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            stream = self._file_for(datetime.fromtimestamp(record.created).date())
            stream.write(text + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self.acquire()
        try:
            if self._file is not None:
                self._file.close()
                self._file = None
        finally:
            self.release()
        super().close()


def install(data_dir: Path) -> DailyFileHandler:
    """Start writing the daily log files of ``data_dir`` (root logger)."""
    handler = DailyFileHandler(data_dir)
    logging.getLogger().addHandler(handler)
    return handler


def uninstall(handler: DailyFileHandler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


def open_day(data_dir: Path, day: date) -> TextIO | None:
    """The day's log file opened for reading, or None when there is none."""
    try:
        return log_path(data_dir, day).open("r", encoding="utf-8", errors="replace", newline="")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
