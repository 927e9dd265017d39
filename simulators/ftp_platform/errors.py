"""The one exception of an archive that breaks the platform's rules.

``ArchiveError`` names the problem and, where it has them, the file inside
the archive and the line (1-based, as an editor counts). Its text is what the
error report beside a rejected archive says.
"""

from __future__ import annotations


class ArchiveError(ValueError):
    """An archive that is not sent: ``problem`` in ``file`` at ``line`` (when known)."""

    def __init__(self, problem: str, file: str | None = None, line: int | None = None) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file} line {self.line}"
            where += ": "
        return where + self.problem

    def to_json(self) -> dict[str, object]:
        return {"problem": self.problem, "file": self.file, "line": self.line}
