"""Unused-import removal for ``transform`` (kept apart: ``libcst.codemod``, which it builds on,
is imported only by the rewrites that add or remove an import)."""

from __future__ import annotations

from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from ftmigrate.transform import merge_leading_lines


class RemoveImports(RemoveImportsVisitor):
    """LibCST's unused-import removal, keeping the comments and blank lines above a removed
    import statement (they move to the statement that follows it)."""

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self._gone: set[int] = set()

    def on_leave(self, original: cst.CSTNode, updated: Any) -> Any:
        result = super().on_leave(original, updated)
        if isinstance(original, cst.SimpleStatementLine):
            if isinstance(result, cst.RemovalSentinel) or (
                isinstance(result, cst.SimpleStatementLine) and not result.body
            ):
                self._gone.add(id(original))
        elif isinstance(original, (cst.Module, cst.IndentedBlock)) and isinstance(result, type(original)):
            result = self._carry_leading_lines(original, result)
        return result

    def _carry_leading_lines(self, original: Any, updated: Any) -> Any:
        if not any(id(stmt) in self._gone for stmt in original.body):
            return updated
        survivors = iter(updated.body)
        body: list[Any] = []
        pending: list[cst.EmptyLine] = []
        for stmt in original.body:
            if id(stmt) in self._gone:
                pending.extend(stmt.leading_lines)
                continue
            current = next(survivors)
            if pending:
                current = current.with_changes(leading_lines=merge_leading_lines(pending, current.leading_lines))
                pending = []
            body.append(current)
        body.extend(survivors)
        footer = [*(line for line in pending if line.comment is not None), *updated.footer]
        return updated.with_changes(body=body, footer=footer)
