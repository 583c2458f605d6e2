"""What a run reports: diagnostics per file, and the per-file outcome.

Plain dataclasses with no heavy imports: the lint fast path and every reporter use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Fix applicability, as in ruff: safe fixes run by default, unsafe ones with --unsafe-fixes.
SAFE, UNSAFE, NONE = "safe", "unsafe", "none"


@dataclass
class Diagnostic:
    """One finding. Positions are 1-based and refer to the file as it was read."""

    code: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: str = NONE
    fixed: bool = False
    help: str = ""
    #: Line of the ``# TODO(ftmigrate)`` comment in the rewritten file, when one was written.
    todo_line: int | None = None
    #: In a notebook: the cell (numbered from 1 among all cells, markdown too, as ruff and
    #: editors number them); ``line``, ``end_line`` and ``todo_line`` are lines of that cell.
    cell: int | None = None
    #: The entry of the TODO comment the rewrite writes for it (``ftmigrate.todo.entry``), which
    #: is how ``todo_line`` is found; not part of the report.
    todo: str | None = field(default=None, compare=False, repr=False)

    @property
    def remaining(self) -> bool:
        """Still needs a person (or a run with the fix enabled) after this run."""
        return not self.fixed

    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.cell or 0, self.line, self.column, self.code, self.message)

    @property
    def where(self) -> str:
        """``line:col``, or ``cell N:line:col`` in a notebook (as ruff writes it)."""
        return f"{self.line}:{self.column}" if self.cell is None else f"cell {self.cell}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": self.fix,
            "fixed": self.fixed,
            "help": self.help,
        }
        if self.todo_line is not None:
            data["todo_line"] = self.todo_line
        if self.cell is not None:
            data["cell"] = self.cell
        return data


#: File outcomes.
CHANGED, UNCHANGED, ERROR, SKIPPED = "changed", "unchanged", "error", "skipped"


@dataclass
class FileResult:
    """The outcome for one file. ``error`` is a one-line reason when ``status`` is ``error``."""

    path: str
    status: str = UNCHANGED
    error: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Source before and after, kept only when a diff is wanted or stdin is processed.
    before: str | None = None
    after: str | None = None
    #: A failure of ftmigrate itself (a bug), as opposed to bad input.
    internal: bool = False
    #: A notebook's changed code cells, ``(cell number, source before, source after)``, kept
    #: with ``before``/``after`` (the diff of a notebook is shown cell by cell).
    cells: list[tuple[int, str, str]] | None = None
    #: One-line notes a person should see that are not findings: why a file was skipped, what
    #: a rewrite could not carry over (the other names of a hard link).
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "diagnostics": [d.to_json() for d in sorted(self.diagnostics, key=Diagnostic.sort_key)],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data


@dataclass
class Summary:
    files: int = 0
    changed: int = 0
    errors: int = 0
    diagnostics: int = 0
    fixed: int = 0
    remaining: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, results: list[FileResult]) -> Summary:
        s = cls(files=len(results))
        for r in results:
            s.changed += r.status == CHANGED
            s.errors += r.status == ERROR
            s.skipped += r.status == SKIPPED
            s.diagnostics += len(r.diagnostics)
            if r.status != ERROR:  # a rewrite that could not be written: none of it applied, none
                s.fixed += sum(d.fixed for d in r.diagnostics)  # left for a person either (its
                s.remaining += sum(d.remaining for d in r.diagnostics)  # error says what to do)
        return s

    def to_json(self) -> dict[str, int]:
        return dict(vars(self))
