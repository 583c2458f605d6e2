"""The LibCST side of applying edits: one unit, parsed, matched with the ``ast``, edited.

Kept apart from :mod:`ftmigrate.apply` so that a rewrite whose edits are all plain text (names
and keywords renamed, TODO comments added) never imports LibCST.
"""

from __future__ import annotations

import ast
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ftmigrate.analysis import Analysis
from ftmigrate.todo import is_todo_comment, lines as todo_lines
from ftmigrate.source import Source


class _PinNewline(cst.CSTTransformer):
    """Spell out every newline that LibCST left implicit (``value=None`` means "the default")."""

    def __init__(self, newline: str) -> None:
        super().__init__()
        self._newline = newline

    def leave_Newline(self, original_node: Any, updated_node: Any) -> Any:
        return updated_node.with_changes(value=self._newline) if updated_node.value is None else updated_node


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
        self.positions: Any = None
        #: ids of the LibCST nodes on the way from a statement to an edited node.
        self.on_path: set[int] = set()
        self.nodes: dict[int, Any] = {}
        #: id(ast statement) -> the LibCST statement that holds it as a whole line / compound.
        self.lines: dict[int, Any] = {}

    def get(self, node: ast.AST) -> Any:
        return self.nodes.get(id(node))

    @property
    def by_id(self) -> dict[int, Any]:
        return {id(n): n for n in self.nodes.values()}

    def _by_path(self, node: ast.AST, parent_of: Callable[[ast.AST], Any]) -> bool:
        """Find ``node``'s LibCST node by following its ancestors down from the nearest one
        matched already (a statement); the LibCST nodes on the way are recorded in
        ``on_path`` (the traversal walks into those). False: a step it cannot follow."""
        chain = [node]
        current = parent_of(node)
        while current is not None and id(current) not in self.nodes:
            chain.append(current)
            current = parent_of(current)
        if current is None:
            return False
        found = self.nodes[id(current)]
        parent = current
        way = [found]
        for child in reversed(chain):
            found = _child(parent, child, found)
            if found is None:
                return False
            way.append(found)
            parent = child
        self.on_path.update(id(n) for n in way)
        for ast_node, cst_node in zip(reversed(chain), way[1:]):
            self.nodes.setdefault(id(ast_node), cst_node)
        return True

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

    def expressions(self, module: Any, nodes: Iterable[ast.AST], source: Source, offset: int, parent_of: Callable[[ast.AST], Any]) -> None:
        """Match the edited expression nodes: by their way down from their statement when the
        node types on it are plain (a call's arguments, an attribute's value...), else by
        position (``offset``: file line = unit line + offset)."""
        wanted = [n for n in nodes if id(n) not in self.nodes and hasattr(n, "lineno")]
        wanted = [n for n in wanted if not self._by_path(n, parent_of)]
        if not wanted:
            return
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        self.positions = positions
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


def _child(parent: ast.AST, child: ast.AST, node: Any) -> Any:
    """The LibCST node for ``child`` of ``parent``, ``node`` being ``parent``'s: for the node
    types whose fields line up plainly; None for any other step (positions settle those)."""
    if isinstance(parent, ast.Call) and isinstance(node, cst.Call):
        if child is parent.func:
            return node.func
        ordered = sorted([*parent.args, *parent.keywords], key=lambda n: (n.lineno, n.col_offset))
        if len(ordered) != len(node.args):
            return None
        index = next((i for i, n in enumerate(ordered) if n is child), None)
        if index is None:
            return None
        arg = node.args[index]
        if isinstance(child, ast.keyword):
            return arg
        if isinstance(child, ast.Starred):
            return None  # (an Arg with a star: no expression node of its own)
        return arg.value if arg.keyword is None and not arg.star else None
    if isinstance(parent, ast.keyword) and isinstance(node, cst.Arg) and child is parent.value:
        return node.value
    if isinstance(parent, ast.Attribute) and isinstance(node, cst.Attribute) and child is parent.value:
        return node.value
    if isinstance(parent, (ast.Expr, ast.Return, ast.Await)) and child is parent.value:
        return getattr(node, "value", getattr(node, "expression", None))
    if isinstance(parent, ast.Assign) and isinstance(node, cst.Assign):
        if child is parent.value:
            return node.value
        for target, ctarget in zip(parent.targets, node.targets):
            if child is target:
                return ctarget.target
        return None
    if isinstance(parent, (ast.AnnAssign, ast.AugAssign)) and isinstance(node, (cst.AnnAssign, cst.AugAssign)):
        if child is parent.value:
            return node.value
        if child is parent.target:
            return node.target
        return None
    if isinstance(parent, (ast.Tuple, ast.List, ast.Set)) and isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        if len(parent.elts) != len(node.elements):
            return None
        for element, celement in zip(parent.elts, node.elements):
            if child is element:
                return celement.value if not isinstance(element, ast.Starred) else None
        return None
    if isinstance(parent, ast.Dict) and isinstance(node, cst.Dict) and len(parent.values) == len(node.elements):
        for key, value, celement in zip(parent.keys, parent.values, node.elements):
            if key is not None and isinstance(celement, cst.DictElement):
                if child is key:
                    return celement.key
                if child is value:
                    return celement.value
        return None
    if isinstance(parent, ast.withitem) and isinstance(node, cst.WithItem) and child is parent.context_expr:
        return node.item
    if isinstance(parent, (ast.With, ast.AsyncWith)) and isinstance(node, cst.With):
        for item, citem in zip(parent.items, node.items):
            if child is item:
                return citem
        return None
    return None


# --- the traversal of a unit ----------------------------------------------------------------------

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
#: What holds statements: always walked (whether to go further is the statements' decision).
_BLOCKS = (cst.Module, cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else, cst.Finally, cst.ExceptHandler, getattr(cst, "ExceptStarHandler", cst.ExceptHandler), cst.MatchCase)


class _UnitTraversal(cst.CSTTransformer):
    """Runs the edits registered on the unit's nodes, inner nodes first; places, removes and
    guards statements; puts TODO comments and lost comments above their statements.

    Only the way to what changes is walked: a statement with nothing to change inside, and an
    expression that holds no edited node, are passed over whole.
    """

    def __init__(self, analysis: Analysis, mapping: _Mapping, module: Any, *, needed: set[int], comments: bool, indent: str | None = None) -> None:
        #: The file's indentation step, for blocks the rewrite adds (None: the module's own).
        self.indent = indent
        super().__init__()
        self.module = module  # the real module's first statements are in this unit (its header)
        self.needed = needed  # ids of the LibCST statements to walk into
        self.comments = comments  # the unit's text holds a comment at all
        self.positions = mapping.positions
        self.on_path = mapping.on_path
        self.mapped = {id(line) for line in mapping.lines.values()}
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
        self.separated = {id(line) for key, line in mapping.lines.items() if key in a.separated}
        #: Where the edited expressions stand (their ancestors are walked into).
        self.ranges = []
        if self.positions is not None:
            for node_id in self.edits:
                node = mapping.by_id.get(node_id)
                where = self.positions.get(node) if node is not None else None
                if where is not None:
                    self.ranges.append(((where.start.line, where.start.column), (where.end.line, where.end.column)))
        self._results: dict[int, Any] = {}
        self._replaced: dict[int, Any] = {}
        self._dropped: set[int] = set()
        self._made: dict[int, list[Any]] = {}

    def on_visit(self, node: Any) -> bool:
        if isinstance(node, _STATEMENTS):  # (the wrapper around the unit is walked)
            return id(node) in self.needed or id(node) not in self.mapped
        if isinstance(node, _BLOCKS):
            return True
        if id(node) in self.on_path:
            return True
        if not isinstance(node, cst.BaseExpression):
            # Wrappers (an argument, an assignment target, a parameter...): their positions
            # cover only a part of them; the expressions inside decide.
            return True
        if not self.ranges or self.positions is None:
            return False
        where = self.positions.get(node)
        if where is None:
            return True
        start, end = (where.start.line, where.start.column), (where.end.line, where.end.column)
        return any(start <= r_start and r_end <= end for r_start, r_end in self.ranges)

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
                    body=cst.IndentedBlock(body=rest or [cst.SimpleStatementLine([cst.Pass()])], indent=self.indent),
                    finalbody=cst.Finally(body=cst.IndentedBlock(body=final, indent=self.indent)),
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
                    lines = lines[len(blank) :]
                if key in self.separated and not any(line.comment is None for line in lines[:1]):
                    lines = [cst.EmptyLine(), *lines]
                body[index] = anchor.with_changes(leading_lines=lines)
            body[index:index] = ahead
            changed = True
        return block.with_changes(body=body, footer=footer) if changed else block

    def _finish_statement(self, original: Any, result: Any) -> Any:
        key = id(original)
        if key in self.touched and self.comments and isinstance(result, _STATEMENTS):
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
            above = [line.comment.value.strip() if line.comment is not None else "" for line in lines]
            new = [cst.EmptyLine(indent=True, comment=cst.Comment(t)) for t in todo_lines(todos, above)]
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
        if not is_todo_comment(node.value):
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



__all__ = ["_Mapping", "_UnitTraversal", "_PinNewline", "merge_leading_lines"]
