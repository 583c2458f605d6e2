"""Imports the rewrite needs, and imports it made unused: edited, not piled up.

A name the rewrite adds joins an existing ``from <module> import ...`` of its module when there
is one (in its sort order, with its layout: one name a line stays one name a line); otherwise
it gets a statement of its own right after the import of the legacy name it replaces (so it
comes after every statement that import came after: a ``sys.path`` bootstrap, a ``try``), or,
for a module with no such anchor, with the module's imports (a standard-library module with
the standard-library imports). An import the rewrite left unused -- it had uses before, none
after, or a codemod offered it for removal -- goes, and with it the statement when it was the
statement's last name; its comments and blank lines stay.
"""

from __future__ import annotations

import ast
import sys
from typing import Any

from ftmigrate._lazy import cst
from ftmigrate.analysis import COOKBOOK_ROOT, Analysis, Options, Suppressions
from ftmigrate.resolve import IMPORT, Binding, Resolver
from ftmigrate.source import Source

_STDLIB = frozenset(sys.stdlib_module_names)


def plan_additions(a: Analysis) -> None:
    """Turn the analysis's import requests into edits of its module."""
    extend: dict[int, tuple[ast.ImportFrom, list[tuple[str, str | None, str | None]]]] = {}
    after: dict[int, tuple[ast.stmt, list[str]]] = {}
    before: dict[int, tuple[ast.stmt, list[str]]] = {}
    separate: set[int] = set()
    #: Names a new import binds, per scope (the first request in source order wins).
    bound: set[tuple[int, str]] = set()
    ordered = sorted(zip(a.request_sites, range(len(a.import_requests)), a.import_requests, a.request_replaces))
    for _, _, (kind, module, name, asname, anchor), replaces in ordered:
        if kind != "add":
            continue
        local = anchor is not None and not _module_level(a, anchor)
        if _already_bound(a, module, name, asname, anchor if local else None):
            continue
        scope_key = (id(a.resolver.scope_of(anchor)) if local else 0, asname or name or module.split(".")[0])
        if scope_key in bound:
            continue
        bound.add(scope_key)
        target = _extendable(a, module, anchor, local) if name is not None else None
        if target is not None:
            entry = extend.setdefault(id(target), (target, []))
            if all((n, alias) != (name, asname) for n, alias, _ in entry[1]):
                entry[1].append((name, asname, replaces if target is anchor else None))
            continue
        statement = _statement(module, name, asname)
        if anchor is not None:
            after.setdefault(id(anchor), (anchor, []))[1].append(statement)
            continue
        where, put_before = _home(a, module)
        if where is None:
            continue
        if put_before and isinstance(where, (ast.Import, ast.ImportFrom)) and _root(where) not in _STDLIB:
            separate.add(id(where))  # a standard-library import above the third-party ones
        table = before if put_before else after
        entry2 = table.setdefault(id(where), (where, []))
        if statement not in entry2[1]:
            entry2[1].append(statement)
    for target, names in extend.values():
        a.edit(target, _adder(names), keep_comments=False, text=_added_text(a, target, names))
    for table, is_before in ((after, False), (before, True)):
        for stmt, statements in table.values():
            a.insert_statements(stmt, _maker(_joined(statements)), before=is_before, separate=id(stmt) in separate)


def _module_level(a: Analysis, node: ast.AST) -> bool:
    return a.resolver.parent_of(node) is a.tree


def _already_bound(a: Analysis, module: str, name: str | None, asname: str | None, local_anchor: ast.stmt | None) -> bool:
    """Whether the name is imported already where it is needed (the module's top level, or the
    function of a local anchor): the same import, or the same cookbook name from another of
    the cookbook's modules (``training.utils`` and ``training.utils.config`` export the same
    classes; a second import would shadow the first)."""
    scope = a.resolver.scope_of(local_anchor) if local_anchor is not None else a.resolver.module
    if scope is None:
        return False
    bound = asname or (name if name is not None else module.split(".")[0])
    wanted = f"{module}.{name}" if name is not None else (module if asname else module.split(".")[0])
    for binding in scope.bindings.get(bound, ()):
        if binding.kind != IMPORT or binding.qualified is None:
            continue
        q = binding.qualified
        if q == wanted:
            return True
        if name is not None and q.split(".")[0] == COOKBOOK_ROOT and q.rsplit(".", 1)[-1] == name and asname is None:
            return True
    return False


def _extendable(a: Analysis, module: str, anchor: ast.stmt | None, local: bool) -> ast.ImportFrom | None:
    """The ``from <module> import ...`` statement a new name can join."""
    def fits(stmt: ast.AST) -> bool:
        return isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module == module and not any(n.name == "*" for n in stmt.names)

    if anchor is not None and fits(anchor):
        return anchor  # type: ignore[return-value]
    if local:
        return None
    for stmt in a.tree.body:
        if fits(stmt):
            return stmt  # type: ignore[return-value]
    return None


def _home(a: Analysis, module: str) -> tuple[ast.stmt | None, bool]:
    """Where a new top-level import goes when no import anchors it: (statement, before it?)."""
    body = a.tree.body
    imports = [s for s in body if isinstance(s, (ast.Import, ast.ImportFrom)) and not _is_future(s)]
    if module.split(".")[0] in _STDLIB:
        stdlib = [s for s in imports if _root(s) in _STDLIB]
        plain = [s for s in stdlib if isinstance(s, ast.Import)]
        names = [s.names[0].name.lower() for s in plain]  # type: ignore[attr-defined]
        if plain and names == sorted(names):
            # In its sort order among the section's `import x` lines (isort puts them before
            # its `from x import y` lines), when they are sorted.
            later = [s for s, n in zip(plain, names) if n > module.lower()]
            return (later[0], True) if later else (plain[-1], False)
        if stdlib and not plain and names == []:
            return stdlib[0], True
        if stdlib:
            return stdlib[-1], False
        if imports:
            return imports[0], True
    elif imports:
        # After the module's last import from the same package when it has one (it comes after
        # whatever must run first: a sys.path bootstrap), else after its last import.
        same = [s for s in imports if _root(s) == module.split(".")[0]]
        return (same or imports)[-1], False
    # No import at all: after the docstring and the __future__ imports.
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        index = 1
    while index < len(body) and _is_future(body[index]):
        index += 1
    if index < len(body):
        return body[index], True
    if body:
        return body[-1], False
    return None, False


def _is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def _root(stmt: ast.stmt) -> str:
    if isinstance(stmt, ast.ImportFrom):
        return "" if stmt.level else (stmt.module or "").split(".")[0]
    return stmt.names[0].name.split(".")[0]  # type: ignore[attr-defined]


def _statement(module: str, name: str | None, asname: str | None) -> str:
    alias = f" as {asname}" if asname else ""
    return f"from {module} import {name}{alias}" if name else f"import {module}{alias}"


def _joined(statements: list[str]) -> list[str]:
    """New ``from m import a`` / ``from m import b`` put at one place: one statement,
    ``from m import a, b`` (names in isort's order), where the first of them stood."""
    names: dict[str, list[str]] = {}
    out: list[str] = []
    for statement in statements:
        module, sep, name = statement.partition(" import ")
        if not module.startswith("from ") or not sep:
            out.append(statement)
            continue
        if module not in names:
            names[module] = []
            out.append(module)
        if name not in names[module]:
            names[module].append(name)
    key = _sort_key("type")
    return [f"{line} import {', '.join(sorted(names[line], key=lambda n: key(n.split(' as ')[0])))}" if line in names else line for line in out]


def _maker(statements: list[str]) -> Any:
    def make() -> list[Any]:
        return [cst.parse_statement(code + "\n") for code in statements]

    return make


# --- adding names to an import statement ----------------------------------------------------------


def _sort_key(style: str):  # type: ignore[no-untyped-def]
    if style == "case":
        return lambda n: n
    if style == "nocase":
        return lambda n: (n.lower(), n)

    def by_type(n: str) -> tuple[int, str]:  # isort's default: CONSTANTS, Classes, functions
        kind = 0 if n.isupper() and len(n) > 1 else 1 if n[:1].isupper() else 2
        return (kind, n.lower())

    return by_type


def _sorted_style(names: list[str]) -> str | None:
    for style in ("type", "nocase", "case"):
        key = _sort_key(style)
        if all(key(x) <= key(y) for x, y in zip(names, names[1:])):
            return style
    return None


def _order(present: list[tuple[str, str | None]], names: list[tuple[str, str | None, str | None]]) -> list[tuple[str, str | None, bool]]:
    """The names of an import statement after adding ``names``: (name, asname, new?). Each new
    name goes in sort order when the names are sorted, else in the place of the name it
    replaces (``InfraConfig`` -> ``TrainerConfig``), else last."""
    out = [(name, asname, False) for name, asname in present]
    style = _sorted_style([name for name, _ in present]) if len(present) > 1 else "type"
    for name, asname, replaces in names:
        if any((n, a) == (name, asname) for n, a, _ in out):
            continue
        if style is None:
            at = next((i for i, (n, _, _) in enumerate(out) if n == replaces), len(out))
        else:
            key = _sort_key(style)
            at = next((i for i, (n, _, _) in enumerate(out) if key(n) > key(name)), len(out))
        out.insert(at, (name, asname, True))
    return out


def _adder(names: list[tuple[str, str | None, str | None]]) -> Any:
    def add(original: Any, updated: Any) -> Any:
        if isinstance(updated.names, cst.ImportStar):
            return updated
        aliases = {(_alias_name(x), _alias_asname(x)): x for x in updated.names}
        out = []
        for name, asname, new in _order(list(aliases), names):
            if new:
                out.append(cst.ImportAlias(name=cst.Name(name), asname=cst.AsName(name=cst.Name(asname)) if asname else None))
            else:
                out.append(aliases[(name, asname)])
        return _relayout(updated, out)

    return add


def _alias_list(a: Analysis, stmt: ast.ImportFrom) -> tuple[int, int, list[str]] | None:
    """(start, end, the code of each name) of an import's names when they are written on one
    line and separated by ``, ``: then they are edited as text."""
    names = stmt.names
    if stmt.lineno != stmt.end_lineno or any(n.name == "*" for n in names):
        return None
    source = a.source
    codes = [source.code(n) for n in names]
    for left, right in zip(names, names[1:]):
        (l1, c1), (l2, c2) = source.end(left), source.start(right)
        if l1 != l2 or source.line(l1)[c1:c2] != ", ":
            return None
    (l1, c1), (l2, c2) = source.start(names[0]), source.end(names[-1])
    return source.offset(l1, c1), source.offset(l2, c2), codes


def _added_text(a: Analysis, stmt: ast.ImportFrom, names: list[tuple[str, str | None, str | None]]) -> tuple[int, int, str] | None:
    found = _alias_list(a, stmt)
    if found is None:
        return None
    start, end, codes = found
    present = [(n.name, n.asname) for n in stmt.names]
    code_of = dict(zip(present, codes))
    parts = [f"{n} as {al}" if al else n if new else code_of[(n, al)] for n, al, new in _order(present, names)]
    return start, end, ", ".join(parts)


def _alias_name(alias: Any) -> str:
    return cst.Module([]).code_for_node(alias.name)


def _alias_asname(alias: Any) -> str | None:
    return alias.asname.name.value if alias.asname is not None else None


def _relayout(node: Any, aliases: list[Any]) -> Any:
    """``node`` with ``aliases``, separated the way the statement separates its names."""
    if not aliases:
        return node.with_changes(names=aliases)
    opening = node.lpar.whitespace_after if node.lpar is not None else None
    multiline = isinstance(opening, cst.ParenthesizedWhitespace)
    if multiline:
        line = opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        close = line.with_changes(last_line=cst.SimpleWhitespace(""))
        tidy = []
        for index, alias in enumerate(aliases):
            last = index == len(aliases) - 1
            comma = alias.comma
            if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
                after = comma.whitespace_after
                if last:
                    after = after.with_changes(last_line=cst.SimpleWhitespace(""))
                elif not after.last_line.value:
                    after = after.with_changes(last_line=line.last_line)
                comma = comma.with_changes(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=after)
            else:
                comma = cst.Comma(whitespace_after=close if last else line)
            tidy.append(alias.with_changes(comma=comma))
        rpar = node.rpar.with_changes(whitespace_before=cst.SimpleWhitespace(""))
        return node.with_changes(names=tidy, rpar=rpar)
    trailing = isinstance(aliases[-1].comma, cst.Comma) and node.lpar is not None
    out = []
    for index, alias in enumerate(aliases):
        last = index == len(aliases) - 1
        if last:
            comma = alias.comma if trailing else cst.MaybeSentinel.DEFAULT
        elif isinstance(alias.comma, cst.Comma):
            comma = alias.comma
        else:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        out.append(alias.with_changes(comma=comma))
    return node.with_changes(names=out)


# --- removing what the rewrite left unused ---------------------------------------------------------


def used_imports(a: Analysis) -> set[tuple]:
    """Keys of the imports that are used in ``a``'s module (before the rewrite)."""
    return {_key(a.resolver, b) for b in _import_bindings(a.resolver) if a.resolver.reads_of(b) or a.named_in_strings(b)}


def plan_removals(text: str, tree: ast.Module, resolver: Resolver, requests: list[tuple], used_before: set[tuple]) -> Analysis | None:
    """An analysis of the rewritten module whose edits remove the imports the rewrite left
    unused (None: nothing to remove)."""
    drops = {(module, name, asname) for kind, module, name, asname, _ in requests if kind == "drop"}
    a = Analysis(Source(text), tree, Options(mode="rewrite"), Suppressions(), resolver=resolver)
    exported = _dunder_all(tree)
    gone: dict[int, tuple[ast.stmt, list[ast.alias]]] = {}
    for binding in _import_bindings(resolver):
        alias = binding.node
        stmt = binding.statement
        key = _key(resolver, binding)
        requested = key[:3] in drops
        if not requested and key not in used_before:
            continue
        if resolver.reads_of(binding) or binding.name in exported or a.named_in_strings(binding):
            continue
        entry = gone.setdefault(id(stmt), (stmt, []))
        entry[1].append(alias)  # type: ignore[arg-type]
    if not gone:
        return None
    for stmt, aliases in gone.values():
        if len(aliases) == len(stmt.names):  # type: ignore[union-attr]
            a.remove_statement(stmt)
        else:
            names = {(alias.name, alias.asname) for alias in aliases}
            a.edit(stmt, _remover(names), keep_comments=False, text=_removed_text(a, stmt, names))
    return a


def _removed_text(a: Analysis, stmt: ast.stmt, names: set[tuple[str, str | None]]) -> tuple[int, int, str] | None:
    if not isinstance(stmt, ast.ImportFrom):
        return None
    found = _alias_list(a, stmt)
    if found is None:
        return None
    start, end, codes = found
    kept = [code for alias, code in zip(stmt.names, codes) if (alias.name, alias.asname) not in names]
    return start, end, ", ".join(kept)


def _remover(names: set[tuple[str, str | None]]) -> Any:
    def remove(original: Any, updated: Any) -> Any:
        kept = [x for x in updated.names if (_alias_name(x), _alias_asname(x)) not in names]
        if not kept:
            return updated
        if updated.lpar is None:
            return _relayout(updated, [x.with_changes(comma=cst.MaybeSentinel.DEFAULT) if i == len(kept) - 1 else x for i, x in enumerate(kept)])
        opening = updated.lpar.whitespace_after
        if isinstance(opening, cst.ParenthesizedWhitespace):
            return _relayout(updated, kept)
        # `from m import (a, b)` on one line: the comma of the new last name goes, unless the
        # statement had a trailing comma.
        trailing = isinstance(updated.names[-1].comma, cst.Comma)
        if not trailing:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=kept)

    return remove


def _import_bindings(resolver: Resolver) -> list[Binding]:
    return [b for b in resolver.all_bindings() if b.kind == IMPORT and isinstance(b.statement, (ast.Import, ast.ImportFrom))]


def _key(resolver: Resolver, binding: Binding) -> tuple:
    stmt = binding.statement
    alias = binding.node
    if isinstance(stmt, ast.ImportFrom):
        module = "." * (stmt.level or 0) + (stmt.module or "")
        key: tuple = (module, alias.name, alias.asname)  # type: ignore[attr-defined]
    else:
        key = (alias.name, None, alias.asname)  # type: ignore[attr-defined]
    path = []
    scope = binding.scope
    while scope is not None and scope.parent is not None:
        path.append(getattr(scope.node, "name", scope.kind))
        scope = scope.parent
    return (*key, tuple(reversed(path)))


def _dunder_all(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and stmt.value is not None:  # type: ignore[union-attr]
            for node in ast.walk(stmt.value):  # type: ignore[union-attr]
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names.add(node.value)
    return names


__all__ = ["plan_additions", "plan_removals", "used_imports"]
