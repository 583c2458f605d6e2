"""Generated legacy configurations keep their values through the rewrite.

Hypothesis writes legacy scripts -- a recipe imported one of the ways users do, an
``InfraConfig`` / ``WeightSyncConfig`` / ``HotloadConfig`` with random fields in random order,
inline or bound to a name, aliased or through a module, one argument per line with comments or
all on one line, top-level job ids and ignored URLs -- and checks that:

* the rewrite parses and compiles, and a second run changes nothing;
* executing the script before (under ``mount(surface="legacy")``) and after (under
  ``mount()``) gives the same configuration, field by field, each legacy field read at its
  new name (the mapping comes from the bundled API's field metadata, never retyped here).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftmigrate.api.config import HotloadConfig, WeightSyncConfig
from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS, RECIPES
from tests.helpers import execute, expected_after, run
from tests.strategies import CADENCE

SHAPES = ["accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", "accounts/acme/trainingShapes/llama-70b"]
REF_SHAPES = ["accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward"]

identifiers = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
strings = identifiers.map(repr)


def _infra_fields() -> st.SearchStrategy[dict[str, str]]:
    shape_path = st.fixed_dictionaries(
        {"training_shape_id": st.sampled_from(SHAPES).map(repr)},
        optional={
            "ref_training_shape_id": st.sampled_from(REF_SHAPES).map(repr),
            "region": strings,
            "trainer_timeout_s": st.integers(1, 10**5).map(str),
            "trainer_replica_count": st.integers(1, 8).map(str),
            "extra_args": st.lists(strings, max_size=2).map(lambda xs: "[" + ", ".join(xs) + "]"),
            "purpose": st.just('"PURPOSE_PILOT"'),
            "managed_by": strings,
            "skip_validations": st.booleans().map(str),
        },
    )
    manual_path = st.fixed_dictionaries(
        {},
        optional={
            "accelerator_type": st.just('"NVIDIA_H200_141GB"'),
            "accelerator_count": st.integers(1, 8).map(str),
            "node_count": st.integers(1, 4).map(str),
            "custom_image_tag": strings,
            "region": strings,
            "trainer_timeout_s": st.floats(1, 1e5, allow_nan=False).map(lambda f: repr(round(f, 2))),
        },
    )
    return st.one_of(shape_path, manual_path)


def _cadence_fields(cls: type) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={f.name: CADENCE[f.name] for f in dataclasses.fields(cls)})


def _call(func: str, fields: dict[str, str], order: list[int], multiline: bool, comments: bool, indent: str) -> str:
    items = list(fields.items())
    items = [items[i] for i in order[: len(items)]] if order and sorted(order[: len(items)]) == list(range(len(items))) else items
    if not items:
        return f"{func}()"
    if not multiline:
        return f"{func}(" + ", ".join(f"{k}={v}" for k, v in items) + ")"
    inner = indent + "    "
    lines = [f"{inner}{k}={v},{'  # ' + k if comments else ''}" for k, v in items]
    return f"{func}(\n" + "\n".join(lines) + f"\n{indent})"


@st.composite
def legacy_scripts(draw: st.DrawFn) -> tuple[str, str]:
    recipe = draw(st.sampled_from(RECIPES))
    legacy = LEGACY_CONFIG_FIELDS[recipe]
    recipe_style = draw(st.sampled_from(["from", "module_alias", "config_import", "config_alias"]))
    utils_style = draw(st.sampled_from(["from", "alias", "module"]))
    multiline = draw(st.booleans())
    comments = draw(st.booleans())
    bind_infra = draw(st.booleans())
    bind_cadence = draw(st.booleans())

    lines: list[str] = []
    if recipe_style == "from":
        lines.append(f"from training.recipes import {recipe}")
        config = f"{recipe}.Config"
    elif recipe_style == "module_alias":
        lines.append(f"import training.recipes.{recipe} as recipe_mod")
        config = "recipe_mod.Config"
    elif recipe_style == "config_import":
        lines.append(f"from training.recipes.{recipe} import Config")
        config = "Config"
    else:
        lines.append(f"from training.recipes.{recipe} import Config as LoopConfig")
        config = "LoopConfig"

    def name(cls: str) -> str:
        if utils_style == "module":
            return f"tu.{cls}"
        return {"InfraConfig": "IC", "WeightSyncConfig": "WSC", "HotloadConfig": "HC"}[cls] if utils_style == "alias" else cls

    if utils_style == "module":
        lines.append("import training.utils as tu")
    used: set[str] = set()
    args: dict[str, str] = {"log_path": '"/tmp/run"'}
    preamble: list[str] = []
    order = draw(st.permutations(range(12)))

    if draw(st.booleans()):
        used.add("InfraConfig")
        infra = _call(name("InfraConfig"), draw(_infra_fields()), list(order), multiline, comments, "    " if not bind_infra else "")
        if bind_infra:
            preamble.append(f"infra_cfg = {infra}")
            args["infra"] = "infra_cfg"
        else:
            args["infra"] = infra
    if "weight_sync" in legacy and draw(st.booleans()):
        gen0 = draw(st.booleans())
        cls, keyword_name = ("HotloadConfig", "hotload") if gen0 else ("WeightSyncConfig", "weight_sync")
        used.add(cls)
        fields = draw(_cadence_fields(HotloadConfig if gen0 else WeightSyncConfig))
        cadence = _call(name(cls), fields, list(order), multiline, comments, "    " if not bind_cadence else "")
        if bind_cadence:
            preamble.append(f"cadence = {cadence}")
            args[keyword_name] = "cadence"
        else:
            args[keyword_name] = cadence
    for legacy_name in legacy:
        if legacy_name in ("infra", "weight_sync", "hotload"):
            continue
        if draw(st.booleans()):
            args[legacy_name] = draw(strings)
    if draw(st.booleans()):
        args["lora_rank"] = str(draw(st.integers(0, 64)))

    if utils_style != "module" and used:
        if utils_style == "alias":
            aliases = {"InfraConfig": "IC", "WeightSyncConfig": "WSC", "HotloadConfig": "HC"}
            lines.append("from training.utils import " + ", ".join(f"{u} as {aliases[u]}" for u in sorted(used)))
        else:
            lines.append("from training.utils import " + ", ".join(sorted(used)))
    body = _call(config, args, list(order), multiline, comments, "")
    source = "\n".join(lines) + "\n\n" + "".join(p + "\n" for p in preamble) + f"cfg = {body}\n"
    return recipe, source


@settings(max_examples=150, deadline=None)
@given(legacy_scripts())
def test_generated_legacy_configs_keep_their_values(case: tuple[str, str]) -> None:
    recipe, before = case
    after = run(before)
    assert after.error is None, after.error
    compile(after.code, "after.py", "exec")
    assert run(after.code).code == after.code, "a second run changed the file"
    # the only things left for a person are values with no replacement (managed_by, dcp_timeout ...)
    assert {d.code for d in after.diagnostics if d.remaining} <= {"FTM002", "FTM012", "FTM022"}, after.diagnostics

    legacy_cfg = execute(before, "legacy")["cfg"]
    migrated = execute(after.code, "target")["cfg"]
    expected = expected_after(recipe, legacy_cfg)
    if migrated != expected:
        diffs = {
            f.name: (getattr(expected, f.name), getattr(migrated, f.name))
            for f in dataclasses.fields(expected)
            if getattr(expected, f.name) != getattr(migrated, f.name)
        }
        raise AssertionError(f"values changed: {diffs}\n--- before\n{before}\n--- after\n{after.code}")


@settings(max_examples=60, deadline=None)
@given(legacy_scripts(), st.sampled_from(["mytraining", "training_utils_fork", "acme.training"]))
def test_look_alike_projects_are_never_touched(case: tuple[str, str], root: str) -> None:
    """The same scripts importing from a project's own package named like the cookbook: not one
    byte changed, and no finding but the hint that a package exporting the legacy names
    (``InfraConfig`` and another) may be a vendored copy to list in ``legacy-modules``."""
    _, before = case
    look_alike = before.replace("training.recipes", f"{root}.recipes").replace("training.utils", f"{root}.utils")
    result = run(look_alike)
    assert result.code == look_alike
    codes = [d.code for d in run(look_alike, mode="lint").diagnostics]
    assert codes in ([], ["FTM067"]), codes


@pytest.mark.parametrize(
    "fixture",
    [
        "recipe_config/replace_infra_keeps_job_ids",
        "config_attributes/assign_infra_keeps_job_ids",
        "recipe_config/job_ids_shared_object",
        "weight_sync/assign_nested",
        "recipe_config/job_ids_none",
    ],
)
def test_whole_nested_objects_replaced_keep_their_meaning(fixture: str) -> None:
    # `cfg.infra = X` / `replace(cfg, infra=X)` left cfg's job ids alone (fields of their own);
    # the rewrite writes `trainer`, which holds them now. `cfg.weight_sync = WeightSyncConfig(...)`
    # reset every cadence field; the rewrite writes each one. Every Config must mean the same.
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "fixtures"
    before = (folder / f"{fixture}.before.py").read_text()
    after = run(before).code
    assert after == (folder / f"{fixture}.after.py").read_text()
    legacy, target = execute(before, "legacy"), execute(after, "target")
    compared = 0
    for name, value in legacy.items():
        recipe = type(value).__module__.rpartition(".")[2]
        if dataclasses.is_dataclass(value) and recipe in RECIPES and type(value).__name__ == "Config":
            assert target[name] == expected_after(recipe, value), name
            compared += 1
    assert compared >= 2
