"""One file through the codemods: analyse, apply, repeat until nothing changes.

Every pass parses the module with CPython's ``ast`` (the C parser), resolves its names once
(:mod:`ftmigrate.resolve`) and runs every codemod's analysis over it, in the documented codemod
order (``ftmigrate.codemods.CODEMODS``): lint stops there, after one pass. A rewrite applies the
edits the codemods registered with LibCST, on the statements that change only
(:mod:`ftmigrate.apply`), puts the imports in order (:mod:`ftmigrate.imports`), and runs another
pass over the result, until a pass changes nothing.

Diagnostics carry positions in the file as the user wrote it (the first pass); a later pass
adds only what a fix brought to light.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from ftmigrate.analysis import TODO_PREFIX, Analysis, Codemod, Options, Suppressions
from ftmigrate.diagnostics import Diagnostic
from ftmigrate.resolve import Resolver
from ftmigrate.source import Source

MAX_PASSES = 4


@dataclass
class Outcome:
    """The result of processing one source."""

    text: str
    diagnostics: list[Diagnostic]
    changed: bool
    unused_suppressions: list[int] = field(default_factory=list)


def analyse(text: str, tree: ast.Module, options: Options, codemods: Iterable[type[Codemod]], suppressions: Suppressions | None, *, first_pass: bool = True, path: str = "", check: object = None, resolver: Resolver | None = None) -> Analysis:
    """One pass of every codemod's analysis over a module (``suppressions`` None: scan them)."""
    source = Source(text)
    resolver = resolver or Resolver(tree)
    if suppressions is None:
        suppressions = Suppressions.scan(source, tree, resolver)
    analysis = Analysis(source, tree, options, suppressions, first_pass=first_pass, path=path, resolver=resolver)
    for index, cls in enumerate(codemods):
        analysis.current = index
        cls(analysis).analyze()
        if check is not None:
            check()  # type: ignore[operator]
    return analysis


def run_codemods(
    text: str,
    options: Options,
    codemods: Iterable[type[Codemod]],
    path: str = "",
    *,
    tree: ast.Module | None = None,
    check: object = None,
) -> Outcome:
    """Run the codemods over ``text`` until the code stops changing (lint: one pass).

    ``tree`` is ``text`` parsed already; ``check`` is called between codemods (a time budget).
    """
    codemods = list(codemods)
    if check is None:
        from ftmigrate import budget

        check = budget.check
    original = current = text
    if tree is None:
        tree = ast.parse(text)
    resolver = Resolver(tree)
    suppressions = Suppressions.scan(Source(text), tree, resolver)
    if suppressions.file:
        resolver.release()
        return Outcome(text, [], False)
    diagnostics: list[Diagnostic] = []
    rewriting = options.mode == "rewrite"
    for index in range(MAX_PASSES if rewriting else 1):
        # Later passes see code whose lines moved: their suppression comments are found again.
        in_force = suppressions if index == 0 else None
        analysis = analyse(current, tree, options, codemods, in_force, first_pass=index == 0, path=path, check=check, resolver=resolver)
        if index == 0:
            diagnostics.extend(analysis.diagnostics)
        else:
            # A later pass sees the problems the first one reported again (not repeated), and
            # those a fix brought to light (a ported call the signature check now reads).
            seen = {(d.code, d.message) for d in diagnostics}
            diagnostics.extend(d for d in analysis.diagnostics if d.fixed or (d.code, d.message) not in seen)
        if not rewriting or not (analysis.has_edits or analysis.import_requests):
            analysis.release()
            break
        new, tree, resolver = _rewrite(analysis)
        analysis.release()
        if new == current:
            break
        current = new
    resolver.release()  # (the last pass's, or the one made for a pass that did not run)
    unused = []
    if options.report_unused_suppressions:
        unused = sorted(set(suppressions.lines) - suppressions.used)
    return Outcome(current, diagnostics, current != original, unused)


def _rewrite(analysis: Analysis) -> tuple[str, ast.Module, Resolver]:
    """Apply one pass's edits and put the imports in order: the new text, its tree, resolved."""
    from ftmigrate.apply import Applier
    from ftmigrate.imports import plan_additions, plan_removals, used_imports

    used_before = used_imports(analysis)
    plan_additions(analysis)
    text = Applier(analysis).apply() if analysis.has_edits else analysis.source.text
    tree = ast.parse(text)
    resolver = Resolver(tree)
    removals = plan_removals(text, tree, resolver, analysis.import_requests, used_before)
    if removals is not None:
        text = Applier(removals).apply()
        removals.release()
        tree = ast.parse(text)
        resolver = Resolver(tree)
    return text, tree, resolver


__all__ = ["MAX_PASSES", "Outcome", "Options", "TODO_PREFIX", "Codemod", "analyse", "run_codemods"]
