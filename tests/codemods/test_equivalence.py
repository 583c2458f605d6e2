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

from ftmigrate.api import profiles
from ftmigrate.api.config import TARGET, HotloadConfig, WeightSyncConfig
from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_CONFIG_FIELDS, LEGACY_MAIN_PARAMS, RECIPES
from tests.helpers import execute, expected_after, expected_deployment, run
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


# --------------------------------------------------------------------------------------------
# Target 2026-08: legacy code ported straight there, 2026-06 code upgraded, August code left alone.

AUGUST = profiles.get("2026-08")


@st.composite
def legacy_runs(draw: st.DrawFn) -> tuple[str, str, bool | None]:
    """A legacy script (``legacy_scripts``) that may also run its Config through the legacy
    ``main()`` (in a function never called), with or without ``cancel_on_exit=``; and the
    cancel flag (None: no ``main()`` call, or no flag)."""
    recipe, source = draw(legacy_scripts())
    if not draw(st.booleans()):
        return recipe, source, None
    params = LEGACY_MAIN_PARAMS[recipe]
    args = ["cfg"]
    if "rlor_mgr" in params:
        args.append("TrainerJobManager(api_key='k')")  # a legacy argument: the call is legacy code
    if recipe == "async_rl_loop":
        args.append("rollout_fn_factory=factory")
    cancel = draw(st.one_of(st.none(), st.booleans())) if "cancel_on_exit" in params else None
    if recipe == "async_rl_loop" and cancel is None:
        cancel = draw(st.booleans())  # (async's only legacy arguments are its flags)
    if cancel is not None:
        args.append(f"cancel_on_exit={cancel}")
    source += (
        f"\n\ndef run(factory=None):\n"
        f"    from fireworks.training.sdk import TrainerJobManager\n"
        f"    import training.recipes.{recipe} as loop\n\n"
        f"    loop.main({', '.join(args)})\n"
    )
    return recipe, source, cancel


def _legacy_cleanup(recipe: str, cancel: bool | None) -> bool:
    """Whether the legacy run released the trainer it created on exit."""
    legacy = LEGACY_CLEANUP[recipe]
    return legacy.trainers_always or bool(cancel and legacy.trainers_with_cancel)


def _lost(recipe: str, legacy_cfg: object, target: str) -> dict[str, object]:
    """Legacy values the target has no place for and does not do by itself: each must be reported."""
    profile = profiles.get(target)
    lost: dict[str, object] = {}
    for f in dataclasses.fields(legacy_cfg.infra):  # type: ignore[attr-defined]
        entry = profile.removed("TrainerConfig").get(f.name)
        value = getattr(legacy_cfg.infra, f.name)  # type: ignore[attr-defined]
        if entry is not None and value is not None:
            lost[f.name] = value
    for nested in ("weight_sync", "hotload"):
        obj = getattr(legacy_cfg, nested, None)
        if obj is None:
            continue
        for f in dataclasses.fields(obj):
            entry = profile.removed(f"{recipe}.Config").get(f.metadata[TARGET] or "")
            value = getattr(obj, f.name)
            if entry is not None and value != f.default and not (type(value) is type(entry.keeps) and value == entry.keeps):
                lost[f.name] = value
    return lost


@settings(max_examples=120, deadline=None)
@given(legacy_runs())
def test_legacy_code_ported_to_2026_08_keeps_its_values(case: tuple[str, str, bool | None]) -> None:
    """Straight to 2026-08 in one run: the rewrite builds, under ``mount(target="2026-08")``, the
    configuration the legacy script built under ``mount(surface="legacy")``, every value the
    target has no place for reported, and the lifecycle the legacy ``main()`` had written out."""
    recipe, before, cancel = case
    after = run(before, target="2026-08")
    assert after.error is None, after.error
    compile(after.code, "after.py", "exec")
    assert run(after.code, target="2026-08").code == after.code, "a second run changed the file"
    remaining = [d for d in after.diagnostics if d.remaining]
    assert {d.code for d in remaining} <= {"FTM002", "FTM012", "FTM022", "FTM042", "FTM087"}, after.diagnostics

    legacy_cfg = execute(before, "legacy")["cfg"]
    # (every keyword of the result exists at 2026-08: the mount rejects any other one)
    migrated = execute(after.code, "target", target="2026-08")["cfg"]
    called = "def run(" in before
    legacy_names = ("InfraConfig", "WeightSyncConfig", "HotloadConfig", *(f"{k}=" for k in LEGACY_CONFIG_FIELDS[recipe]))
    if not called and not any(name in before for name in legacy_names):
        # Nothing in it is legacy-only (`rl_loop.Config(log_path=...)`): code that reads the same
        # on every surface is taken as written for the target, and left as it is.
        assert after.code == before and after.diagnostics == []
        return
    cleanup = _legacy_cleanup(recipe, cancel) if called and AUGUST.lifecycle(recipe).flag else None
    expected = expected_after(recipe, legacy_cfg, "2026-08", cleanup=cleanup)
    if migrated != expected:
        diffs = {
            f.name: (getattr(expected, f.name), getattr(migrated, f.name))
            for f in dataclasses.fields(expected)
            if getattr(expected, f.name) != getattr(migrated, f.name)
        }
        raise AssertionError(f"values changed: {diffs}\n--- before\n{before}\n--- after\n{after.code}")
    for name, value in _lost(recipe, legacy_cfg, "2026-08").items():
        assert any(name in d.message for d in remaining), f"{name}={value!r} dropped without a finding: {after.diagnostics}"
    # what the target does on exit that the legacy run did not (igpo: the deployment) is a finding
    if called and recipe == "igpo_loop" and not cancel:
        assert "FTM087" in {d.code for d in remaining}


JUNE = profiles.get("2026-06")
REGIONS = ['"US_OHIO_1"', '"US_IOWA_1"', '"EU_FRANKFURT_1"']


def _june_trainer() -> st.SearchStrategy[dict[str, str]]:
    shape_path = st.fixed_dictionaries(
        {"training_shape_id": st.sampled_from(SHAPES).map(repr)},
        optional={"region": st.sampled_from(REGIONS), "timeout_s": st.integers(1, 10**5).map(str), "accelerator_type": st.just("None")},
    )
    manual_path = st.fixed_dictionaries(
        {},
        optional={
            "accelerator_type": st.sampled_from(['"NVIDIA_H200_141GB"', "None"]),
            "accelerator_count": st.integers(1, 8).map(str),
            "node_count": st.integers(1, 4).map(str),
            "region": st.sampled_from(REGIONS),
        },
    )
    return st.one_of(shape_path, manual_path)


@st.composite
def june_scripts(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A script written for 2026-06 (a recipe Config with TrainerConfig / DeployConfig and the
    recipe's cadence fields, maybe a ``main()`` call and a ``build_service_client`` probe), and
    whether it calls ``main()``."""
    recipe = draw(st.sampled_from(RECIPES))
    fields = set(JUNE.field_names(f"{recipe}.Config"))
    multiline, comments = draw(st.booleans()), draw(st.booleans())
    order = list(draw(st.permutations(range(12))))
    args: dict[str, str] = {"log_path": '"/tmp/run"'}
    if draw(st.booleans()):
        args["trainer"] = _call("TrainerConfig", draw(_june_trainer()), order, multiline, comments, "    ")
    if "deployment" in fields and draw(st.booleans()):
        deploy = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "tokenizer_model": st.just('"Qwen/Qwen3-8B"'),
                    "deployment_region": st.sampled_from([*REGIONS, "None"]),
                    "disable_speculative_decoding": st.booleans().map(str),
                    "deployment_timeout_s": st.integers(60, 9000).map(str),
                },
            )
        )
        args["deployment"] = _call("DeployConfig", deploy, order, multiline, comments, "    ")
    cadence = {
        "weight_sync_interval": st.integers(0, 5).map(str),
        "weight_sync_before_training": st.booleans().map(str),
        "weight_sync_timeout": st.integers(1, 3600).map(str),
        "dcp_save_interval": st.integers(0, 100).map(str),
    }
    args.update(draw(st.fixed_dictionaries({}, optional={k: v for k, v in cadence.items() if k in fields})))
    source = f"from training.recipes import {recipe}\nfrom training.utils import DeployConfig, TrainerConfig, build_service_client\n\n"
    source += f"cfg = {_call(f'{recipe}.Config', args, order, multiline, comments, '')}\n"
    calls_main = draw(st.booleans())
    if calls_main:
        extra = ", rollout_fn_factory=factory" if recipe == "async_rl_loop" else ""
        source += f"\n\ndef run(factory=None):\n    {recipe}.main(cfg{extra})\n"
    if draw(st.booleans()):
        source += (
            "\n\ndef probe(key):\n    return build_service_client(\n        api_key=key, base_url=\"https://api.fireworks.ai\","
            " additional_headers=None, base_model=\"m\",\n        tokenizer_model=\"m\", lora_rank=16, max_context_length=8192,"
            " learning_rate=1e-5, trainer=TrainerConfig(),\n    )\n"
        )
    return recipe, source, calls_main


def _june_to_august(recipe: str, june: object, calls_main: bool, written: bool) -> object:
    """What a 2026-06 recipe Config means at 2026-08: each field where 2026-08 has it, the
    deployment's region on the trainer when the trainer had none, the old defaults written out."""
    trainer = june.trainer  # type: ignore[attr-defined]
    names = set(AUGUST.field_names("TrainerConfig"))
    trainer_values = {f.name: getattr(trainer, f.name) for f in dataclasses.fields(trainer) if f.name in names}
    values = {n: getattr(june, n) for n in AUGUST.field_names(f"{recipe}.Config") if hasattr(june, n) and n not in ("trainer",)}
    if "deployment" in values:
        deployment = june.deployment  # type: ignore[attr-defined]
        region = deployment.deployment_region
        if region is not None and trainer_values.get("region") is None:
            trainer_values["region"] = region
        # (the old default is written into a DeployConfig(...) the code writes, and into the default
        # one of a recipe that deploys)
        values["deployment"] = expected_deployment(deployment, "2026-08", deploys=written or AUGUST.recipe_module(recipe).NEEDS_DEPLOYMENT)
    if calls_main and AUGUST.lifecycle(recipe).flag:
        values["cleanup_on_exit"] = False  # 2026-06 recipes left everything running
    return AUGUST.recipe_config(recipe)(**values, trainer=AUGUST.config_class("TrainerConfig")(**trainer_values))


@settings(max_examples=120, deadline=None)
@given(june_scripts())
def test_2026_06_code_upgraded_to_2026_08_keeps_its_values(case: tuple[str, str, bool]) -> None:
    recipe, before, calls_main = case
    after = run(before, target="2026-08")
    assert after.error is None, after.error
    compile(after.code, "after.py", "exec")
    assert run(after.code, target="2026-08").code == after.code, "a second run changed the file"
    older = [d for d in run(before, mode="lint", target="2026-08").diagnostics if d.code in ("FTM080", "FTM081", "FTM082", "FTM085")]
    removed = ("accelerator_type=", "accelerator_count=", "deployment_region=", "lora_rank=16")
    removed += ("weight_sync_interval=", "weight_sync_before_training=") if recipe == "rl_loop" else ()
    removed += ("weight_sync_before_training=",) if recipe == "async_rl_loop" else ()
    if not any(r in before for r in removed):
        # Nothing in it is 2026-06-only: it reads the same at 2026-08, and is taken as written for it.
        assert after.code == before and after.diagnostics == [] and not older
        return
    assert older, "2026-06-only keywords went unreported"
    assert {d.code for d in after.diagnostics if d.remaining} <= {"FTM081"}, after.diagnostics
    june = execute(before, "target", target="2026-06")["cfg"]
    august = execute(after.code, "target", target="2026-08")["cfg"]
    expected = _june_to_august(recipe, june, calls_main, "deployment=DeployConfig(" in before)
    # A deployment region that differs from the trainer's cannot be kept: reported, dropped.
    deployment = getattr(june, "deployment", None)
    if deployment is not None and deployment.deployment_region not in (None, june.trainer.region) and june.trainer.region is not None:  # type: ignore[attr-defined]
        assert any("deployment_region" in d.message and d.code == "FTM081" for d in after.diagnostics)
    if august != expected:
        diffs = {f.name: (getattr(expected, f.name), getattr(august, f.name)) for f in dataclasses.fields(expected) if getattr(expected, f.name) != getattr(august, f.name)}
        raise AssertionError(f"values changed: {diffs}\n--- before\n{before}\n--- after\n{after.code}")
    for f in dataclasses.fields(june):
        entry = AUGUST.removed(f"{recipe}.Config").get(f.name)
        value = getattr(june, f.name)
        if entry is not None and f"{f.name}=" in before and not (type(value) is type(entry.keeps) and value == entry.keeps):
            assert any(f.name in d.message and d.code == "FTM081" for d in after.diagnostics), f"{f.name}={value!r} dropped silently"


AUGUST_TRAINER = {
    "training_shape_id": st.sampled_from(SHAPES).map(repr),
    "region": st.sampled_from(REGIONS),
    "timeout_s": st.integers(60, 10**5).map(str),
    "pending_timeout_s": st.integers(60, 172800).map(lambda n: f"{n}.0"),
    "inactivity_timeout": st.sampled_from(['"2h"', '"30m"', "None"]),
    "disable_inactivity_cleanup": st.booleans().map(str),
    "preemptible": st.booleans().map(str),
    "managed_by": strings,
    "use_reservation": st.booleans().map(str),
}
AUGUST_DEPLOY = {
    "tokenizer_model": st.just('"Qwen/Qwen3-8B"'),
    "deployment_timeout_s": st.integers(60, 9000).map(str),
    "disable_speculative_decoding": st.booleans().map(str),
    "enable_hot_load": st.booleans().map(str),
    "hot_load_transition_type": st.just("None"),
    "preemptible": st.booleans().map(str),
    "replica_count": st.integers(1, 4).map(str),
}


@st.composite
def august_scripts(draw: st.DrawFn) -> tuple[str, bool]:
    """A script written for the August 2026 cookbook, from its profile: a recipe Config with the
    2026-08 fields of TrainerConfig, DeployConfig and the recipe, maybe ``main()``, a service
    probe with ``max_lora_rank=`` and ``policy_client=``; and whether it uses anything 2026-06
    does not have."""
    recipe = draw(st.sampled_from(RECIPES))
    fields = set(AUGUST.field_names(f"{recipe}.Config"))
    order = list(draw(st.permutations(range(12))))
    multiline, comments = draw(st.booleans()), draw(st.booleans())
    trainer = draw(st.fixed_dictionaries({}, optional=AUGUST_TRAINER))
    args: dict[str, str] = {"log_path": '"/tmp/run"', "trainer": _call("TrainerConfig", trainer, order, multiline, comments, "    ")}
    deploy: dict[str, str] = {}
    if "deployment" in fields and draw(st.booleans()):
        deploy = draw(st.fixed_dictionaries({}, optional=AUGUST_DEPLOY))
        args["deployment"] = _call("DeployConfig", deploy, order, multiline, comments, "    ")
    cadence = {
        "weight_sync_interval": st.integers(0, 5).map(str),
        "weight_sync_before_training": st.booleans().map(str),
        "weight_sync_timeout": st.integers(1, 3600).map(str),
        "dcp_save_interval": st.integers(0, 100).map(str),
        "cleanup_on_exit": st.booleans().map(str),
    }
    top = draw(st.fixed_dictionaries({}, optional={k: v for k, v in cadence.items() if k in fields}))
    args.update(top)
    source = f"from training.recipes import {recipe}\nfrom training.utils import DeployConfig, TrainerConfig, build_service_client\n"
    names = draw(st.lists(st.sampled_from(AUGUST.added("training.utils")), max_size=2, unique=True))
    if names:
        source += f"from training.utils import {', '.join(names)}\n"
    source += f"\ncfg = {_call(f'{recipe}.Config', args, order, multiline, comments, '')}\n"
    if draw(st.booleans()):
        extra = ", rollout_fn_factory=factory" if recipe == "async_rl_loop" else ""
        source += f"\n\ndef run(factory=None):\n    {recipe}.main(cfg{extra})\n"
    probe = draw(st.booleans())
    if probe:
        source += (
            "\n\ndef probe(key):\n    service = build_service_client(\n        api_key=key, base_url=\"https://api.fireworks.ai\","
            " additional_headers=None, base_model=\"m\",\n        tokenizer_model=\"m\", max_lora_rank=16, max_context_length=8192,"
            " learning_rate=1e-5, trainer=cfg.trainer,\n        cleanup_deployment_on_close=\"scale_to_zero\",\n    )\n"
            "    policy = service.create_training_client(\"m\", lora_rank=16)\n"
            "    return service.create_reference_client(\"m\", lora_rank=16, policy_client=policy)\n"
        )
    newer = bool(names or probe or set(trainer) & set(AUGUST.added("TrainerConfig")) or set(deploy) & set(AUGUST.added("DeployConfig")))
    newer = newer or bool(set(top) & set(AUGUST.added(f"{recipe}.Config")))
    return source, newer


@settings(max_examples=120, deadline=None)
@given(august_scripts())
def test_current_2026_08_code_lints_clean_at_2026_08(case: tuple[str, bool]) -> None:
    """August 2026 code: silent at 2026-08 (lint and rewrite); at 2026-06, one finding that says
    it is 2026-08 code when it uses anything 2026-06 does not have, and none when it does not."""
    source, newer = case
    execute(source, "target", target="2026-08")  # (it is 2026-08 code: the mount accepts it)
    assert run(source, mode="lint", target="2026-08").diagnostics == []
    assert run(source, target="2026-08").code == source
    at_june = run(source, mode="lint", target="2026-06").diagnostics
    if newer:
        assert [d.code for d in at_june] == ["FTM072"], at_june
        assert "--target 2026-08" in at_june[0].help and 'target = "2026-08"' in at_june[0].help
    else:
        assert at_june == [], at_june
