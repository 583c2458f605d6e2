"""Apply an analysis's edits with LibCST, on the statements that change and nowhere else.

The edits of an :class:`~ftmigrate.analysis.Analysis` are registered on ``ast`` nodes. Here
they are grouped into *units*: runs of sibling statements of one block that hold every edited
node (a statement alone, or with the statement after it when statements are removed or added,
so that comments and blank lines move the way they move in the whole module; the rest of the
block for a ``try: ... finally:`` guard). Each unit's text -- with its leading comment lines --
is parsed with LibCST inside a small wrapper that gives it the same surroundings it has in the
module (``if 1:`` at the block's indentation, a ``pass`` standing for the statements above it),
its nodes are matched with the ``ast`` nodes (statements by their place in the block, the rest
by position), the edits run in one traversal of the unit (codemod order, inner nodes first),
and the unit's new code replaces its old text. Everything outside the units keeps its bytes,
and the cost is LibCST's on the lines that change, not on the file.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field

from ftmigrate.analysis import Analysis
from ftmigrate.todo import lines as todo_lines


class Unreproducible(Exception):
    """LibCST does not give back the text of a unit byte for byte (the file is left alone)."""


class TooDeep(Exception):
    """A unit is nested deeper than LibCST's parser can take (the file is left alone)."""


@dataclass
class _Unit:
    """Statements ``block[first..last]`` of one block (``owner``'s ``name`` list)."""

    owner: ast.AST
    name: str
    block: list[ast.stmt]
    first: int
    last: int
    depth: int
    nodes: list[ast.AST] = field(default_factory=list)  # the edited nodes inside


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers")


class Applier:
    """Apply the edits of ``analysis`` to its source; see the module docstring."""

    def __init__(self, analysis: Analysis) -> None:
        self.a = analysis
        self.source = analysis.source
        self.resolver = analysis.resolver
        self._index: dict[int, tuple[ast.AST, str, list[ast.stmt], int]] = {}

    # --- where each statement stands --------------------------------------------------------

    def _place(self, stmt: ast.stmt) -> tuple[ast.AST, str, list[ast.stmt], int]:
        key = id(stmt)
        if key not in self._index:
            owner = self.resolver.parent_of(stmt) or self.a.tree
            for name in _BLOCK_FIELDS:
                block = getattr(owner, name, None)
                if isinstance(block, list):
                    for index, candidate in enumerate(block):
                        if isinstance(candidate, ast.stmt):
                            self._index[id(candidate)] = (owner, name, block, index)
            if key not in self._index:  # a match case body
                for name in ("body",):
                    block = getattr(owner, name, [])
                    for index, candidate in enumerate(block):
                        self._index[id(candidate)] = (owner, name, block, index)
        return self._index[key]

    def _first_line(self, stmt: ast.stmt) -> int:
        decorators = getattr(stmt, "decorator_list", None)
        if decorators:
            return min(stmt.lineno, *(d.lineno for d in decorators))
        return stmt.lineno

    def _on_own_lines(self, stmt: ast.stmt) -> bool:
        """Whether nothing but indentation comes before ``stmt`` on its first line."""
        line = self._first_line(stmt)
        text = self.source.line(line)
        if line == stmt.lineno and not getattr(stmt, "decorator_list", None):
            column = self.source.column(line, stmt.col_offset)
        else:
            column = len(text) - len(text.lstrip(" \t\f"))
        return not text[:column].strip(" \t\f")

    def _unit(self, stmt: ast.stmt, *, context: bool = False, rest: bool = False) -> _Unit:
        """The unit for ``stmt``: the statements sharing its lines, and with ``context`` the
        statement after them, with ``rest`` everything after it in the block."""
        while True:
            owner, name, block, index = self._place(stmt)
            if isinstance(owner, ast.stmt) and not self._on_own_lines(block[0]):
                stmt = owner  # `if x: a = 1`: the compound statement is the unit
                context = rest = False
                continue
            break
        first = last = index
        while first > 0 and block[first - 1].end_lineno >= self._first_line(block[first]):  # type: ignore[operator]
            first -= 1
        while last + 1 < len(block) and self._first_line(block[last + 1]) <= block[last].end_lineno:  # type: ignore[operator]
            last += 1
        if rest:
            last = len(block) - 1
        elif context and last + 1 < len(block):
            last += 1
            while last + 1 < len(block) and self._first_line(block[last + 1]) <= block[last].end_lineno:  # type: ignore[operator]
                last += 1
        return _Unit(owner, name, block, first, last, self._depth(owner))

    def _depth(self, node: ast.AST) -> int:
        depth = 0
        current: ast.AST | None = node
        while current is not None and current is not self.a.tree:
            depth += 1
            current = self.resolver.parent_of(current)
        return depth

    # --- units --------------------------------------------------------------------------------

    def _textual(self) -> set[int]:
        """The edited nodes whose every edit has a plain-text form, and whose text edits do not
        overlap another node's."""
        spans = []
        for key, (node, edits) in self.a.edits.items():
            if all(e[3] is not None for e in edits):
                for e in edits:
                    spans.append((e[3][0], e[3][1], key))  # type: ignore[index]
        textual = {key for _, _, key in spans}
        spans.sort()
        for (s1, e1, k1), (s2, e2, k2) in zip(spans, spans[1:]):
            if s2 < e1 or (s2 == s1 and k1 != k2):
                textual.discard(k1)
                textual.discard(k2)
        return textual

    def units(self, textual: set[int] = frozenset()) -> list[_Unit]:  # type: ignore[assignment]
        """The units of LibCST work: statements holding edits with no text form (or in need of
        LibCST for statement operations), merged."""
        a = self.a
        wanted: list[_Unit] = []
        for key, (node, _) in a.edits.items():
            if key in textual:
                continue
            stmt = a.statement_of(node)
            if stmt is not None:
                unit = self._unit(stmt)
                unit.nodes.append(node)
                wanted.append(unit)
        for table in (a.removed, a.unwrapped):
            for stmt in table.values():
                wanted.append(self._unit(stmt, context=True))
        for table in (a.inserted_before, a.inserted_after):
            for stmt, _ in table.values():
                wanted.append(self._unit(stmt, context=True))
        for stmt, _ in a.guards.values():
            wanted.append(self._unit(stmt, rest=True))
        return self._merge(wanted)

    def _merge(self, wanted: list[_Unit]) -> list[_Unit]:
        """Units of one block that overlap become one; units inside another unit's statements
        are covered by it (their edited nodes go to it)."""
        accepted: list[_Unit] = []
        covered: dict[int, _Unit] = {}
        by_depth = sorted(wanted, key=lambda u: u.depth)
        for _, group in itertools.groupby(by_depth, key=lambda u: u.depth):
            per_block: dict[tuple[int, str], list[_Unit]] = {}
            for unit in group:
                per_block.setdefault((id(unit.owner), unit.name), []).append(unit)
            for units in per_block.values():
                units.sort(key=lambda u: u.first)
                merged: list[_Unit] = []
                for unit in units:
                    if merged and unit.first <= merged[-1].last:
                        merged[-1].last = max(merged[-1].last, unit.last)
                        merged[-1].nodes.extend(unit.nodes)
                    else:
                        merged.append(unit)
                for unit in merged:
                    outer = self._covering(unit.owner, covered)
                    if outer is not None:
                        outer.nodes.extend(unit.nodes)
                        continue
                    accepted.append(unit)
                    for stmt in unit.block[unit.first : unit.last + 1]:
                        covered[id(stmt)] = unit
        return accepted

    def _covering(self, node: ast.AST, covered: dict[int, _Unit]) -> _Unit | None:
        current: ast.AST | None = node
        while current is not None:
            if id(current) in covered:
                return covered[id(current)]
            current = self.resolver.parent_of(current)
        return None

    # --- applying -------------------------------------------------------------------------------

    def apply(self) -> str:
        """The module's new text."""
        a = self.a
        textual = self._textual()
        units = self.units(textual)
        covered: dict[int, _Unit] = {}
        for unit in units:
            for stmt in unit.block[unit.first : unit.last + 1]:
                covered[id(stmt)] = unit
        source = self.source
        replacements: list[tuple[int, int, str]] = []  # (start offset, end offset, text)
        # Text edits outside the units; inside one, the same change goes through LibCST.
        for key in textual:
            node, edits = a.edits[key]
            unit = self._covering(a.statement_of(node) or node, covered)
            if unit is not None:
                unit.nodes.append(node)
                continue
            for edit in edits:
                replacements.append(edit[3])  # type: ignore[arg-type]
        # TODO comments above statements outside the units: lines of text.
        newline = _newline(source.text)
        for stmt, todos in a.todos.values():
            if self._covering(stmt, covered) is not None:
                continue
            first = self._first_line(stmt)
            line = source.line(first)
            indent = line[: len(line) - len(line.lstrip(" \t\f"))]
            new = "".join(f"{indent}{t}{newline}" for t in todo_lines(todos, self._comments_above(first)))
            if new:
                at = source.offset(first, 0)
                replacements.append((at, at, new))
        from ftmigrate import budget

        for unit in units:
            budget.check()
            start, end, text = self._apply_unit(unit)
            replacements.append((source.offset(start, 0), source.offset(end + 1, 0), text))
        return splice(source.text, replacements)

    def _comments_above(self, first: int) -> list[str]:
        """The comment and blank lines right above line ``first`` (stripped, in order; a blank
        line as ``""``): where the TODO blocks of an earlier run are."""
        found: list[str] = []
        line = first - 1
        while line >= 1:
            stripped = self.source.line(line).strip()
            if stripped and not stripped.startswith("#"):
                break
            found.append(stripped)
            line -= 1
        return found[::-1]

    def _needed(self, unit: _Unit, mapping: Any) -> set[int]:
        """The LibCST statements of the unit the traversal must walk into: those holding an
        edit or a statement operation, and the statements around them."""
        a = self.a
        wanted: list[ast.AST] = [node for node in unit.nodes]
        for table in (a.edits, a.todos, a.touched, a.removed, a.unwrapped, a.inserted_before, a.inserted_after, a.guards):
            for key in table:
                if key in mapping.lines:
                    entry = table[key]
                    wanted.append(entry[0] if isinstance(entry, tuple) else entry)
        needed: set[int] = set()
        for node in wanted:
            current = node
            while current is not None and current is not unit.owner:
                line = mapping.lines.get(id(current))
                if line is not None:
                    needed.add(id(line))
                current = self.resolver.parent_of(current)
        return needed

    def _lines_of(self, unit: _Unit) -> tuple[int, int]:
        """The first and last line (1-based) of a unit's text, its leading comments included."""
        first_stmt = unit.block[unit.first]
        if unit.first > 0:
            start = unit.block[unit.first - 1].end_lineno + 1  # type: ignore[operator]
        elif unit.owner is self.a.tree:
            start = 1
        else:
            start = self._first_line(first_stmt)
            while start > 1 and self.source.line(start - 1).strip()[:1] in ("", "#"):
                start -= 1
        return start, unit.block[unit.last].end_lineno  # type: ignore[return-value]

    def _indent_step(self, unit: _Unit, indent: str) -> str:
        """The indentation one block adds here: the unit's own less its owner's line's. (The
        unit is parsed under ``if 1:`` at its own depth, so LibCST would take the whole depth
        for one step and indent a block it adds twice as deep.)"""
        owner = getattr(unit.owner, "pattern", unit.owner)  # (a match case starts at its pattern)
        line = self.source.line(getattr(owner, "lineno", 1))
        outer = line[: len(line) - len(line.lstrip(" \t\f"))]
        if indent.startswith(outer) and len(indent) > len(outer):
            return indent[len(outer) :]
        return "    "

    def _apply_unit(self, unit: _Unit) -> tuple[int, int, str]:
        from ftmigrate.engine import MAX_DEPTH, syntax_depth

        start, end = self._lines_of(unit)
        for stmt in unit.block[unit.first : unit.last + 1]:
            if self._depth(stmt) + syntax_depth(stmt, self.source.text, MAX_DEPTH) > MAX_DEPTH:
                raise TooDeep()
        text = "".join(self.source.lines[start - 1 : end])
        newline = _newline(self.source.text)
        at_module = unit.owner is self.a.tree
        first_stmt = unit.block[unit.first]
        indent = ""
        if not at_module:
            line = self.source.line(self._first_line(first_stmt))
            indent = line[: len(line) - len(line.lstrip(" \t\f"))]
        dummy = unit.first > 0
        prefix = "" if at_module else "if 1:" + newline
        if dummy:
            prefix += indent + "pass" + newline
        wrapped = prefix + text
        import libcst as cst

        from ftmigrate.cstapply import _Mapping, _PinNewline, _UnitTraversal

        try:
            module = cst.parse_module(wrapped)
        except (cst.ParserSyntaxError, RecursionError, MemoryError) as exc:
            raise Unreproducible(f"LibCST cannot parse lines {start}-{end} ({type(exc).__name__})") from None
        if module.code != wrapped:
            raise Unreproducible(f"LibCST does not reproduce lines {start}-{end} byte for byte")
        if module.default_newline != newline:
            # A unit that starts the file takes its default line ending from its first line:
            # pin the existing lines' endings, so that new lines get the file's dominant one.
            module = module.visit(_PinNewline(module.default_newline)).with_changes(default_newline=newline)
        body = module.body if at_module else module.body[0].body.body  # type: ignore[attr-defined]
        statements = list(body[1:] if dummy else body)
        mapping = _Mapping()
        mapping.statements(unit.block[unit.first : unit.last + 1], statements)
        if unit.nodes:
            offset = start - 1 - prefix.count(newline)
            mapping.expressions(module, unit.nodes, self.source, offset, self.resolver.parent_of)
        traversal = _UnitTraversal(
            self.a,
            mapping,
            module if at_module and not dummy else None,
            needed=self._needed(unit, mapping),
            comments="#" in text,
            indent=None if at_module else self._indent_step(unit, indent),
        )
        new = module.visit(traversal)
        code = new.code
        if not code.startswith(prefix):
            raise Unreproducible(f"the rewrite of lines {start}-{end} moved code above them")
        return start, end, code[len(prefix) :]


def splice(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` span replaced (spans do not overlap; several
    insertions at one offset keep their order): one pass, whatever their number."""
    pieces: list[str] = []
    at = 0
    for start, end, new in sorted(replacements, key=lambda r: (r[0], r[1])):
        pieces.append(text[at:start])
        pieces.append(new)
        at = max(at, end)
    pieces.append(text[at:])
    return "".join(pieces)


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    return "\r\n" if crlf > lf else "\n"



__all__ = ["Applier", "TooDeep", "Unreproducible"]
