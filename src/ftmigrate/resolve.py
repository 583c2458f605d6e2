"""Name resolution on CPython's ``ast``: which binding each name read refers to, in one pass.

Why not LibCST's ``ScopeProvider`` / ``QualifiedNameProvider``: they answer every question about
every name, and cost ten times the parse. ftmigrate asks few questions -- what a name or dotted
name was imported as (through aliases, module imports, local imports), how a name got its value
(an assignment, a parameter and its annotation, an import), and where a binding is used -- so
this module builds one table of bindings per scope, with Python's scoping rules, in a single
iterative walk of the tree (no recursion: it must not fail on the deep input it is given), and
resolves a name read only when it is asked about.

The rules are Python's, as LibCST models them too: module, class, function (and lambda) and
comprehension scopes; a function sees the names of the functions around it but not of a class
around it; ``global`` / ``nonlocal``; defaults, decorators, annotations, class bases and a
comprehension's first iterable are evaluated in the enclosing scope; a walrus in a
comprehension binds in the enclosing function. Like LibCST's, the analysis is flow-insensitive:
a name read in a scope may refer to every binding of that name in the scope it resolves to.

While walking, it also records each node's parent (``parent_of``) and, per node type, the
nodes in source order (``of_type``), which the analysis uses instead of walking again.
"""

from __future__ import annotations

import ast
import bisect
import builtins
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ftmigrate import budget

_BUILTINS = frozenset(dir(builtins))

#: Binding kinds.
IMPORT, ASSIGN, ANNASSIGN, PARAM, DEF, CLASS, OTHER = "import", "assign", "annassign", "param", "def", "class", "other"


@dataclass(eq=False)
class Binding:
    """One place a name gets a value.

    ``node`` is the node that binds: the ``Name`` target of an assignment, the ``arg`` of a
    parameter, the ``alias`` of an import, the ``FunctionDef`` / ``ClassDef`` of a definition,
    the ``ExceptHandler`` of ``except E as name``, ... ``statement`` is the statement holding it.
    ``value`` is the assigned expression for a single-target ``name = value`` (``assign``) or an
    annotated assignment (``annassign``); ``annotation`` the annotation of a parameter or an
    annotated assignment. For imports, ``qualified`` is the dotted name the binding stands for
    (``training.utils.InfraConfig`` for ``from training.utils import InfraConfig as IC``).
    """

    name: str
    kind: str
    node: ast.AST
    scope: Scope
    statement: ast.stmt | None = None
    value: ast.expr | None = None
    annotation: ast.expr | None = None
    qualified: str | None = None
    #: Where a read in the same scope starts to see it: after the statement for an assignment
    #: (``x = x + 1`` reads the previous ``x``), at the binding node otherwise.
    visible: tuple[int, int] = (0, 0)

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind}, line {getattr(self.node, 'lineno', '?')})"


@dataclass(eq=False)
class Scope:
    """A module, class, function (or lambda) or comprehension scope."""

    kind: str  # "module", "class", "function", "comprehension"
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=lambda: defaultdict(list))
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    #: ``from m import *`` here: the modules (a name may come from any of them).
    star_imports: list[str] = field(default_factory=list)
    #: Per name, the ``visible`` positions of its bindings when they are in order (else None),
    #: and how many bindings that covers: a read finds the ones before it by bisection.
    visible_index: dict[str, tuple[int, list[tuple[int, int]] | None]] = field(default_factory=dict)

    def visible_before(self, name: str, at: tuple[int, int]) -> list[Binding]:
        """This scope's bindings of ``name`` visible at ``at`` (in their order)."""
        bindings = self.bindings[name]
        if len(bindings) < 8:
            return [b for b in bindings if b.visible <= at]
        index = self.visible_index.get(name)
        if index is None or index[0] != len(bindings):
            keys = [b.visible for b in bindings]
            ordered = all(a <= b for a, b in zip(keys, keys[1:]))
            index = self.visible_index[name] = (len(bindings), keys if ordered else None)
        keys = index[1]
        if keys is None:  # (not in source order: a name bound in a loop's else, say) filter them all
            return [b for b in bindings if b.visible <= at]
        return bindings[: bisect.bisect_right(keys, at)]

    def __repr__(self) -> str:
        return f"Scope({self.kind}, line {getattr(self.node, 'lineno', 0)})"

    def lookup(self, name: str) -> Scope | None:
        """The scope a name read here resolves to (None: a builtin or not bound anywhere)."""
        scope: Scope | None = self
        if name in self.globals:
            return self.module
        if name in self.nonlocals:
            scope = self.parent
            while scope is not None and (scope.kind != "function" or name not in scope.bindings):
                scope = scope.parent
            return scope
        first = True
        while scope is not None:
            # A class body's names are visible in the class body only, not in its methods.
            if (first or scope.kind != "class") and name in scope.bindings:
                if name in scope.globals:
                    return scope.module
                return scope
            if not first and scope.kind == "function" and name in scope.globals:
                return scope.module
            first = False
            scope = scope.parent
        return None

    def lookup_outer(self, name: str) -> Scope | None:
        """Where ``name`` resolves from a scope nested in this one (class bodies are skipped)."""
        scope: Scope | None = self
        while scope is not None:
            if scope.kind != "class" and name in scope.bindings:
                return scope.module if name in scope.globals else scope
            scope = scope.parent
        return None

    @property
    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(eq=False, slots=True)
class Access:
    """A name read: the ``Name`` node and the scope it is evaluated in."""

    node: ast.Name
    scope: Scope


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Resolver:
    """The bindings and name reads of one module; see the module docstring."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.module = Scope("module", tree, None)
        #: id(node) -> parent node.
        self._parents: dict[int, ast.AST] = {}
        #: id(node) -> the scope the node is evaluated in (names, calls, statements...).
        self._scopes: dict[int, Scope] = {}
        #: node type -> nodes of that type in walk order (pre-order, children in field order).
        self._by_type: dict[type, list[ast.AST]] = defaultdict(list)
        #: name -> every read of it.
        self._reads: dict[str, list[Access]] = defaultdict(list)
        self._sorted: set[type] = set()
        self._walk()

    def release(self) -> None:
        """Break the cycles between scopes and their bindings (and drop the tables), so that
        reference counting frees the tree as soon as nothing else holds it. Processing a file
        runs with the cyclic collector off; left to it, the next collection after the file
        would traverse every node of it (a tenth of the work on a 20,000-line file)."""
        stack = [self.module]
        while stack:
            scope = stack.pop()
            stack.extend(self._children.get(id(scope), ()))
            scope.bindings.clear()
            scope.visible_index.clear()
        for table in (self._parents, self._scopes, self._by_type, self._reads, self._children):
            table.clear()

    # --- queries -----------------------------------------------------------------------------

    def parent_of(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def scope_of(self, node: ast.AST) -> Scope | None:
        """The scope ``node`` is evaluated in (for a ``def``/``class`` statement: where its name
        is bound). Recorded in the walk for names, statements, calls and the like; other nodes
        are in the scope of the nearest such node around them."""
        scopes, parents = self._scopes, self._parents
        current: ast.AST | None = node
        while current is not None:
            found = scopes.get(id(current))
            if found is not None:
                return found
            current = parents.get(id(current))
        return None

    def of_type(self, kind: type) -> list:
        """Every node of type ``kind``, in source order."""
        found = self._by_type.get(kind, [])
        if kind not in self._sorted:
            found.sort(key=_position)
            self._sorted.add(kind)
        return found

    def bindings_at(self, name: ast.Name) -> list[Binding] | None:
        """The bindings a read of ``name`` may refer to; None for a builtin or an unknown name.

        As in LibCST's scope analysis: a read sees every binding of the scope the name resolves
        to when that is an enclosing scope, but only the bindings before it in its own scope
        (a module read top to bottom); with none before it there, the enclosing scopes' ones.
        """
        scope = self._scopes.get(id(name))
        if scope is None:
            return None
        where = scope.lookup(name.id)
        if where is None:
            return None
        bindings = where.bindings[name.id]
        if where is not scope:
            return list(bindings)
        earlier = scope.visible_before(name.id, (name.lineno, name.col_offset))
        if earlier:
            return earlier
        parent = scope.parent
        if parent is None:
            return None
        if name.id in parent.bindings:  # (the enclosing scope's own names first, as LibCST does)
            return list(parent.bindings[name.id])
        outer = parent.lookup_outer(name.id)
        return list(outer.bindings[name.id]) if outer is not None else None

    def lookup(self, scope: Scope, name: str) -> list[Binding] | None:
        """The bindings ``name`` read in ``scope`` may refer to (None: builtin or unknown)."""
        where = scope.lookup(name)
        if where is None:
            return None
        return list(where.bindings[name])

    def reads_of(self, binding: Binding) -> list[ast.Name]:
        """Every read (in source order) that may refer to ``binding``."""
        found = []
        for index, access in enumerate(self._reads.get(binding.name, ())):
            if not index % _CHECK_EVERY:
                budget.check()
            if any(b is binding for b in self.bindings_at(access.node) or ()):
                found.append(access.node)
        found.sort(key=_position)
        return found

    def reads_named(self, name: str) -> list[Access]:
        return self._reads.get(name, [])

    def qualified_names(self, node: ast.AST) -> set[str]:
        """The dotted names ``node`` (a ``Name`` or ``Attribute`` chain) stands for, through the
        imports that bind its head. A head bound otherwise contributes nothing; a builtin gives
        ``builtins.<name>``."""
        parts: list[str] = []
        head = node
        while isinstance(head, ast.Attribute):
            parts.append(head.attr)
            head = head.value
        if not isinstance(head, ast.Name):
            return set()
        suffix = "".join("." + p for p in reversed(parts))
        bindings = self.bindings_at(head)
        if bindings is None:
            return {f"builtins.{head.id}{suffix}"} if head.id in _BUILTINS else set()
        return {b.qualified + suffix for b in bindings if b.qualified is not None}

    def all_bindings(self) -> Iterator[Binding]:
        stack = [self.module]
        while stack:
            scope = stack.pop()
            for bindings in scope.bindings.values():
                yield from bindings
            stack.extend(self._children.get(id(scope), ()))

    def bound_names(self) -> set[str]:
        """Every name bound anywhere in the module."""
        return {b.name for b in self.all_bindings()}

    # --- the walk ----------------------------------------------------------------------------

    def _walk(self) -> None:
        self._children: dict[int, list[Scope]] = defaultdict(list)
        parents = self._parents
        scopes = self._scopes
        by_type = self._by_type
        reads = self._reads
        fields = _CHILD_FIELDS
        special = _SPECIAL
        name_type, load = ast.Name, ast.Load
        statements = _STATEMENT_TYPES
        # (node, parent, scope, statement)
        stack: list[tuple[ast.AST, ast.AST | None, Scope, ast.stmt | None]] = [(self.tree, None, self.module, None)]
        pop, push = stack.pop, stack.append
        scoped = _SCOPED
        check, countdown = budget.check, _CHECK_EVERY
        while stack:
            countdown -= 1
            if not countdown:  # the file's time budget (a clock read every few thousand nodes)
                check()
                countdown = _CHECK_EVERY
            node, parent, scope, stmt = pop()
            nid = id(node)
            if parent is not None:
                parents[nid] = parent
            kind = type(node)
            by_type[kind].append(node)
            if kind is name_type:
                scopes[nid] = scope
                if type(node.ctx) is load:
                    reads[node.id].append(Access(node, scope))
                else:
                    if isinstance(parent, ast.AugAssign):  # `x += 1` reads x too
                        reads[node.id].append(Access(node, scope))
                    self._bind_target(node, scope, stmt, parent)
                continue
            if kind in scoped:
                scopes[nid] = scope
                if kind in statements:
                    stmt = node
            handler = special.get(kind)
            if handler is not None:
                handler(self, node, parent, scope, stmt, push)
                continue
            names = fields.get(kind)
            if names is None:
                names = fields[kind] = tuple(reversed([f for f in kind._fields if f not in _SKIPPED_FIELDS]))
            for name in names:  # (last field first: the stack gives them back in source order)
                value = getattr(node, name, None)
                if value is None:
                    continue
                if type(value) is list:
                    for child in reversed(value):
                        if isinstance(child, ast.AST):
                            push((child, node, scope, stmt))
                elif isinstance(value, ast.AST):
                    push((value, node, scope, stmt))

    def _new_scope(self, kind: str, node: ast.AST, parent: Scope) -> Scope:
        scope = Scope(kind, node, parent)
        self._children[id(parent)].append(scope)
        return scope

    def _add(self, scope: Scope, binding: Binding) -> None:
        """Record ``binding`` in the scope it binds in (``global`` / ``nonlocal`` redirect it)."""
        name = binding.name
        if name in scope.globals:
            scope = scope.module
        elif name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and outer.kind != "function":
                outer = outer.parent
            scope = outer or scope.module
        binding.scope = scope
        if binding.visible == (0, 0) and scope.kind == "comprehension":
            # A comprehension binds its targets before its element is evaluated.
            binding.visible = (scope.node.lineno, scope.node.col_offset)  # type: ignore[attr-defined]
        if binding.visible == (0, 0):
            node = binding.node
            binding.visible = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
            if binding.kind in (ASSIGN, ANNASSIGN) or isinstance(self._parents.get(id(node)), ast.AugAssign):
                stmt = binding.statement
                if stmt is not None:
                    binding.visible = (stmt.end_lineno, stmt.end_col_offset)  # type: ignore[assignment]
        scope.bindings[name].append(binding)

    def _bind_target(self, node: ast.Name, scope: Scope, stmt: ast.stmt | None, parent: ast.AST | None) -> None:
        """A ``Name`` in store / del context."""
        if isinstance(node.ctx, ast.Del):
            return
        kind, value, annotation = OTHER, None, None
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.targets[0] is node:
            kind, value = ASSIGN, parent.value
        elif isinstance(parent, ast.AnnAssign) and parent.target is node:
            kind, value, annotation = ANNASSIGN, parent.value, parent.annotation
        elif isinstance(parent, ast.NamedExpr):
            kind, value = ASSIGN, parent.value
            # A walrus in a comprehension binds in the enclosing function or module.
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
        self._add(scope, Binding(node.id, kind, node, scope, stmt, value, annotation))


#: How many nodes the walk visits between two looks at the file's time budget.
_CHECK_EVERY = 4096
#: Every statement type, and the node types whose scope the walk records (the others are in
#: the scope of the nearest of these around them: see ``Resolver.scope_of``).
_STATEMENT_TYPES = frozenset(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.stmt))
_SCOPED = _STATEMENT_TYPES | {ast.Call, ast.Constant, ast.JoinedStr, ast.Attribute, ast.keyword, ast.Starred, ast.Subscript, ast.Module}
#: Fields that hold no node worth visiting: expression contexts and operators.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops"})
#: Per node type, the fields that may hold child nodes (filled as types are met).
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _iter_children(node: ast.AST) -> Iterator[ast.AST]:
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


# --- nodes that bind, or open a scope ---------------------------------------------------------

Push = "Callable[[tuple], None]"


def _import(r: Resolver, node: ast.Import, parent, scope: Scope, stmt, push) -> None:
    for alias in node.names:
        r._parents[id(alias)] = node
        r._scopes[id(alias)] = scope
        r._by_type[ast.alias].append(alias)
        if alias.asname:
            name, qualified = alias.asname, alias.name
        else:
            name = qualified = alias.name.split(".", 1)[0]
        r._add(scope, Binding(name, IMPORT, alias, scope, node, qualified=qualified))


def _import_from(r: Resolver, node: ast.ImportFrom, parent, scope: Scope, stmt, push) -> None:
    module = "." * (node.level or 0) + (node.module or "")
    for alias in node.names:
        r._parents[id(alias)] = node
        r._scopes[id(alias)] = scope
        r._by_type[ast.alias].append(alias)
        if alias.name == "*":
            scope.star_imports.append(module)
            continue
        name = alias.asname or alias.name
        sep = "" if module.endswith(".") else "."
        r._add(scope, Binding(name, IMPORT, alias, scope, node, qualified=f"{module}{sep}{alias.name}"))


def _function(r: Resolver, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, parent, scope: Scope, stmt, push) -> None:
    inner = r._new_scope("function", node, scope)
    args = node.args
    if not isinstance(node, ast.Lambda):
        r._add(scope, Binding(node.name, DEF, node, scope, node))
    for arg in (*args.posonlyargs, *args.args, *((args.vararg,) if args.vararg else ()), *args.kwonlyargs, *((args.kwarg,) if args.kwarg else ())):
        r._parents[id(arg)] = args
        r._scopes[id(arg)] = inner
        r._by_type[ast.arg].append(arg)
        r._add(inner, Binding(arg.arg, PARAM, arg, inner, node if not isinstance(node, ast.Lambda) else stmt, annotation=arg.annotation))
        if arg.annotation is not None:
            push((arg.annotation, arg, scope, stmt))
    r._parents[id(args)] = node
    r._scopes[id(args)] = scope
    # Evaluated outside: defaults, decorators, the return annotation. Inside: the body.
    outside: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if isinstance(node, ast.Lambda):
        push((node.body, node, inner, stmt))
        for child in reversed(outside):
            push((child, args, scope, stmt))
        return
    for child in reversed(node.body):
        push((child, node, inner, None))
    if node.returns is not None:
        push((node.returns, node, scope, stmt))
    for child in reversed(outside):
        push((child, args, scope, stmt))
    for child in reversed(getattr(node, "type_params", ()) or ()):
        push((child, node, scope, stmt))
    for child in reversed(node.decorator_list):
        push((child, node, scope, stmt))


def _class(r: Resolver, node: ast.ClassDef, parent, scope: Scope, stmt, push) -> None:
    r._add(scope, Binding(node.name, CLASS, node, scope, node))
    inner = r._new_scope("class", node, scope)
    for child in reversed(node.body):
        push((child, node, inner, None))
    for child in reversed([*node.bases, *node.keywords]):
        push((child, node, scope, stmt))
    for child in reversed(node.decorator_list):
        push((child, node, scope, stmt))


def _comprehension(r: Resolver, node, parent, scope: Scope, stmt, push) -> None:
    inner = r._new_scope("comprehension", node, scope)
    generators = node.generators
    # The first iterable is evaluated in the enclosing scope, everything else inside.
    if isinstance(node, ast.DictComp):
        elements = [node.key, node.value]
    else:
        elements = [node.elt]
    items: list[tuple[ast.AST, ast.AST, Scope]] = []
    for index, gen in enumerate(generators):
        r._parents[id(gen)] = node
        r._scopes[id(gen)] = inner
        r._by_type[ast.comprehension].append(gen)
        items.append((gen.target, gen, inner))
        items.append((gen.iter, gen, scope if index == 0 else inner))
        items.extend((cond, gen, inner) for cond in gen.ifs)
    # Source order: the element(s) first, then the generators.
    ordered = [(e, node, inner) for e in elements] + items
    for child, owner, where in reversed(ordered):
        push((child, owner, where, stmt))


def _global(r: Resolver, node: ast.Global, parent, scope: Scope, stmt, push) -> None:
    scope.globals.update(node.names)


def _nonlocal(r: Resolver, node: ast.Nonlocal, parent, scope: Scope, stmt, push) -> None:
    scope.nonlocals.update(node.names)


def _except(r: Resolver, node: ast.ExceptHandler, parent, scope: Scope, stmt, push) -> None:
    if node.name:
        r._add(scope, Binding(node.name, OTHER, node, scope, node))
    for child in reversed(list(_iter_children(node))):
        push((child, node, scope, stmt))


def _match_binding(r: Resolver, node, parent, scope: Scope, stmt, push) -> None:
    name = getattr(node, "name", None) or getattr(node, "rest", None)
    if name:
        r._add(scope, Binding(name, OTHER, node, scope, stmt))
    for child in reversed(list(_iter_children(node))):
        push((child, node, scope, stmt))


_SPECIAL: dict[type, object] = {
    ast.Import: _import,
    ast.ImportFrom: _import_from,
    ast.FunctionDef: _function,
    ast.AsyncFunctionDef: _function,
    ast.Lambda: _function,
    ast.ClassDef: _class,
    ast.ListComp: _comprehension,
    ast.SetComp: _comprehension,
    ast.GeneratorExp: _comprehension,
    ast.DictComp: _comprehension,
    ast.Global: _global,
    ast.Nonlocal: _nonlocal,
    ast.ExceptHandler: _except,
    ast.MatchAs: _match_binding,
    ast.MatchStar: _match_binding,
    ast.MatchMapping: _match_binding,
}


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a ``Name`` / ``Attribute`` chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def head_name(node: ast.AST) -> ast.Name | None:
    """The ``Name`` an ``Attribute`` chain starts with (or ``node`` itself)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node if isinstance(node, ast.Name) else None


__all__ = ["Access", "Binding", "Resolver", "Scope", "dotted", "head_name", "Iterable"]
