"""The ast resolver agrees with LibCST's scope analysis on the bindings that matter.

ftmigrate used LibCST's ``QualifiedNameProvider`` to tell which names are the cookbook's; the
resolver in ``ftmigrate.resolve`` answers the same question on CPython's ``ast`` in one pass.
For every name and dotted name of every fixture, example and generated program, both must name
the same cookbook (or SDK, or vendored) objects, through imports: aliases, module imports,
imports in functions, classes, comprehensions, ``global`` / ``nonlocal``, shadowing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider, QualifiedNameSource

from ftmigrate.analysis import classify
from ftmigrate.resolve import Resolver
from ftmigrate.source import Source

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*REPO.glob("fixtures/*/*.py"), *REPO.glob("examples/**/*.py"), *REPO.glob("tests/lint/data/legacy/*.py")]
)
VENDORED = ("mypkg.cookbook", "mypkg.training")


def ours(names: set[str]) -> set[str]:
    return {n for n in names if classify(n, VENDORED) is not None}


def libcst_view(text: str) -> dict[tuple[str, int, int, int, int], set[str]]:
    """(kind, position) -> the cookbook names LibCST resolves each Name / Attribute to."""
    wrapper = MetadataWrapper(cst.parse_module(text))
    positions = wrapper.resolve(PositionProvider)
    qualified = wrapper.resolve(QualifiedNameProvider)
    def names_of(node: cst.CSTNode) -> set[str]:
        names = qualified.get(node, ())
        if callable(names):  # LibCST computes some lazily
            names = names()
        return {q.name for q in names if q.source is QualifiedNameSource.IMPORT}

    found = {}
    for node in qualified:
        if not isinstance(node, (cst.Name, cst.Attribute)):
            continue
        names = names_of(node)
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if head is not node and not names_of(head):
            # LibCST resolves a dotted name by its head's name in the scope, without the order it
            # follows for the head itself (``y = tu.X`` above ``import ... as tu``): read the
            # dotted name as its head reads.
            names = set()
        elif head is not node and not names and _local_names(qualified, node):
            # The other way round: a head read before a local rebinding in a function
            # (``y = rl_loop.Config`` above ``rl_loop = None``) reads the enclosing import, but the
            # dotted name is named after the later local binding. Read it as its head reads.
            suffix = cst.Module([]).code_for_node(node)[len(cst.Module([]).code_for_node(head)):]
            names = {f"{h}{suffix}" for h in names_of(head)}
        where = positions[node]
        key = (type(node).__name__, where.start.line, where.start.column, where.end.line, where.end.column)
        found[key] = ours(names)
    return found


def _local_names(qualified, node: cst.CSTNode) -> bool:  # type: ignore[no-untyped-def]
    names = qualified.get(node, ())
    if callable(names):
        names = names()
    return any(q.source is QualifiedNameSource.LOCAL for q in names)


def resolver_view(text: str) -> dict[tuple[str, int, int, int, int], set[str]]:
    tree = ast.parse(text)
    resolver = Resolver(tree)
    source = Source(text)
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            (l1, c1), (l2, c2) = source.start(node), source.end(node)
            found[(type(node).__name__, l1, c1, l2, c2)] = ours(resolver.qualified_names(node))
    return found


def disagreements(text: str) -> list[tuple]:
    theirs, mine = libcst_view(text), resolver_view(text)
    out = []
    for key, names in mine.items():
        other = theirs.get(key, set())
        if names != other:
            out.append((key, sorted(names), sorted(other)))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_resolver_agrees_with_libcst_on_real_files(path: Path) -> None:
    assert disagreements(path.read_text()) == []


# --- generated programs: imports in every scope, rebindings, scoping rules ---------------------

IMPORTS = [
    "from training.utils import InfraConfig",
    "from training.utils import InfraConfig as IC",
    "import training.utils as tu",
    "import training.utils",
    "from training.recipes import rl_loop",
    "import training.recipes.rl_loop as rl",
    "from training.utils.config import WeightSyncConfig",
    "from fireworks.training.sdk import TrainerJobManager",
    "from mypkg.cookbook.training.utils import setup_infra",
]
USES = ["InfraConfig", "IC", "tu.InfraConfig", "training.utils.InfraConfig", "rl_loop.Config", "rl.main", "WeightSyncConfig", "TrainerJobManager", "setup_infra", "x"]
REBINDS = ["InfraConfig = None", "IC = 1", "tu = object()", "rl_loop = None", "x = InfraConfig"]


@st.composite
def blocks(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["import", "use", "rebind", "def", "class", "comp", "global", "try", "lambda"] if depth < 3 else ["import", "use", "rebind"]))
        if kind == "import":
            lines.append(draw(st.sampled_from(IMPORTS)))
        elif kind == "use":
            lines.append(f"y = {draw(st.sampled_from(USES))}")
        elif kind == "rebind":
            lines.append(draw(st.sampled_from(REBINDS)))
        elif kind == "comp":
            use = draw(st.sampled_from(USES))
            lines.append(f"ys = [{use} for InfraConfig in range(2) if {draw(st.sampled_from(USES))}]")
        elif kind == "lambda":
            lines.append(f"f = lambda IC=1: ({draw(st.sampled_from(USES))}, IC)")
        elif kind == "global":
            name = draw(st.sampled_from(["InfraConfig", "IC", "tu", "rl_loop"]))
            lines.append(f"def g_{len(lines)}():")
            lines.append(f"    global {name}")
            lines.append(f"    {draw(st.sampled_from(IMPORTS))}")
            lines.append(f"    return {draw(st.sampled_from(USES))}")
        elif kind == "try":
            lines.append("try:")
            lines.append(f"    {draw(st.sampled_from(IMPORTS))}")
            lines.append("except ImportError:")
            lines.append(f"    {draw(st.sampled_from(REBINDS))}")
        else:
            header = f"def f_{depth}_{len(lines)}(a, IC=None):" if kind == "def" else f"class C_{depth}_{len(lines)}:"
            lines.append(header)
            inner = draw(blocks(depth + 1))
            lines.extend("    " + line for line in inner)
    # Imports come first in each block, as in real code: a name read above its own import is a
    # NameError, where LibCST's answers disagree with themselves (a name and its dotted uses).
    imports = [line for line in lines if line.startswith(("from ", "import "))]
    return imports + [line for line in lines if not line.startswith(("from ", "import "))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks())
def test_the_resolver_agrees_with_libcst_on_generated_scopes(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        compile(text, "generated.py", "exec")
    except SyntaxError:
        return  # e.g. a name used before its global declaration
    assert disagreements(text) == []


def test_a_name_bound_many_times_sees_the_bindings_before_each_read() -> None:
    # Past a few bindings a read finds the earlier ones by bisection: the same answer as
    # filtering them all, in order and out of order (a name bound at the end of a loop's body
    # and again in the loop's header: the header's binding comes later in the walk).
    lines = ["from training.utils import InfraConfig as x"]
    for i in range(30):
        lines += [f"y{i} = x", f"x = {i}"]
    lines += ["for x in range(3):", "    z = x", "    x = 5", "w = x"]
    tree = ast.parse("\n".join(lines) + "\n")
    resolver = Resolver(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id == "x":
            scope = resolver._scopes[id(node)]
            at = (node.lineno, node.col_offset)
            expected = [b for b in scope.bindings["x"] if b.visible <= at]
            assert resolver.bindings_at(node) == expected, node.lineno
    first = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "y0")  # type: ignore[attr-defined]
    assert resolver.qualified_names(first.value) == {"training.utils.InfraConfig"}
    # (every earlier binding may be the one read, as in LibCST's analysis: the import too)
    later = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "y5")  # type: ignore[attr-defined]
    assert len(resolver.bindings_at(later.value)) == 6  # type: ignore[arg-type]
