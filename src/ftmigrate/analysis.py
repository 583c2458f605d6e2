"""What a codemod may ask about a module, and how it says what to change: the analysis context.

Codemods analyse CPython's ``ast`` of the module, resolved once by :mod:`ftmigrate.resolve`, so
that ``lint`` never needs LibCST and ``rewrite`` needs it only where the code changes. An
analysis reports diagnostics (``report``) and, for fixes that are applied, registers edits:
a function of a LibCST node registered on the ``ast`` node it replaces (``edit``), statement
operations (``remove_statement``, ``insert_statements``, ``guard_rest``, ``unwrap``), TODO
comments and import changes. :mod:`ftmigrate.apply` then parses only the statements that hold
an edit with LibCST, runs the edits on them (in codemod order, inner nodes first, each edit
getting what the previous one made of the node), and writes the result back in place, so
everything else keeps its bytes.

Nothing here imports LibCST: the functions registered with ``edit`` import it when they run.
"""

from __future__ import annotations

import ast
import functools
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ftmigrate.api.legacy.surface import LOW_LEVEL_HELPERS, RECIPES
from ftmigrate.api.targets import DEFAULT_TARGET
from ftmigrate.diagnostics import NONE, SAFE, UNSAFE, Diagnostic
from ftmigrate.resolve import ASSIGN, ANNASSIGN, CLASS, DEF, IMPORT, PARAM, Binding, Resolver, Scope, dotted, head_name
from ftmigrate.source import Source, literal
from ftmigrate.todo import PREFIX, entry as todo_entry

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
#: SDK classes the rules look at, also when imported from the submodule that defines them.
SDK_SUBMODULE_NAMES = frozenset({"WeightSyncer", "DeploymentSampler", "TrainerJobManager", "DeploymentManager"})

#: Where target names are imported from when the legacy import's module is gone at the target.
TARGET_MODULE = "training.utils"
_CONFIG_MODULE_NAMES = frozenset({"TrainerConfig", "DeployConfig", "ConcurrencyConfig", "WandBConfig", "WeightSyncScope"})

TODO_PREFIX = PREFIX

_SUPPRESS = re.compile(r"#\s*ftmigrate:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[^\]]*)\])?", re.I)
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.I)
_MAYBE_SUPPRESSION = re.compile(r"ftmigrate:|noqa:", re.I)

#: Calls whose result is a copy of their first argument (same kind of value).
COPIES = ("dataclasses.replace", "copy.copy", "copy.deepcopy")

_VALUE_CLASSES = frozenset({"InfraConfig", "WeightSyncConfig", "HotloadConfig"})

#: Recipe Config keywords and the kind of value they take (``trainer=`` is the port of ``infra=``).
_DESTINATIONS = {
    "infra": ("InfraConfig", None),
    "trainer": ("InfraConfig", None),
    "weight_sync": ("WeightSyncConfig", None),
    "hotload": ("HotloadConfig", None),
}


@dataclass(frozen=True)
class Ref:
    """What a name or attribute resolves to, when it is one of ours.

    ``kind`` is ``legacy`` (a legacy name under ``training.``), ``vendored`` (a legacy name
    under a root listed in ``legacy-modules``), ``recipe`` (``training.recipes.<recipe>[.attr]``),
    ``unknown_recipe`` (a module under ``training.recipes`` that is not one of the six, its
    ``Config`` or ``main``), ``target`` (a target name under ``training.``) or ``sdk``
    (``fireworks.training.sdk``).
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
        if parts[1] == "recipes" and len(parts) in (3, 4) and (len(parts) == 3 or parts[3] in ("Config", "main")):
            # A recipe module that is not one of the six (one added later, a fork in the
            # cookbook's tree): its fields cannot be looked up, so its calls are left alone.
            attr = parts[3] if len(parts) > 3 else ""
            return Ref("unknown_recipe", attr, ".".join(parts[:3]), parts[2])
        name, module = parts[-1], ".".join(parts[:-1])
        if name in LEGACY_SYMBOLS:
            return Ref("legacy", name, module)
        if name in TARGET_SYMBOLS:
            return Ref("target", name, module)
        return None
    if qualified.startswith(SDK_MODULE + ".") and len(parts) == 4:
        return Ref("sdk", parts[-1], SDK_MODULE)
    if qualified.startswith(SDK_MODULE + ".") and len(parts) > 4 and parts[-1] in SDK_SUBMODULE_NAMES:
        # ``from fireworks.training.sdk.weight_syncer import WeightSyncer``: the same class.
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
    #: The cookbook surface the code is ported to / checked against (a name of
    #: ``ftmigrate.api.targets.TARGETS``); ``Analysis.profile`` is its profile.
    target: str = DEFAULT_TARGET
    #: ``--upgrade-from``: the earlier target that code reading the same at both is written for
    #: (None: such code is taken as written for ``target``).
    upgrade_from: str | None = None


@dataclass
class Suppressions:
    file: bool = False
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None = all codes
    used: set[int] = field(default_factory=set)

    @classmethod
    def scan(cls, source: Source, tree: ast.Module | None = None, resolver: Resolver | None = None) -> Suppressions:
        """The suppression comments of a module. Only lines that mention ``ftmigrate:`` or
        ``noqa:`` are looked at, and a match counts only outside string literals."""
        found = cls()
        lowered = source.text.lower()
        candidates: set[int] = set()
        for needle in ("ftmigrate:", "noqa:"):
            at = lowered.find(needle)
            while at != -1:
                candidates.add(source.line_at(at))
                at = lowered.find(needle, at + 1)
        if not candidates:
            return found
        strings = _string_spans(tree, resolver, candidates) if tree is not None else {}
        for number in sorted(candidates):
            line = source.line(number)
            comment = _comment_of(line, strings.get(number, ()))
            if comment is None:
                continue
            m = _SUPPRESS.search(comment)
            if m:
                if m.group("file"):
                    found.file = True
                    continue
                codes = m.group("codes")
                found.lines[number] = frozenset(c.strip() for c in codes.split(",") if c.strip()) if codes else None
                continue
            m = _NOQA.search(comment)
            if m:
                codes = frozenset(re.split(r"[\s,]+", m.group("codes").upper()))
                ours = frozenset(c for c in codes if c.startswith("FTM"))
                if ours:
                    found.lines[number] = ours
        return found

    def covers(self, line: int, code: str) -> bool:
        codes = self.lines.get(line, frozenset())
        if codes is None or code in codes:
            self.used.add(line)
            return True
        return False


def _string_spans(tree: ast.Module, resolver: Resolver | None, lines: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Per line in ``lines``, the (byte) column ranges covered by string literals (whole lines
    inside a multi-line string are covered from 0 to the end)."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if resolver is not None:
        nodes: Iterable[ast.AST] = [*resolver.of_type(ast.Constant), *resolver.of_type(ast.JoinedStr)]
    else:
        nodes = ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
            first, last = node.lineno, node.end_lineno or node.lineno
            for line in lines:
                if first <= line <= last:
                    start = node.col_offset if line == first else 0
                    end = node.end_col_offset if line == last else 1 << 30
                    spans[line].append((start, end))  # type: ignore[arg-type]
    return spans


def _comment_of(line: str, strings: Iterable[tuple[int, int]]) -> str | None:
    """The comment on ``line``: from the first ``#`` that is not inside a string literal."""
    raw = line.encode("utf-8")
    start = 0
    while True:
        index = raw.find(b"#", start)
        if index < 0:
            return None
        if not any(a <= index < b for a, b in strings):
            return raw[index:].decode("utf-8", errors="replace").rstrip("\r\n")
        start = index + 1


class Codemod:
    """Base class of a codemod: one migration step.

    Subclasses implement :meth:`analyze` (the whole module is at hand through ``self.ctx``, an
    :class:`Analysis`): they report what they find and, for fixes that apply, register the edits.
    """

    #: Codes this codemod may report.
    CODES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: Analysis) -> None:
        self.ctx = ctx

    def analyze(self) -> None:  # pragma: no cover - every codemod overrides it
        raise NotImplementedError


#: An edit: called with the original LibCST node and what earlier edits made of it.
Edit = Callable[[Any, Any], Any]


#: How far up from a file a module of its project is looked for (``from configs import base``
#: in ``tests/test_x.py`` finds ``configs/base.py`` one level up).
_PROJECT_LEVELS = 6


@functools.lru_cache(maxsize=4096)
def project_module_uses_cookbook(start: str, module: tuple[str, ...], level: int, roots: tuple[str, ...]) -> bool | None:
    """Whether the module ``module`` (``level`` leading dots: relative to ``start``, else looked
    for in ``start`` and the folders above it), as a file of the project, imports the cookbook
    (or a listed vendored copy); None when no such file is found. Read as sources are (a
    regular file under the size cap: a FIFO or a device is never read); nothing is executed."""
    from ftmigrate.fileio import FileError, read_bytes
    from ftmigrate.prefilter import Prefilter

    if level:
        bases = [os.path.normpath(os.path.join(start, *[".."] * (level - 1)))]
    else:
        bases, here = [], start
        for _ in range(_PROJECT_LEVELS):
            bases.append(here)
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
    for base in bases:
        for candidate in (os.path.join(base, *module) + ".py", os.path.join(base, *module, "__init__.py")):
            if not os.path.isfile(candidate):
                continue
            try:
                data = read_bytes(candidate)
            except FileError:
                return False
            return Prefilter(roots).imports_root(data)
    return None


class Analysis:
    """One pass over one module: resolution, reporting, and the edits to make."""

    def __init__(
        self,
        source: Source,
        tree: ast.Module,
        options: Options,
        suppressions: Suppressions,
        *,
        first_pass: bool = True,
        path: str = "",
        resolver: Resolver | None = None,
    ) -> None:
        self.source = source
        self.tree = tree
        self.options = options
        self.suppressions = suppressions
        self.first_pass = first_pass
        self.path = path
        self.resolver = resolver or Resolver(tree)
        self.diagnostics: list[Diagnostic] = []
        #: Per-codemod scratch space shared between codemods (keyed by a string).
        self.shared: dict[str, Any] = {}
        #: The codemod now analysing (edits are ordered by it).
        self.current = 0
        #: id(ast node) -> (node, [(codemod index, sequence, edit, text edit or None)]).
        self.edits: dict[int, tuple[ast.AST, list[tuple[int, int, Edit, tuple[int, int, str] | None]]]] = {}
        self._sequence = 0
        #: Statements a fix was applied in (their lost comments are put back above them).
        self.touched: dict[int, ast.stmt] = {}
        #: Statements to remove (their leading comments and blank lines move to the next one).
        self.removed: dict[int, ast.stmt] = {}
        #: New statements (LibCST nodes, made when applied) before / after an original statement.
        self.inserted_before: dict[int, tuple[ast.stmt, list[Callable[[], list[Any]]]]] = {}
        self.inserted_after: dict[int, tuple[ast.stmt, list[Callable[[], list[Any]]]]] = {}
        #: Statements that the statements inserted before them are separated from by a blank line.
        self.separated: set[int] = set()
        #: Statements whose block remainder runs under ``try: ... finally: <made>``.
        self.guards: dict[int, tuple[ast.stmt, Callable[[], list[Any]]]] = {}
        #: Compound statements replaced by the statements of their body.
        self.unwrapped: dict[int, ast.stmt] = {}
        #: TODO entries (``ftmigrate.todo.entry``) to put above statements.
        self.todos: dict[int, tuple[ast.stmt, list[str]]] = {}
        self._todo_keys: dict[int, list[tuple[int, int, int, int]]] = {}
        #: Import requests: ("add"|"drop", module, name, asname, anchor statement or None).
        self.import_requests: list[tuple[str, str, str | None, str | None, ast.stmt | None]] = []
        #: Where each add request comes from (its site's position), to handle them in source order.
        self.request_sites: list[tuple[int, int]] = []
        #: The imported name each add request stands in for (its site's import), if any.
        self.request_replaces: list[str | None] = []
        self._seen_requests: set[tuple[str, str, str | None, str | None]] = set()
        self._ref_cache: dict[int, Ref | None] = {}
        self._kind_cache: dict[int, Any] = {}

    def release(self) -> None:
        """Break this pass's reference cycles (plans and caches in ``shared`` that point back
        here, the resolver's scopes and bindings): the pass is then freed by reference counting
        as soon as it is dropped, with the cyclic collector off (see ``Resolver.release``)."""
        self.shared.clear()
        self.edits.clear()
        self.resolver.release()

    @property
    def profile(self) -> Any:
        """The :class:`ftmigrate.api.profiles.Profile` of ``options.target``: the surface the code
        is ported to and checked against (its fields, signatures and differences)."""
        from ftmigrate.api import profiles

        return profiles.get(self.options.target)

    # --- the tree ------------------------------------------------------------------------------

    def nodes(self, *types: type) -> list[Any]:
        """Every node of the given types in the module, in source order."""
        if len(types) == 1:
            return self.resolver.of_type(types[0])
        found: list[Any] = []
        for kind in types:
            found.extend(self.resolver.of_type(kind))
        found.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
        return found

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.resolver.parent_of(node)

    def statement_of(self, node: ast.AST) -> ast.stmt | None:
        """The innermost statement that holds ``node`` (``node`` itself when it is one)."""
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.resolver.parent_of(current)
        return current  # type: ignore[return-value]

    def within(self, node: ast.AST, container: ast.AST) -> bool:
        """Whether ``node`` is ``container`` or lies inside it."""
        current: ast.AST | None = node
        while current is not None:
            if current is container:
                return True
            current = self.resolver.parent_of(current)
        return False

    def block_of(self, stmt: ast.stmt) -> tuple[ast.AST, str, list[ast.stmt]] | None:
        """The block holding ``stmt``: (its owner, the field name, the statement list)."""
        owner = self.resolver.parent_of(stmt) or self.tree
        for name in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(owner, name, None)
            if isinstance(block, list) and any(s is stmt for s in block):
                return owner, name, block
        return None

    def alone_on_line(self, stmt: ast.stmt) -> bool:
        """Whether ``stmt`` is the only statement on its line(s) (no ``;`` neighbour, not the
        body of a one-line compound statement)."""
        found = self.block_of(stmt)
        if found is None:
            return False
        owner, _, block = found
        index = next(i for i, s in enumerate(block) if s is stmt)
        if index > 0 and block[index - 1].end_lineno == stmt.lineno:  # type: ignore[attr-defined]
            return False
        if index + 1 < len(block) and block[index + 1].lineno == stmt.end_lineno:  # type: ignore[attr-defined]
            return False
        line = self.source.line(stmt.lineno)
        return not line[: self.source.column(stmt.lineno, stmt.col_offset)].strip()

    def at_module_level(self, node: ast.AST) -> bool:
        stmt = self.statement_of(node)
        return stmt is not None and self.resolver.parent_of(stmt) is None or self.resolver.parent_of(stmt) is self.tree  # type: ignore[arg-type]

    def position(self, node: ast.AST) -> tuple[int, int, int, int]:
        """(line, column, end line, end column), 1-based columns in characters."""
        (l1, c1), (l2, c2) = self.source.start(node), self.source.end(node)
        return l1, c1 + 1, l2, c2 + 1

    def code(self, node: ast.AST) -> str:
        return self.source.code(node)

    def flat(self, node: ast.AST) -> str:
        return self.source.flat(node)

    # --- resolution --------------------------------------------------------------------------

    def scope(self, node: ast.AST) -> Scope | None:
        """The scope ``node`` is evaluated in."""
        return self.resolver.scope_of(node)

    def qualified_names(self, node: ast.AST) -> set[str]:
        return self.resolver.qualified_names(node)

    def resolvable(self, node: ast.AST) -> bool:
        """Whether the name a ``Name`` / ``Attribute`` chain starts with is bound in this file
        (an import, a class or function of the file, an assignment) or is a builtin: what it
        is can be told, as opposed to a name from nowhere (a star import)."""
        head = head_name(node)
        if head is None:
            return False
        return bool(self.resolver.bindings_at(head)) or bool(self.resolver.qualified_names(head))

    def ref(self, node: ast.AST) -> Ref | None:
        """What ``node`` resolves to, when all its possible bindings agree and it is ours."""
        key = id(node)
        if key not in self._ref_cache:
            self._ref_cache[key] = self._ref(node)
        return self._ref_cache[key]

    @property
    def imported_names(self) -> frozenset[str]:
        """Every name some import of the module binds (anywhere): a name that is not one of
        them resolves to nothing of interest, and is rejected at once."""
        names = self.shared.get("imported_names")
        if names is None:
            names = self.shared["imported_names"] = frozenset(b.name for b in self.resolver.all_bindings() if b.kind == IMPORT)
        return names

    def references(self, kind: str | None = None, *names: str) -> list[tuple[ast.AST, Ref]]:
        """Every name read and dotted name (``Name`` / ``Attribute``) that resolves to one of
        ours, in source order, with what it resolves to; filtered by ``kind`` and ``names``.
        Worked out once per pass: the codemods ask this instead of walking every name."""
        found = self.shared.get("references")
        if found is None:
            imported = self.imported_names
            found = []
            for node in self.nodes(ast.Name):
                if node.id in imported and type(node.ctx) is ast.Load:
                    ref = self.ref(node)
                    if ref is not None:
                        found.append((node, ref))
            for node in self.nodes(ast.Attribute):
                head = head_name(node)
                if head is not None and head.id in imported:
                    ref = self.ref(node)
                    if ref is not None:
                        found.append((node, ref))
            found.sort(key=lambda item: (item[0].lineno, item[0].col_offset, -item[0].end_col_offset))  # type: ignore[attr-defined]
            self.shared["references"] = found
        if kind is None:
            return found
        return [(n, r) for n, r in found if r.kind == kind and (not names or r.name in names)]

    def calls(self) -> list[ast.Call]:
        """The calls whose function is reached through an import (``InfraConfig(...)``,
        ``rl_loop.main(...)``, ``dataclasses.replace(...)``): the only ones that can be ours."""
        found = self.shared.get("imported_calls")
        if found is None:
            imported = self.imported_names
            found = []
            for call in self.nodes(ast.Call):
                head = head_name(call.func)
                if head is not None and head.id in imported:
                    found.append(call)
            self.shared["imported_calls"] = found
        return found

    def _ref(self, node: ast.AST) -> Ref | None:
        head = head_name(node)
        if head is None or head.id not in self.imported_names:
            return None
        bindings = self.resolver.bindings_at(head)
        if not bindings:
            return None
        imports = [b for b in bindings if b.kind == IMPORT]
        if not imports:
            return None
        if len(imports) != len(bindings):
            # ``try: from training.recipes import rl_loop`` / ``except ImportError: rl_loop =
            # None``: the fallback binding is not a second meaning of the name.
            if not all(self._in_import_fallback(b) for b in bindings if b.kind != IMPORT):
                return None
        suffix = dotted(node)[len(head.id) :]  # type: ignore[index]
        refs = {classify(b.qualified + suffix, self.options.vendored_roots) for b in imports}  # type: ignore[operator]
        if None in refs:
            return None
        # The same name bound from two cookbook modules (training.utils and
        # training.utils.config both export InfraConfig) is still that one name.
        if len({(r.kind, r.name, r.recipe) for r in refs}) != 1:  # type: ignore[union-attr]
            return None
        return min(refs, key=lambda r: r.module)  # type: ignore[union-attr]

    def _in_import_fallback(self, binding: Binding) -> bool:
        """Whether ``binding`` sits in an ``except ImportError`` (``ModuleNotFoundError``, bare
        ``except``) handler."""
        current: ast.AST | None = binding.node
        while current is not None and not isinstance(current, ast.ExceptHandler):
            current = self.resolver.parent_of(current)
        if current is None:
            return False
        kind = current.type
        if kind is None:
            return True
        names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
        return any(dotted(e) in {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"} for e in names)

    def legacy(self, node: ast.AST, *names: str) -> Ref | None:
        """The legacy ref of ``node`` if it is one of ``names`` (or any legacy name)."""
        ref = self.ref(node)
        if ref is not None and ref.kind == "legacy" and (not names or ref.name in names):
            return ref
        return None

    def recipe(self, node: ast.AST, attr: str) -> str | None:
        """The recipe whose ``attr`` (``Config`` / ``main``) ``node`` is, if any."""
        ref = self.ref(node)
        if ref is not None and ref.kind == "recipe" and ref.name == attr:
            return ref.recipe
        return None

    def config_recipe(self, call: ast.Call) -> str | None:
        """The recipe whose Config ``call`` builds with its keywords: ``rl_loop.Config(...)``, or
        ``functools.partial(rl_loop.Config, ...)`` (the same keywords, bound ahead)."""
        recipe = self.recipe(call.func, "Config")
        if recipe is None and call.args and not isinstance(call.args[0], ast.Starred):
            if self.is_call_to(call, "functools.partial"):
                return self.recipe(call.args[0], "Config")
        return recipe

    def unknown_recipe_calls(self) -> list[tuple[ast.Call, Ref]]:
        """Calls of ``Config`` / ``main`` of a recipe module ftmigrate does not know, that pass
        something of the legacy surface (a legacy keyword or manager, a legacy value): each is
        reported once and left whole, the values inside it included (never half ported)."""
        found = self.shared.get("unknown_recipe_calls")
        if found is None:
            found = []
            for call in self.calls():
                ref = self.ref(call.func)
                if ref is None or ref.kind != "unknown_recipe" or ref.name not in ("Config", "main"):
                    continue
                if self._legacy_arguments(call, ref.name):
                    found.append((call, ref))
            self.shared["unknown_recipe_calls"] = found
        return found

    def _legacy_arguments(self, call: ast.Call, attr: str) -> list[str]:
        """What in a recipe call belongs to the legacy surface (keywords, ``main``'s managers)."""
        from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS, LEGACY_MAIN_PARAMS

        if attr == "Config":
            legacy = {name for fields in LEGACY_CONFIG_FIELDS.values() for name in fields}
        else:
            legacy = {name for params in LEGACY_MAIN_PARAMS.values() for name in params} | {"on_resources_ready"}
        found = [f"{k.arg}=" for k in call.keywords if k.arg in legacy]
        if attr == "main" and len(positional(call)) > 1:
            found.append("positional managers")
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            for node in ast.walk(arg):
                if isinstance(node, (ast.Name, ast.Attribute)) and self.legacy(node) is not None:
                    found.append(self.flat(node))
                    break
        return found

    def left_alone(self, node: ast.AST) -> bool:
        """Whether ``node`` is part of a call that is left whole (:meth:`unknown_recipe_calls`):
        inside its arguments, or a value bound to a name that is read only there."""
        calls = self.unknown_recipe_calls()
        if not calls:
            return False
        if any(self.within(node, call) for call, _ in calls):
            return True
        parent = self.parent(node)
        if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            scope = self.scope(parent.targets[0])
            bindings = [b for b in self.bindings_in(scope, parent.targets[0].id) if b.node is parent.targets[0]] if scope else []
            reads = self.reads_of(bindings[0]) if len(bindings) == 1 else []
            return bool(reads) and all(any(self.within(r, call) for call, _ in calls) for r in reads)
        return False

    def is_call_to(self, call: ast.Call, qualified: str) -> bool:
        """Whether ``call`` calls the function ``qualified`` (``dataclasses.replace`` ...)."""
        head = head_name(call.func)
        if head is None or head.id not in self.imported_names:
            return False
        return qualified in self.resolver.qualified_names(call.func)

    def bindings(self, name: ast.Name) -> list[Binding] | None:
        """How the name read at ``name`` can have been bound (None: not resolvable here)."""
        if not isinstance(name, ast.Name):
            return None
        return self.resolver.bindings_at(name) or None

    def reads_of(self, binding: Binding) -> list[ast.Name]:
        """Every read of ``binding`` (in source order)."""
        return self.resolver.reads_of(binding)

    def named_in_strings(self, binding: Binding) -> bool:
        """Whether a string annotation (or ``typing.cast`` type) reads ``binding``."""
        names = self.shared.get("names_in_strings")
        if names is None:
            names = self.shared["names_in_strings"] = defaultdict(list)
            for node in self.nodes(ast.Constant):
                if isinstance(node.value, str) and node.value and self.string_annotation(node) is not None:
                    for sub in ast.walk(self.string_annotation(node)):  # type: ignore[arg-type]
                        if isinstance(sub, ast.Name):
                            names[sub.id].append(self.scope(node))
        for scope in names.get(binding.name, ()):
            if scope is not None and binding in (self.resolver.lookup(scope, binding.name) or ()):
                return True
        return False

    def binding_of_alias(self, alias: ast.alias) -> Binding | None:
        """The binding an import's ``alias`` makes."""
        scope = self.scope(alias)
        if scope is None or alias.name == "*":
            return None
        name = alias.asname or alias.name.split(".")[0] if isinstance(self.parent(alias), ast.Import) else alias.asname or alias.name
        target = scope.module if name in scope.globals else scope
        for binding in target.bindings.get(name, ()):
            if binding.node is alias:
                return binding
        return None

    def bindings_in(self, scope: Scope, name: str) -> list[Binding]:
        """The bindings of ``name`` made in ``scope`` itself."""
        return list(scope.bindings.get(name, ())) if scope is not None else []

    def import_bindings(self, node: ast.AST) -> list[ast.stmt]:
        """Every ``Import`` / ``ImportFrom`` statement that may bind the name ``node`` starts with."""
        head = head_name(node)
        if head is None:
            return []
        found: list[ast.stmt] = []
        for binding in self.resolver.bindings_at(head) or ():
            if binding.kind == IMPORT and binding.statement not in found:
                found.append(binding.statement)  # type: ignore[arg-type]
        return found

    def _imported_as(self, node: ast.AST) -> str | None:
        """The name the import binding ``node``'s head imports (``InfraConfig`` for ``IC``)."""
        head = head_name(node)
        for binding in (self.resolver.bindings_at(head) or ()) if head is not None else ():
            if binding.kind == IMPORT:
                return binding.node.name  # type: ignore[attr-defined]
        return None

    def import_binding(self, node: ast.AST) -> ast.stmt | None:
        found = self.import_bindings(node)
        return found[0] if found else None

    def value_kind(self, expr: ast.AST, depth: int = 0, _resolving: frozenset[int] = frozenset()) -> tuple[str, str | None] | None:
        """What a value is known to be: ``("InfraConfig", None)``, ``("recipe", "rl_loop")``,
        ``("WeightSyncConfig", None)`` ... or None when it cannot be told from this file.

        Known means: built by a call to the class, ``dataclasses.replace`` of a known value,
        annotated with the class, or read as ``.infra`` / ``.weight_sync`` of a known recipe
        Config. Every binding of a name must agree.
        """
        if depth == 0 and not _resolving:
            key = id(expr)
            if key not in self._kind_cache:
                self._kind_cache[key] = self._value_kind(expr, 0, _resolving)
            return self._kind_cache[key]
        return self._value_kind(expr, depth, _resolving)

    def _value_kind(self, expr: ast.AST, depth: int, _resolving: frozenset[int]) -> tuple[str, str | None] | None:
        if depth > 8:
            return None
        if isinstance(expr, ast.Call):
            ref = self.ref(expr.func)
            if ref is not None and ref.kind == "legacy" and ref.name in _VALUE_CLASSES:
                return (ref.name, None)
            if ref is not None and ref.kind == "recipe" and ref.name == "Config":
                return ("recipe", ref.recipe)
            if expr.args and not isinstance(expr.args[0], ast.Starred) and any(self.is_call_to(expr, copier) for copier in COPIES):
                return self.value_kind(expr.args[0], depth + 1, _resolving)
            fn = self.local_function(expr.func)
            if fn is not None and id(fn) not in _resolving and not _is_generator(fn):
                # A helper of this file (`def default_config() -> rl_loop.Config`): what it returns.
                return self._returned_kind(fn, depth + 1, _resolving | {id(fn)})
            return None
        if isinstance(expr, ast.Attribute):
            owner = self.value_kind(expr.value, depth + 1, _resolving)
            if owner is not None and owner[0] == "recipe":
                if expr.attr == "infra":
                    return ("InfraConfig", None)
                if expr.attr == "trainer":  # what `.infra` is ported to (and 2026-06 code has)
                    return ("TrainerConfig", None)
                if expr.attr in ("weight_sync", "hotload"):
                    return ("WeightSyncConfig" if expr.attr == "weight_sync" else "HotloadConfig", None)
            if owner is None:
                return self._instance_attribute_kind(expr, depth, _resolving) or self._declared_field_kind(expr)
            return None
        if isinstance(expr, ast.Name):
            bindings = self.bindings(expr)
            if not bindings:
                return None
            kinds = set()
            for b in bindings:
                if id(b.node) in _resolving:
                    continue  # `x = replace(x, ...)`: this binding is the one being worked out
                if b.kind in (PARAM, ANNASSIGN) and b.annotation is not None:
                    kinds.add(self.annotation_kind(b.annotation))
                elif b.kind == PARAM and expr.id in self._fixtures():
                    kinds.add(self._fixtures()[expr.id])
                elif b.kind == ASSIGN and b.value is not None:
                    if not _resolving:
                        cache = self.shared.setdefault("binding_kinds", {})
                        if id(b.node) not in cache:
                            cache[id(b.node)] = self.value_kind(b.value, depth + 1, _resolving | {id(b.node)})
                        kinds.add(cache[id(b.node)])
                    else:
                        kinds.add(self.value_kind(b.value, depth + 1, _resolving | {id(b.node)}))
                else:
                    return None
            if len(kinds) == 1:
                return kinds.pop()
        return None

    def destination_kind(self, expr: ast.AST, depth: int = 0) -> tuple[str, str | None] | None:
        """What a value must be, known from where it goes rather than where it comes from: the
        ``infra=`` / ``trainer=`` of a recipe Config takes the trainer settings (an InfraConfig,
        or its port), ``weight_sync=`` / ``hotload=`` the nested cadence config; a name bound
        once to the value and read only in such places goes there too."""
        if depth > 4:
            return None
        parent = self.parent(expr)
        if isinstance(parent, ast.keyword) and parent.value is expr:
            call = self.parent(parent)
            kind = _DESTINATIONS.get(parent.arg or "")
            if kind is None or not isinstance(call, ast.Call):
                return None
            if self.config_recipe(call) is not None:
                return kind
            if call.args and self.is_call_to(call, "dataclasses.replace"):
                owner = self.value_kind(call.args[0])
                return kind if owner is not None and owner[0] == "recipe" else None
            return None
        if isinstance(parent, ast.Assign) and parent.value is expr and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            scope = self.scope(parent.targets[0])
            bindings = [b for b in self.bindings_in(scope, parent.targets[0].id) if b.node is parent.targets[0]] if scope else []
            reads = self.reads_of(bindings[0]) if len(bindings) == 1 else []
            kinds = {self.destination_kind(read, depth + 1) for read in reads}
            return kinds.pop() if len(kinds) == 1 else None
        return None

    def method_class(self, name: ast.AST) -> ast.ClassDef | None:
        """The class whose method has ``name`` as its first parameter (``self``), if so."""
        if not isinstance(name, ast.Name):
            return None
        bindings = self.bindings(name)
        if not bindings or len({id(b.node) for b in bindings}) != 1 or bindings[0].kind != PARAM:
            return None
        param = bindings[0].node
        fn = bindings[0].scope.node
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        positional = [*fn.args.posonlyargs, *fn.args.args]
        if not positional or positional[0] is not param:
            return None
        if any(dotted(d) in ("staticmethod", "classmethod") for d in fn.decorator_list):
            return None
        owner = self.resolver.parent_of(fn)
        return owner if isinstance(owner, ast.ClassDef) else None

    def _instance_attribute_kind(self, expr: ast.Attribute, depth: int, _resolving: frozenset[int]) -> tuple[str, str | None] | None:
        """``self.cfg`` where every assignment to ``.cfg`` in the module is a ``self.cfg = ...``
        in a method of the same class, and all of them build the same kind of value."""
        cls = self.method_class(expr.value)
        if cls is None:
            return None
        attr = expr.attr
        if _resolving:  # inside a resolution: its answer depends on what is being resolved
            return self._scan_instance_attribute(cls, attr, depth, _resolving)
        cache = self.shared.setdefault("instance_attribute_kinds", {})
        key = (id(cls), attr)
        if key not in cache:  # one scan of the module's assignments per class and attribute
            cache[key] = self._scan_instance_attribute(cls, attr, depth, _resolving)
        return cache[key]

    def _declared_field_kind(self, expr: ast.Attribute) -> tuple[str, str | None] | None:
        """``exp.infra`` where ``exp`` is an instance of a class of this module whose body
        declares the field: ``infra: InfraConfig = field(...)`` (a dataclass field's type)."""
        cls = self.local_class(expr.value)
        if cls is None:
            return None
        annotation = self._class_annotation(cls, expr.attr)
        return self.annotation_kind(annotation) if annotation is not None else None

    def local_class(self, expr: ast.AST, depth: int = 0) -> ast.ClassDef | None:
        """The class of this module that ``expr`` is an instance of, when the file says so: a
        call of the class, a name every binding of which is such a call or is annotated with
        the class, ``self`` in one of its methods, or ``self.x`` / ``obj.x`` declared in a
        class body as ``x: TheClass``."""
        if depth > 4:
            return None
        if isinstance(expr, ast.Call):
            return self._class_named(expr.func)
        if isinstance(expr, ast.Attribute):
            owner = self.local_class(expr.value, depth + 1)
            annotation = self._class_annotation(owner, expr.attr) if owner is not None else None
            return self._annotated_class(annotation) if annotation is not None else None
        if not isinstance(expr, ast.Name):
            return None
        cls = self.method_class(expr)
        if cls is not None:
            return cls
        found: set[int] = set()
        result = None
        for b in self.bindings(expr) or ():
            if b.kind in (PARAM, ANNASSIGN) and b.annotation is not None:
                cls = self._annotated_class(b.annotation)
            elif b.kind == ASSIGN and isinstance(b.value, ast.Call):
                cls = self._class_named(b.value.func)
            else:
                return None
            if cls is None:
                return None
            found.add(id(cls))
            result = cls
        return result if len(found) == 1 else None

    def _annotated_class(self, annotation: ast.AST) -> ast.ClassDef | None:
        """The class of this module an annotation names (``X``, ``X | None``, ``Optional[X]``)."""
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [s for s in (annotation.left, annotation.right) if not _is_none(s)]
            return self._annotated_class(sides[0]) if len(sides) == 1 else None
        if isinstance(annotation, ast.Subscript):
            if "typing.Optional" in self.qualified_names(annotation.value) and not isinstance(annotation.slice, ast.Tuple):
                return self._annotated_class(annotation.slice)
            return None
        return self._class_named(annotation)

    def _class_named(self, node: ast.AST) -> ast.ClassDef | None:
        """The class statement a name reads, when its only binding is one."""
        if not isinstance(node, ast.Name):
            return None
        bindings = self.bindings(node) or []
        if len(bindings) == 1 and bindings[0].kind == CLASS and isinstance(bindings[0].node, ast.ClassDef):
            return bindings[0].node
        return None

    def _class_annotation(self, cls: ast.ClassDef, attr: str) -> ast.AST | None:
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr:
                return stmt.annotation
        return None

    def _scan_instance_attribute(self, cls: ast.ClassDef, attr: str, depth: int, _resolving: frozenset[int]) -> tuple[str, str | None] | None:
        kinds: set[tuple[str, str | None] | None] = set()
        annotation = self._class_annotation(cls, attr)  # a class-level annotation: `cfg: rl_loop.Config`
        if annotation is not None:
            kinds.add(self.annotation_kind(annotation))
        for assign in self._attribute_assignments(attr):
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            for target in targets:
                for node in _assigned_attributes(target, attr):
                    owner = self.method_class(node.value)
                    if owner is not None and owner is not cls and not _related(owner, cls):
                        continue  # another (unrelated) class's own attribute
                    if owner is not cls or isinstance(assign, ast.AugAssign):
                        return None  # set from outside the class: unknown
                    if len(targets) != 1 or not isinstance(target, ast.Attribute) or assign.value is None:
                        return None
                    if id(assign) in _resolving:
                        continue
                    kinds.add(self.value_kind(assign.value, depth + 1, _resolving | {id(assign)}))
        return kinds.pop() if len(kinds) == 1 else None

    def _attribute_assignments(self, attr: str) -> list[ast.stmt]:
        """Assignments whose targets include ``<something>.<attr>`` (indexed once per pass)."""
        index = self.shared.get("attribute_assignments")
        if index is None:
            index = defaultdict(list)
            for assign in self.nodes(ast.Assign, ast.AnnAssign, ast.AugAssign):
                targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
                names = {a.attr for t in targets for a in ast.walk(t) if isinstance(a, ast.Attribute)}
                for name in names:
                    index[name].append(assign)
            self.shared["attribute_assignments"] = index
        return index.get(attr, [])

    def _fixtures(self) -> dict[str, tuple[str, str | None] | None]:
        """Pytest fixtures defined in this module, by name, with the kind of what they return
        (a test's parameter named like a fixture gets the fixture's value)."""
        if "fixtures" not in self.shared:
            self.shared["fixtures"] = {}
            found = {}
            for stmt in self.tree.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and self._is_fixture(stmt):
                    found[_fixture_name(stmt)] = self._returned_kind(stmt)
            self.shared["fixtures"] = found
        return self.shared["fixtures"]

    def config_call(self, expr: ast.AST, *, loose: bool = False, depth: int = 0) -> ast.Call | None:
        """The recipe ``Config(...)`` call that ``expr`` evaluates to, when this file shows it: the
        call itself, a name bound once to it, or a call of a local function that returns it.
        ``loose``: also a ``functools.partial(<recipe>.Config, ...)`` (itself, or a call of a name
        bound to one) and a test's parameter named like a pytest fixture of the file."""
        if depth > 4:
            return None
        if isinstance(expr, ast.Call) and (self.config_recipe(expr) if loose else self.recipe(expr.func, "Config")) is not None:
            return expr
        name = expr.func if isinstance(expr, ast.Call) else expr
        if not isinstance(name, ast.Name):
            return None
        bindings = self.bindings(name) or []
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        again = functools.partial(self.config_call, loose=loose, depth=depth + 1)
        if isinstance(expr, ast.Name) and binding.kind in (ASSIGN, ANNASSIGN) and binding.value is not None:
            return again(binding.value)
        if loose and isinstance(expr, ast.Name) and binding.kind == PARAM:
            fixture = self.fixture_function(expr.id)  # a test's parameter named like a fixture of the file
            if fixture is not None:
                returns = [v for v in returned_values(fixture) if v is not None]
                return again(returns[0]) if len(returns) == 1 else None
            return None
        if loose and isinstance(expr, ast.Call) and binding.kind == ASSIGN and isinstance(binding.value, ast.Call):
            partial = binding.value  # make = functools.partial(sft_loop.Config, ...); make(...)
            return partial if self.config_recipe(partial) is not None and self.is_call_to(partial, "functools.partial") else None
        if isinstance(expr, ast.Call) and binding.kind == DEF:
            returns = returned_values(binding.node)  # type: ignore[arg-type]
            if len(returns) == 1 and returns[0] is not None:
                return again(returns[0])
        return None

    def fixture_function(self, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The pytest fixture of this module named ``name`` (what a test's parameter of that
        name receives), if there is one."""
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and _fixture_name(stmt) == name and self._is_fixture(stmt):
                return stmt
        return None

    def _is_fixture(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        for deco in fn.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if "pytest.fixture" in self.qualified_names(target):
                return True
        return False

    def _returned_kind(
        self, fn: ast.FunctionDef | ast.AsyncFunctionDef, depth: int = 1, _resolving: frozenset[int] = frozenset()
    ) -> tuple[str, str | None] | None:
        """The kind of what ``fn`` returns (or yields: a fixture's value), from its return
        annotation or from every value it returns."""
        if fn.returns is not None:
            kind = self.annotation_kind(fn.returns)
            if kind is not None:
                return kind
        values = [v for v in returned_values(fn) if v is not None]
        kinds = {self.value_kind(v, depth, _resolving) for v in values}
        return kinds.pop() if len(kinds) == 1 else None

    def local_function(self, func: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of this file a call's ``func`` names, when its only binding is one."""
        if not isinstance(func, ast.Name):
            return None
        bindings = self.bindings(func) or []
        if len(bindings) == 1 and bindings[0].kind == DEF and isinstance(bindings[0].node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return bindings[0].node
        return None

    @property
    def imports_cookbook(self) -> bool:
        """Whether the file imports from the cookbook (or a listed vendored copy) at all. A file
        that does not may still read legacy fields of Configs built in another module of the
        project (a test of ``configs/base.py``): those are reported on evidence only
        (:meth:`cookbook_evidence`)."""
        found = self.shared.get("imports_cookbook")
        if found is None:
            roots = ("training", *self.options.vendored_roots)
            found = False
            for node in (*self.nodes(ast.Import), *self.nodes(ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if not node.level else []
                if any(m == r or m.startswith(r + ".") for m in modules for r in roots):
                    found = True
                    break
            self.shared["imports_cookbook"] = found
        return found

    def from_cookbook_project_module(self, func: ast.AST) -> bool:
        """Whether ``func`` (what a call calls) is imported from a module of this project that
        itself imports the cookbook (``from configs import base``; ``base.dpo_config(...)``): what
        it returns may well be a recipe Config, so it is no look-alike."""
        if not self.path or self.path == "-":
            return False
        start = os.path.dirname(os.path.abspath(self.path))
        roots = tuple(self.options.vendored_roots)
        for qualified in self.resolver.qualified_names(func):
            level = len(qualified) - len(qualified.lstrip("."))
            parts = tuple(qualified.lstrip(".").split("."))
            for cut in range(len(parts) - 1, 0, -1):  # the longest module prefix that is a file
                found = project_module_uses_cookbook(start, parts[:cut], level, roots)
                if found is not None:
                    if found:
                        return True
                    break
        return False

    def unknown_may_be_ours(self, owner: ast.AST) -> bool:
        """Whether a legacy-looking field on ``owner``, a value of unknown type, is worth a
        finding (FTM031): not a look-alike (:meth:`foreign`), and, in a file that does not import
        the cookbook, known to come from a project module that does (:meth:`cookbook_evidence`)."""
        return not self.foreign(owner) and (self.imports_cookbook or self.cookbook_evidence(owner))

    def cookbook_evidence(self, expr: ast.AST, depth: int = 0) -> bool:
        """Whether ``expr`` is known to come from a module of this project that uses the
        cookbook: a call of one of its functions, a name bound to such a call, an attribute of
        such a value, or a test's parameter named like a fixture of the file that returns one."""
        if depth > 6:
            return False
        if isinstance(expr, ast.Attribute):
            return self.cookbook_evidence(expr.value, depth + 1)
        if isinstance(expr, ast.Call):
            if self.from_cookbook_project_module(expr.func):
                return True
            fn = self.local_function(expr.func)
            if fn is not None:
                return any(v is not None and self.cookbook_evidence(v, depth + 1) for v in returned_values(fn))
            return False
        if isinstance(expr, ast.Name):
            bindings = self.bindings(expr) or []
            for b in bindings:
                if b.kind in (ASSIGN, ANNASSIGN) and b.value is not None and self.cookbook_evidence(b.value, depth + 1):
                    return True
                if b.kind == PARAM:
                    fixture = self.fixture_function(expr.id)
                    if fixture is not None and any(v is not None and self.cookbook_evidence(v, depth + 1) for v in returned_values(fixture)):
                        return True
        return False

    def foreign(self, expr: ast.AST, depth: int = 0) -> bool:
        """Whether ``expr`` is known to be something that is not ours: built by a call to a
        resolvable callable of another project, or annotated with another type. A legacy-looking
        attribute on such a value is a look-alike, not an unknown receiver."""
        if depth > 8:
            return False
        cls = self.local_class(expr) if isinstance(expr, (ast.Name, ast.Call)) else None
        if cls is not None:  # an instance of a class of this module, unless it extends one of ours
            return not any(self.ref(base) is not None for base in cls.bases)
        if isinstance(expr, ast.Call):
            if any(self.is_call_to(expr, copier) for copier in COPIES):
                return bool(expr.args) and self.foreign(expr.args[0], depth + 1)
            fn = self.local_function(expr.func)
            if fn is not None:
                # A helper of this file: foreign only if what it returns is known to be.
                if fn.returns is not None:
                    return self._foreign_annotation(fn.returns)
                values = [v for v in returned_values(fn) if v is not None]
                return bool(values) and not _is_generator(fn) and all(self.foreign(v, depth + 1) for v in values)
            return self.ref(expr.func) is None and self.resolvable(expr.func) and not self.from_cookbook_project_module(expr.func)
        if isinstance(expr, ast.Attribute):
            cls = self.method_class(expr.value)
            if cls is not None:  # `self.cfg`: what the class says its attribute is
                return self._foreign_instance_attribute(cls, expr.attr, depth)
            return self.foreign(expr.value, depth + 1) and self.value_kind(expr.value) is None
        if isinstance(expr, ast.Name):
            bindings = self.bindings(expr)
            if not bindings:
                return False
            for b in bindings:
                if b.kind == ASSIGN and b.value is not None:
                    if not self.foreign(b.value, depth + 1):
                        return False
                elif b.kind in (PARAM, ANNASSIGN) and b.annotation is not None:
                    if not self._foreign_annotation(b.annotation):
                        return False
                else:
                    return False
            return True
        return False

    def _foreign_annotation(self, annotation: ast.AST) -> bool:
        """Whether an annotation names a type of another project (resolvable, and not ours)."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):  # `x: "mylab.Config"`
            inner = self.string_annotation(annotation)
            name = dotted(inner.body) if inner is not None else None
            scope = self.scope(annotation)
            if name is None or scope is None:
                return False
            if not self.resolver.lookup(scope, name.split(".", 1)[0]):
                return False  # a name from nowhere: unknown, not foreign
            names = self._qualified_in(scope, name)
            return all(classify(q, self.options.vendored_roots) is None for q in names)
        return self.annotation_kind(annotation) is None and self.resolvable(annotation)

    def _qualified_in(self, scope: Scope, name: str) -> set[str]:
        """The qualified names of the dotted ``name`` read in ``scope`` (through imports)."""
        head, _, rest = name.partition(".")
        suffix = "." + rest if rest else ""
        bindings = self.resolver.lookup(scope, head) or []
        return {b.qualified + suffix for b in bindings if b.qualified is not None}

    def _foreign_instance_attribute(self, cls: ast.ClassDef, attr: str, depth: int) -> bool:
        """``self.<attr>`` annotated in the class body with another project's type, or only
        ever assigned (in the class's methods) values that are not ours."""
        annotation = self._class_annotation(cls, attr)
        if annotation is not None:
            return self._foreign_annotation(annotation)
        values = []
        for assign in self._attribute_assignments(attr):
            if not isinstance(assign, ast.Assign):
                continue
            for target in assign.targets:
                if isinstance(target, ast.Attribute) and target.attr == attr:
                    owner = self.method_class(target.value)
                    if owner is None:
                        return False  # set from outside the class: it could be anything
                    if owner is cls:
                        values.append(assign.value)
        return bool(values) and all(self.foreign(value, depth + 1) for value in values)

    def annotation_kind(self, expr: ast.AST) -> tuple[str, str | None] | None:
        """The kind an annotation names (``X``, ``X | None``, ``Optional[X]``)."""
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            kinds = {self.annotation_kind(s) for s in (expr.left, expr.right) if not _is_none(s)}
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(expr, ast.Subscript):
            if "typing.Optional" in self.qualified_names(expr.value) and not isinstance(expr.slice, ast.Tuple):
                return self.annotation_kind(expr.slice)
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):  # `cfg: "rl_loop.Config"`
            refs = self.string_refs(expr)
            inner = self.string_annotation(expr)
            ref = refs[0][1] if len(refs) == 1 and refs[0][0] is _body(inner) else None
        else:
            ref = self.ref(expr)
        if ref is not None and ref.kind == "legacy" and ref.name in _VALUE_CLASSES:
            return (ref.name, None)
        if ref is not None and ref.kind == "recipe" and ref.name == "Config":
            return ("recipe", ref.recipe)
        return None

    def string_annotation(self, node: ast.Constant) -> ast.Expression | None:
        """The expression a string annotation holds (``x: "tu.InfraConfig"``), parsed: None when
        the string is not (part of) an annotation, holds escapes, or is not an expression."""
        cache = self.shared.setdefault("string_annotations", {})
        key = id(node)
        if key in cache:
            return cache[key]
        cache[key] = None
        current = self.resolver.parent_of(node)
        child: ast.AST = node
        while isinstance(current, (ast.Subscript, ast.BinOp, ast.Tuple, ast.List)):
            child, current = current, self.resolver.parent_of(current)
        if isinstance(current, ast.Call):  # typing.cast("X", value): a type as well
            if not (current.args and current.args[0] is child and self.is_call_to(current, "typing.cast")):
                return None
        elif not _is_annotation(current, child):
            return None
        code = self.code(node)
        prefix = code[: len(code) - len(code.lstrip("rRuUbBfF"))]
        body = code[len(prefix) :]
        if prefix.lower() not in ("", "u") or body[:3] in ('"""', "'''") or not body or body[0] not in "'\"":
            return None
        text = body[1:-1]
        if "\\" in text or not text.strip() or text != node.value:
            return None
        try:
            parsed = ast.parse(text.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        # Positions inside the string: the parsed nodes map to the string's text.
        offset = len(text) - len(text.lstrip())
        parsed.ftm_string = node  # type: ignore[attr-defined]
        parsed.ftm_offset = offset  # type: ignore[attr-defined]
        cache[key] = parsed
        return parsed

    def string_refs(self, node: ast.Constant) -> list[tuple[ast.AST, Ref]]:
        """Our names inside a string annotation: (the dotted name in the parsed expression, what
        it resolves to where the string stands). The parsed nodes are not in the module."""
        expr = self.string_annotation(node)
        scope = self.scope(node)
        if expr is None or scope is None:
            return []
        found = []
        for sub in _dotted_chains(expr.body):
            refs = {classify(q, self.options.vendored_roots) for q in self._qualified_in(scope, dotted(sub))}  # type: ignore[arg-type]
            if len(refs) == 1 and None not in refs:
                found.append((sub, refs.pop()))
        return found  # type: ignore[return-value]

    # --- reporting ---------------------------------------------------------------------------

    def report(
        self,
        node: ast.AST,
        code: str,
        message: str,
        *,
        fix: str = NONE,
        help: str = "",
        todo: bool = True,
        anchor: ast.AST | None = None,
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
        self.diagnostics.append(Diagnostic(code, message, line, col, end_line, end_col, fix=fix, fixed=apply, help=help))
        if apply:
            stmt = self.statement_of(node)
            if stmt is not None:
                self.touched[id(stmt)] = stmt
        elif rewriting and todo and fix == NONE:
            self.diagnostics[-1].todo = self.note_todo(anchor or node, code, message, help)
        return apply

    def would_apply(self, node: ast.AST, code: str, fix: str = SAFE) -> bool:
        """Whether :meth:`report` would apply this fix, without recording anything."""
        if code not in self.options.enabled or self.options.mode != "rewrite":
            return False
        if fix == UNSAFE and not self.options.unsafe or fix == NONE:
            return False
        codes = self.suppressions.lines.get(self.position(node)[0], frozenset())
        return not (codes is None or code in codes)

    def note_todo(self, node: ast.AST, code: str, message: str, help: str = "") -> str | None:
        """Leave a TODO above the statement holding ``node``: what to write instead (the first
        sentence of ``help``) and where the rest is (:mod:`ftmigrate.todo`). Returns its entry."""
        if self.options.mode != "rewrite":
            return None
        stmt = self.statement_of(node)
        if stmt is None:
            return None
        text = todo_entry(code, help, message)
        entry = self.todos.setdefault(id(stmt), (stmt, []))
        if text in entry[1]:
            return text
        # In the order of the sites, inner ones first (as a traversal leaves them): by where
        # the node ends, then the later start first; ties keep the order of the reports.
        key = (getattr(node, "end_lineno", 0), getattr(node, "end_col_offset", 0), -getattr(node, "lineno", 0), -getattr(node, "col_offset", 0))
        keys = self._todo_keys.setdefault(id(stmt), [])
        index = next((i for i, k in enumerate(keys) if k > key), len(keys))
        keys.insert(index, key)
        entry[1].insert(index, text)
        return text

    def in_import(self, node: ast.AST) -> bool:
        """Whether ``node`` is part of an import statement (imports are managed apart)."""
        return isinstance(self.statement_of(node), (ast.Import, ast.ImportFrom))

    # --- edits -------------------------------------------------------------------------------

    def edit(self, node: ast.AST, change: Edit, *, keep_comments: bool = True, text: tuple[int, int, str] | None = None) -> None:
        """Change the LibCST node that corresponds to ``node`` with ``change(original,
        updated)`` when the file is rewritten (after the edits of earlier codemods, and of the
        nodes inside it). Comments the change drops from the statement are put back above it,
        unless ``keep_comments`` is False.

        ``text`` -- (start, end, new text), offsets in the module's text -- is the same change
        as a plain text replacement: it is used instead of LibCST when nothing else in the
        statement needs LibCST (renaming a name or a keyword costs no parse then).
        """
        entry = self.edits.setdefault(id(node), (node, []))
        self._sequence += 1
        entry[1].append((self.current, self._sequence, change, text))
        stmt = self.statement_of(node)
        if stmt is not None and keep_comments and text is None:
            self.touched[id(stmt)] = stmt

    def rename_attribute(self, node: ast.Attribute, new: str) -> None:
        """``x.<attr>`` -> ``x.<new>`` (``new`` may be dotted: ``trainer.job_id``)."""
        first, *rest = new.split(".")

        def change(original: Any, updated: Any) -> Any:
            import libcst as cst

            if not rest:
                return updated.with_changes(attr=cst.Name(first))
            value = cst.Attribute(value=updated.value, dot=updated.dot, attr=cst.Name(first))
            for part in rest[:-1]:
                value = cst.Attribute(value=value, attr=cst.Name(part))
            return updated.with_changes(value=value, attr=cst.Name(rest[-1]))

        self.edit(node, change, text=self._token_span(self.source.end(node), node.attr, new, before=True))

    def rename_keyword(self, kw: ast.keyword, new: str) -> None:
        """``name=value`` -> ``new=value`` in a call."""

        def change(original: Any, updated: Any) -> Any:
            return updated.with_changes(keyword=updated.keyword.with_changes(value=new))

        self.edit(kw, change, text=self._token_span(self.source.start(kw), kw.arg, new))  # type: ignore[arg-type]

    def replace_node(self, node: ast.AST, new: str, change: Edit) -> None:
        """Replace the whole of ``node`` (a name, say) by the code ``new``."""
        (l1, c1), (l2, c2) = self.source.start(node), self.source.end(node)
        self.edit(node, change, text=(self.source.offset(l1, c1), self.source.offset(l2, c2), new))

    def _token_span(self, at: tuple[int, int], token: str, new: str, *, before: bool = False) -> tuple[int, int, str] | None:
        """The text edit replacing ``token`` that ends (``before``) or starts at ``at``; None
        when the source does not spell it there (a normalized identifier: LibCST then)."""
        line, column = at
        start = column - len(token) if before else column
        if self.source.line(line)[start : start + len(token)] != token:
            return None
        offset = self.source.offset(line, start)
        return offset, offset + len(token), new

    def remove_statement(self, stmt: ast.stmt) -> None:
        """Remove ``stmt``, keeping its comments."""
        self.removed[id(stmt)] = stmt
        self.touched[id(stmt)] = stmt

    def insert_statements(self, stmt: ast.stmt, make: Callable[[], list[Any]], *, before: bool = False, separate: bool = False) -> None:
        """Put the statements ``make()`` returns (LibCST nodes) right after (or before) ``stmt``;
        ``separate``: with a blank line between them and ``stmt`` (another import section)."""
        target = self.inserted_before if before else self.inserted_after
        target.setdefault(id(stmt), (stmt, []))[1].append(make)
        if separate:
            self.separated.add(id(stmt))

    def guard_rest(self, stmt: ast.stmt, make_final: Callable[[], list[Any]]) -> None:
        """Run what follows ``stmt`` in its block -- the statements inserted after it first --
        inside ``try: ... finally: <make_final()>``."""
        self.guards[id(stmt)] = (stmt, make_final)
        self.touched[id(stmt)] = stmt

    def unwrap(self, stmt: ast.stmt) -> None:
        """Replace ``stmt``, a compound statement, by the statements of its body, dedented."""
        self.unwrapped[id(stmt)] = stmt
        self.touched[id(stmt)] = stmt

    @property
    def has_edits(self) -> bool:
        """Whether applying this pass would change anything: an edit, a statement operation, or
        a TODO comment its statement does not have above it yet."""
        if self.edits or self.removed or self.inserted_after or self.inserted_before or self.guards or self.unwrapped:
            return True
        return any(not self._has_todos(stmt, todos) for stmt, todos in self.todos.values())

    def _has_todos(self, stmt: ast.stmt, todos: list[str]) -> bool:
        """Whether every TODO in ``todos`` is on the comment lines right above ``stmt``."""
        decorators = getattr(stmt, "decorator_list", None)
        line = min(stmt.lineno, *(d.lineno for d in decorators)) - 1 if decorators else stmt.lineno - 1
        present = set()
        while line >= 1:
            stripped = self.source.line(line).strip()
            if stripped.startswith("#"):
                present.add(stripped)
            elif stripped:
                break
            line -= 1
        return all(t in present for t in todos)

    # --- imports -----------------------------------------------------------------------------

    def add_import(
        self,
        module: str,
        name: str | None = None,
        asname: str | None = None,
        *,
        near: ast.AST | None = None,
        via: tuple[ast.AST, str] | None = None,
    ) -> None:
        """Import ``module`` (``name`` from it, as ``asname``) where the rewrite needs it: next to
        the import of ``near``'s name (in the same function when that import is local), else
        with the module's imports. ``via`` -- (a node, a name read there) -- anchors on the
        import of a name that is not a node of the module (one read inside a string annotation)."""
        anchor = self.import_binding(near) if near is not None else None
        if via is not None:
            scope = self.scope(via[0])
            imports = [b.statement for b in (self.resolver.lookup(scope, via[1]) or ()) if b.kind == IMPORT] if scope else []
            anchor = imports[0] if imports else None
        key = (module, name, asname, id(anchor) if anchor is not None and not self.at_module_level(anchor) else None)
        if ("add", *key) in self._seen_requests:  # type: ignore[operator]
            return
        self._seen_requests.add(("add", *key))  # type: ignore[arg-type]
        self.import_requests.append(("add", module, name, asname, anchor))
        self.request_sites.append(self.position(near)[:2] if near is not None and hasattr(near, "lineno") else (0, 0))
        if via is not None:
            bindings = [b for b in (self.resolver.lookup(self.scope(via[0]), via[1]) or ()) if b.kind == IMPORT] if self.scope(via[0]) else []
            self.request_replaces.append(bindings[0].node.name if bindings else None)  # type: ignore[attr-defined]
        else:
            self.request_replaces.append(self._imported_as(near) if near is not None else None)

    def drop_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        """Offer an import for removal; it goes only if nothing still uses it after the rewrite."""
        if ("drop", module, name, asname) in self._seen_requests:
            return
        self._seen_requests.add(("drop", module, name, asname))
        self.import_requests.append(("drop", module, name, asname, None))
        self.request_sites.append((0, 0))
        self.request_replaces.append(None)

    def drop_imports_of(self, node: ast.AST) -> None:
        """Offer for removal every import that binds the name ``node`` starts with."""
        head = head_name(node)
        if head is not None:
            self._drop_bindings(self.import_bindings(node), head.id)

    def drop_imports_named(self, where: ast.AST, name: str) -> None:
        """Offer for removal every import binding ``name`` as seen from ``where``."""
        scope = self.scope(where)
        if scope is None:
            return
        stmts = []
        for binding in self.resolver.lookup(scope, name) or ():
            if binding.kind == IMPORT and binding.statement not in stmts:
                stmts.append(binding.statement)
        self._drop_bindings(stmts, name)  # type: ignore[arg-type]

    def _drop_bindings(self, stmts: list[ast.stmt], head: str) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    continue
                for alias in stmt.names:
                    if alias.name != "*" and (alias.asname or alias.name) == head:
                        self.drop_import(stmt.module or "", alias.name, alias.asname)
            elif isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if (alias.asname or alias.name.split(".")[0]) == head:
                        self.drop_import(alias.name, None, alias.asname)

    def target_name(self, site: ast.AST, name: str, *, legacy: Ref | None = None) -> Spelling:
        """How to spell the target ``name`` in place of the legacy reference ``site``, imported
        as the file does.

        A reference through a module alias (``tu.InfraConfig``) becomes ``tu.TrainerConfig`` when
        that module still exports the name; otherwise the name is imported next to the legacy
        import (in the same function when the legacy import was local) or with the imports.
        """
        module = target_module_for(name, legacy.module if legacy else None)
        if isinstance(site, ast.Attribute) and legacy is not None and legacy.module == module:
            return Spelling(self, site, name, attribute=True)
        return Spelling(self, site, self.target_ref(site, module, name), attribute=False)

    def target_ref(self, site: ast.AST, module: str, name: str, *, via: str | None = None) -> str:
        """The local name of the cookbook's ``module.name``, imported near ``site`` (next to the
        import of the name ``via`` as read at ``site``, for a name inside a string)."""
        local = self.local_name(name)
        self.add_import(module, name, None if local == name else local, near=site, via=(site, via) if via else None)
        return local

    def replace_function(self) -> str:
        """``dataclasses.replace`` spelled the way this module already imports it (``dc.replace``
        after ``import dataclasses as dc``, ``replace`` after ``from dataclasses import
        replace``); otherwise ``dataclasses.replace``, with ``import dataclasses`` added."""
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name == "dataclasses":
                        return f"{alias.asname or 'dataclasses'}.replace"
            elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module == "dataclasses":
                for alias in stmt.names:
                    if alias.name == "replace":
                        return alias.asname or "replace"
        self.add_import("dataclasses")
        return "dataclasses.replace"

    def local_name(self, name: str) -> str:
        """The name this file can use for the cookbook's target ``name``: ``name`` itself, or,
        when the file already binds ``name`` to something else (its own ``TrainerConfig``
        class, another library's), an alias that is free: ``CookbookTrainerConfig``."""
        taken = self.shared.get("foreign_names")
        if taken is None:
            taken = self.shared["foreign_names"] = self._foreign_bound_names()
        if name not in taken:
            return name
        bound = self.shared.setdefault("all_bound_names", self.resolver.bound_names())
        base = ("Cookbook" if name[:1].isupper() else "cookbook_") + name
        alias, n = base, 2
        while alias in taken or alias in bound:
            alias, n = f"{base}{n}", n + 1
        return alias

    def _foreign_bound_names(self) -> set[str]:
        """Names bound in this file to something other than an import of that very name from
        the cookbook (a class or function of the file, a parameter, another package's import)."""
        foreign: set[str] = set()
        for binding in self.resolver.all_bindings():
            if binding.kind == IMPORT and binding.qualified is not None:
                q = binding.qualified
                if q.split(".")[0] == COOKBOOK_ROOT and q.rsplit(".", 1)[-1] == binding.name:
                    continue
            foreign.add(binding.name)
        return foreign


class Spelling:
    """A target name as the file spells it at one site: ``TrainerConfig``, ``tu.TrainerConfig``
    (the attribute of a module alias) or a free alias (``CookbookTrainerConfig``)."""

    def __init__(self, ctx: Analysis, site: ast.AST, name: str, *, attribute: bool) -> None:
        self.ctx, self.site, self.name, self.attribute = ctx, site, name, attribute

    def __call__(self, updated: Any) -> Any:
        """The LibCST expression for the site (``updated``: the site as earlier edits left it)."""
        import libcst as cst

        if self.attribute:
            return updated.with_changes(attr=cst.Name(self.name)) if isinstance(updated, cst.Attribute) else updated
        return cst.Name(self.name)

    @property
    def code(self) -> str:
        """The site's new code."""
        if self.attribute:
            return self.ctx.flat(self.site.value) + "." + self.name  # type: ignore[attr-defined]
        return self.name

    def replace(self) -> None:
        """Register the edit that respells the site itself."""
        if self.attribute:
            self.ctx.rename_attribute(self.site, self.name)  # type: ignore[arg-type]
        else:
            self.ctx.replace_node(self.site, self.name, lambda original, updated: self(updated))


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _body(expr: ast.Expression | None) -> ast.AST | None:
    return expr.body if expr is not None else None


def _is_annotation(owner: ast.AST | None, child: ast.AST) -> bool:
    if isinstance(owner, ast.arg):
        return owner.annotation is child
    if isinstance(owner, ast.AnnAssign):
        return owner.annotation is child
    if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return owner.returns is child
    return False


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether ``fn`` itself (not a function nested in it) yields."""
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _fixture_name(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    for deco in fn.decorator_list:
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if kw.arg == "name" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    return kw.value.value
    return fn.name


def returned_values(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST | None]:
    """The values ``fn`` returns or yields (None for a bare ``return``), not those of nested
    functions, lambdas or classes."""
    values: list[ast.AST | None] = []
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            values.append(node.value)
        elif isinstance(node, (ast.Yield,)) and node.value is not None:
            values.append(node.value)
        stack.extend(ast.iter_child_nodes(node))
    return values


def _related(a: ast.ClassDef, b: ast.ClassDef) -> bool:
    """Whether one of two classes names the other (or anything but ``object``) as a base."""
    def bases(cls: ast.ClassDef) -> set[str | None]:
        return {dotted(base) for base in cls.bases} - {"object"}

    return bool(bases(a) or bases(b))


def _dotted_chains(expr: ast.AST) -> Iterable[ast.AST]:
    """The maximal dotted names (``a``, ``a.b.c``) in an expression."""
    if isinstance(expr, (ast.Name, ast.Attribute)) and dotted(expr) is not None:
        yield expr
        return
    for child in ast.iter_child_nodes(expr):
        yield from _dotted_chains(child)


def _assigned_attributes(target: ast.AST, attr: str) -> Iterable[ast.Attribute]:
    """The ``x.<attr>`` targets an assignment target binds (tuples and lists unpacked)."""
    if isinstance(target, ast.Attribute):
        if target.attr == attr:
            yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _assigned_attributes(element, attr)
    elif isinstance(target, ast.Starred):
        yield from _assigned_attributes(target.value, attr)


# Helpers for codemods reading calls the ``ast`` way.


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def has_splat(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords)


def positional(call: ast.Call) -> list[ast.expr]:
    """The positional arguments before any ``*args``."""
    found = []
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            break
        found.append(arg)
    return found


def arguments(call: ast.Call) -> list[ast.AST]:
    """The call's arguments in source order (positional values, ``*x`` and keywords)."""
    return sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))


__all__ = [
    "Analysis", "Binding", "Codemod", "Options", "Ref", "Suppressions", "classify", "dotted", "literal",
    "keyword", "has_splat", "positional", "arguments", "returned_values", "target_module_for",
    "COOKBOOK_ROOT", "TARGET_MODULE", "TODO_PREFIX", "DEF",
]
