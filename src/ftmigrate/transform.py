"""The shared traversal every codemod runs in, and what codemods may ask of it.

Why one traversal rather than one LibCST transformer per codemod: the module is parsed and its
scopes resolved once per pass, every diagnostic carries its position in the file as the user
wrote it (suppression comments and reports refer to that file), and lint and rewrite run the
very same code. Each codemod is an object with ``visit_<Node>`` / ``leave_<Node>`` methods, like
a LibCST transformer; for each node the traversal calls them in the documented codemod order
(``ftmigrate.codemods.CODEMODS``), feeding each ``leave_`` the previous codemod's result.
Metadata (qualified names, scopes, positions, parents) always describes the original node.

After the traversal, imports are managed with LibCST's ``AddImportsVisitor`` /
``RemoveImportsVisitor`` (only names a codemod stopped using are offered for removal, and they
go only if nothing else uses them), and the pass repeats until the code stops changing.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst
from libcst._metadata_dependent import LazyValue
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    ImportAssignment,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from ftmigrate import _libcst_speedups
from ftmigrate.api.legacy.surface import LOW_LEVEL_HELPERS, RECIPES
from ftmigrate.diagnostics import NONE, SAFE, UNSAFE, Diagnostic

# libcst.codemod (and libcst.matchers, which it imports) cost more to import than the rest of
# LibCST; only a rewrite that adds or removes an import needs them, so they load then.
if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

_libcst_speedups.install()
from ftmigrate._libcst_speedups import ParentProvider  # noqa: E402  (after the install above)

#: The cookbook's package: legacy uses under it are rewritten.
COOKBOOK_ROOT = "training"

#: Names that only exist on the legacy surface (under ``training.``), or are legacy there.
LEGACY_SYMBOLS = frozenset(
    {
        "InfraConfig",
        "WeightSyncConfig",
        "HotloadConfig",
        "setup_infra",
        "Infra",
        "ResourceCleanup",
        "make_reference_client",
        "create_base_reference",
        "validate_config",
        *LOW_LEVEL_HELPERS,
    }
)

#: Target names under ``training.utils`` (checked against the bundled signatures).
TARGET_SYMBOLS = frozenset(
    {
        "TrainerConfig",
        "DeployConfig",
        "ConcurrencyConfig",
        "WandBConfig",
        "WeightSyncScope",
        "ReconnectableClient",
        "build_service_client",
    }
)

SDK_MODULE = "fireworks.training.sdk"

#: Where target names are imported from when the legacy import's module is gone at the target.
TARGET_MODULE = "training.utils"
_CONFIG_MODULE_NAMES = frozenset({"TrainerConfig", "DeployConfig", "ConcurrencyConfig", "WandBConfig", "WeightSyncScope"})

MAX_PASSES = 4

TODO_PREFIX = "# TODO(ftmigrate): "

_SUPPRESS = re.compile(r"#\s*ftmigrate:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[^\]]*)\])?", re.I)
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.I)


@dataclass(frozen=True)
class Ref:
    """What a name or attribute resolves to, when it is one of ours.

    ``kind`` is ``legacy`` (a legacy name under ``training.``), ``vendored`` (a legacy name
    under a root listed in ``legacy-modules``), ``recipe`` (``training.recipes.<recipe>[.attr]``),
    ``target`` (a target name under ``training.``) or ``sdk`` (``fireworks.training.sdk``).
    """

    kind: str
    name: str
    module: str
    recipe: str | None = None


def classify(qualified: str, vendored_roots: tuple[str, ...] = ()) -> Ref | None:
    parts = qualified.split(".")
    if parts[0] == COOKBOOK_ROOT and len(parts) >= 2:
        if parts[1] == "recipes" and len(parts) >= 3 and parts[2] in RECIPES:
            attr = parts[3] if len(parts) > 3 else ""
            return Ref("recipe", attr, ".".join(parts[:3]), parts[2])
        name, module = parts[-1], ".".join(parts[:-1])
        if name in LEGACY_SYMBOLS:
            return Ref("legacy", name, module)
        if name in TARGET_SYMBOLS:
            return Ref("target", name, module)
        return None
    if qualified.startswith(SDK_MODULE + ".") and len(parts) == 4:
        return Ref("sdk", parts[-1], SDK_MODULE)
    for root in vendored_roots:
        if qualified.startswith(root + "."):
            name = parts[-1]
            if name in LEGACY_SYMBOLS:
                return Ref("vendored", name, ".".join(parts[:-1]))
            if len(parts) >= 2 and parts[-2] in RECIPES and name in ("Config", "main"):
                return Ref("vendored", name, ".".join(parts[:-1]), parts[-2])
    return None


def target_module_for(name: str, legacy_module: str | None) -> str:
    """The module a target name is imported from, given the legacy import it replaces."""
    if legacy_module == "training.utils.config" and name in _CONFIG_MODULE_NAMES:
        return legacy_module
    return TARGET_MODULE


@dataclass
class Options:
    """How a file is processed."""

    mode: str = "rewrite"  # "rewrite" or "lint"
    enabled: frozenset[str] = frozenset()
    unsafe: bool = False
    vendored_roots: tuple[str, ...] = ()
    #: The optional check that reports suppression comments that suppress nothing.
    report_unused_suppressions: bool = False


@dataclass
class Suppressions:
    file: bool = False
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None = all codes
    used: set[int] = field(default_factory=set)

    @classmethod
    def scan(cls, source: str) -> Suppressions:
        found = cls()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return found
        for tok in tokens:
            if tok.type != tokenize.COMMENT:
                continue
            line = tok.start[0]
            m = _SUPPRESS.search(tok.string)
            if m:
                if m.group("file"):
                    found.file = True
                    continue
                codes = m.group("codes")
                found.lines[line] = frozenset(c.strip() for c in codes.split(",") if c.strip()) if codes else None
                continue
            m = _NOQA.search(tok.string)
            if m:
                codes = frozenset(re.split(r"[\s,]+", m.group("codes").upper()))
                ours = frozenset(c for c in codes if c.startswith("FTM"))
                if ours:
                    found.lines[line] = ours
        return found

    def covers(self, line: int, code: str) -> bool:
        codes = self.lines.get(line, frozenset())
        if codes is None or code in codes:
            self.used.add(line)
            return True
        return False


class Codemod:
    """Base class of a codemod: one migration step, run inside the shared traversal.

    Subclasses define ``visit_<Node>(node)`` and ``leave_<Node>(original, updated)`` methods
    and reach everything else through ``self.ctx`` (a :class:`FileContext`).
    """

    #: Codes this codemod may report.
    CODES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def prepare(self, module: cst.Module) -> None:
        """Called once per pass before the traversal (whole-module analysis goes here)."""


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = kind.elements if isinstance(kind, cst.Tuple) else [cst.Element(kind)]
    return any(
        isinstance(e.value, (cst.Name, cst.Attribute))
        and get_full_name_for_node(e.value) in {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
        for e in names
    )


#: Calls whose result is a copy of their first argument (same kind of value).
COPIES = ("dataclasses.replace", "copy.copy", "copy.deepcopy")


class FileContext:
    """Per-file, per-pass services for codemods: resolution, reporting, imports, TODOs."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        options: Options,
        suppressions: Suppressions,
        *,
        first_pass: bool,
        path: str = "",
    ) -> None:
        self.path = path
        self.wrapper = wrapper
        self.module = wrapper.module
        self.options = options
        self.suppressions = suppressions
        self.first_pass = first_pass
        self.diagnostics: list[Diagnostic] = []
        #: Imports to add or remove (LibCST's codemod context), made on the first request.
        self.imports: CodemodContext | None = None
        self._import_requests: set[tuple[str | None, ...]] = set()
        self.todos: dict[cst.CSTNode, list[str]] = defaultdict(list)
        # One call: LibCST then runs the batchable providers in a single traversal.
        resolved = wrapper.resolve_many([PositionProvider, ParentProvider, QualifiedNameProvider, ScopeProvider])
        self._positions = resolved[PositionProvider]
        self._parents = resolved[ParentProvider]
        self._qualified = resolved[QualifiedNameProvider]
        self._scopes = resolved[ScopeProvider]
        #: Per-codemod scratch space shared between codemods (keyed by a string).
        self.shared: dict[str, Any] = {}
        #: Statements a fix was applied in (their lost comments are put back above them).
        self.touched: set[cst.CSTNode | None] = set()
        #: Statements to remove (their leading comments and blank lines move to the next one).
        self.removed: set[cst.CSTNode] = set()
        #: New statements to put before / after an original statement, and the statements
        #: whose block remainder runs under ``try: ... finally:`` (see :meth:`guard_rest`).
        self.inserted_before: dict[cst.CSTNode, list[cst.BaseStatement]] = defaultdict(list)
        self.inserted_after: dict[cst.CSTNode, list[cst.BaseStatement]] = defaultdict(list)
        self.guards: dict[cst.CSTNode, list[cst.BaseStatement]] = {}
        #: Compound statements replaced by the statements of their body (see :meth:`unwrap`).
        self.unwrapped: set[cst.CSTNode] = set()

    # --- resolution -------------------------------------------------------------------------

    def qualified_names(self, node: cst.CSTNode) -> set[QualifiedName]:
        value = self._qualified.get(node, ())
        if isinstance(value, LazyValue):
            value = value()
        return set(value)

    def ref(self, node: cst.CSTNode) -> Ref | None:
        """What ``node`` resolves to, when all its possible bindings agree and it is ours."""
        names = self.qualified_names(node)
        if not names:
            return None
        refs = {classify(q.name, self.options.vendored_roots) for q in names}
        if None in refs:
            # ``try: from training.recipes import rl_loop`` / ``except ImportError: rl_loop =
            # None``: the fallback binding is not a second meaning of the name.
            if not any(q.source is QualifiedNameSource.IMPORT for q in names) or not self._import_fallback(node):
                return None
            refs.discard(None)
            if not refs:
                return None
        # The same name bound from two cookbook modules (training.utils and
        # training.utils.config both export InfraConfig) is still that one name.
        if len({(r.kind, r.name, r.recipe) for r in refs}) != 1:  # type: ignore[union-attr]
            return None
        return min(refs, key=lambda r: r.module)  # type: ignore[union-attr]

    def _import_fallback(self, node: cst.CSTNode) -> bool:
        """Whether every non-import binding of the name ``node`` starts with sits in an
        ``except ImportError`` (or ``ModuleNotFoundError`` / bare ``except``) handler."""
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name):
            return False
        scope = self._scopes.get(head)
        if scope is None:
            return False
        others = [a for a in scope[head.value] if not isinstance(a, ImportAssignment)]
        if not others:
            return False
        for assignment in others:
            current = getattr(assignment, "node", None)
            while current is not None and not isinstance(current, cst.ExceptHandler):
                current = self._parents.get(current)
            if current is None or not _catches_import_error(current):
                return False
        return True

    def legacy(self, node: cst.CSTNode, *names: str) -> Ref | None:
        """The legacy ref of ``node`` if it is one of ``names`` (or any legacy name)."""
        ref = self.ref(node)
        if ref is not None and ref.kind == "legacy" and (not names or ref.name in names):
            return ref
        return None

    def recipe(self, node: cst.CSTNode, attr: str) -> str | None:
        """The recipe whose ``attr`` (``Config`` / ``main``) ``node`` is, if any."""
        ref = self.ref(node)
        if ref is not None and ref.kind == "recipe" and ref.name == attr:
            return ref.recipe
        return None

    def config_recipe(self, call: cst.Call) -> str | None:
        """The recipe whose Config ``call`` builds with its keywords: ``rl_loop.Config(...)``, or
        ``functools.partial(rl_loop.Config, ...)`` (the same keywords, bound ahead)."""
        recipe = self.recipe(call.func, "Config")
        if recipe is None and call.args and call.args[0].keyword is None and not call.args[0].star:
            if self.is_call_to(call, "functools.partial"):
                return self.recipe(call.args[0].value, "Config")
        return recipe

    def nodes(self, *types: type) -> list[Any]:
        """Every node of the given types in the module, in source order.

        Read from the parent index the metadata already built, so a codemod's ``prepare`` does
        not walk the whole tree again (a walk costs as much as a metadata provider).
        """
        if not hasattr(self, "_index"):
            index: dict[type, list[cst.CSTNode]] = defaultdict(list)
            for node in self._parents:  # filled in traversal order: source order per type
                index[type(node)].append(node)
            self._index = index
        if len(types) == 1:
            return self._index.get(types[0], [])
        return [n for n in self._parents if isinstance(n, types)]

    def scope(self, node: cst.CSTNode) -> Any:
        value = self._scopes.get(node)
        return value() if isinstance(value, LazyValue) else value

    def is_call_to(self, call: cst.Call, qualified: str) -> bool:
        """Whether ``call`` calls the function ``qualified`` (``dataclasses.replace`` ...)."""
        return any(q.name == qualified for q in self.qualified_names(call.func))

    def bindings(self, name: cst.Name) -> list[Binding] | None:
        """How the name read at ``name`` can have been bound (None: not resolvable here)."""
        scope = self.scope(name)
        if scope is None:
            return None
        found: list[Binding] = []
        for access in scope.accesses[name]:
            for assignment in access.referents:
                node = getattr(assignment, "node", None)
                if node is None:
                    return None  # builtin or unknown
                found.append(self._binding(node))
        return found or None

    def _binding(self, node: cst.CSTNode) -> Binding:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return Binding("import", node)
        if isinstance(node, cst.Param):
            return Binding("param", node, annotation=node.annotation)
        parent = self.parent(node)
        if isinstance(parent, cst.AssignTarget):
            assign = self.parent(parent)
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                return Binding("assign", node, value=assign.value, statement=self.statement_of(assign))
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            return Binding(
                "annassign",
                node,
                value=parent.value,
                annotation=parent.annotation,
                statement=self.statement_of(parent),
            )
        return Binding("other", node)

    def value_kind(
        self, expr: cst.CSTNode, depth: int = 0, _resolving: frozenset[int] = frozenset()
    ) -> tuple[str, str | None] | None:
        """What a value is known to be: ``("InfraConfig", None)``, ``("recipe", "rl_loop")``,
        ``("WeightSyncConfig", None)`` ... or None when it cannot be told from this file.

        Known means: built by a call to the class, ``dataclasses.replace`` of a known value,
        annotated with the class, or read as ``.infra`` / ``.weight_sync`` of a known recipe
        Config. Every binding of a name must agree.
        """
        if depth > 8:
            return None
        if isinstance(expr, cst.Call):
            ref = self.ref(expr.func)
            if ref is not None and ref.kind == "legacy" and ref.name in _VALUE_CLASSES:
                return (ref.name, None)
            if ref is not None and ref.kind == "recipe" and ref.name == "Config":
                return ("recipe", ref.recipe)
            if any(self.is_call_to(expr, copier) for copier in COPIES) and expr.args:
                return self.value_kind(expr.args[0].value, depth + 1, _resolving)
            return None
        if isinstance(expr, cst.Attribute):
            owner = self.value_kind(expr.value, depth + 1, _resolving)
            if owner is not None and owner[0] == "recipe":
                if expr.attr.value == "infra":
                    return ("InfraConfig", None)
                if expr.attr.value in ("weight_sync", "hotload"):
                    return ("WeightSyncConfig" if expr.attr.value == "weight_sync" else "HotloadConfig", None)
            if owner is None:
                return self._instance_attribute_kind(expr, depth, _resolving)
            return None
        if isinstance(expr, cst.Name):
            bindings = self.bindings(expr)
            if not bindings:
                return None
            kinds = set()
            for b in bindings:
                if id(b.node) in _resolving:
                    continue  # `x = replace(x, ...)`: this binding is the one being worked out
                if b.kind in ("param", "annassign") and b.annotation is not None:
                    kinds.add(self.annotation_kind(b.annotation.annotation))
                elif b.kind == "param" and expr.value in self._fixtures():
                    kinds.add(self._fixtures()[expr.value])
                elif b.kind == "assign" and b.value is not None:
                    kinds.add(self.value_kind(b.value, depth + 1, _resolving | {id(b.node)}))
                else:
                    return None
            if len(kinds) == 1:
                return kinds.pop()
        return None

    def _method_class(self, name: cst.CSTNode) -> cst.ClassDef | None:
        """The class whose method has ``name`` as its first parameter (``self``), if so."""
        if not isinstance(name, cst.Name):
            return None
        bindings = self.bindings(name)
        if not bindings or len({id(b.node) for b in bindings}) != 1 or bindings[0].kind != "param":
            return None
        param = bindings[0].node
        params = self.parent(param)
        fn = self.parent(params) if isinstance(params, cst.Parameters) else None
        if not isinstance(fn, cst.FunctionDef) or not params.params or params.params[0] is not param:
            return None
        if any(dotted(d.decorator) in ("staticmethod", "classmethod") for d in fn.decorators):
            return None
        body = self.parent(fn)
        owner = self.parent(body) if isinstance(body, cst.IndentedBlock) else None
        return owner if isinstance(owner, cst.ClassDef) else None

    def _instance_attribute_kind(
        self, expr: cst.Attribute, depth: int, _resolving: frozenset[int]
    ) -> tuple[str, str | None] | None:
        """``self.cfg`` where every assignment to ``.cfg`` in the module is a ``self.cfg = ...``
        in a method of the same class, and all of them build the same kind of value."""
        cls = self._method_class(expr.value)
        if cls is None:
            return None
        attr = expr.attr.value
        if _resolving:  # inside a resolution: its answer depends on what is being resolved
            return self._scan_instance_attribute(cls, attr, depth, _resolving)
        cache = self.shared.setdefault("instance_attribute_kinds", {})
        key = (id(cls), attr)
        if key not in cache:  # one scan of the module's assignments per class and attribute
            cache[key] = self._scan_instance_attribute(cls, attr, depth, _resolving)
        return cache[key]

    def _scan_instance_attribute(
        self, cls: cst.ClassDef, attr: str, depth: int, _resolving: frozenset[int]
    ) -> tuple[str, str | None] | None:
        kinds: set[tuple[str, str | None] | None] = set()
        for stmt in cls.body.body:  # a class-level annotation: `cfg: rl_loop.Config`
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == attr:
                        kinds.add(self.annotation_kind(small.annotation.annotation))
        assignments = itertools.chain(self.nodes(cst.Assign), self.nodes(cst.AnnAssign), self.nodes(cst.AugAssign))
        for assign in assignments:
            targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
            for target in targets:
                for node in _assigned_attributes(target, attr):
                    owner = self._method_class(node.value)
                    if owner is not None and owner is not cls and not _related(owner, cls):
                        continue  # another (unrelated) class's own attribute
                    if owner is not cls or isinstance(assign, cst.AugAssign):
                        return None  # set from outside the class: unknown
                    if len(targets) != 1 or not isinstance(target, cst.Attribute) or assign.value is None:
                        return None
                    if id(assign) in _resolving:
                        continue
                    kinds.add(self.value_kind(assign.value, depth + 1, _resolving | {id(assign)}))
        return kinds.pop() if len(kinds) == 1 else None

    def _fixtures(self) -> dict[str, tuple[str, str | None] | None]:
        """Pytest fixtures defined in this module, by name, with the kind of what they return
        (a test's parameter named like a fixture gets the fixture's value)."""
        if "fixtures" not in self.shared:
            self.shared["fixtures"] = {}
            found = {}
            for stmt in self.module.body:
                if isinstance(stmt, cst.FunctionDef) and self._is_fixture(stmt):
                    found[self._fixture_name(stmt)] = self._returned_kind(stmt)
            self.shared["fixtures"] = found
        return self.shared["fixtures"]

    def _is_fixture(self, fn: cst.FunctionDef) -> bool:
        for deco in fn.decorators:
            target = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
            if any(q.name == "pytest.fixture" for q in self.qualified_names(target)):
                return True
        return False

    @staticmethod
    def _fixture_name(fn: cst.FunctionDef) -> str:
        for deco in fn.decorators:
            if isinstance(deco.decorator, cst.Call):
                for arg in deco.decorator.args:
                    if arg.keyword is not None and arg.keyword.value == "name" and isinstance(arg.value, cst.SimpleString):
                        return arg.value.evaluated_value  # type: ignore[return-value]
        return fn.name.value

    def _returned_kind(self, fn: cst.FunctionDef) -> tuple[str, str | None] | None:
        if fn.returns is not None:
            kind = self.annotation_kind(fn.returns.annotation)
            if kind is not None:
                return kind
        values: list[cst.BaseExpression] = []

        class Returns(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                return node is fn

            def visit_Lambda(self, node: cst.Lambda) -> bool:
                return False

            def visit_Return(self, node: cst.Return) -> None:
                if node.value is not None:
                    values.append(node.value)

            def visit_Yield(self, node: cst.Yield) -> None:
                if isinstance(node.value, cst.BaseExpression):
                    values.append(node.value)

        fn.visit(Returns())
        kinds = {self.value_kind(v, 1) for v in values}
        return kinds.pop() if len(kinds) == 1 else None

    def foreign(self, expr: cst.BaseExpression, depth: int = 0) -> bool:
        """Whether ``expr`` is known to be something that is not ours: built by a call to a
        resolvable callable of another project, or annotated with another type. A legacy-looking
        attribute on such a value is a look-alike, not an unknown receiver."""
        if depth > 8:
            return False
        if isinstance(expr, cst.Call):
            if any(self.is_call_to(expr, copier) for copier in COPIES):
                return bool(expr.args) and self.foreign(expr.args[0].value, depth + 1)
            return self.ref(expr.func) is None and bool(self.qualified_names(expr.func))
        if isinstance(expr, cst.Attribute):
            cls = self._method_class(expr.value)
            if cls is not None:  # `self.cfg`: what the class says its attribute is
                return self._foreign_instance_attribute(cls, expr.attr.value, depth)
            return self.foreign(expr.value, depth + 1) and self.value_kind(expr.value) is None
        if isinstance(expr, cst.Name):
            bindings = self.bindings(expr)
            if not bindings:
                return False
            for b in bindings:
                if b.kind == "assign" and b.value is not None:
                    if not self.foreign(b.value, depth + 1):
                        return False
                elif b.kind in ("param", "annassign") and b.annotation is not None:
                    if not self._foreign_annotation(b.annotation.annotation):
                        return False
                else:
                    return False
            return True
        return False

    def _foreign_annotation(self, annotation: cst.BaseExpression) -> bool:
        """Whether an annotation names a type of another project (resolvable, and not ours)."""
        if isinstance(annotation, cst.SimpleString):  # `x: "mylab.Config"`
            inner = self.string_annotation(annotation)
            name = dotted(inner) if inner is not None else None
            scope = self.scope(annotation)
            if name is None or scope is None:
                return False
            names = scope.get_qualified_names_for(name)
            return bool(names) and all(classify(q.name, self.options.vendored_roots) is None for q in names)
        return self.annotation_kind(annotation) is None and bool(self.qualified_names(annotation))

    def _foreign_instance_attribute(self, cls: cst.ClassDef, attr: str, depth: int) -> bool:
        """``self.<attr>`` annotated in the class body with another project's type, or only
        ever assigned (in the class's methods) values that are not ours."""
        for stmt in cls.body.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == attr:
                        return self._foreign_annotation(small.annotation.annotation)
        values = []
        for assign in self.nodes(cst.Assign):
            for target in assign.targets:
                if isinstance(target.target, cst.Attribute) and target.target.attr.value == attr:
                    owner = self._method_class(target.target.value)
                    if owner is None:
                        return False  # set from outside the class: it could be anything
                    if owner is cls:
                        values.append(assign.value)
        return bool(values) and all(self.foreign(value, depth + 1) for value in values)

    def annotation_kind(self, expr: cst.BaseExpression) -> tuple[str, str | None] | None:
        """The kind an annotation names (``X``, ``X | None``, ``Optional[X]``)."""
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            sides = [expr.left, expr.right]
            kinds = {self.annotation_kind(s) for s in sides if not _is_none(s)}
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            if any(q.name == "typing.Optional" for q in self.qualified_names(expr.value)):
                inner = expr.slice[0].slice
                if isinstance(inner, cst.Index):
                    return self.annotation_kind(inner.value)
            return None
        if isinstance(expr, cst.SimpleString):  # `cfg: "rl_loop.Config"`
            refs = self.string_refs(expr)
            inner = self.string_annotation(expr)
            ref = refs[0][1] if len(refs) == 1 and refs[0][0] is inner else None
        else:
            ref = self.ref(expr)
        if ref is not None and ref.kind == "legacy" and ref.name in _VALUE_CLASSES:
            return (ref.name, None)
        if ref is not None and ref.kind == "recipe" and ref.name == "Config":
            return ("recipe", ref.recipe)
        return None

    def string_annotation(self, node: cst.SimpleString) -> cst.BaseExpression | None:
        """The expression a string annotation holds (``x: "tu.InfraConfig"``): None when the
        string is not (part of) an annotation, holds escapes, or is not an expression."""
        current: cst.CSTNode | None = self._parents.get(node)
        while isinstance(current, (cst.Subscript, cst.SubscriptElement, cst.Index, cst.BinaryOperation, cst.Element, cst.List, cst.Tuple)):
            current = self._parents.get(current)
        if isinstance(current, cst.Arg):  # typing.cast("X", value): a type as well
            call = self._parents.get(current)
            if not (isinstance(call, cst.Call) and call.args and call.args[0] is current and self.is_call_to(call, "typing.cast")):
                return None
        elif not isinstance(current, cst.Annotation):
            return None
        if len(node.quote) != 1 or node.prefix.lower() not in ("", "u"):
            return None
        cache = self.shared.setdefault("string_annotations", {})
        if node not in cache:  # parsed once: callers compare the parsed nodes by identity
            text = node.value[len(node.prefix) + 1 : -1]
            try:
                cache[node] = None if "\\" in text or not text.strip() else cst.parse_expression(text)
            except (cst.ParserSyntaxError, RecursionError, ValueError):
                cache[node] = None
        return cache[node]

    def string_refs(self, node: cst.SimpleString) -> list[tuple[cst.BaseExpression, Ref]]:
        """Our names inside a string annotation: (the dotted name in the parsed expression, what
        it resolves to where the string stands). The parsed nodes are not in the module."""
        expr = self.string_annotation(node)
        scope = self.scope(node)
        if expr is None or scope is None:
            return []
        found = []
        for sub in _dotted_chains(expr):
            refs = {classify(q.name, self.options.vendored_roots) for q in scope.get_qualified_names_for(_dotted(sub))}
            if len(refs) == 1 and None not in refs:
                found.append((sub, refs.pop()))
        return found  # type: ignore[return-value]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def position(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        r = self._positions[node]
        return r.start.line, r.start.column + 1, r.end.line, r.end.column + 1

    def in_source_order(self, accesses: Iterable[Any]) -> list[Any]:
        """LibCST's accesses / references (sets: their order changes from run to run) sorted by
        where they stand, so that what is found first -- and reported -- is always the same."""
        return sorted(accesses, key=lambda access: self.position(access.node))

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def within(self, node: cst.CSTNode, container: cst.CSTNode) -> bool:
        """Whether ``node`` is ``container`` or lies inside it."""
        current: cst.CSTNode | None = node
        while current is not None:
            if current is container:
                return True
            current = self._parents.get(current)
        return False

    def statement_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The statement (simple line or compound statement) that holds ``node``."""
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return current
            current = self._parents.get(current)
        return None

    def import_binding(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The ``Import`` / ``ImportFrom`` statement that binds the name ``node`` starts with
        (the first, when several imports bind it)."""
        found = self.import_bindings(node)
        return found[0] if found else None

    def import_bindings(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Every ``Import`` / ``ImportFrom`` that may bind the name ``node`` starts with."""
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name):
            return []
        scope = self.scope(head)
        if scope is None:
            return []
        found: list[cst.CSTNode] = []
        for access in scope.accesses[head]:
            for assignment in access.referents:
                stmt = getattr(assignment, "node", None)
                if isinstance(stmt, (cst.Import, cst.ImportFrom)) and stmt not in found:
                    found.append(stmt)
        return found

    # --- reporting --------------------------------------------------------------------------

    def report(
        self,
        node: cst.CSTNode,
        code: str,
        message: str,
        *,
        fix: str = NONE,
        help: str = "",
        todo: bool = True,
        anchor: cst.CSTNode | None = None,
    ) -> bool:
        """Record a diagnostic at ``node``; return True when its fix is to be applied now.

        A diagnostic whose fix is not applied and that needs a person gets a deterministic
        TODO comment above its statement when the file is rewritten (``todo=False`` for
        diagnostics whose fix merely did not run, such as unsafe fixes without
        ``--unsafe-fixes``). The TODO goes above the statement holding ``anchor`` when given
        (for a diagnostic whose own statement the rewrite removes).
        """
        if code not in self.options.enabled:
            return False
        line, col, end_line, end_col = self.position(node)
        if self.suppressions.covers(line, code):
            return False
        rewriting = self.options.mode == "rewrite"
        apply = rewriting and (fix == SAFE or (fix == UNSAFE and self.options.unsafe))
        self.diagnostics.append(
            Diagnostic(code, message, line, col, end_line, end_col, fix=fix, fixed=apply, help=help)
        )
        if apply:
            self.touched.add(self.statement_of(node))
        elif rewriting and todo and fix == NONE:
            self.note_todo(anchor or node, code, message)
        return apply

    def would_apply(self, node: cst.CSTNode, code: str, fix: str = SAFE) -> bool:
        """Whether :meth:`report` would apply this fix, without recording anything.

        For codemods that must decide before the traversal reaches the reported node (a
        binding removed above the call that consumes it).
        """
        if code not in self.options.enabled or self.options.mode != "rewrite":
            return False
        if fix == UNSAFE and not self.options.unsafe or fix == NONE:
            return False
        codes = self.suppressions.lines.get(self.position(node)[0], frozenset())
        return not (codes is None or code in codes)

    def in_import(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` is a name inside an import statement (imports are managed apart)."""
        parent = self.parent(node)
        while isinstance(parent, (cst.Attribute, cst.ImportAlias)):
            if isinstance(parent, cst.ImportAlias):
                return True
            parent = self.parent(parent)
        return isinstance(parent, (cst.Import, cst.ImportFrom))

    def remove_statement(self, stmt: cst.CSTNode) -> None:
        """Remove ``stmt`` (an original statement node), keeping its comments."""
        self.removed.add(stmt)
        self.touched.add(stmt)

    def insert_statements(self, stmt: cst.CSTNode, statements: list[cst.BaseStatement], *, before: bool = False) -> None:
        """Put new ``statements`` right after (or before) ``stmt``, an original statement, in its block."""
        (self.inserted_before if before else self.inserted_after)[stmt].extend(statements)

    def guard_rest(self, stmt: cst.CSTNode, final: list[cst.BaseStatement]) -> None:
        """Run what follows ``stmt`` (an original statement) in its block -- the statements
        inserted after it first -- inside ``try: ... finally: <final>``, so that ``final`` runs
        on every way out of the block: its end, an exception, a return."""
        self.guards[stmt] = final
        self.touched.add(stmt)

    def unwrap(self, stmt: cst.CSTNode) -> None:
        """Replace ``stmt``, an original compound statement (a ``with`` that no longer enters
        anything, say), by the statements of its body, dedented. Its comments and TODOs go above
        the first of them; comments at the end of its body go above the statement after it."""
        self.unwrapped.add(stmt)
        self.touched.add(stmt)

    def note_todo(self, node: cst.CSTNode, code: str, message: str) -> None:
        """Leave a TODO for a judgment point inside an applied fix (no separate diagnostic)."""
        stmt = self.statement_of(node)
        if stmt is not None:
            text = f"{TODO_PREFIX}{code} {message}"
            if text not in self.todos[stmt]:
                self.todos[stmt].append(text)

    # --- imports ----------------------------------------------------------------------------

    def _import_context(self) -> CodemodContext:
        if self.imports is None:
            from libcst.codemod import CodemodContext

            self.imports = CodemodContext()
        return self.imports

    def add_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        from libcst.codemod.visitors import AddImportsVisitor

        if ("add", module, name, asname) not in self._import_requests:  # LibCST repeats the work per request
            self._import_requests.add(("add", module, name, asname))
            AddImportsVisitor.add_needed_import(self._import_context(), module, name, asname)

    def drop_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        """Offer an import for removal; it goes only if nothing in its scope still uses it."""
        from libcst.codemod.visitors import RemoveImportsVisitor

        if ("drop", module, name, asname) not in self._import_requests:
            self._import_requests.add(("drop", module, name, asname))
            RemoveImportsVisitor.remove_unused_import(self._import_context(), module, name, asname)

    def drop_imports_of(self, node: cst.CSTNode) -> None:
        """Offer for removal every import that binds the name ``node`` starts with."""
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name):
            return
        self._drop_bindings(self.import_bindings(node), head.value)

    def drop_imports_named(self, where: cst.CSTNode, name: str) -> None:
        """Offer for removal every import binding ``name`` as seen from ``where`` (for names
        read inside a string annotation, which are not nodes of the module)."""
        scope = self.scope(where)
        if scope is None:
            return
        stmts = []
        for assignment in scope[name]:
            if isinstance(assignment, ImportAssignment) and assignment.node not in stmts:
                stmts.append(assignment.node)
        self._drop_bindings(stmts, name)

    def _drop_bindings(self, stmts: list[cst.CSTNode], head: str) -> None:
        for stmt in stmts:
            if isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar):
                if stmt.relative:
                    continue
                module = _dotted(stmt.module) if stmt.module is not None else ""
                for alias in stmt.names:
                    asname = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
                    if (asname or _dotted(alias.name)) == head:
                        self.drop_import(module, _dotted(alias.name), asname)
            elif isinstance(stmt, cst.Import):
                for alias in stmt.names:
                    asname = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
                    if (asname or _dotted(alias.name).split(".")[0]) == head:
                        self.drop_import(_dotted(alias.name), None, asname)

    def target_name(
        self,
        site: cst.CSTNode,
        updated: cst.CSTNode,
        name: str,
        *,
        legacy: Ref | None = None,
    ) -> cst.BaseExpression:
        """An expression for the target ``name`` replacing ``site``, imported as the file does.

        ``site`` is the original legacy reference (``updated`` its current form). A reference
        through a module alias (``tu.InfraConfig``) becomes ``tu.TrainerConfig`` when that module
        still exports the name; otherwise the name is imported next to the legacy import (in
        the same function when the legacy import was local) or at the top of the module.
        """
        module = target_module_for(name, legacy.module if legacy else None)
        if isinstance(updated, cst.Attribute) and legacy is not None and legacy.module == module:
            return updated.with_changes(attr=cst.Name(name))
        return self.target_ref(site, module, name)

    def target_ref(self, site: cst.CSTNode, module: str, name: str) -> cst.Name:
        """The cookbook's ``module.name`` imported near ``site``, under a free local name."""
        local = self.local_name(name)
        self.import_near(site, module, name, None if local == name else local)
        return cst.Name(local)

    def replace_function(self) -> cst.BaseExpression:
        """An expression for ``dataclasses.replace`` the way this module already imports it
        (``dc.replace`` after ``import dataclasses as dc``, ``replace`` after ``from dataclasses
        import replace``); otherwise ``dataclasses.replace``, with ``import dataclasses`` added."""
        for stmt in self.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if dotted(alias.name) == "dataclasses":
                            return cst.Attribute(value=cst.Name(alias.evaluated_alias or "dataclasses"), attr=cst.Name("replace"))
                elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                    if dotted(small.module) == "dataclasses" and not isinstance(small.names, cst.ImportStar):
                        for alias in small.names:
                            if alias.evaluated_name == "replace":
                                return cst.Name(alias.evaluated_alias or "replace")
        self.add_import("dataclasses")
        return cst.Attribute(value=cst.Name("dataclasses"), attr=cst.Name("replace"))

    def import_near(self, site: cst.CSTNode, module: str, name: str | None, asname: str | None = None) -> None:
        """Import ``module``/``name`` (as ``asname``) where ``site``'s own import is: locally or
        at the top."""
        anchor = self.import_binding(site)
        if anchor is not None and not self._at_module_level(anchor):
            self.shared.setdefault("local_imports", defaultdict(list))
            stmt = self.statement_of(anchor)
            wanted = (module, name, asname)
            if stmt is not None and wanted not in self.shared["local_imports"][stmt]:
                self.shared["local_imports"][stmt].append(wanted)
            return
        if name is not None:
            # One import per name at module level: training.utils and training.utils.config
            # export the same classes, and a second import of the name would shadow the first.
            top = self.shared.setdefault("top_level_names", self._top_level_imported_names())
            if (asname or name) in top:
                return
            top.add(asname or name)
        self.add_import(module, name, asname)

    def local_name(self, name: str) -> str:
        """The name this file can use for the cookbook's target ``name``: ``name`` itself, or,
        when the file already binds ``name`` to something else (its own ``TrainerConfig``
        class, another library's), an alias that is free: ``CookbookTrainerConfig``."""
        if "bound_names" not in self.shared:
            self.shared["bound_names"] = self._bound_names()
        bound, foreign = self.shared["bound_names"]
        if name not in foreign:
            return name
        base = ("Cookbook" if name[:1].isupper() else "cookbook_") + name
        alias, n = base, 2
        while alias in bound:
            alias, n = f"{base}{n}", n + 1
        return alias

    def _bound_names(self) -> tuple[set[str], set[str]]:
        """Every name bound in this file, and those bound to something other than an import of
        that very name from the cookbook (a class or function of the file, a parameter, another
        package's import)."""
        bound: set[str] = set()
        foreign: set[str] = set()
        for scope in {s() if isinstance(s, LazyValue) else s for s in self._scopes.values()} - {None}:
            for assignment in scope.assignments:
                bound.add(assignment.name)
                if isinstance(assignment, ImportAssignment) and all(
                    q.name.split(".")[0] == COOKBOOK_ROOT and q.name.rsplit(".", 1)[-1] == assignment.name
                    for q in scope.get_qualified_names_for(assignment.name)
                ):
                    continue
                foreign.add(assignment.name)
        return bound, foreign

    def add_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        from libcst.codemod.visitors import AddImportsVisitor

        if ("add", module, name, asname) not in self._import_requests:  # LibCST repeats the work per request
            self._import_requests.add(("add", module, name, asname))
            AddImportsVisitor.add_needed_import(self._import_context(), module, name, asname)

    def drop_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        """Offer an import for removal; it goes only if nothing in its scope still uses it."""
        from libcst.codemod.visitors import RemoveImportsVisitor

        if ("drop", module, name, asname) not in self._import_requests:
            self._import_requests.add(("drop", module, name, asname))
            RemoveImportsVisitor.remove_unused_import(self._import_context(), module, name, asname)

    def drop_imports_of(self, node: cst.CSTNode) -> None:
        """Offer for removal every import that binds the name ``node`` starts with."""
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if not isinstance(head, cst.Name):
            return
        self._drop_bindings(self.import_bindings(node), head.value)

    def drop_imports_named(self, where: cst.CSTNode, name: str) -> None:
        """Offer for removal every import binding ``name`` as seen from ``where`` (for names
        read inside a string annotation, which are not nodes of the module)."""
        scope = self.scope(where)
        if scope is None:
            return
        stmts = []
        for assignment in scope[name]:
            if isinstance(assignment, ImportAssignment) and assignment.node not in stmts:
                stmts.append(assignment.node)
        self._drop_bindings(stmts, name)

    def _drop_bindings(self, stmts: list[cst.CSTNode], head: str) -> None:
        for stmt in stmts:
            if isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar):
                if stmt.relative:
                    continue
                module = _dotted(stmt.module) if stmt.module is not None else ""
                for alias in stmt.names:
                    asname = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
                    if (asname or _dotted(alias.name)) == head:
                        self.drop_import(module, _dotted(alias.name), asname)
            elif isinstance(stmt, cst.Import):
                for alias in stmt.names:
                    asname = alias.asname.name.value if alias.asname else None  # type: ignore[union-attr]
                    if (asname or _dotted(alias.name).split(".")[0]) == head:
                        self.drop_import(_dotted(alias.name), None, asname)

    def target_name(
        self,
        site: cst.CSTNode,
        updated: cst.CSTNode,
        name: str,
        *,
        legacy: Ref | None = None,
    ) -> cst.BaseExpression:
        """An expression for the target ``name`` replacing ``site``, imported as the file does.

        ``site`` is the original legacy reference (``updated`` its current form). A reference
        through a module alias (``tu.InfraConfig``) becomes ``tu.TrainerConfig`` when that module
        still exports the name; otherwise the name is imported next to the legacy import (in
        the same function when the legacy import was local) or at the top of the module.
        """
        module = target_module_for(name, legacy.module if legacy else None)
        if isinstance(updated, cst.Attribute) and legacy is not None and legacy.module == module:
            return updated.with_changes(attr=cst.Name(name))
        return self.target_ref(site, module, name)

    def target_ref(self, site: cst.CSTNode, module: str, name: str) -> cst.Name:
        """The cookbook's ``module.name`` imported near ``site``, under a free local name."""
        local = self.local_name(name)
        self.import_near(site, module, name, None if local == name else local)
        return cst.Name(local)

    def replace_function(self) -> cst.BaseExpression:
        """An expression for ``dataclasses.replace`` the way this module already imports it
        (``dc.replace`` after ``import dataclasses as dc``, ``replace`` after ``from dataclasses
        import replace``); otherwise ``dataclasses.replace``, with ``import dataclasses`` added."""
        for stmt in self.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if dotted(alias.name) == "dataclasses":
                            return cst.Attribute(value=cst.Name(alias.evaluated_alias or "dataclasses"), attr=cst.Name("replace"))
                elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                    if dotted(small.module) == "dataclasses" and not isinstance(small.names, cst.ImportStar):
                        for alias in small.names:
                            if alias.evaluated_name == "replace":
                                return cst.Name(alias.evaluated_alias or "replace")
        self.add_import("dataclasses")
        return cst.Attribute(value=cst.Name("dataclasses"), attr=cst.Name("replace"))

    def import_near(self, site: cst.CSTNode, module: str, name: str | None, asname: str | None = None) -> None:
        """Import ``module``/``name`` (as ``asname``) where ``site``'s own import is: locally or
        at the top."""
        anchor = self.import_binding(site)
        if anchor is not None and not self._at_module_level(anchor):
            self.shared.setdefault("local_imports", defaultdict(list))
            stmt = self.statement_of(anchor)
            wanted = (module, name, asname)
            if stmt is not None and wanted not in self.shared["local_imports"][stmt]:
                self.shared["local_imports"][stmt].append(wanted)
            return
        if name is not None:
            # One import per name at module level: training.utils and training.utils.config
            # export the same classes, and a second import of the name would shadow the first.
            top = self.shared.setdefault("top_level_names", self._top_level_imported_names())
            if (asname or name) in top:
                return
            top.add(asname or name)
        self.add_import(module, name, asname)

    def local_name(self, name: str) -> str:
        """The name this file can use for the cookbook's target ``name``: ``name`` itself, or,
        when the file already binds ``name`` to something else (its own ``TrainerConfig``
        class, another library's), an alias that is free: ``CookbookTrainerConfig``."""
        taken = self.shared.get("bound_names")
        if taken is None:
            taken = self.shared["bound_names"] = self._foreign_bound_names()
        if name not in taken:
            return name
        base = ("Cookbook" if name[:1].isupper() else "cookbook_") + name
        alias, n = base, 2
        while alias in taken or alias in self._all_bound_names():
            alias, n = f"{base}{n}", n + 1
        return alias

    def _all_bound_names(self) -> set[str]:
        if "all_bound_names" not in self.shared:
            names: set[str] = set()
            for scope in {s() if isinstance(s, LazyValue) else s for s in self._scopes.values()} - {None}:
                names.update(a.name for a in scope.assignments)
            self.shared["all_bound_names"] = names
        return self.shared["all_bound_names"]

    def _foreign_bound_names(self) -> set[str]:
        """Names bound in this file to something other than an import of that very name from
        the cookbook (a class or function of the file, a parameter, another package's import)."""
        foreign: set[str] = set()
        for scope in {s() if isinstance(s, LazyValue) else s for s in self._scopes.values()} - {None}:
            for assignment in scope.assignments:
                if isinstance(assignment, ImportAssignment):
                    names = scope.get_qualified_names_for(assignment.name)
                    if all((q.name.split(".")[0] == COOKBOOK_ROOT and q.name.rsplit(".", 1)[-1] == assignment.name) for q in names):
                        continue
                foreign.add(assignment.name)
        return foreign

    def _top_level_imported_names(self) -> set[str]:
        names: set[str] = set()
        for stmt in self.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    module = dotted(small.module) if small.module is not None else None
                    if module and module.startswith(COOKBOOK_ROOT + ".") and not small.relative:
                        names.update(a.evaluated_name for a in small.names if a.asname is None)
        return names

    def _at_module_level(self, node: cst.CSTNode) -> bool:
        stmt = self.statement_of(node)
        return stmt is not None and isinstance(self.parent(stmt), cst.Module)


_VALUE_CLASSES = frozenset({"InfraConfig", "WeightSyncConfig", "HotloadConfig"})


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


@dataclass(frozen=True)
class Binding:
    """One way a name got its value: ``assign``, ``annassign``, ``param``, ``import``, ``other``."""

    kind: str
    node: cst.CSTNode
    value: cst.BaseExpression | None = None
    annotation: cst.Annotation | None = None
    statement: cst.CSTNode | None = None


def _related(a: cst.ClassDef, b: cst.ClassDef) -> bool:
    """Whether one of two classes names the other (or anything but ``object``) as a base."""
    def bases(cls: cst.ClassDef) -> set[str | None]:
        return {dotted(arg.value) for arg in cls.bases} - {"object"}

    return bool(bases(a) or bases(b))


def _dotted_chains(expr: cst.CSTNode) -> Iterable[cst.BaseExpression]:
    """The maximal dotted names (``a``, ``a.b.c``) in an expression."""
    if isinstance(expr, (cst.Name, cst.Attribute)) and dotted(expr) is not None:
        yield expr  # type: ignore[misc]
        return
    for child in expr.children:
        yield from _dotted_chains(child)


def _assigned_attributes(target: cst.BaseExpression, attr: str) -> Iterable[cst.Attribute]:
    """The ``x.<attr>`` targets an assignment target binds (tuples and lists unpacked)."""
    if isinstance(target, cst.Attribute):
        if target.attr.value == attr:
            yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _assigned_attributes(element.value, attr)
    elif isinstance(target, cst.StarredElement):
        yield from _assigned_attributes(target.value, attr)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise TypeError(f"not a dotted name: {node!r}")


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    try:
        return _dotted(node)
    except TypeError:
        return None


_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


class _Traversal(cst.CSTTransformer):
    """Dispatches every node to the codemods, in order."""

    def __init__(self, ctx: FileContext, codemods: list[Codemod]) -> None:
        super().__init__()
        self.ctx = ctx
        self._visit: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        self._leave: dict[str, list[Callable[..., Any]]] = defaultdict(list)
        self._results: dict[int, Any] = {}
        # A kept statement that _drop_statements gave new leading lines -> its new node.
        self._replaced: dict[int, Any] = {}
        self._dropped: set[int] = set()
        for codemod in codemods:
            for attr in dir(type(codemod)):
                if attr.startswith("visit_"):
                    self._visit[attr[6:]].append(getattr(codemod, attr))
                elif attr.startswith("leave_"):
                    self._leave[attr[6:]].append(getattr(codemod, attr))

    def on_visit(self, node: cst.CSTNode) -> bool:
        for handler in self._visit.get(type(node).__name__, ()):
            handler(node)
        return True

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
        result: Any = updated
        for handler in self._leave.get(type(original).__name__, ()):
            if type(result) is not type(original):
                break  # removed or replaced by another kind of node: later codemods skip it
            result = handler(original, result)
        if isinstance(original, _STATEMENTS):
            result = self._finish_statement(original, result)
            self._results[id(original)] = result
        elif isinstance(original, (cst.IndentedBlock, cst.Module)):
            if self._dropped:
                result = self._drop_statements(original, result)
            if self.ctx.inserted_before or self.ctx.inserted_after or self.ctx.guards or self.ctx.unwrapped:
                result = self._place_statements(original, result)
        return result

    def _drop_statements(self, original: Any, block: Any) -> Any:
        """Remove the statements codemods asked to remove; their comments go to the next one
        (unless the comment travelled with the code it was on, as with an inlined binding)."""
        if not any(id(stmt) in self._dropped for stmt in block.body):
            return block
        kept_now = Counter(c for stmt in block.body if id(stmt) not in self._dropped for c in _comments(stmt))
        kept_before = Counter(
            c for stmt in original.body if stmt not in self.ctx.removed for c in _comments(stmt)
        )
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
        """Insert the statements codemods asked for, and wrap guarded remainders in try/finally.

        Anchors are handled last to first, so that a guard placed after another one in the
        same block ends up inside the earlier guard's ``try``.
        """
        ctx = self.ctx
        body = list(block.body)
        footer = list(block.footer)
        changed = False
        for stmt in reversed(original.body):
            if not any(stmt in wanted for wanted in (ctx.inserted_before, ctx.inserted_after, ctx.guards, ctx.unwrapped)):
                continue
            current = self._results.get(id(stmt))
            current = self._replaced.get(id(current), current)
            index = next((i for i, candidate in enumerate(body) if candidate is current), None)
            if index is None:
                continue  # removed, or replaced by something else
            if stmt in ctx.unwrapped and isinstance(getattr(current, "body", None), cst.IndentedBlock):
                inner = current.body
                lines = [*current.leading_lines, *_comment_lines([inner.header.comment.value] if inner.header.comment else [])]
                statements = list(inner.body)
                statements[0] = statements[0].with_changes(
                    leading_lines=merge_leading_lines(lines, statements[0].leading_lines)
                )
                trailing = [line for line in inner.footer if line.comment is not None]
                if trailing and index + 1 < len(body):
                    body[index + 1] = body[index + 1].with_changes(leading_lines=[*trailing, *body[index + 1].leading_lines])
                elif trailing:
                    footer[:0] = trailing
                body[index : index + 1] = statements
                changed = True
                continue
            after = list(ctx.inserted_after.get(stmt, ()))
            if stmt in ctx.guards:
                rest = [*after, *body[index + 1 :]]
                if rest and not after:
                    rest[0] = rest[0].with_changes(
                        leading_lines=list(itertools.dropwhile(lambda line: line.comment is None, rest[0].leading_lines))
                    )
                guarded = cst.Try(
                    body=cst.IndentedBlock(body=rest or [cst.SimpleStatementLine([cst.Pass()])]),
                    finalbody=cst.Finally(body=cst.IndentedBlock(body=ctx.guards[stmt])),
                )
                body[index + 1 :] = [guarded]
            else:
                body[index + 1 : index + 1] = after
            body[index:index] = ctx.inserted_before.get(stmt, ())
            changed = True
        return block.with_changes(body=body, footer=footer) if changed else block

    def local_import_targets(self) -> dict[int, list[tuple[str, str | None, str | None]]]:
        """The imports codemods asked for next to a non-top-level import, keyed by the id of
        that import statement in the traversal's result."""
        targets: dict[int, list[tuple[str, str | None, str | None]]] = {}
        for stmt, imports in self.ctx.shared.get("local_imports", {}).items():
            new = self._results.get(id(stmt))
            if new is not None:
                targets[id(new)] = [(m, n, a) for m, n, a in imports if not _already_imported(new, m, n, a)]
        return {k: v for k, v in targets.items() if v}

    def _finish_statement(self, original: cst.CSTNode, result: Any) -> Any:
        if original in self.ctx.touched and isinstance(result, _STATEMENTS):
            lost = _lost_comments(original, result)
            if lost:
                result = result.with_changes(leading_lines=[*result.leading_lines, *_comment_lines(lost)])
        if original in self.ctx.removed and isinstance(result, _STATEMENTS):
            self._dropped.add(id(result))
            return result
        todos = self.ctx.todos.get(original)
        if todos and isinstance(result, _STATEMENTS):
            lines = list(result.leading_lines)
            if self.ctx.module.body and original is self.ctx.module.body[0]:
                lines += self.ctx.module.header  # comments above the first statement parse as the header
            present = {line.comment.value for line in lines if line.comment is not None}
            new = [
                cst.EmptyLine(indent=True, comment=cst.Comment(t))
                for t in todos
                if t not in present
            ]
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
    def __init__(self, skip_leading: cst.CSTNode | None) -> None:
        self.found: list[str] = []
        self._skip = skip_leading

    def on_visit(self, node: cst.CSTNode) -> bool:
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


def _comments(node: cst.CSTNode, *, leading: bool = True) -> list[str]:
    collector = _CommentCollector(None if leading else node)
    node.visit(collector)
    return collector.found


def _lost_comments(original: cst.CSTNode, result: cst.CSTNode) -> list[str]:
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


class _InsertImports(cst.CSTTransformer):
    """Put new imports right after the local (or try / if guarded) import they replace.

    A separate pass over the traversal's result: the use that needs the import can come after
    the block holding the old import has been left (``try: from training.utils import ...``
    at the top of a module, used below it).
    """

    def __init__(self, targets: dict[int, list[tuple[str, str | None, str | None]]]) -> None:
        super().__init__()
        self.targets = targets

    def on_leave(self, original: cst.CSTNode, updated: Any) -> Any:
        if isinstance(original, (cst.IndentedBlock, cst.Module)) and isinstance(updated, type(original)):
            body: list[Any] = []
            for before, after in zip(original.body, updated.body):
                body.append(after)
                body.extend(_import_statement(m, n, a) for m, n, a in self.targets.get(id(before), ()))
            if len(body) != len(updated.body):
                return updated.with_changes(body=body)
        return updated


def _import_statement(module: str, name: str | None, asname: str | None = None) -> cst.SimpleStatementLine:
    alias = f" as {asname}" if asname else ""
    code = f"from {module} import {name}{alias}\n" if name else f"import {module}{alias}\n"
    return cst.parse_statement(code)  # type: ignore[return-value]


def _already_imported(stmt: cst.SimpleStatementLine, module: str, name: str | None, asname: str | None = None) -> bool:
    for small in stmt.body:
        if isinstance(small, cst.ImportFrom) and name and small.module is not None:
            if dotted(small.module) == module and not isinstance(small.names, cst.ImportStar):
                if any(dotted(a.name) == name and a.evaluated_alias == asname for a in small.names):
                    return True
    return False


@dataclass
class Outcome:
    """The result of processing one source."""

    module: cst.Module
    diagnostics: list[Diagnostic]
    changed: bool
    unused_suppressions: list[int] = field(default_factory=list)


CodemodFactory = Callable[[FileContext], Codemod]


def run_codemods(
    module: cst.Module,
    options: Options,
    codemods: Iterable[type[Codemod]],
    path: str = "",
) -> Outcome:
    """Run the codemods over ``module`` until the code stops changing (lint: one pass)."""
    codemods = list(codemods)
    # The code is generated once per pass (a codegen costs about a tenth of a lint).
    original_code = current_code = module.code
    suppressions = Suppressions.scan(original_code)
    if suppressions.file:
        return Outcome(module, [], False)
    diagnostics: list[Diagnostic] = []
    current = module
    rewriting = options.mode == "rewrite"
    for index in range(MAX_PASSES if rewriting else 1):
        wrapper = MetadataWrapper(current, unsafe_skip_copy=True)
        # Later passes see code whose lines moved (TODOs, removed statements): their
        # suppression comments are found again; the first pass's are the ones reported on.
        in_force = suppressions if index == 0 else Suppressions.scan(current_code)
        ctx = FileContext(wrapper, options, in_force, first_pass=index == 0, path=path)
        instances = [cls(ctx) for cls in codemods]
        for codemod in instances:
            codemod.prepare(current)
        traversal = _Traversal(ctx, instances)
        new = wrapper.visit(traversal)
        targets = traversal.local_import_targets()
        if targets:
            new = new.visit(_InsertImports(targets))
        new = _manage_imports(new, ctx.imports)
        if index == 0:
            diagnostics.extend(ctx.diagnostics)
        else:
            # A later pass sees the problems the first one reported again (not repeated), and
            # those a fix brought to light (a ported call the signature check now reads).
            seen = {(d.code, d.message) for d in diagnostics}
            diagnostics.extend(d for d in ctx.diagnostics if d.fixed or (d.code, d.message) not in seen)
        if not rewriting:
            break  # lint changes nothing: one pass, nothing to compare
        new_code = new.code
        if new_code == current_code:
            break
        current, current_code = new, new_code
    unused = []
    if options.report_unused_suppressions:
        unused = sorted(set(suppressions.lines) - suppressions.used)
    return Outcome(current, diagnostics, current_code != original_code, unused)


def _manage_imports(module: cst.Module, imports: CodemodContext | None) -> cst.Module:
    if imports is None:
        return module
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    from ftmigrate._import_removal import RemoveImports

    before = {module.code_for_node(node) for node in _import_froms(module)}
    if imports.scratch.get(AddImportsVisitor.CONTEXT_KEY):
        module = AddImportsVisitor(imports).transform_module(module)
    if imports.scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
        module = RemoveImports(imports).transform_module(module)
    changed = [node for node in _import_froms(module) if module.code_for_node(node) not in before]
    return module.visit(_TidyImports(changed)) if changed else module


def _import_froms(module: cst.Module) -> list[cst.ImportFrom]:
    """The ``from ... import`` statements of the module, at any depth (few: a cheap search)."""
    return list(cst.ensure_type(m, cst.ImportFrom) for m in _find(module, cst.ImportFrom))


def _find(node: cst.CSTNode, kind: type) -> Iterable[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            yield current
            continue
        if isinstance(current, cst.BaseExpression):
            continue  # imports are statements: expressions hold none
        stack.extend(current.children)


class _TidyImports(cst.CSTTransformer):
    """Give a parenthesized one-name-per-line import whose names were added or removed the
    same layout again: one name a line, a trailing comma, ``)`` on a line of its own (LibCST's
    import visitors join added names on the first line and drop the last line break with a
    removed last name). Comments on the names that stay are kept."""

    def __init__(self, changed: list[cst.ImportFrom]) -> None:
        self.changed = {id(node) for node in changed}

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if id(original) not in self.changed or updated.lpar is None or isinstance(updated.names, cst.ImportStar):
            return updated
        opening = updated.lpar.whitespace_after
        if not isinstance(opening, cst.ParenthesizedWhitespace):
            return updated  # `from m import (a, b)` on one line: left as it is
        line = opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        close = line.with_changes(last_line=cst.SimpleWhitespace(""))
        names = list(updated.names)
        tidy = []
        for index, alias in enumerate(names):
            last = index == len(names) - 1
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
        return updated.with_changes(names=tidy, rpar=updated.rpar.with_changes(whitespace_before=cst.SimpleWhitespace("")))
