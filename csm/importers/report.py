"""What an import did, row by row: the counts a CSM sees at the end and every problem with its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RowProblem:
    """An invalid row (or event): where it is and why it was refused."""

    line: int | None
    column: str | None
    reason: str

    def describe(self, file: Path) -> str:
        where = f"{file}" + (f", line {self.line}" if self.line is not None else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """Counts of new / updated / unchanged records, the rows refused, and warnings that refused nothing."""

    kind: str
    source: str
    file: Path
    dry_run: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged + self.skipped
