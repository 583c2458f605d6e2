"""The reference pages state facts; each table and snippet is checked against the bundled API
(the implementation of the spec that ftmigrate's codemods read), so the pages cannot drift."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import re
import warnings

import pytest

from ftmigrate.api import mount
from ftmigrate.api.backend import local_backend
from ftmigrate.api.config import TARGET, HotloadConfig, WeightSyncConfig
from ftmigrate.api.legacy.surface import INFRA_ATTRIBUTES, LEGACY_MAIN_PARAMS, RECIPES, SETUP_INFRA_PARAMS
from ftmigrate.api.recipes._base import CADENCE_FIELDS
from ftmigrate.api.service import LocalServiceClient, build_service_client
from ftmigrate.explain import SKILL_REFERENCES
from tests.skill.helpers import SKILL, code_blocks, table, unquote

PAGES = {p.name: p.read_text() for p in (SKILL / "references").glob("*.md")}
CADENCE = PAGES["cadence-fields.md"]
LIFECYCLE = PAGES["lifecycle.md"]
SERVICE = PAGES["service-rewrite.md"]
TARGETS_PAGE = PAGES["targets.md"]


@pytest.fixture(autouse=True)
def fresh_backend():
    local_backend().reset()
    yield
    local_backend().reset()


def _config_fields(recipe: str) -> dict[str, object]:
    config = importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config
    return {f.name: f.default for f in dataclasses.fields(config)}


# --- cadence-fields.md ------------------------------------------------------------------------


def test_cadence_table_is_the_bundled_recipe_configs() -> None:
    rows = table(CADENCE, "| field | sft_loop | dpo_loop | orpo_loop | rl_loop | igpo_loop | async_rl_loop |")
    columns = ["sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop"]
    assert sorted(columns) == sorted(RECIPES)
    expected = [
        [f"`{name}`", *(repr(_config_fields(r)[name]) if name in _config_fields(r) else "–" for r in columns)]
        for name in CADENCE_FIELDS
    ]
    assert rows == expected


def test_nested_field_table_is_the_legacy_classes_metadata() -> None:
    rows = table(CADENCE, "| gen1 `WeightSyncConfig`")
    gen1 = {f.name: f for f in dataclasses.fields(WeightSyncConfig)}
    gen0_by_target = {}
    for f in dataclasses.fields(HotloadConfig):
        gen0_by_target[f.metadata[TARGET] or f.name] = f.name
    assert {unquote(r[0]) for r in rows} == set(gen1)
    for new, old, default, target in rows:
        f = gen1[unquote(new)]
        assert unquote(old) == gen0_by_target[f.metadata[TARGET] or f.name]
        assert default == repr(f.default)
        if f.metadata[TARGET] is None:
            assert target.startswith("–")
        else:
            assert unquote(target) == f.metadata[TARGET]
    # One "legacy default" column for both generations: their defaults agree field by field.
    gen1_by_target = {f.metadata[TARGET] or f.name: f for f in gen1.values()}
    for f in dataclasses.fields(HotloadConfig):
        assert f.default == gen1_by_target[f.metadata[TARGET] or f.name].default, f.name


def test_legacy_defaults_equal_the_recipe_defaults_as_the_page_says() -> None:
    """"A keyword the legacy code did not write needs no keyword after the port either."""
    for f in dataclasses.fields(WeightSyncConfig):
        target = f.metadata[TARGET]
        for recipe in RECIPES:
            fields = _config_fields(recipe)
            if target in fields:
                assert fields[target] == f.default, (recipe, target)


def test_the_hand_port_snippet_constructs() -> None:
    (snippet,) = code_blocks(CADENCE, "python")
    with mount():
        from training.recipes import rl_loop

        ws = WeightSyncConfig(weight_sync_interval=3, dcp_save_interval=7)
        namespace = {"rl_loop": rl_loop, "ws": ws}
        exec(snippet, namespace)
    assert (namespace["cfg"].weight_sync_interval, namespace["cfg"].dcp_save_interval) == (3, 7)


# --- lifecycle.md -----------------------------------------------------------------------------


def _things(items: list[tuple[str, str | None]]) -> str:
    """'the policy and reference trainers and the deployment' for (resource, role) pairs."""
    roles = [role for resource, role in items if resource == "trainer"]
    out = []
    if roles:
        out.append(f"the {' and '.join(roles)} trainer" + ("s" if len(roles) > 1 else ""))
    if any(resource == "deployment" for resource, _ in items):
        out.append("the deployment")
    return " and ".join(out)


def _describe(plan) -> str:
    parts = []
    for kind, verb in (("cancelled", "cancels {}"), ("deleted", "deletes {}"), ("scaled_to_zero", "scales {} to zero")):
        what = [(e.resource, e.role) for e in plan.released if e.kind == kind]
        if what:
            parts.append(verb.format(_things(what)))
    parts.append(f"leaves {_things([(r.resource, r.role) for r in plan.left_running]) or 'nothing'} running")
    return "; ".join(parts)


def _dry_run(recipe: str, surface: str, cancel: bool | None, target: str = "2026-06"):
    local_backend().reset()
    extra: dict[str, object] = {"rollout_fn_factory": lambda *a, **k: None} if recipe == "async_rl_loop" else {}
    if cancel is not None:
        extra["cancel_on_exit"] = cancel
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(surface=surface, target=target, bundled_sdk=True):
            module = importlib.import_module(f"training.recipes.{recipe}")
            return module.main(module.Config(log_path="/tmp/ftmigrate-lifecycle"), **extra)


def test_lifecycle_table_is_what_the_bundled_recipes_do() -> None:
    rows = table(LIFECYCLE, "| recipe | legacy `main()`")
    expected = []
    for recipe in RECIPES:
        flag = "cancel_on_exit" in LEGACY_MAIN_PARAMS[recipe]
        expected.append([
            f"`{recipe}`",
            _describe(_dry_run(recipe, "legacy", False if flag else None)),
            _describe(_dry_run(recipe, "legacy", True)) if flag else "(no such flag)",
            _describe(_dry_run(recipe, "target", None)),
            _describe(_dry_run(recipe, "target", None, "2026-08")),
        ])
    assert rows == expected


def test_the_grace_period_named_is_the_emulation_s() -> None:
    from ftmigrate.api.legacy import infra

    assert f"`{infra.GRACE_PERIOD_ENV}`, default {infra.DEFAULT_GRACE_PERIOD_S:g} s" in LIFECYCLE


def _lifecycle_snippets() -> dict[str, str]:
    blocks = code_blocks(LIFECYCLE, "python")
    return {
        "deployment": next(b for b in blocks if "scale_to_zero" in b),
        "owned": next(b for b in blocks if "def run_on_owned_trainer" in b),
    }


@pytest.mark.parametrize(
    ("recipe", "cancel"),
    [("sft_loop", None), ("dpo_loop", None), ("orpo_loop", None), ("igpo_loop", False), ("rl_loop", True), ("async_rl_loop", True)],
)
def test_run_on_owned_trainer_releases_what_the_legacy_recipe_released(recipe: str, cancel: bool | None) -> None:
    legacy = _dry_run(recipe, "legacy", cancel)
    legacy_released = {(e.resource, e.role) for e in legacy.released}
    local_backend().reset()
    extra = {"rollout_fn_factory": lambda *a, **k: None} if recipe == "async_rl_loop" else {}
    with mount(bundled_sdk=True):
        namespace: dict[str, object] = {}
        exec(_lifecycle_snippets()["owned"], namespace)
        module = importlib.import_module(f"training.recipes.{recipe}")
        cfg = module.Config(log_path="/tmp/ftmigrate-owned")
        plan = namespace["run_on_owned_trainer"](module.main, cfg, api_key="k", base_url="local://", **extra)
    backend = local_backend()
    assert plan.trainer("policy").action == "reattached"  # the recipe ran on the owned trainer
    assert all(job.state == "DELETED" for job in backend.trainers.values())
    deleted = {("trainer", e.role) for e in backend.events if e.kind == "deleted" and e.resource == "trainer"}
    # Every trainer the legacy recipe released is released (deleted rather than cancelled).
    assert {x for x in legacy_released if x[0] == "trainer"} <= deleted


def test_deployment_cleanup_snippet_releases_what_cancel_on_exit_released() -> None:
    legacy = _dry_run("rl_loop", "legacy", True)
    assert ("deployment", "scaled_to_zero") in {(e.resource, e.kind) for e in legacy.released}
    local_backend().reset()
    os.environ.setdefault("FIREWORKS_API_KEY", "k")
    with mount(bundled_sdk=True):
        from fireworks.training.sdk import DeploymentManager  # noqa: F401 (the snippet imports it)
        from training.recipes import rl_loop
        from training.utils import DeployConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", deployment=DeployConfig(deployment_id="rl-serving"))
        exec(_lifecycle_snippets()["deployment"], {"rl_loop": rl_loop, "cfg": cfg, "api_key": "k"})
    assert local_backend().deployments["rl-serving"].state == "SCALED_TO_ZERO"


# --- service-rewrite.md -----------------------------------------------------------------------


def test_setup_infra_table_covers_every_argument() -> None:
    rows = table(SERVICE, "| `setup_infra` argument")
    assert [unquote(r[0]) for r in rows] == list(SETUP_INFRA_PARAMS)


def test_every_build_service_client_keyword_is_explained() -> None:
    section = SERVICE.split("## `Infra` attributes", 1)[0]
    for name in inspect.signature(build_service_client).parameters:
        assert f"`{name}=" in section, f"build_service_client({name}=) is not on the page"
    required = [n for n, p in inspect.signature(build_service_client).parameters.items() if p.default is p.empty]
    for name in ("lora_rank", "max_context_length", "learning_rate"):
        assert name in required and f"`{name}=` (required" in section


def test_infra_attribute_table_covers_every_attribute_and_names_real_properties() -> None:
    rows = table(SERVICE, "| `infra.<attribute>`")
    names = [unquote(r[0]) for r in rows]
    assert sorted(names) == sorted(INFRA_ATTRIBUTES) and len(set(names)) == len(names)
    for _, target in rows:
        for prop in re.findall(r"`service\.(\w+)`", target):
            assert hasattr(LocalServiceClient, prop), prop


def test_the_whole_example_leaves_the_same_resources_on_both_surfaces() -> None:
    before, after = code_blocks(SERVICE, "python")[-2:]
    os.environ.setdefault("FIREWORKS_API_KEY", "k")

    def end_state(program: str, surface: str) -> tuple[dict, dict]:
        local_backend().reset()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with mount(surface=surface, bundled_sdk=True):
                exec(program, {"__name__": "example"})
        backend = local_backend()
        released = {"CANCELLED": "released", "DELETED": "released"}
        trainers = {j.role: released.get(j.state, j.state) for j in backend.trainers.values()}
        return trainers, {d.deployment_id: d.state for d in backend.deployments.values()}

    legacy = end_state(before, "legacy")
    # The real SDK is needed for https://; the dry run points the service at the local backend.
    target = end_state(after.replace('"https://api.fireworks.ai"', '"local://"'), "target")
    assert legacy == target == ({"policy": "released", "reference": "released"}, {"grpo-serving": "SCALED_TO_ZERO"})


def test_explain_points_at_pages_that_cover_the_code() -> None:
    for page, codes in SKILL_REFERENCES.items():
        assert page in PAGES, page
        for code in codes:
            assert code in PAGES[page], f"{page} does not mention {code}, but `ftmigrate explain {code}` points there"


# --- targets.md -------------------------------------------------------------------------------


def test_the_targets_page_names_every_recorded_difference() -> None:
    """Each removed, renamed and re-defaulted keyword and each recipe whose lifecycle changed,
    as ``profiles.DIFFERENCES`` records them for 2026-08, is on the page."""
    from ftmigrate.api import profiles

    differences = profiles.DIFFERENCES["2026-08"]
    names = set()
    for what, delta in differences.changes.items():
        if what == "training.utils":
            continue
        names |= {r.name for r in delta.removed} | {r.old for r in delta.renamed} | {r.new for r in delta.renamed}
        names |= {d.name for d in delta.defaults}
    missing = [n for n in sorted(names) if f"{n}" not in TARGETS_PAGE]
    assert not missing, missing
    for recipe in differences.lifecycle:
        assert recipe.removesuffix("_loop").replace("_", "") in TARGETS_PAGE.replace("_", ""), recipe
    # what the installed cookbook is asked to tell the targets apart is a 2026-08 field
    assert "cleanup_on_exit" in profiles.get("2026-08").field_names("rl_loop.Config")
    assert "cleanup_on_exit" not in profiles.get("2026-06").field_names("rl_loop.Config")
