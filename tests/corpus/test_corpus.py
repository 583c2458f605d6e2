"""The differential corpus: realistic legacy scripts (``scripts/``) and what their rewrite does.

For each script, rewritten with ``--unsafe-fixes`` (and, for the last check, without):

(a) the rewrite builds the same recipe Configs under ``mount()`` as the script under
    ``mount(surface="legacy")``, field by field (each legacy field read at its target name);
(b) every difference in the provisioning plan -- a trainer or deployment created, reattached,
    released on exit or left running -- has a lifecycle finding at a line that causes it (a
    line of the script on the stack when the resource was provisioned or released);
(c) nothing fails on the target without a finding: run under ``mount()``, a rewrite that
    raises (an ``ImportError`` of a name the port cannot replace, a ``TypeError`` of a keyword
    it left) has a finding there -- a TODO above the statement, or a ``lint`` finding of the
    rewritten file on it (for an import, one naming the name); for a keyword that reaches the
    call through ``**mapping``, a TODO above the dict literal's key, naming that mapping.

The rewrite itself must compile and be a fixed point. How each script is run is in its
``# corpus:`` comments (``harness.py``).
"""

from __future__ import annotations

import ast
import functools
import re

import pytest

from ftmigrate.api.placeholders import PlaceholderError
from tests.helpers import expected_after, run

from .harness import Outcome, Script, config_diff, execute, scripts

SCRIPTS = scripts()
RUNNABLE = [s for s in SCRIPTS if s.runnable]
#: Codes that state a lifecycle change (what legacy released, what the target leaves).
LIFECYCLE = frozenset({"FTM040", "FTM041", "FTM042", "FTM043", "FTM050", "FTM053", "FTM054", "FTM055", "FTM056"})
#: Errors the target raises for code that was not (or could not be) ported; a placeholder of
#: the bundled API (a real target function ftmigrate does not implement) stops a dry run too,
#: and must be where a finding says the call changes.
PORTING_ERRORS = (TypeError, ImportError, AttributeError, NameError, PlaceholderError)


def _ids(scripts: list[Script]) -> list[str]:
    return [s.name for s in scripts]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(SCRIPTS) >= 30
    kinds = {next((k for k in ("argv", "run", "pytest", "static") if k in s.directives), None) for s in SCRIPTS}
    assert kinds == {"argv", "run", "pytest", "static"}
    assert len(RUNNABLE) >= 25


def test_config_diff_reads_a_tmp_path_by_its_test_and_the_rest_of_the_path() -> None:
    """Why (a) may ignore the tmp directory: each run gets its own ``tmp_path``; only which
    test's it is and the path under it are the script's."""
    from ftmigrate.api.recipes import sft_loop

    with_path = lambda path: sft_loop.Config(log_path=path)  # noqa: E731
    legacy = {"/tmp/a1": "<tmp_path of test_x[0]>", "/tmp/a2": "<tmp_path of test_y[0]>"}
    target = {"/tmp/b1": "<tmp_path of test_x[0]>", "/tmp/b2": "<tmp_path of test_y[0]>"}
    assert not config_diff(with_path("/tmp/a1/sft"), with_path("/tmp/b1/sft"), legacy, target)
    assert config_diff(with_path("/tmp/a1/sft"), with_path("/tmp/b1/orpo"), legacy, target)
    assert config_diff(with_path("/tmp/a1/sft"), with_path("/tmp/b2/sft"), legacy, target)
    assert config_diff(with_path("/tmp/a1/sft"), with_path("/tmp/b1/sft"))


def test_work_handed_to_a_pool_or_a_thread_is_attributed_to_the_line_that_handed_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Why (b) can see a run in a worker: a pool task has no script line on its stack; the
    line that submitted it (or started the thread) was on the main thread's."""
    source = (
        "import threading\n"  # 1
        "from concurrent.futures import ThreadPoolExecutor\n"  # 2
        "from training.recipes import sft_loop\n"  # 3
        "def go():\n"  # 4
        "    with ThreadPoolExecutor(max_workers=1) as pool:\n"  # 5
        "        list(pool.map(sft_loop.main, [sft_loop.Config(log_path='/tmp/a')]))\n"  # 6
        "        pool.submit(sft_loop.main, sft_loop.Config(log_path='/tmp/b')).result()\n"  # 7
        "    thread = threading.Thread(target=sft_loop.main, args=(sft_loop.Config(log_path='/tmp/c'),))\n"  # 8
        "    thread.start()\n"  # 9
        "    thread.join()\n"  # 10
    )
    script = Script(tmp_path / "handed.py", source, {"run": "go()"})
    result = execute(script, source, "legacy")
    assert result.error is None, result.output
    assert result.resources[("trainer", "policy", "created", "cancelled")] == 3
    assert result.lines[("trainer", "policy")] == {6, 7, 9}


def test_a_keyword_splatted_into_the_failing_call_is_explained_at_its_key_only() -> None:
    """Why (c) may accept a TODO away from the failing call: the key in a dict literal is
    what causes it; a TODO at a key of that name about another mapping does not count."""
    from types import SimpleNamespace

    from ftmigrate.api._checked import RemovedKeywordError

    code = (
        "def common():\n"  # 1
        "    # TODO(ftmigrate): use the key 'trainer' instead\n"  # 2
        "    return {\n"  # 3
        "        'infra': 1,\n"  # 4
        "    }\n"  # 5
        "cfg = Config(**common(), x=1)\n"  # 6
    )
    error = RemovedKeywordError("rl_loop.Config(infra=...): replaced by trainer=TrainerConfig(...)")
    about = lambda splat: [SimpleNamespace(todo_line=2, message=f"infra= ... through **{splat}, which is not rewritten")]  # noqa: E731
    assert _explained_at_the_key(code, error, (6, 6), about("common()"))
    assert not _explained_at_the_key(code, error, (6, 6), about("other"))
    assert not _explained_at_the_key(code, TypeError("Config(trainer=...)"), (6, 6), about("common()"))


@functools.cache
def rewritten(name: str, unsafe: bool):  # type: ignore[no-untyped-def]
    script = next(s for s in SCRIPTS if s.name == name)
    legacy_modules = tuple(m for m in script.directives.get("legacy-modules", "").split(",") if m)
    return run(script.source, unsafe=unsafe, legacy_modules=legacy_modules, path=f"{name}.py")


@functools.cache
def outcome(name: str, surface: str, unsafe: bool = True) -> Outcome:
    script = next(s for s in SCRIPTS if s.name == name)
    source = script.source if surface == "legacy" else rewritten(name, unsafe).code
    return execute(script, source, surface)


@pytest.mark.parametrize("script", SCRIPTS, ids=_ids(SCRIPTS))
@pytest.mark.parametrize("unsafe", [True, False], ids=["unsafe", "safe"])
def test_the_rewrite_compiles_and_is_a_fixed_point(script: Script, unsafe: bool) -> None:
    result = rewritten(script.name, unsafe)
    assert result.error is None, result.error
    assert result.code != script.source, "every corpus script has something to port"
    compile(result.code, f"{script.name}.py", "exec")
    legacy_modules = tuple(m for m in script.directives.get("legacy-modules", "").split(",") if m)
    again = run(result.code, unsafe=unsafe, legacy_modules=legacy_modules, path=f"{script.name}.py")
    assert again.code == result.code, "a second run changed the file"


@pytest.mark.parametrize("script", RUNNABLE, ids=_ids(RUNNABLE))
def test_the_legacy_script_runs_on_the_emulation(script: Script) -> None:
    legacy = outcome(script.name, "legacy")
    assert legacy.error is None, legacy.output
    assert legacy.configs or legacy.resources, "the run built nothing: the corpus script tests nothing"


@pytest.mark.parametrize("script", RUNNABLE, ids=_ids(RUNNABLE))
def test_a_same_configs(script: Script) -> None:
    legacy, target = outcome(script.name, "legacy"), outcome(script.name, "target")
    if target.error is not None:
        pytest.skip(f"the rewrite stops on the target ({type(target.error).__name__}): test_c checks its finding")
    assert len(target.configs) == len(legacy.configs), (len(legacy.configs), len(target.configs))
    for index, (before, after) in enumerate(zip(legacy.configs, target.configs)):
        recipe = type(before).__module__.rpartition(".")[2]
        expected = expected_after(recipe, before)
        diff = config_diff(expected, after, legacy.tmp_paths, target.tmp_paths)
        assert not diff, f"config #{index} ({recipe}) differs: {diff}"


@pytest.mark.parametrize("script", RUNNABLE, ids=_ids(RUNNABLE))
def test_b_plan_differences_have_a_finding_where_they_happen(script: Script) -> None:
    legacy, target = outcome(script.name, "legacy"), outcome(script.name, "target")
    if target.error is not None:
        pytest.skip(f"the rewrite stops on the target ({type(target.error).__name__}): test_c checks its finding")
    differing = (legacy.resources - target.resources) + (target.resources - legacy.resources)
    findings = {d.line for d in rewritten(script.name, True).diagnostics if d.code in LIFECYCLE}
    unexplained = []
    for resource, role, _, _ in differing:
        lines = legacy.lines.get((resource, role), set())
        if not lines & findings:
            unexplained.append(((resource, role), sorted(lines)))
    assert not unexplained, (
        f"plan differences without a lifecycle finding at their lines: {unexplained}\n"
        f"legacy: {dict(legacy.resources)}\ntarget: {dict(target.resources)}"
    )


@pytest.mark.parametrize("script", RUNNABLE, ids=_ids(RUNNABLE))
@pytest.mark.parametrize("unsafe", [True, False], ids=["unsafe", "safe"])
def test_c_nothing_fails_on_the_target_without_a_finding(script: Script, unsafe: bool) -> None:
    target = outcome(script.name, "target", unsafe)
    if target.error is None:
        return
    assert isinstance(target.error, PORTING_ERRORS), target.output
    result = rewritten(script.name, unsafe)
    assert _explained(result, target), f"fails on the target with no finding there:\n{target.output}"


def _explained(result, target: Outcome) -> bool:  # type: ignore[no-untyped-def]
    """Whether a finding explains the error: a TODO above the failing statement, a lint
    finding of the rewritten file on it, or (for an import) a finding naming the name."""
    code = result.code
    lint = run(code, mode="lint").diagnostics
    remaining = [d for d in result.diagnostics if not d.fixed]
    if isinstance(target.error, ImportError):
        name = getattr(target.error, "name", None) or ""
        missing = re.search(r"cannot import name '(\w+)'", str(target.error))
        names = {name.rpartition(".")[2], missing.group(1) if missing else ""} - {""}
        return any(n in d.message or n in d.help for d in [*remaining, *lint] for n in names)
    if target.error_line is None:
        return False
    statement = _statement_at(code, target.error_line)
    if statement is None:
        return False
    first, last = statement
    if any(first <= d.line <= last for d in lint):
        return True
    above = _comment_block_above(code, first)
    if any(d.todo_line in above for d in remaining):
        return True
    return _explained_at_the_key(code, target.error, (first, last), remaining)


def _explained_at_the_key(code: str, error: BaseException, statement: tuple[int, int], remaining: list) -> bool:  # type: ignore[type-arg]
    """A keyword the target refuses that reaches the failing call through ``**mapping``: the
    line that causes the error is where the key is written (a dict literal the mapping is,
    maybe in a helper), not the call, which shows no keyword to change. The finding there
    counts when its TODO is above the statement holding that key and it names this call's
    ``**mapping`` (so it is about this call, not another use of a key of that name)."""
    named = re.search(r"\((\w+)=\.\.\.\)|unexpected keyword argument '(\w+)'", str(error))
    if not isinstance(error, TypeError) or named is None:
        return False
    key = named.group(1) or named.group(2)
    tree = ast.parse(code)
    first, last = statement
    splats = {
        ast.unparse(k.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and first <= node.lineno <= last
        for k in node.keywords
        if k.arg is None
    }
    if not splats:
        return False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for k in node.keys:
            if isinstance(k, ast.Constant) and k.value == key:
                holding = _statement_at(code, k.lineno)
                above = _comment_block_above(code, holding[0]) if holding else set()
                if any(d.todo_line in above and any(f"**{s}" in d.message for s in splats) for d in remaining):
                    return True
    return False


def _statement_at(code: str, line: int) -> tuple[int, int] | None:
    """The lines of the innermost statement holding ``line``: the one starting last."""
    spans = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    return max(spans, key=lambda span: (span[0], -span[1])) if spans else None


def _comment_block_above(code: str, first: int) -> set[int]:
    lines = code.splitlines()
    found = set()
    index = first - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.add(index + 1)
        index -= 1
    return found
