"""Jupyter notebooks (``.ipynb``, nbformat 4) linted and rewritten as the Python they hold.

A notebook is run top to bottom in one kernel, so its code cells are analysed as one module, in
cell order: a name bound in an earlier cell resolves in a later one. This module is the format
layer around the engine's stable boundary, ``engine.process_source(bytes) -> (result, bytes)``:

1. **Read.** The bytes are decoded (UTF-8) and parsed with the standard library's JSON scanner,
   which also gives the span of each code cell's ``source`` value in the original text (a list
   of strings or one string). Nothing else of the file is ever re-serialised.
2. **Mask.** IPython syntax is replaced by Python placeholders that restore byte for byte:
   line magics (``%pip install x``), shell escapes (``!ls``, ``x = !ls``, ``x = %env``), help
   (``obj?``, ``??obj``), autocall escapes (``/f x``) become a unique name; ``%time stmt`` /
   ``%timeit stmt`` keep their statement analysable (``<name>; stmt``). A cell magic makes the
   cell opaque (not analysed, never changed), except the magics whose body is Python
   (``%%time``, ``%%capture`` ...: only their first line is masked). Top-level ``await`` (valid
   in IPython) becomes ``<name>(...)``. A cell that still does not compile is reported as one
   ``FTM901`` finding at its error, and the other cells are processed without it.
3. **Join.** The masked cells are joined in order, a marker comment line before each cell but
   the first; a map takes every module line back to (cell, line in cell) and its column shift.
4. **Process.** ``engine.process_source`` lints or rewrites the module; its diagnostics are
   mapped to ``cell``/``line``/``column`` (the cell numbered from 1 among all cells, markdown
   included, as ruff and editors number them).
5. **Split.** The rewritten module is cut at the marker comments, which the rewrite keeps in
   order whatever it inserts or removes (comments of removed statements move to the next one).
   Every marker must come back once, in order, at the start of a line, and every placeholder
   once, in its own cell; each rewritten cell must compile on its own, as IPython compiles it.
   A rewrite that would reach across cells (``try:`` around the cells after a ``setup_infra``
   cell) cannot be written into a notebook: the notebook is reported and left as it is.
6. **Write.** Only the ``source`` of the code cells that changed is re-encoded, in the style
   the file uses: a list of lines or one string, ``\\uXXXX`` escapes or raw UTF-8, ``\\/``, the
   list's own indentation; outputs, execution counts, ids, metadata, other cells, key order and
   the end of the file stay as they were, byte for byte. The result is checked to parse as the
   same JSON with only those sources changed before it is handed back (the engine writes it
   atomically, like a ``.py``).

Only the standard library is used: the lint fast path asks :func:`wanted` about a notebook
before anything heavy is imported, and a notebook without a cookbook root in its bytes is never
parsed at all.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine imports libcst; it is imported only when a notebook is processed
    from ftmigrate.diagnostics import Diagnostic, FileResult
    from ftmigrate.engine import RunSettings
    from ftmigrate.prefilter import Prefilter

from ftmigrate.discovery import NOTEBOOK_SUFFIX as SUFFIX, is_notebook  # noqa: E402,F401
#: Code of a cell (or notebook) that cannot be parsed: ``engine.UNREADABLE``.
UNREADABLE = "FTM901"

#: Cell magics whose body is Python run in the kernel's namespace (ruff's list): only their
#: first line is masked. Any other cell magic (``%%bash``, ``%%writefile``, ``%%html`` ...)
#: makes its cell opaque.
PYTHON_CELL_MAGICS = frozenset({"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"})
#: Line magics whose argument is a Python statement: ``%time cfg = Config(...)`` is analysed.
CODE_LINE_MAGICS = frozenset({"time", "timeit"})

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_WS = re.compile(r"[ \t\n\r]*")
_ASSIGN_MAGIC = re.compile(r"((?:[A-Za-z_][\w.]*|\*[A-Za-z_]\w*)(?:\s*,\s*(?:[A-Za-z_][\w.]*|\*[A-Za-z_]\w*))*\s*=\s*)[!%]")
_FUTURE = re.compile(r"from\s+__future__\s+import\b")
_HELP = re.compile(r"[^#'\"]*\?\??\s*")
_CODE_MAGIC = re.compile(r"%(\w+)([ \t]+)(?=[^\s-])")
_STRINGY = re.compile(r"[#'\"\\()\[\]{}]")
_SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Import, ast.ImportFrom, ast.Delete, ast.Assert, ast.Pass, ast.Raise)
_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_ESCAPED_NON_ASCII = re.compile(r"(?<!\\)(?:\\\\)*\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")
_U_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})")
_SLASH = re.compile(r"(?<!\\)(?:\\\\)*\\/")


class NotebookError(Exception):
    """The file is not a notebook ftmigrate can read (one line, for the user)."""


class SplitError(Exception):
    """The rewritten module cannot be put back into the notebook's cells."""

    def __init__(self, message: str, cell: int, magic: str | None = None, internal: bool = False) -> None:
        super().__init__(message)
        self.cell = cell
        self.magic = magic
        self.internal = internal


# --------------------------------------------------------------------------------------------
# Reading: the JSON, and where each code cell's source is in it.


@dataclass
class Cell:
    """One cell. ``number`` counts every cell from 1 (markdown too), as reported."""

    number: int
    kind: str
    source: str = ""
    #: The span of the ``source`` value in the notebook's text, and its form.
    span: tuple[int, int] | None = None
    form: str = "list"  # "list" or "str"
    #: Spans of the list's strings (form "list").
    items: list[tuple[int, int]] = field(default_factory=list)
    python: bool = True  # False: another language (VS Code's per-cell languageId)


@dataclass
class Notebook:
    text: str  # the file's text after a BOM
    bom: str
    cells: list[Cell]
    python: bool  # the kernel's language is Python (or not said)
    data: dict[str, Any]

    @property
    def code(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code" and c.python and c.span is not None]


def read(data: bytes, spans: bool = True) -> Notebook:
    """Parse a notebook; :class:`NotebookError` with a one-line reason when it is not one.
    ``spans=False``: the cells' sources only, not where they are in the text (the prefilter)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8") from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom) :]
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deep") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("cells"), list):
        if isinstance(parsed, dict) and "worksheets" in parsed:
            raise NotebookError(
                f"nbformat {parsed.get('nbformat')} notebook; ftmigrate reads nbformat 4:"
                " convert it with `jupyter nbconvert --to notebook --nbformat 4`"
            )
        raise NotebookError('not a notebook: expected a JSON object with a "cells" list (nbformat 4)')
    if parsed.get("nbformat", 4) != 4:
        raise NotebookError(f"nbformat {parsed.get('nbformat')!r} notebook; ftmigrate reads nbformat 4")
    found = _source_spans(text) if spans else {}
    cells = []
    for index, raw in enumerate(parsed["cells"]):
        if not isinstance(raw, dict):
            raise NotebookError(f"not a notebook: cell {index + 1} is not a JSON object")
        kind = raw.get("cell_type")
        cell = Cell(index + 1, kind if isinstance(kind, str) else "")
        source = raw.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            cell.source, cell.form = "".join(source), "list"
        elif isinstance(source, str):
            cell.source, cell.form = source, "str"
        elif kind == "code":
            raise NotebookError(f"not a notebook: the source of cell {index + 1} is neither a string nor a list of strings")
        if "source" in raw and index in found:
            cell.span, cell.items = found[index]
        metadata = raw.get("metadata")
        vscode = metadata.get("vscode") if isinstance(metadata, dict) else None
        language = vscode.get("languageId") if isinstance(vscode, dict) else None
        cell.python = not isinstance(language, str) or language.lower() == "python"
        cells.append(cell)
    return Notebook(text, bom, cells, _is_python(parsed), parsed)


def _is_python(parsed: dict[str, Any]) -> bool:
    """Whether the kernel runs Python (a notebook that does not say is taken to)."""
    metadata = parsed.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for key, inner in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(inner), str):
            return value[inner].lower() == "python"
    return True


_DECODER = json.JSONDecoder()


def _source_spans(text: str) -> dict[int, tuple[tuple[int, int], list[tuple[int, int]]]]:
    """For each cell (by index) the span of its ``source`` value and of the list's strings.

    A walk of the (already validated) JSON with the standard library's scanner, which skips
    every other value at C speed: outputs with megabytes of images cost little. Where a key is
    repeated, the last one counts, as for ``json.loads``.
    """
    scan = _DECODER.scan_once
    out: dict[int, tuple[tuple[int, int], list[tuple[int, int]]]] = {}

    def ws(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def members(i: int):  # at "{": yield (key, value start); the caller moves past the value
        i = ws(i + 1)
        if text[i] == "}":
            return
        while True:
            key, i = scan(text, i)
            i = ws(ws(i) + 1)  # past ":"
            end = yield key, i
            i = ws(end)
            if text[i] == "}":
                return
            i = ws(i + 1)  # past ","

    def walk_members(i: int, visit) -> int:
        gen = members(i)
        try:
            key, start = next(gen)
            while True:
                end = visit(key, start)
                key, start = gen.send(end)
        except StopIteration:
            pass
        return _close(text, i)

    def skip(i: int) -> int:
        return scan(text, i)[1]

    def top(key: str, start: int) -> int:
        if key != "cells" or text[start] != "[":
            return skip(start)
        i = ws(start + 1)
        index = 0
        out.clear()
        while text[i] != "]":
            if text[i] == "{":
                found: dict[str, Any] = {}

                def cell(key: str, start: int) -> int:
                    end = skip(start)
                    if key == "source":
                        found["source"] = ((start, end), _items(text, start, end, scan) if text[start] == "[" else [])
                    return end

                end = walk_members(i, cell)
                if "source" in found:
                    out[index] = found["source"]
            else:
                end = skip(i)
            index += 1
            i = ws(end)
            if text[i] == ",":
                i = ws(i + 1)
        return i + 1

    walk_members(ws(0), top)
    return out


def _close(text: str, start: int) -> int:
    """The end of the JSON object or array starting at ``start``."""
    return _DECODER.scan_once(text, start)[1]


def _items(text: str, start: int, end: int, scan) -> list[tuple[int, int]]:
    items = []
    i = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
    while text[i] != "]":
        _, stop = scan(text, i)
        items.append((i, stop))
        i = _WS.match(text, stop).end()  # type: ignore[union-attr]
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    return items


# --------------------------------------------------------------------------------------------
# Masking IPython syntax.


@dataclass
class Magic:
    """IPython text replaced by a placeholder. ``written`` is what stands in the module."""

    name: str
    written: str
    original: str
    cell: int
    #: For ``%time stmt``: "cell:line text", to mask the line whole when a rewrite would
    #: separate the statement from the magic.
    key: str | None = None


@dataclass
class Masked:
    """A cell as Python: its text, and for each of its lines the line of the cell it comes
    from, with the column shift of ``%time`` lines (from column, by how much)."""

    cell: Cell
    text: str
    lines: list[int]
    shifts: dict[int, tuple[int, int]]
    magics: list[Magic]
    #: The cell does not end with a newline (as a rule): neither does its rewrite.
    open_end: bool
    awaits: list[Magic] = field(default_factory=list)


class _Opaque(Exception):
    """The cell is not Python (a cell magic): left out, never changed."""


class _Lexer:
    """Just enough of Python's tokenizer to tell where logical lines start: strings, brackets,
    comments and backslash continuations (masked magic lines are never fed to it)."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None
        self.continued = False

    @property
    def at_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            if self.quote is not None:
                j = _next_in_string(line, i, self.quote)
                if j < 0:
                    if len(self.quote) == 1 and not line.rstrip("\r\n").endswith("\\"):
                        self.quote = None  # an unterminated string ends with its line
                    return
                i = j + len(self.quote)
                self.quote = None
                continue
            match = _STRINGY.search(line, i)
            if match is None:
                return
            c = match.group()
            i = match.end()
            if c == "#":
                return
            if c in "'\"":
                self.quote = c * 3 if line.startswith(c * 3, i - 1) else c
                i += len(self.quote) - 1
            elif c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c == "\\":
                if line[i:].strip("\r\n") == "":
                    self.continued = True
                    return
                i += 1


def _next_in_string(line: str, i: int, quote: str) -> int:
    """Where ``quote`` closes the string in ``line`` from ``i`` (escapes skipped), or -1."""
    while True:
        j = line.find(quote[0], i)
        k = line.find("\\", i)
        if k != -1 and (j == -1 or k < j):
            i = k + 2
            if i > len(line):
                return -1
            continue
        if j == -1:
            return -1
        if line.startswith(quote, j):
            return j
        i = j + 1


def physical_lines(text: str) -> list[str]:
    """Lines as Python counts them (``\\n``, ``\\r\\n``, ``\\r``), each with its ending."""
    return _LINE.findall(text)


class _Namer:
    def __init__(self, token: str) -> None:
        self.token = token
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"_{self.token}m{self.count}"


def mask(cell: Cell, namer: _Namer, *, first: bool, opaque_code: frozenset[str] = frozenset()) -> Masked:
    """The cell as Python (raises ``_Opaque`` for a cell magic whose body is not Python)."""
    lines = physical_lines(cell.source)
    out: list[str] = []
    origin: list[int] = []
    shifts: dict[int, tuple[int, int]] = {}
    magics: list[Magic] = []
    lexer = _Lexer()
    i = 0
    head = next((k for k, line in enumerate(lines) if line.strip()), None)
    if head is not None and lines[head].startswith("%%"):
        magic_name = re.match(r"%%(\w*)", lines[head]).group(1)  # type: ignore[union-attr]
        if magic_name not in PYTHON_CELL_MAGICS:
            raise _Opaque
    while i < len(lines):
        line = lines[i]
        body = line.rstrip("\r\n")
        eol = line[len(body) :]
        if not lexer.at_start:
            lexer.feed(line)
            out.append(line)
            origin.append(i)
            i += 1
            continue
        stripped = body.lstrip(" \t\f")
        indent = body[: len(body) - len(stripped)]
        kind = _escape_kind(stripped, i == head) if stripped else None
        if kind is None and not first and not indent and _FUTURE.match(stripped):
            kind = "future"
        if kind is None:
            lexer.feed(line)
            out.append(line)
            origin.append(i)
            i += 1
            continue
        # The extent of the escaped line: backslash continuations (IPython joins them), or the
        # whole logical line of a Python statement (a misplaced ``from __future__``).
        j = i
        if kind == "future":
            probe = _Lexer()
            probe.feed(lines[j])
            while not probe.at_start and j + 1 < len(lines):
                j += 1
                probe.feed(lines[j])
        else:
            while lines[j].rstrip("\r\n").endswith("\\") and j + 1 < len(lines):
                j += 1
        chunk = "".join(lines[i : j + 1])
        last_eol = lines[j][len(lines[j].rstrip("\r\n")) :]
        original = chunk[len(indent) : len(chunk) - len(last_eol)]
        name = namer()
        key = f"{cell.number}:{stripped}"
        if kind == "assign":
            lhs = _ASSIGN_MAGIC.match(stripped).group(1)  # type: ignore[union-attr]
            magic = Magic(name, name, original[len(lhs) :], cell.number)
            new = f"{indent}{lhs}{name}{last_eol}"
        elif kind == "code" and j == i and key not in opaque_code:
            prefix = _code_magic(stripped)
            assert prefix is not None
            magic = Magic(name, f"{name}; ", prefix, cell.number, key)
            new = f"{indent}{name}; {stripped[len(prefix):]}{eol}"
            shifts[len(out)] = (len(indent) + len(name) + 2, len(prefix) - len(name) - 2)
        elif indent:
            magic = Magic(name, name, original, cell.number)
            new = f"{indent}{name}{last_eol}"
        else:
            # At the top of a cell, a comment: invisible to the analysis, so `%pip install`
            # above the imports does not end the import block new imports are added to.
            magic = Magic(name, f"#{name}", original, cell.number)
            new = f"#{name}{last_eol}"
        magics.append(magic)
        out.append(new)
        origin.append(i)
        i = j + 1
    text = "".join(out)
    added = bool(text) and not text.endswith(("\n", "\r"))
    if added:
        text += "\n"
    return Masked(cell, text, origin, shifts, magics, not cell.source.endswith(("\n", "\r")))


def _escape_kind(stripped: str, head: bool) -> str | None:
    """What IPython syntax a logical line starts with, if any."""
    c = stripped[0]
    if c == "%":
        if stripped.startswith("%%"):
            return "cell" if head else "line"
        return "code" if _code_magic(stripped) is not None else "line"
    if c in "!/;," or c == "?":
        return "line"
    if _ASSIGN_MAGIC.match(stripped):
        return "assign"
    if stripped.rstrip().endswith("?") and _HELP.fullmatch(stripped):
        return "line"
    return None


def _code_magic(stripped: str) -> str | None:
    """The ``%time `` prefix of a line magic whose argument is one line of simple statements."""
    match = _CODE_MAGIC.match(stripped)
    if match is None or match.group(1) not in CODE_LINE_MAGICS:
        return None
    rest = stripped[match.end() :]
    if rest.rstrip().endswith("\\"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(rest)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not tree.body or not all(isinstance(s, _SIMPLE) for s in tree.body):
        return None
    return match.group()


# --------------------------------------------------------------------------------------------
# Top-level ``await`` (IPython runs it): ``await x`` -> ``<name>(x)``, put back after.


def _mask_awaits(masked: Masked, namer: _Namer) -> None:
    """Rewrite the top-level ``await`` of a cell that compiles only with them allowed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(masked.text, "<cell>", "exec", ast.PyCF_ONLY_AST | _FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    found: list[ast.Await] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Await):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    if not found:
        return
    lines = physical_lines(masked.text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, col: int) -> int:  # ast columns count UTF-8 bytes
        line = lines[lineno - 1]
        return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))

    edits: list[tuple[int, int, str]] = []
    for node in found:
        start = offset(node.lineno, node.col_offset)
        value = offset(node.value.lineno, node.value.col_offset)
        keyword = re.match(r"await[ \t]*", masked.text[start:value])
        if keyword is None:
            return
        name = namer()
        masked.awaits.append(Magic(name, f"{name}(", keyword.group(), masked.cell.number))
        edits.append((start, start + keyword.end(), f"{name}("))
        end = offset(node.end_lineno or node.lineno, node.end_col_offset or 0)
        edits.append((end, end, ")"))
    text = masked.text
    for begin, stop, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:begin] + new + text[stop:]
    masked.text = text


def _unmask_awaits(text: str, awaits: list[Magic], cell: int) -> str:
    """Put ``await`` back: ``<name>(x)`` -> ``await x`` (the parentheses matched by tokens)."""
    import io
    import tokenize

    for magic in awaits:
        if text.count(magic.written) != 1:
            raise SplitError("the rewrite moved or dropped a top-level `await`", cell)
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            raise SplitError("the rewritten cell does not tokenize", cell, internal=True) from None
        lines = physical_lines(text)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        depth = None
        begin = end = -1
        for k, tok in enumerate(tokens):
            if depth is None:
                if tok.type == tokenize.NAME and tok.string == magic.name and k + 1 < len(tokens) and tokens[k + 1].string == "(":
                    begin = starts[tok.start[0] - 1] + tok.start[1]
                    depth = 0
                continue
            if tok.string in "([{" and tok.type == tokenize.OP:
                depth += 1
            elif tok.string in ")]}" and tok.type == tokenize.OP:
                depth -= 1
                if depth == 0:
                    end = starts[tok.start[0] - 1] + tok.start[1]
                    break
        if begin < 0 or end < 0:
            raise SplitError("the rewrite moved or dropped a top-level `await`", cell)
        text = text[:begin] + magic.original + text[begin + len(magic.written) : end] + text[end + 1 :]
    return text


# --------------------------------------------------------------------------------------------
# The module: masked cells joined, and the way back.


@dataclass
class Skipped:
    """A code cell left out of the module: it does not compile (a finding) or is opaque."""

    cell: Cell
    message: str | None  # None: opaque (a cell magic), not a finding
    line: int = 1
    column: int = 1


@dataclass
class Module:
    token: str
    parts: list[Masked]
    starts: list[int]  # the module line (1-based) of each part's first line
    text: str
    skipped: list[Skipped]

    def marker(self, number: int) -> str:
        return f"#{self.token}cell{number}"

    def locate(self, line: int, column: int) -> tuple[int, int, int]:
        """(cell number, line in the cell, column) of a module position (1-based)."""
        k = max(0, bisect_right(self.starts, line) - 1)
        part = self.parts[k]
        index = line - self.starts[k]
        if index < 0:
            index = 0
        if index >= len(part.lines):  # past the cell's text (a position at its very end)
            return part.cell.number, (part.lines[-1] + 1 if part.lines else 1), column
        shift = part.shifts.get(index)
        if shift is not None and column - 1 >= shift[0]:
            column += shift[1]
        return part.cell.number, part.lines[index] + 1, column


def token_for(notebook: Notebook) -> str:
    """A short token that no code cell contains (markers and placeholders are built on it)."""
    sources = [c.source for c in notebook.code]
    n = 0
    while any(f"ftm{n}q" in s for s in sources):
        n += 1
    return f"ftm{n}q"


def build(notebook: Notebook, opaque_code: frozenset[str] = frozenset()) -> Module:
    token = token_for(notebook)
    namer = _Namer(token)
    parts: list[Masked] = []
    skipped: list[Skipped] = []
    for cell in notebook.code:
        try:
            masked = mask(cell, namer, first=not parts, opaque_code=opaque_code)
        except _Opaque:
            skipped.append(Skipped(cell, None))
            continue
        problem = _compile_problem(masked)
        if problem == "await":
            _mask_awaits(masked, namer)
            problem = _compile_problem(masked)
        if problem is not None:
            if problem == "await":  # still: `async for` / `async with` at the top of the cell
                problem = ("top-level `async for` or `async with`: IPython runs it, ftmigrate cannot check this cell", 1, 1)
            message, line, column = problem
            skipped.append(Skipped(cell, message, line, column))
            continue
        parts.append(masked)
    pieces: list[str] = []
    starts: list[int] = []
    line = 1
    for k, part in enumerate(parts):
        if k:
            pieces.append(f"#{token}cell{part.cell.number}\n")
            line += 1
        starts.append(line)
        pieces.append(part.text)
        line += len(physical_lines(part.text))
    return Module(token, parts, starts, "".join(pieces), skipped)


def _compile_problem(masked: Masked, allow_await: bool = True):
    """None when the masked cell compiles as IPython compiles it; ``"await"`` when it needs
    top-level ``await``; else (message, line, column) of the error in the cell."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(masked.text, "<cell>", "exec", dont_inherit=True)
            return None
        except (SyntaxError, ValueError) as exc:
            first = exc
        except (RecursionError, MemoryError):
            return ("nesting too deep to process", 1, 1)
        if allow_await:
            try:
                compile(masked.text, "<cell>", "exec", _FLAGS, dont_inherit=True)
                return "await"
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
    if isinstance(first, SyntaxError):
        lineno = first.lineno or 1
        line = masked.lines[lineno - 1] + 1 if 0 < lineno <= len(masked.lines) else lineno
        column = first.offset or 1
        if lineno - 1 in masked.shifts and column - 1 >= masked.shifts[lineno - 1][0]:
            column += masked.shifts[lineno - 1][1]
        return (f"syntax error: {first.msg}", line, column)
    return (f"cannot be compiled ({first})", 1, 1)


def split(module: Module, new: str) -> dict[int, Rewritten]:
    """Cut the rewritten module back into its cells (by cell number), placeholders restored.

    ``SplitError`` when it cannot be: a marker missing, repeated, out of order or no longer a
    line of its own (the rewrite reached across cells), a placeholder dropped, repeated or
    moved to another cell.
    """
    found = [(m.start(), int(m.group(1))) for m in re.finditer(rf"#{module.token}cell(\d+)", new)]
    expected = [p.cell.number for p in module.parts[1:]]
    numbers = [n for _, n in found]
    if numbers != expected:
        culprit = next((n for n in expected if numbers.count(n) != 1), None)
        if culprit is None:
            culprit = next((e for e, n in zip(expected, numbers) if e != n), expected[0] if expected else 0)
        raise SplitError(f"the rewrite would merge cell {culprit} into the cell before it", culprit)
    bounds = []
    for at, number in found:
        end = at + len(module.marker(number))
        eol = re.match(r"\r\n|\r|\n", new[end:])
        if (at and new[at - 1] not in "\r\n") or eol is None:
            raise SplitError(
                f"the rewrite would wrap cell {number} into a statement of the cell before it"
                " (a try/finally around the cells after it, say), which a notebook cannot hold",
                number,
            )
        bounds.append((at, end + eol.end()))
    out: dict[int, Rewritten] = {}
    begin = 0
    line = 1  # the module line where the part begins
    names = re.compile(rf"(?<!\w)_{module.token}m\d+(?!\w)")
    for (at, stop), part in zip([*bounds, (len(new), len(new))], module.parts):
        text = new[begin:at]
        number = part.cell.number
        mine = {m.name: m for m in part.magics}
        awaits = {m.name for m in part.awaits}
        seen = [m.group() for m in names.finditer(text)]
        for name in seen:
            if name not in mine and name not in awaits:
                raise SplitError(f"the rewrite would move IPython syntax into cell {number}", number)
        for name, magic in mine.items():
            if seen.count(name) != 1:
                raise SplitError(f"the rewrite would drop or repeat IPython syntax in cell {number}", number, magic=magic.key)
        cell_lines: list[int] = []
        rebuilt = []
        for k, physical in enumerate(physical_lines(text)):
            edits = []
            for m in names.finditer(physical):
                magic = mine.get(m.group())
                if magic is None:  # an await: put back below
                    continue
                at_ = m.start() - magic.written.index(magic.name)
                if at_ < 0 or not physical.startswith(magic.written, at_):
                    raise SplitError(
                        f"the rewrite would separate `{magic.original.strip()}` from its statement in cell {number}",
                        number,
                        magic=magic.key,
                    )
                edits.append((at_, at_ + len(magic.written), magic.original))
            restored = physical
            for start_, end_, original in reversed(edits):
                restored = restored[:start_] + original + restored[end_:]
            rebuilt.append(restored)
            cell_lines.extend([line + k] * max(1, len(physical_lines(restored))))
        result = "".join(rebuilt)
        if part.awaits:
            result = _unmask_awaits(result, part.awaits, number)
        if part.open_end:
            # The cell ended without a newline: so does its rewrite (the blank line a rewrite
            # leaves after the imports it adds stays out of a cell that ends there).
            result = result.rstrip("\r\n")
        out[number] = Rewritten(result, text, cell_lines)
        line += len(physical_lines(text)) + 1
        begin = stop
    return out


@dataclass
class Rewritten:
    """A cell after the rewrite: its text, the text as it stands in the module (placeholders
    in), and for each of its lines the line of the rewritten module it comes from."""

    text: str
    masked: str
    lines: list[int]


def check_cell(number: int, new_masked: str) -> None:
    """A rewritten cell must compile on its own, as IPython compiles it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(new_masked, "<cell>", "exec", _FLAGS, dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            raise SplitError(
                f"the rewrite of cell {number} would not compile on its own (line {getattr(exc, 'lineno', '?')}:"
                f" {getattr(exc, 'msg', exc)}): it reaches across cells",
                number,
            ) from None


# --------------------------------------------------------------------------------------------
# Writing: the sources of changed cells, in the file's own JSON style.


@dataclass
class Style:
    ascii_only: bool
    escape_slash: bool
    upper_hex: bool
    newline_only: bool  # list items split at "\n" only (not at every str.splitlines break)
    layout: tuple[str, str, str, str] | None  # a list's (first, before comma, after comma, last) whitespace


def style_of(notebook: Notebook) -> Style:
    text = notebook.text
    raw_non_ascii = any(ord(ch) > 127 for ch in text) if not text.isascii() else False
    escaped = _ESCAPED_NON_ASCII.search(text) is not None
    hexes = "".join(m.group(1) for m in _U_ESCAPE.finditer(text))
    upper = any(c in "ABCDEF" for c in hexes) and not any(c in "abcdef" for c in hexes)
    newline_only = False
    layout = None
    for cell in notebook.cells:
        if cell.span is None or cell.form != "list":
            continue
        items = cell.items
        for start, end in items[:-1]:
            value = json.loads(text[start:end])
            if len(value.splitlines(True)) > 1 or (value and not value.endswith("\n") and value.splitlines(True)[-1] != value):
                newline_only = True
        if layout is None and len(items) >= 2:
            layout = (
                text[cell.span[0] + 1 : items[0][0]],
                text[items[0][1] : text.index(",", items[0][1])],
                text[text.index(",", items[0][1]) + 1 : items[1][0]],
                text[items[-1][1] : cell.span[1] - 1],
            )
    return Style(escaped and not raw_non_ascii, _SLASH.search(text) is not None, upper, newline_only, layout)


def encode_string(value: str, style: Style) -> str:
    out = json.dumps(value, ensure_ascii=style.ascii_only)
    if style.escape_slash:
        out = out.replace("/", "\\/")
    if style.upper_hex:
        out = _U_ESCAPE.sub(lambda m: m.group().upper().replace("\\U", "\\u"), out)
    return out


def encode_source(notebook: Notebook, cell: Cell, new: str, style: Style) -> str:
    """The JSON text of ``new`` as ``cell``'s source, laid out as the file lays it out."""
    if cell.form == "str":
        return encode_string(new, style)
    lines = _split_lines(new, style.newline_only)
    if not lines:
        return "[]"
    text = notebook.text
    assert cell.span is not None
    items = cell.items
    if len(items) >= 2:
        first = text[cell.span[0] + 1 : items[0][0]]
        comma = text.index(",", items[0][1])
        before, after = text[items[0][1] : comma], text[comma + 1 : items[1][0]]
        last = text[items[-1][1] : cell.span[1] - 1]
    elif len(items) == 1:
        first = text[cell.span[0] + 1 : items[0][0]]
        last = text[items[0][1] : cell.span[1] - 1]
        before, after = (style.layout[1], style.layout[2]) if style.layout else ("", first)
    elif style.layout is not None:
        first, before, after, last = style.layout
    else:
        first, before, after, last = _default_layout(text, cell.span[0])
    return "[" + first + (before + "," + after).join(encode_string(line, style) for line in lines) + last + "]"


def _default_layout(text: str, at: int) -> tuple[str, str, str, str]:
    """The layout of a list in a file that has none to copy: nbformat's (an item a line,
    one indentation step deeper than the ``"source"`` key)."""
    line_start = text.rfind("\n", 0, at) + 1
    if line_start == 0 and "\n" not in text:
        return "", "", "", ""
    indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
    newline = "\r\n" if text[line_start - 2 : line_start] == "\r\n" else "\n"
    step = indent[: len(indent) // 3] if indent and len(indent) % 3 == 0 else " "
    return newline + indent + step, "", newline + indent + step, newline + indent


def _split_lines(text: str, newline_only: bool) -> list[str]:
    if newline_only:
        parts = text.split("\n")
        out = [p + "\n" for p in parts[:-1]]
        if parts[-1]:
            out.append(parts[-1])
        return out
    return text.splitlines(True)


def rebuild(notebook: Notebook, changes: dict[int, str]) -> bytes:
    """The notebook's bytes with the sources of ``changes`` (cell number -> new source)."""
    style = style_of(notebook)
    text = notebook.text
    pieces = []
    at = 0
    by_number = {c.number: c for c in notebook.cells}
    for number in sorted(changes, key=lambda n: by_number[n].span[0]):  # type: ignore[index]
        cell = by_number[number]
        assert cell.span is not None
        pieces.append(text[at : cell.span[0]])
        pieces.append(encode_source(notebook, cell, changes[number], style))
        at = cell.span[1]
    pieces.append(text[at:])
    new_text = "".join(pieces)
    _check_rebuilt(notebook, new_text, changes)
    return (notebook.bom + new_text).encode("utf-8")


def _check_rebuilt(notebook: Notebook, new_text: str, changes: dict[int, str]) -> None:
    """The new text must parse as the same notebook but for the changed sources."""
    parsed = json.loads(new_text)
    expected = json.loads(notebook.text)
    for number, source in changes.items():
        got = parsed["cells"][number - 1]["source"]
        if ("".join(got) if isinstance(got, list) else got) != source:
            raise SplitError(f"internal error: cell {number} was not encoded back faithfully", number, internal=True)
        parsed["cells"][number - 1]["source"] = expected["cells"][number - 1]["source"]
    if parsed != expected and json.dumps(parsed, sort_keys=True) != json.dumps(expected, sort_keys=True):  # NaN != NaN
        raise SplitError("internal error: the notebook would change outside the rewritten cells", 0, internal=True)


# --------------------------------------------------------------------------------------------
# The engine's side: prefilter and process.


def code_text(notebook: Notebook) -> str:
    """The code cells' sources, one after the other (what the byte prefilter reads)."""
    return "\n".join(c.source for c in notebook.cells if c.kind == "code" and c.python)


def wanted(data: bytes, prefilter: Prefilter) -> bool:
    """The prefilter for a notebook: the root names in the raw bytes first (most notebooks
    stop here, unparsed); then, for those that hold one, the import check on the code cells."""
    from ftmigrate.prefilter import HINT

    if not any(root in data for root in prefilter.roots) and HINT not in data:
        return False
    try:
        notebook = read(data, spans=False)
    except Exception:  # NotebookError, or anything else: ``process`` reports it
        return True
    if not notebook.python:
        return False
    return prefilter(code_text(notebook).encode("utf-8", "surrogatepass"))


def process(data: bytes, path: str, settings: RunSettings) -> tuple[FileResult, bytes | None]:
    """Lint or rewrite a notebook: the engine's ``process_source`` for ``.ipynb`` bytes."""
    from ftmigrate.diagnostics import FileResult

    try:
        return _process(data, path, settings)
    except NotebookError as exc:
        return _failed(FileResult(path=path), str(exc)), None
    except RecursionError:
        return _failed(FileResult(path=path), "nesting too deep to process; left as it is"), None
    except Exception as exc:  # a bug in ftmigrate: this file only
        detail = " ".join(str(exc).split())
        result = _failed(FileResult(path=path), f"internal error ({type(exc).__name__}: {detail}); left as it is, please report it")
        result.internal = True
        return result, None


def _failed(result: FileResult, message: str) -> FileResult:
    from ftmigrate.diagnostics import ERROR

    result.status = ERROR
    result.error = message
    return result


def _process(data: bytes, path: str, settings: RunSettings) -> tuple[FileResult, bytes | None]:
    from ftmigrate.diagnostics import CHANGED, ERROR, UNCHANGED, FileResult
    from ftmigrate.engine import process_source
    from ftmigrate.prefilter import Prefilter

    notebook = read(data)
    if not notebook.python:
        return FileResult(path=path), None
    if not Prefilter(settings.legacy_modules)(code_text(notebook).encode("utf-8", "surrogatepass")):
        return FileResult(path=path), None
    enabled = settings.enabled_for.get(path, settings.options.enabled)
    opaque_code: frozenset[str] = frozenset()
    while True:  # each retry masks one more `%time stmt` line whole (at most once per line)
        module = build(notebook, opaque_code)
        findings = [_cell_finding(s) for s in module.skipped if s.message is not None and UNREADABLE in enabled]
        if not module.parts:
            return FileResult(path=path, diagnostics=findings), None
        try:
            source = module.text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise NotebookError(f"a code cell holds a lone surrogate ({exc.object[exc.start]!r}), which is not text") from None
        result, new = process_source(source, path, settings, prefiltered=True)
        for d in result.diagnostics:
            _place(d, module)
        result.diagnostics.extend(findings)
        if result.status == ERROR:
            result.error = _cell_positions(result.error or "", module)
            return result, None
        if new is None:
            return result, None
        try:
            rewritten = split(module, new.decode("utf-8"))
            changes = {n: r.text for n, r in rewritten.items() if r.text != _cell(notebook, n).source}
            for number in changes:
                check_cell(number, rewritten[number].masked)
            out = rebuild(notebook, changes) if changes else None
        except SplitError as exc:
            if exc.magic is not None and exc.magic not in opaque_code:
                opaque_code = opaque_code | {exc.magic}
                continue
            for d in result.diagnostics:
                d.fixed = False
            result.internal = exc.internal
            if exc.internal:
                return _failed(result, f"{exc}; left as it is, please report it"), None
            return _failed(result, f"cannot be rewritten: {exc}; left as it is, port it by hand"), None
        _place_todos(result.diagnostics, rewritten)
        if out is None:
            result.status = UNCHANGED
            return result, None
        result.status = CHANGED
        if settings.keep_sources:
            result.before = notebook.bom + notebook.text
            result.after = out.decode("utf-8")
            result.cells = [(n, _cell(notebook, n).source, changes[n]) for n in sorted(changes)]
        return result, out


def _cell(notebook: Notebook, number: int) -> Cell:
    return notebook.cells[number - 1]


def _cell_finding(skipped: Skipped) -> Diagnostic:
    from ftmigrate.diagnostics import Diagnostic

    message = (
        f"cell does not parse ({skipped.message}); the other cells were checked without it"
        if skipped.message.startswith(("syntax error", "cannot be compiled", "nesting"))
        else f"cell not checked ({skipped.message}); the other cells were checked without it"
    )
    d = Diagnostic(
        UNREADABLE, message, skipped.line, skipped.column, skipped.line, skipped.column,
        help=f"fix cell {skipped.cell.number} so Python can parse it (IPython magics and shell escapes are fine)",
    )
    d.cell = skipped.cell.number
    return d


def _place(d: Diagnostic, module: Module) -> None:
    """Give a diagnostic of the module its cell, line and column."""
    module_line = d.line
    d.cell, d.line, d.column = module.locate(d.line, d.column)
    end_cell, end_line, end_column = module.locate(d.end_line, d.end_column)
    if end_cell == d.cell:
        d.end_line, d.end_column = end_line, end_column
    else:
        d.end_line, d.end_column = d.line, d.column
    if d.help:
        d.help = d.help.replace(f"on line {module_line}", f"on line {d.line} of cell {d.cell}")
    d.message = _restore_names(d.message, module)
    d.help = _restore_names(d.help, module)


def _restore_names(text: str, module: Module) -> str:
    if module.token not in text:
        return text
    for part in module.parts:
        for magic in [*part.magics, *part.awaits]:
            text = text.replace(magic.written, magic.original).replace(magic.name, magic.original)
    return text


def _place_todos(diagnostics: list[Diagnostic], rewritten: dict[int, Rewritten]) -> None:
    """``todo_line`` (a line of the rewritten module) as a line of the diagnostic's cell."""
    for d in diagnostics:
        if d.todo_line is None:
            continue
        lines = rewritten[d.cell].lines if d.cell in rewritten else []
        d.todo_line = lines.index(d.todo_line) + 1 if d.todo_line in lines else None


def _cell_positions(message: str, module: Module) -> str:
    """An engine message's ``line N[:C]`` as ``cell K, line L[:C]``."""

    def repl(m: re.Match[str]) -> str:
        line = int(m.group(1))
        column = int(m.group(2)) if m.group(2) else 1
        cell, cell_line, cell_column = module.locate(line, column)
        where = f"cell {cell}, line {cell_line}"
        return where + (f":{cell_column}" if m.group(2) else "")

    return re.sub(r"\bline (\d+)(?::(\d+))?", repl, message)


__all__ = ["SUFFIX", "NotebookError", "is_notebook", "process", "read", "wanted"]
