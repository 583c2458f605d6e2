"""Baselines: accept today's findings, fail only on new ones (``--write-baseline`` / ``--baseline``).

A large codebase cannot be migrated in one pull request; a baseline lets CI gate on *new*
legacy code while the old code is ported piece by piece.

Fingerprints
------------
A finding is identified by what it is and what it is on, not by where it is, so that edits
elsewhere in the file (lines added or removed above it, re-indentation of the block) do not
turn a baselined finding into a new one:

- ``path``: the file relative to the config root (the folder of the ``pyproject.toml`` with
  ``[tool.ftmigrate]``, else the working directory), with ``/`` separators;
- ``code``: the rule code;
- ``fingerprint``: the first 16 hex digits of the SHA-256 of the code, the path and the
  *normalised* text of the line the finding starts on (leading and trailing whitespace
  removed, inner runs of whitespace collapsed to one space);
- ``occurrence``: 0 for the first finding with that fingerprint in the file (in line and
  column order), 1 for the next, and so on, so a second copy of an identical legacy line is a
  new finding while the first stays baselined, and two findings of one code on one line
  (``policy_job_id=`` and ``reference_job_id=``) are told apart.

The message is kept in the file for the reader but is not hashed: a later ftmigrate that words
a message better must not turn a whole baseline into new findings.

In a notebook the line is a line of the finding's cell, and the cell's number is not hashed:
adding, removing or editing other cells, or moving the line to another cell, keeps it
baselined.

Consequences, by design: moving or re-indenting a legacy line keeps it baselined; editing the
line itself (even its trailing comment) makes it new; renaming or moving the file makes its
findings new. A file that could not be read or parsed (``FTM901``) is fingerprinted by path
only, since its error message holds positions. When an identical line is duplicated *above*
the original, the new copy takes occurrence 0 and the original is reported as the new one:
the count of new findings is right, the position is the original's.

The file
--------
JSON, written sorted and indented with a trailing newline so it diffs well and two runs over
the same code write the same bytes::

    {
      "version": 1,
      "tool": "ftmigrate",
      "findings": [
        {"path": "src/train.py", "code": "FTM001", "message": "...", "fingerprint": "9f2c...", "occurrence": 0}
      ]
    }

Standard library only: the lint fast path validates ``--baseline`` with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ftmigrate.diagnostics import ERROR, UNCHANGED, Diagnostic, FileResult

VERSION = 1
#: Code of a file that could not be read or parsed (the same as ``engine.UNREADABLE``, which
#: cannot be imported here: the engine imports libcst).
UNREADABLE = "FTM901"

_WHITESPACE = re.compile(r"\s+")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the line breaks Python (and LibCST) count, nothing else


class BaselineError(Exception):
    """A baseline file that is missing, unreadable or not a baseline (one line, for exit 2)."""


@dataclass(frozen=True, order=True)
class Entry:
    """One baselined finding."""

    path: str
    code: str
    message: str
    fingerprint: str
    occurrence: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.path, self.fingerprint, self.occurrence)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "fingerprint": self.fingerprint,
            "occurrence": self.occurrence,
        }


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (absolute if it is elsewhere)."""
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:
        return absolute.replace(os.sep, "/")
    if rel == ".." or rel.startswith(".." + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def normalise(line: str) -> str:
    """The text of a line as the fingerprint sees it."""
    return _WHITESPACE.sub(" ", line.strip())


def fingerprint(code: str, path: str, line_text: str) -> str:
    """The hash of a finding's identity (see the module docstring)."""
    data = "\0".join((code, path, normalise(line_text)))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def source_lines(data: bytes) -> list[str]:
    """The lines of a source file as Python numbers them (line 1 is index 0)."""
    text = _decode(data)
    return _NEWLINE.split(text)


def _decode(data: bytes) -> str:
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def entries(results: Iterable[FileResult], root: Path, sources: Mapping[str, bytes] | None = None) -> list[Entry]:
    """The entries of ``results``, in report order.

    Source lines are read from disk, or taken from ``sources`` (path -> bytes; stdin).
    """
    out: list[Entry] = []
    for result in results:
        path = relative_path(result.path, root)
        if result.status == ERROR:
            out.append(_unreadable(path))
        out.extend(entry for entry, _ in _pairs(result, path, sources))
    return out


def _unreadable(path: str) -> Entry:
    return Entry(path, UNREADABLE, "", fingerprint(UNREADABLE, path, ""), 0)


def _pairs(result: FileResult, path: str, sources: Mapping[str, bytes] | None) -> list[tuple[Entry, Diagnostic]]:
    """Each diagnostic of ``result`` with its entry (occurrences counted in position order)."""
    if not result.diagnostics:
        return []
    lines = _lines_of(result.path, sources)
    cells = _cell_lines(result.path, sources) if any(d.cell is not None for d in result.diagnostics) else {}
    counts: dict[str, int] = {}
    out = []
    for d in sorted(result.diagnostics, key=Diagnostic.sort_key):
        of = cells.get(d.cell, []) if d.cell is not None else lines
        text = of[d.line - 1] if 0 < d.line <= len(of) else ""
        fp = fingerprint(d.code, path, text)
        n = counts.get(fp, 0)
        counts[fp] = n + 1
        out.append((Entry(path, d.code, d.message, fp, n), d))
    return out


def _lines_of(path: str, sources: Mapping[str, bytes] | None) -> list[str]:
    if path.lower().endswith(".ipynb"):
        return []  # a notebook's findings name their cell: see _cell_lines
    if sources is not None and path in sources:
        return source_lines(sources[path])
    try:
        with open(path, "rb") as fh:
            return source_lines(fh.read())
    except OSError:
        return []


def _cell_lines(path: str, sources: Mapping[str, bytes] | None) -> dict[int, list[str]]:
    """The lines of each cell of a notebook (by cell number), for findings that name a cell."""
    from ftmigrate.notebook import NotebookError, read

    try:
        data = sources[path] if sources is not None and path in sources else _read(path)
        return {cell.number: _NEWLINE.split(cell.source) for cell in read(data).cells}
    except (OSError, NotebookError):
        return {}


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def dumps(found: Iterable[Entry]) -> str:
    """The baseline file's text (sorted, stable)."""
    document = {
        "version": VERSION,
        "tool": "ftmigrate",
        "findings": [e.to_json() for e in sorted(set(found))],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(path: str, found: Iterable[Entry]) -> None:
    """Write a baseline file (atomically: a half-written baseline would fail the next run)."""
    text = dumps(found)
    target = Path(path)
    if target.exists() and not target.is_file():  # os.replace would put a file in its place
        raise BaselineError(f"{path}: not a regular file; name a file to write the baseline to")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise BaselineError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None


#: A baseline records findings, ~200 bytes each: this is room for hundreds of thousands.
BASELINE_MAX_BYTES = 256 * 1024 * 1024


def load(path: str) -> frozenset[tuple[str, str, int]]:
    """The keys of a baseline file; :class:`BaselineError` when it is missing or not one."""
    from ftmigrate.fileio import FileError, read_regular

    try:
        raw = read_regular(path, BASELINE_MAX_BYTES)
    except FileError as exc:
        raise BaselineError(f"{path}: {exc}") from None
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline {path})") from None
    except IsADirectoryError:
        raise BaselineError(f"{path}: is a directory, not a baseline file") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not a ftmigrate baseline (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a ftmigrate baseline (invalid JSON at line {exc.lineno} column {exc.colno})") from None
    except (RecursionError, MemoryError):
        raise BaselineError(f"{path}: not a ftmigrate baseline (values nested too deeply)") from None
    if not isinstance(document, dict) or document.get("tool") != "ftmigrate" or "findings" not in document:
        raise BaselineError(f"{path}: not a ftmigrate baseline (expected an object with \"tool\": \"ftmigrate\" and \"findings\")")
    version = document.get("version")
    if version != VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {version!r} (this ftmigrate reads version {VERSION}; rewrite it with --write-baseline)")
    findings = document["findings"]
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: not a ftmigrate baseline (\"findings\" must be a list)")
    keys = set()
    for number, item in enumerate(findings, start=1):
        try:
            keys.add((_str(item["path"]), _str(item["fingerprint"]), _int(item["occurrence"])))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: not a ftmigrate baseline (finding {number} lacks a valid path, fingerprint or occurrence)") from None
    return frozenset(keys)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError
    return value


@dataclass
class Filtered:
    """What applying a baseline did."""

    matched: int = 0  # findings in the baseline, not reported
    stale: int = 0  # baseline entries that no longer occur (fixed, or edited into new ones)

    def note(self, path: str) -> str:
        """The line printed to stderr after a run with ``--baseline`` (empty when nothing to say)."""
        if not (self.matched or self.stale):
            return ""
        text = f"ftmigrate: {self.matched} finding(s) in the baseline {path} not reported"
        if self.stale:
            entries = "entry" if self.stale == 1 else "entries"
            text += f"; {self.stale} baseline {entries} not seen in this run (fixed? refresh it with --write-baseline)"
        return text + ".\n"


def apply(
    results: list[FileResult],
    root: Path,
    known: frozenset[tuple[str, str, int]],
    sources: Mapping[str, bytes] | None = None,
) -> Filtered:
    """Drop from ``results`` (in place) the findings that are in the baseline ``known``."""
    outcome = Filtered()
    seen: set[tuple[str, str, int]] = set()
    for result in results:
        path = relative_path(result.path, root)
        if result.status == ERROR and _unreadable(path).key in known:
            seen.add(_unreadable(path).key)
            outcome.matched += 1
            result.status, result.error = UNCHANGED, None
        keep = []
        for entry, d in _pairs(result, path, sources):
            if entry.key in known:
                seen.add(entry.key)
                outcome.matched += 1
            else:
                keep.append(d)
        result.diagnostics = keep
    outcome.stale = len(known - seen)
    return outcome


__all__ = ["BaselineError", "Entry", "Filtered", "VERSION", "apply", "dumps", "entries", "fingerprint", "load", "normalise", "write"]
