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
        if isinstance(original, cst.ImportFrom) and isinstance(result, cst.ImportFrom):
            result = self._keep_commas(original, result)
        if isinstance(original, cst.SimpleStatementLine):
            if isinstance(result, cst.RemovalSentinel) or (
                isinstance(result, cst.SimpleStatementLine) and not result.body
            ):
                self._gone.add(id(original))
        elif isinstance(original, (cst.Module, cst.IndentedBlock)) and isinstance(result, type(original)):
            result = self._carry_leading_lines(original, result)
        return result

    @staticmethod
    def _keep_commas(original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        """LibCST drops the comma of the name that becomes last, and with it the comment
        after it (``DeployConfig,  # why``): inside parentheses the comma can stay."""
        if updated.lpar is None or isinstance(updated.names, cst.ImportStar) or isinstance(original.names, cst.ImportStar):
            return updated
        commas = {_key(alias): alias.comma for alias in original.names}
        names = list(updated.names)
        last = names[-1]
        comma = commas.get(_key(last))
        if isinstance(last.comma, cst.MaybeSentinel) and isinstance(comma, cst.Comma):
            names[-1] = last.with_changes(comma=comma)
            return updated.with_changes(names=names)
        return updated

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


def _key(alias: cst.ImportAlias) -> tuple[str, str | None]:
    asname = alias.asname.name if alias.asname is not None else None
    return (
        cst.Module([]).code_for_node(alias.name),
        cst.Module([]).code_for_node(asname) if asname is not None else None,
    )
