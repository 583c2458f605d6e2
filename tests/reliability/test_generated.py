"""Generated programs: random valid Python with legacy cookbook snippets injected in random
forms and places.

The filler is hypothesmith's random Python (from the grammar). The snippets are legacy
cookbook code as users write it: recipe Configs with ``InfraConfig`` / ``WeightSyncConfig`` /
``HotloadConfig`` inline or bound to a name, random valid fields, comments and layouts, job ids
at top level; imports every way (aliases, ``import training.utils as tu``, the recipe module
or its names, imports inside the function); placed at module level or inside a function, a
class, an ``if``, a ``try``, a ``with``; and recipe ``main()`` calls with managers, run on the
bundled local backend. For every program:

* the rewrite parses and compiles, and a second run changes nothing;
* the filler comes out line for line as it went in;
* when the filler is dead code (under ``if 0:``) the program runs: executed under
  ``mount(surface="legacy")`` before and ``mount()`` after, it yields the same configurations,
  each legacy field at its new name;

and a program with no legacy use (filler and look-alikes) is never changed, byte for byte.

Examples per run come from the Hypothesis profile (``tests/conftest.py``): ``ci`` by default,
``HYPOTHESIS_PROFILE=long`` for a long run.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from ftmigrate.api import mount, profiles
from ftmigrate.api.config import (
    TARGET,
    HotloadConfig,
    InfraConfig,
    TrainerConfig,
    WeightSyncConfig,
)
from ftmigrate.api.legacy.surface import (
    LEGACY_CONFIG_FIELDS,
    LEGACY_MAIN_PARAMS,
    RECIPES,
)
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from tests.helpers import run
from tests.strategies import CADENCE

#: hypothesmith compiles what it writes (`1()` and friends): its SyntaxWarnings are noise here.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

# --------------------------------------------------------------------------------------------
# What "the same values" means: one mapping, read from the bundled API.


def expected_target(legacy: object) -> object:
    """The target object a legacy InfraConfig or recipe Config means, each legacy field at its
    new name (InfraConfig / WeightSyncConfig / HotloadConfig field metadata ``TARGET`` and
    ``LEGACY_KEYWORDS``; fields with no replacement are left out)."""
    if isinstance(legacy, InfraConfig):
        moved = {}
        for f in dataclasses.fields(legacy):
            if f.metadata[TARGET] is not None:
                moved[f.metadata[TARGET].removeprefix("trainer.")] = getattr(legacy, f.name)
        return TrainerConfig(**moved)
    recipe = type(legacy).__module__.rpartition(".")[2]
    target_cls = importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config
    names = {f.name for f in dataclasses.fields(target_cls)}
    values = {f.name: getattr(legacy, f.name) for f in dataclasses.fields(legacy) if f.name in names}
    trainer = expected_target(legacy.infra)  # type: ignore[attr-defined]
    for keyword, where in LEGACY_KEYWORDS.items():
        value = getattr(legacy, keyword, None)
        if value is None or where is None or where == "trainer":
            continue
        if where.startswith("trainer."):
            trainer = dataclasses.replace(trainer, **{where.removeprefix("trainer."): value})
        else:  # "<cadence>": a nested WeightSyncConfig / HotloadConfig spreads into the Config
            for f in dataclasses.fields(value):
                if f.metadata[TARGET] in names:
                    values[f.metadata[TARGET]] = getattr(value, f.name)
    return target_cls(**values, trainer=trainer)


def differences(expected: object, actual: object) -> dict[str, tuple[object, object]]:
    if type(expected) is not type(actual):
        return {"<type>": (type(expected).__qualname__, type(actual).__qualname__)}
    return {
        f.name: (getattr(expected, f.name), getattr(actual, f.name))
        for f in dataclasses.fields(expected)  # type: ignore[arg-type]
        if getattr(expected, f.name) != getattr(actual, f.name)
    }


def execute(source: str, surface: str) -> list[object]:
    namespace: dict[str, object] = {"__name__": "generated"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(surface=surface, bundled_sdk=True):
            exec(compile(source, f"<{surface}>", "exec"), namespace)
    return namespace["RESULTS"]  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Values valid on both surfaces (the target checks more: resource names, non-empty strings).

SHAPES = ["accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", "accounts/acme/trainingShapes/llama-70b"]
words = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=10)
strings = st.one_of(words.map(repr), words.map(lambda w: f'"{w}"'))

MANUAL = {
    "accelerator_type": st.just('"NVIDIA_H200_141GB"'),
    "accelerator_count": st.integers(1, 8).map(str),
    "node_count": st.integers(1, 4).map(str),
    "custom_image_tag": strings,
}
COMMON = {
    "ref_training_shape_id": st.sampled_from(SHAPES).map(repr),
    "region": strings,
    "trainer_timeout_s": st.one_of(st.integers(1, 10**5).map(str), st.floats(1, 1e5).map(lambda f: repr(round(f, 3)))),
    "extra_args": st.lists(strings, max_size=2).map(lambda xs: "[" + ", ".join(xs) + "]"),
    "trainer_replica_count": st.integers(1, 8).map(str),
    "purpose": st.sampled_from(['"PURPOSE_PILOT"', '"PURPOSE_PROD"']),
    "managed_by": strings,
    "skip_validations": st.booleans().map(str),
}
#: InfraConfig fields that may change on any path and have a TrainerConfig field to go to.
MOVABLE = {
    name: COMMON[name]
    for name in ("ref_training_shape_id", "region", "trainer_timeout_s", "trainer_replica_count", "skip_validations")
    if InfraConfig.__dataclass_fields__[name].metadata[TARGET] is not None
}
PLAIN = {"lora_rank": st.integers(0, 64).map(str), "learning_rate": st.sampled_from(["1e-5", "3e-4", "0.001"])}


def infra_fields(draw: st.DrawFn) -> dict[str, str]:
    if draw(st.booleans()):  # shape path: no manual-path fields
        base = {"training_shape_id": st.sampled_from(SHAPES).map(repr)}
        return draw(st.fixed_dictionaries(base, optional=COMMON))
    return draw(st.fixed_dictionaries({}, optional={**MANUAL, **COMMON}))


def call(draw: st.DrawFn, func: str, fields: dict[str, str], indent: str) -> str:
    """``func(k=v, ...)`` in a random order and layout, sometimes with comments."""
    items = draw(st.permutations(list(fields.items())))
    if not items or draw(st.booleans()):
        return f"{func}(" + ", ".join(f"{k}={v}" for k, v in items) + ")"
    comments = draw(st.booleans())
    inner = indent + "    "
    body = "".join(f"{inner}{k}={v},{f'  # {k}' if comments else ''}\n" for k, v in items)
    return f"{func}(  # {func}\n{body}{indent})" if comments else f"{func}(\n{body}{indent})"


# --------------------------------------------------------------------------------------------
# Snippets and where they go.


@dataclass
class Snippet:
    top_imports: list[str]  # at module level
    imports: list[str]  # at module level, or inside the function when local
    body: list[str]  # statements in the snippet's own scope
    result: str  # the value recorded in RESULTS
    k: int  # suffix of its names
    names: set[str] = field(default_factory=set)  # every name it binds (the filler must not)


PLACES = ["module", "function", "class", "if", "try", "with", "function+if", "function+try"]


@st.composite
def snippets(draw: st.DrawFn, k: int, target: str = "2026-06") -> tuple[Snippet, str]:
    """A legacy snippet (names suffixed with ``k``) and where to put it (attribute writes only
    to the fields ``target`` has: a write to one it lacks is reported and left)."""
    place = draw(st.sampled_from(PLACES))
    local = place.startswith("function") and draw(st.booleans())
    recipe = draw(st.sampled_from(RECIPES))
    legacy = LEGACY_CONFIG_FIELDS[recipe]
    calls_main = place.startswith("function") and draw(st.booleans())
    utils_style = draw(st.sampled_from(["from", "alias", "module", "config_module"]))
    recipe_style = draw(st.sampled_from(["from", "from_alias", "module_alias", "module", "names"]))
    if recipe_style == "names" and not local:
        recipe_style = "names_alias"  # two snippets importing `Config` into one scope would clash
    imports: list[str] = []
    names: set[str] = set()

    config, main = {
        "from": (f"{recipe}.Config", f"{recipe}.main"),
        "from_alias": (f"R{k}.Config", f"R{k}.main"),
        "module_alias": (f"rm{k}.Config", f"rm{k}.main"),
        "module": (f"training.recipes.{recipe}.Config", f"training.recipes.{recipe}.main"),
        "names": ("Config", "main"),
        "names_alias": (f"Config{k}", f"main{k}"),
    }[recipe_style]
    imports.append({
        "from": f"from training.recipes import {recipe}",
        "from_alias": f"from training.recipes import {recipe} as R{k}",
        "module_alias": f"import training.recipes.{recipe} as rm{k}",
        "module": f"import training.recipes.{recipe}",
        "names": f"from training.recipes.{recipe} import Config, main",
        "names_alias": f"from training.recipes.{recipe} import Config as Config{k}, main as main{k}",
    }[recipe_style])
    names |= {recipe, f"R{k}", f"rm{k}", "training", "Config", "main", f"Config{k}", f"main{k}"}

    used: list[str] = []

    def utils(cls: str) -> str:
        used.append(cls)
        if utils_style == "module":
            return f"tu.{cls}"
        return {"InfraConfig": "IC", "WeightSyncConfig": "WSC", "HotloadConfig": "HC"}[cls] if utils_style == "alias" else cls

    body: list[str] = []
    args: dict[str, str] = {"log_path": repr(f"/tmp/run{k}")}
    if draw(st.booleans()):
        bind = draw(st.booleans())
        infra = call(draw, utils("InfraConfig"), infra_fields(draw), "" if bind else "    ")
        if bind:
            body.append(f"infra{k} = {infra}")
            args["infra"] = f"infra{k}"
            if draw(st.booleans()):  # rule 1 applies to dataclasses.replace on a known InfraConfig
                tweak = draw(st.fixed_dictionaries({}, optional=MOVABLE))
                body.append(f"copy{k} = dataclasses.replace(infra{k}" + "".join(f", {n}={v}" for n, v in tweak.items()) + ")")
                imports.append("import dataclasses")
                args["infra"] = f"copy{k}"
        else:
            args["infra"] = infra
    if "weight_sync" in legacy and draw(st.booleans()):
        cls, keyword = draw(st.sampled_from([("WeightSyncConfig", "weight_sync"), ("HotloadConfig", "hotload")]))
        nested = HotloadConfig if cls == "HotloadConfig" else WeightSyncConfig
        fields = draw(st.fixed_dictionaries({}, optional={f.name: CADENCE[f.name] for f in dataclasses.fields(nested)}))
        bind = draw(st.booleans())
        cadence = call(draw, utils(cls), fields, "" if bind else "    ")
        if bind:
            body.append(f"cadence{k} = {cadence}")
            args[keyword] = f"cadence{k}"
        else:
            args[keyword] = cadence
    for name in legacy:
        if name in ("infra", "weight_sync", "hotload"):
            continue
        # A job id names a trainer to reuse: main() on the local backend needs it to exist.
        if calls_main and (LEGACY_KEYWORDS[name] or "").startswith("trainer."):
            continue
        if draw(st.booleans()):
            args[name] = draw(strings)
    args.update(draw(st.fixed_dictionaries({}, optional=PLAIN)))
    body.append(f"cfg{k} = " + call(draw, config, args, ""))
    # Replacing the trainer settings whole: the job ids were fields of their own and stayed.
    how = draw(st.sampled_from(["keep", "keep", "assign", "replace"]))
    if how != "keep":
        settings_ = call(draw, utils("InfraConfig"), infra_fields(draw), "")
        if how == "assign":
            body.append(f"cfg{k}.infra = {settings_}")
        else:
            body.append(f"cfg{k} = dataclasses.replace(cfg{k}, infra={settings_})")
            imports.append("import dataclasses")
    # The whole cadence object replaced: every field it resets is written out at top level.
    if "weight_sync" in legacy and "hotload" not in args and draw(st.booleans()):
        fields = draw(st.fixed_dictionaries({}, optional={f.name: CADENCE[f.name] for f in dataclasses.fields(WeightSyncConfig)}))
        body.append(f"cfg{k}.weight_sync = " + call(draw, utils("WeightSyncConfig"), fields, ""))
    # Rule 6: attribute writes on a value known to be a recipe Config.
    for name, value in draw(st.fixed_dictionaries({}, optional=MOVABLE)).items():
        body.append(f"cfg{k}.infra.{name} = {value}")
    if "weight_sync" in legacy and "hotload" not in args:
        target_fields = set(profiles.get(target).field_names(f"{recipe}.Config"))
        movable = {f.name: CADENCE[f.name] for f in dataclasses.fields(WeightSyncConfig) if f.metadata[TARGET] in target_fields}
        for name, value in draw(st.fixed_dictionaries({}, optional=movable)).items():
            body.append(f"cfg{k}.weight_sync.{name} = {value}")
    if calls_main:
        params = LEGACY_MAIN_PARAMS[recipe]
        main_args = [f"cfg{k}"]
        if "rlor_mgr" in params:
            body.append(f'rlor{k} = TrainerJobManager(api_key="key{k}")')
            main_args.append(f"rlor{k}" if draw(st.booleans()) else f"rlor_mgr=rlor{k}")
            if "deploy_mgr" in params and draw(st.booleans()):
                body.append(f'deploy{k} = DeploymentManager(api_key="key{k}")')
                main_args.append(f"deploy{k}" if main_args[-1] == f"rlor{k}" else f"deploy_mgr=deploy{k}")
        if recipe == "async_rl_loop":
            main_args.append("rollout_fn_factory=lambda *args, **kwargs: None")
        if "cancel_on_exit" in params and draw(st.booleans()):
            main_args.append(f"cancel_on_exit={draw(st.booleans())}")
        body.append(f"{main}(" + ", ".join(main_args) + ")")
        imports.append("from fireworks.training.sdk import DeploymentManager, TrainerJobManager")
    top_imports = []
    if used:
        unique = sorted(set(used))
        if utils_style == "module":
            imports.append("import training.utils as tu")
        elif utils_style == "alias":
            aliases = {"InfraConfig": "IC", "WeightSyncConfig": "WSC", "HotloadConfig": "HC"}
            imports.append("from training.utils import " + ", ".join(f"{u} as {aliases[u]}" for u in unique))
        else:
            module = "training.utils.config" if utils_style == "config_module" else "training.utils"
            imports.append(f"from {module} import " + ", ".join(unique))
    if not local:
        top_imports, imports = imports, []
    names |= {"tu", "IC", "WSC", "HC", "InfraConfig", "WeightSyncConfig", "HotloadConfig", "TrainerJobManager", "DeploymentManager"}
    names |= {f"{n}{k}" for n in ("infra", "copy", "cadence", "cfg", "rlor", "deploy", "_ftm_f", "_FtmK")} | {"dataclasses"}
    return Snippet(top_imports, imports, body, f"cfg{k}", k, names), place


def _indent(lines: list[str], prefix: str) -> list[str]:
    return [textwrap.indent(line, prefix) for line in lines]


def placed(snippet: Snippet, place: str) -> list[str]:
    """The snippet's lines at its place, ending with its result appended to RESULTS."""
    k = snippet.k
    record = f"RESULTS.append({snippet.result})"
    body = snippet.imports + snippet.body
    if place == "module":
        return body + [record]
    if place in ("if", "try", "with"):
        head = {"if": "if RESULTS is not None:", "try": "try:", "with": "with contextlib.nullcontext():"}[place]
        tail = {"if": [], "try": ["except ImportError:", "    raise"], "with": []}[place]
        return [head, *_indent(body + [record], "    "), *tail]
    if place == "class":
        return [f"class _FtmK{k}:", *_indent(body, "    "), f"RESULTS.append(_FtmK{k}.{snippet.result})"]
    inner = body + [f"return {snippet.result}"]
    if place == "function+if":
        inner = ["if True:", *_indent(inner, "    ")]
    elif place == "function+try":
        inner = ["try:", *_indent(inner, "    "), "finally:", "    pass"]
    return [f"def _ftm_f{k}():", *_indent(inner, "    "), f"RESULTS.append(_ftm_f{k}())"]


# --------------------------------------------------------------------------------------------
# Filler: hypothesmith's random Python.

_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def _compiles(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # hypothesmith writes `1()` and friends
            compile(source, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


fillers = hypothesmith.from_grammar().filter(lambda s: "training" not in s and "ftmigrate" not in s)


def _dead(filler: str) -> str:
    """The filler as dead code: it is compiled, never run."""
    return "if 0:\n" + textwrap.indent(filler if filler.strip() else "pass\n", "    ", lambda line: True)


@dataclass
class Program:
    source: str
    fillers: list[str]
    executable: bool


@st.composite
def programs(draw: st.DrawFn, target: str = "2026-06") -> Program:
    executable = draw(st.sampled_from([True, True, True, False]))  # mostly: run them too
    count = draw(st.integers(1, 3))
    parts: list[tuple[str, object]] = [("snippet", draw(snippets(k, target))) for k in range(count)]
    parts += [("filler", draw(fillers)) for _ in range(draw(st.integers(0, 3)))]
    parts = draw(st.permutations(parts))
    reserved = {"RESULTS", "contextlib"}
    top: list[str] = []
    lines: list[str] = []
    used_fillers: list[str] = []
    for kind, part in parts:
        if kind == "filler":
            text = str(part) if not executable else _dead(f"{part}\n")
            used_fillers.append(text.rstrip("\n"))  # as it stands in the program
            lines.append(used_fillers[-1])
        else:
            snippet, place = part  # type: ignore[misc]
            reserved |= snippet.names
            top += [imp for imp in snippet.top_imports if imp not in top]
            lines += placed(snippet, place)
    for filler in used_fillers:
        # Dead code still binds names for the codemods' scope analysis, and a star import
        # makes every name uncertain: keep the filler out of the snippets' way.
        assume(not (reserved & set(_IDENTIFIER.findall(filler))))
        assume("import *" not in filler or not executable)
    # One name bound by imports of two different legacy modules trips a known bug (see
    # test_a_name_imported_from_two_legacy_modules below): keep such programs out.
    assume(_consistent_imports(top))
    header = ["import contextlib", *top, "", "RESULTS = []", ""]
    source = "\n".join(header + lines) + "\n"
    assume(_compiles(source))
    return Program(source, used_fillers, executable)


def _consistent_imports(lines: list[str]) -> bool:
    bound: dict[str, str] = {}
    for node in ast.parse("\n".join(lines)).body:
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names:
            if isinstance(node, ast.ImportFrom):
                name, target = alias.asname or alias.name, f"{node.module}.{alias.name}"
            else:
                name = alias.asname or alias.name.partition(".")[0]
                target = alias.name if alias.asname else name
            if bound.setdefault(name, target) != target:
                return False
    return True


def _lines_in_order(needles: list[str], haystack: str) -> bool:
    rest = iter(haystack.splitlines())
    return all(any(line == candidate for candidate in rest) for line in needles)


#: How many examples ran, and how many were rewritten / executed (printed with ``-s``).
COUNTS = {"programs": 0, "rewritten": 0, "executed": 0, "no_legacy": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\ngenerated programs: {COUNTS}")


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_generated_programs_are_rewritten_soundly(program: Program) -> None:
    COUNTS["programs"] += 1
    before = program.source
    note(before)
    after = run(before)
    if re.search(r"\r(?!\n)", before):  # hypothesmith writes lone CRs: refused, by design
        assert after.error is not None and "lone CR" in after.error and after.code == before
        return
    assert after.error is None, after.error
    note(after.code)
    assert _compiles(after.code)
    COUNTS["rewritten"] += after.code != before
    assert run(after.code).code == after.code, "a second run changed the file"
    for filler in program.fillers:
        assert _lines_in_order(filler.splitlines(), after.code), f"filler changed:\n{filler}"
    if not program.executable:
        return
    COUNTS["executed"] += 1
    legacy = execute(before, "legacy")
    migrated = execute(after.code, "target")
    assert len(legacy) == len(migrated)
    for old, new in zip(legacy, migrated, strict=True):
        expected = expected_target(old)
        assert expected == new, differences(expected, new)


# --------------------------------------------------------------------------------------------
# Programs with no legacy use.

#: Code that looks legacy and is not; each piece uses names of its own, so that combined they
#: stay unambiguous (a name bound to a look-alike and to a recipe Config is worth a report).
LOOK_ALIKES = [
    "# from training.utils import InfraConfig  (the old way)\nx = 1\n",
    '"""Was: from training.utils import InfraConfig; cfg = InfraConfig(region="us")."""\n',
    "class InfraConfig:\n    def __init__(self, **kw):\n        self.kw = kw\n\n\n"
    'own = InfraConfig(region="us", trainer_timeout_s=1)\n',
    "from mytraining.utils import InfraConfig as MyInfra, WeightSyncConfig\n\nmine = MyInfra(trainer_timeout_s=2)\n",
    "from acme.training.utils import InfraConfig as AcmeInfra\nimport acme.training.recipes.rl_loop as acme_rl\n\n"
    "acme = acme_rl.Config(infra=AcmeInfra())\nacme.infra.region = 'eu'\n",
    "import training_utils as tu_fork\n\nfork = tu_fork.InfraConfig(region='x')\nfork.infra.region = 'y'\n",
    "def setup_infra(**kw):\n    return kw\n\n\nbundle = setup_infra(rlor_mgr=None, policy_job_id='p')\n",
    "from training.utils import TrainerConfig\nfrom training.recipes import rl_loop\n\n"
    "target = rl_loop.Config(log_path='/tmp/x', trainer=TrainerConfig(region='us'), weight_sync_interval=2)\n"
    "target.trainer.region = 'eu'\nrl_loop.main(target)\n",
    "import training.utils as tu\n\ntrainer = tu.TrainerConfig(job_id='j', timeout_s=60.0)\n",
]


@st.composite
def clean_programs(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(fillers, st.sampled_from(LOOK_ALIKES)), min_size=1, max_size=4))
    source = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
    assume(_compiles(source))
    return source


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(clean_programs())
def test_a_program_with_no_legacy_use_is_never_changed(source: str) -> None:
    COUNTS["no_legacy"] += 1
    assert run(source).code == source
    # Nothing but the hint that a module exporting InfraConfig and another legacy name may be
    # an unlisted vendored copy (FTM067, a configuration hint that leaves the file alone).
    assert [d.code for d in run(source, mode="lint").diagnostics if d.code != "FTM067"] == []


def test_a_name_imported_from_two_legacy_modules() -> None:
    before = (
        "from training.recipes import sft_loop\n"
        "from training.utils import InfraConfig\n"
        "from training.utils.config import InfraConfig\n\n"
        'cfg = sft_loop.Config(log_path="/tmp/x", infra=InfraConfig(region="us"))\n'
        "RESULTS = [cfg]\n"
    )
    after = run(before)
    assert "TrainerConfig(region=" in after.code, after.code
    assert "InfraConfig" not in after.code, "both imports of the renamed name go"
    assert expected_target(execute(before, "legacy")[0]) == execute(after.code, "target")[0]


# --------------------------------------------------------------------------------------------
# The same programs ported straight to target 2026-08.


def expected_at(legacy: object, target: str, actual: object) -> object:
    """What ``expected_target`` means at ``target`` (``tests.helpers.expected_after``), with the
    lifecycle flag a port writes where ``main()`` is called taken from ``actual`` (it depends on
    the call's flags, checked by the equivalence and fixture tests)."""
    from tests.helpers import expected_after, expected_trainer

    if isinstance(legacy, InfraConfig):
        return expected_trainer(legacy, target)
    recipe = type(legacy).__module__.rpartition(".")[2]
    return expected_after(recipe, legacy, target, cleanup=getattr(actual, "cleanup_on_exit", None))


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs("2026-08"))
def test_generated_programs_are_rewritten_soundly_at_2026_08(program: Program) -> None:
    before = program.source
    note(before)
    after = run(before, target="2026-08")
    if re.search(r"\r(?!\n)", before):
        assert after.error is not None and after.code == before
        return
    assert after.error is None, after.error
    note(after.code)
    assert _compiles(after.code)
    assert run(after.code, target="2026-08").code == after.code, "a second run changed the file"
    for filler in program.fillers:
        assert _lines_in_order(filler.splitlines(), after.code), f"filler changed:\n{filler}"
    if not program.executable:
        return
    if after.code == before and run(before).code == before:
        # Nothing legacy-only in it (`rl_loop.Config(log_path=...)`): it reads the same on every
        # surface and is taken as written for the target (its 2026-08 defaults apply).
        assert after.diagnostics == []
        return
    legacy = execute(before, "legacy")
    namespace: dict[str, object] = {"__name__": "generated"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(target="2026-08", bundled_sdk=True):
            exec(compile(after.code, "<2026-08>", "exec"), namespace)
    migrated = namespace["RESULTS"]
    assert len(legacy) == len(migrated)  # type: ignore[arg-type]
    for old, new in zip(legacy, migrated, strict=True):  # type: ignore[call-overload]
        expected = expected_at(old, "2026-08", new)
        assert expected == new, differences(expected, new)
