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
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ftmigrate.analysis import TODO_PREFIX, Analysis
from ftmigrate.resolve import IMPORT, Resolver
from ftmigrate.source import Source


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
            present = self._comments_above(first)
            new = "".join(f"{indent}{t}{newline}" for t in todos if t not in present)
            if new:
                at = source.offset(first, 0)
                replacements.append((at, at, new))
        for unit in units:
            start, end, text = self._apply_unit(unit)
            replacements.append((source.offset(start, 0), source.offset(end + 1, 0), text))
        text = source.text
        for start, end, new in sorted(replacements, key=lambda r: (r[0], r[1]), reverse=True):
            text = text[:start] + new + text[end:]
        return text

    def _comments_above(self, first: int) -> set[str]:
        """The comments on the comment and blank lines right above line ``first``."""
        found = set()
        line = first - 1
        while line >= 1:
            stripped = self.source.line(line).strip()
            if stripped.startswith("#"):
                found.add(stripped)
            elif stripped:
                break
            line -= 1
        return found

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
        try:
            module = cst.parse_module(wrapped)
        except (cst.ParserSyntaxError, RecursionError, MemoryError) as exc:
            raise Unreproducible(f"LibCST cannot parse lines {start}-{end} ({type(exc).__name__})") from None
        if module.code != wrapped:
            raise Unreproducible(f"LibCST does not reproduce lines {start}-{end} byte for byte")
        body = module.body if at_module else module.body[0].body.body  # type: ignore[attr-defined]
        statements = list(body[1:] if dummy else body)
        mapping = _Mapping()
        mapping.statements(unit.block[unit.first : unit.last + 1], statements)
        if unit.nodes:
            offset = start - 1 - prefix.count(newline)
            mapping.expressions(module, unit.nodes, self.source, offset)
        traversal = _UnitTraversal(self.a, mapping, module if at_module and not dummy else None)
        new = module.visit(traversal)
        code = new.code
        if not code.startswith(prefix):
            raise Unreproducible(f"the rewrite of lines {start}-{end} moved code above them")
        return start, end, code[len(prefix) :]


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    return "\r\n" if crlf > lf else "\n"


# --- matching ast nodes with LibCST nodes --------------------------------------------------------

#: ast node type -> the LibCST node types it can correspond to (same span).
_KINDS: dict[type, tuple[str, ...]] = {
    ast.keyword: ("Arg",),
    ast.Constant: ("SimpleString", "ConcatenatedString", "Integer", "Float", "Imaginary", "Name", "Ellipsis"),
    ast.BinOp: ("BinaryOperation",),
    ast.BoolOp: ("BooleanOperation",),
    ast.Compare: ("Comparison",),
    ast.UnaryOp: ("UnaryOperation",),
    ast.JoinedStr: ("FormattedString",),
    ast.alias: ("ImportAlias",),
    ast.arg: ("Param",),
    ast.Starred: ("StarredElement",),
}


class _Mapping:
    """id(ast node) -> the LibCST node it corresponds to, in one unit."""

    def __init__(self) -> None:
        self.nodes: dict[int, Any] = {}
        #: id(ast statement) -> the LibCST statement that holds it as a whole line / compound.
        self.lines: dict[int, Any] = {}

    def get(self, node: ast.AST) -> Any:
        return self.nodes.get(id(node))

    def statements(self, stmts: Sequence[ast.stmt], cst_body: Sequence[Any]) -> None:
        smalls = iter(stmts)
        for line in cst_body:
            if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in line.body:
                    node = next(smalls, None)
                    if node is None:
                        return
                    self.nodes[id(node)] = small
                    self.lines[id(node)] = line
            else:
                node = next(smalls, None)
                if node is None:
                    return
                self.nodes[id(node)] = line
                self.lines[id(node)] = line
                self._compound(node, line)

    def _block(self, stmts: Sequence[ast.stmt], block: Any) -> None:
        if isinstance(block, cst.IndentedBlock):
            self.statements(stmts, block.body)
        elif isinstance(block, cst.SimpleStatementSuite):
            self.statements(stmts, [block])

    def _compound(self, node: ast.stmt, line: Any) -> None:
        if isinstance(node, (ast.If,)) and isinstance(line, cst.If):
            self._block(node.body, line.body)
            orelse = line.orelse
            if isinstance(orelse, cst.If) and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                self.nodes[id(node.orelse[0])] = orelse
                self.lines[id(node.orelse[0])] = orelse
                self._compound(node.orelse[0], orelse)
            elif isinstance(orelse, cst.Else):
                self._block(node.orelse, orelse.body)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self._block(node.body, line.body)
            if line.orelse is not None:
                self._block(node.orelse, line.orelse.body)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and isinstance(line, cst.With):
            for item, citem in zip(node.items, line.items):
                self.nodes[id(item)] = citem
            self._block(node.body, line.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._block(node.body, line.body)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and isinstance(line, (cst.Try, getattr(cst, "TryStar", cst.Try))):
            self._block(node.body, line.body)
            for handler, chandler in zip(node.handlers, line.handlers):
                self.nodes[id(handler)] = chandler
                self._block(handler.body, chandler.body)
            if line.orelse is not None:
                self._block(node.orelse, line.orelse.body)
            if line.finalbody is not None:
                self._block(node.finalbody, line.finalbody.body)
        elif isinstance(node, ast.Match) and isinstance(line, cst.Match):
            for case, ccase in zip(node.cases, line.cases):
                self._block(case.body, ccase.body)

    def expressions(self, module: Any, nodes: Iterable[ast.AST], source: Source, offset: int) -> None:
        """Match the edited expression nodes by position (``offset``: file line = unit line +
        offset)."""
        wanted = [n for n in nodes if id(n) not in self.nodes and hasattr(n, "lineno")]
        if not wanted:
            return
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        by_key: dict[tuple, Any] = {}
        for node, where in positions.items():
            key = (type(node).__name__, where.start.line + offset, where.start.column, where.end.line + offset, where.end.column)
            by_key.setdefault(key, node)
        for node in wanted:
            (l1, c1), (l2, c2) = source.start(node), source.end(node)
            for kind in _KINDS.get(type(node), (type(node).__name__,)):
                found = by_key.get((kind, l1, c1, l2, c2))
                if found is not None:
                    self.nodes[id(node)] = found
                    break


# --- the traversal of a unit ----------------------------------------------------------------------

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


class _UnitTraversal(cst.CSTTransformer):
    """Runs the edits registered on the unit's nodes, inner nodes first; places, removes and
    guards statements; puts TODO comments and lost comments above their statements."""

    def __init__(self, analysis: Analysis, mapping: _Mapping, module: Any) -> None:
        super().__init__()
        self.module = module  # the real module's first statements are in this unit (its header)
        a = analysis
        self.edits: dict[int, list[Callable]] = {}
        for key, target in mapping.nodes.items():
            entry = a.edits.get(key)
            if entry is not None:
                edits = sorted(entry[1], key=lambda t: (t[0], t[1]))
                self.edits.setdefault(id(target), []).extend(e[2] for e in edits)

        def lines_of(table: dict) -> dict[int, Any]:
            out = {}
            for key, line in mapping.lines.items():
                value = table.get(key)
                if value is not None:
                    out[id(line)] = value[1] if isinstance(value, tuple) else True
            return out

        self.touched = lines_of(a.touched)
        self.removed = lines_of(a.removed)
        self.unwrapped = lines_of(a.unwrapped)
        self.todos = lines_of(a.todos)
        self.before = lines_of(a.inserted_before)
        self.after = lines_of(a.inserted_after)
        self.guards = lines_of(a.guards)
        self._results: dict[int, Any] = {}
        self._replaced: dict[int, Any] = {}
        self._dropped: set[int] = set()
        self._made: dict[int, list[Any]] = {}

    def on_leave(self, original: Any, updated: Any) -> Any:
        result = updated
        for edit in self.edits.get(id(original), ()):
            if type(result) is not type(original):
                break  # removed or replaced by another kind of node: later edits skip it
            result = edit(original, result)
        if isinstance(original, _STATEMENTS):
            result = self._finish_statement(original, result)
            self._results[id(original)] = result
        elif isinstance(original, (cst.IndentedBlock, cst.Module)):
            if self._dropped:
                result = self._drop_statements(original, result)
            if self.before or self.after or self.guards or self.unwrapped:
                result = self._place_statements(original, result)
        return result

    def _make(self, table: dict[int, Any], stmt: Any) -> list[Any]:
        makers = table.get(id(stmt))
        if not makers:
            return []
        key = (id(table), id(stmt))
        if key not in self._made:
            made: list[Any] = []
            for make in makers:
                made.extend(make())
            self._made[key] = made  # type: ignore[index]
        return self._made[key]  # type: ignore[index]

    def _drop_statements(self, original: Any, block: Any) -> Any:
        """Remove the statements to remove; their comments go to the next one (unless the
        comment travelled with the code it was on, as with an inlined binding)."""
        if not any(id(stmt) in self._dropped for stmt in block.body):
            return block
        kept_now = Counter(c for stmt in block.body if id(stmt) not in self._dropped for c in _comments(stmt))
        kept_before = Counter(c for stmt in original.body if id(stmt) not in self.removed for c in _comments(stmt))
        moved = kept_now - kept_before
        body: list[Any] = []
        pending: list[cst.EmptyLine] = []
        for stmt in block.body:
            if id(stmt) in self._dropped:
                pending.extend(stmt.leading_lines)
                for comment in _comments(stmt, leading=False):
                    if moved[comment]:
                        moved[comment] -= 1
                    else:
                        pending.extend(_comment_lines([comment]))
                continue
            if pending:
                new = stmt.with_changes(leading_lines=merge_leading_lines(pending, stmt.leading_lines))
                self._replaced[id(stmt)] = stmt = new
                pending = []
            body.append(stmt)
        if len(body) == len(block.body) and not pending:
            return block
        if isinstance(block, cst.IndentedBlock) and not body:
            body = [cst.SimpleStatementLine([cst.Pass()], leading_lines=pending)]
            pending = []
        pending = [line for line in pending if line.comment is not None]
        return block.with_changes(body=body, footer=[*pending, *block.footer])

    def _place_statements(self, original: Any, block: Any) -> Any:
        """Insert the statements asked for, and wrap guarded remainders in try/finally.

        Anchors are handled last to first, so that a guard placed after another one in the
        same block ends up inside the earlier guard's ``try``.
        """
        body = list(block.body)
        footer = list(block.footer)
        changed = False
        for stmt in reversed(original.body):
            key = id(stmt)
            if not (key in self.before or key in self.after or key in self.guards or key in self.unwrapped):
                continue
            current = self._results.get(key)
            current = self._replaced.get(id(current), current)
            index = next((i for i, candidate in enumerate(body) if candidate is current), None)
            if index is None:
                continue  # removed, or replaced by something else
            if key in self.unwrapped and isinstance(getattr(current, "body", None), cst.IndentedBlock):
                inner = current.body
                lines = [*current.leading_lines, *_comment_lines([inner.header.comment.value] if inner.header.comment else [])]
                statements = list(inner.body)
                statements[0] = statements[0].with_changes(leading_lines=merge_leading_lines(lines, statements[0].leading_lines))
                trailing = [line for line in inner.footer if line.comment is not None]
                if trailing and index + 1 < len(body):
                    body[index + 1] = body[index + 1].with_changes(leading_lines=[*trailing, *body[index + 1].leading_lines])
                elif trailing:
                    footer[:0] = trailing
                body[index : index + 1] = statements
                changed = True
                continue
            after = list(self._make(self.after, stmt))
            if key in self.guards:
                rest = [*after, *body[index + 1 :]]
                if rest and not after:
                    rest[0] = rest[0].with_changes(
                        leading_lines=list(itertools.dropwhile(lambda line: line.comment is None, rest[0].leading_lines))
                    )
                final = self.guards[key]()
                guarded = cst.Try(
                    body=cst.IndentedBlock(body=rest or [cst.SimpleStatementLine([cst.Pass()])]),
                    finalbody=cst.Finally(body=cst.IndentedBlock(body=final)),
                )
                body[index + 1 :] = [guarded]
            else:
                body[index + 1 : index + 1] = after
            ahead = list(self._make(self.before, stmt))
            if ahead:
                # The statements put before take the blank lines above it (a new import joins
                # the import block the blank line separated from what precedes it).
                anchor = body[index]
                lines = list(anchor.leading_lines)
                blank = list(itertools.takewhile(lambda line: line.comment is None, lines))
                if blank and not ahead[0].leading_lines:
                    ahead[0] = ahead[0].with_changes(leading_lines=blank)
                    body[index] = anchor.with_changes(leading_lines=lines[len(blank) :])
            body[index:index] = ahead
            changed = True
        return block.with_changes(body=body, footer=footer) if changed else block

    def _finish_statement(self, original: Any, result: Any) -> Any:
        key = id(original)
        if key in self.touched and isinstance(result, _STATEMENTS):
            lost = _lost_comments(original, result)
            if lost:
                result = result.with_changes(leading_lines=[*result.leading_lines, *_comment_lines(lost)])
        if key in self.removed and isinstance(result, _STATEMENTS):
            self._dropped.add(id(result))
            return result
        todos = self.todos.get(key)
        if todos and isinstance(result, _STATEMENTS):
            lines = list(result.leading_lines)
            if self.module is not None and self.module.body and original is self.module.body[0]:
                lines += self.module.header  # comments above the first statement parse as the header
            present = {line.comment.value for line in lines if line.comment is not None}
            new = [cst.EmptyLine(indent=True, comment=cst.Comment(t)) for t in todos if t not in present]
            if new:
                result = result.with_changes(leading_lines=[*result.leading_lines, *new])
        return result


def merge_leading_lines(carried: list[cst.EmptyLine], own: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """Lines above a removed statement, put above the next one: comments are kept, and the
    blank lines are not doubled (the larger of the two gaps stays)."""
    if any(line.comment is not None for line in carried):
        return [*carried, *own]
    blank_own = len(list(itertools.takewhile(lambda line: line.comment is None, own)))
    if blank_own >= len(carried):
        return list(own)
    return [*carried, *list(own)[blank_own:]]


class _CommentCollector(cst.CSTVisitor):
    def __init__(self, skip_leading: Any) -> None:
        self.found: list[str] = []
        self._skip = skip_leading

    def on_visit(self, node: Any) -> bool:
        if self._skip is not None and node is self._skip:
            # the statement's own leading lines are kept by the statement itself
            for child in node.children:
                if not isinstance(child, cst.EmptyLine):
                    child.visit(self)
            return False
        return super().on_visit(node)

    def visit_Comment(self, node: cst.Comment) -> None:
        if not node.value.startswith(TODO_PREFIX):
            self.found.append(node.value)


def _comments(node: Any, *, leading: bool = True) -> list[str]:
    collector = _CommentCollector(None if leading else node)
    node.visit(collector)
    return collector.found


def _lost_comments(original: Any, result: Any) -> list[str]:
    """Comments of ``original`` that ``result`` no longer has, in order."""
    remaining = list(_comments(result))
    lost = []
    for comment in _comments(original):
        if comment in remaining:
            remaining.remove(comment)
        else:
            lost.append(comment)
    return lost


def _comment_lines(comments: list[str]) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(indent=True, comment=cst.Comment(c)) for c in comments]


__all__ = ["Applier", "TooDeep", "Unreproducible", "merge_leading_lines"]
