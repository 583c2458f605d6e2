"""Target profiles: the 2026-08 surface as 2026-06 plus its recorded differences, what
``profiles`` answers about them, and the 2026-08 service and recipes on the local backend.

What the spec says is transcribed here (target-surface.md, "A later target: 2026-08"), so a
drift of ``profiles.DIFFERENCES`` from the spec fails a test.
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate.api import ConfigWarning, RemovedKeywordError, profiles
from ftmigrate.api.profiles import CONFIG_CLASSES
from ftmigrate.api.backend import LocalTrainingClient

from .conftest import BASE_MODEL, SHAPE, kinds

JUNE, AUGUST = profiles.get("2026-06"), profiles.get("2026-08")
RECIPES = ("sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")
#: target-surface.md: "rl, igpo, async_rl and dpo Configs gained cleanup_on_exit [True]".
CLEANS_UP_AT_AUGUST = {"rl_loop", "igpo_loop", "async_rl_loop", "dpo_loop"}

SERVICE = dict(
    api_key="k",
    base_url="local://",
    additional_headers=None,
    base_model=BASE_MODEL,
    tokenizer_model=None,
    max_context_length=None,
    learning_rate=1e-5,
)


def august_service(**overrides):
    trainer = overrides.pop("trainer", None) or AUGUST.config_class("TrainerConfig")()
    return AUGUST.build_service_client(**{**SERVICE, "max_lora_rank": 0, "trainer": trainer, **overrides})


# -- the differences, as data -------------------------------------------------------------------


def test_targets_and_lookup() -> None:
    assert profiles.TARGETS == ("2026-06", "2026-08") and profiles.DEFAULT_TARGET == "2026-06"
    assert AUGUST.base is JUNE and JUNE.base is None and profiles.get() is JUNE
    with pytest.raises(ValueError, match="unknown target '2026-07': expected one of '2026-06', '2026-08'"):
        profiles.get("2026-07")


def test_removed_keywords_and_what_replaces_them() -> None:
    assert set(AUGUST.removed("TrainerConfig")) == {"accelerator_type", "accelerator_count"}
    assert all(r.replacement is None and "training shape" in r.reason for r in AUGUST.removed("TrainerConfig").values())
    region = AUGUST.removed("DeployConfig")["deployment_region"]
    assert region.replacement == "TrainerConfig.region"
    assert set(AUGUST.removed("rl_loop.Config")) == {"weight_sync_interval", "weight_sync_before_training"}
    assert set(AUGUST.removed("async_rl_loop.Config")) == {"weight_sync_before_training"}
    assert AUGUST.removed("igpo_loop.Config") == {}  # igpo keeps all four cadence fields
    assert set(AUGUST.removed("training.utils")) == {"compute_pass_at_k"}
    assert JUNE.removed("TrainerConfig") == {} and JUNE.renamed("build_service_client") == {}


def test_renames_changed_defaults_and_additions() -> None:
    assert AUGUST.renamed("build_service_client") == {"lora_rank": "max_lora_rank"}
    change = AUGUST.changed_defaults("DeployConfig")["disable_speculative_decoding"]
    assert (change.old, change.new) == (True, False) and "disable_speculative_decoding=True" in change.keep
    assert AUGUST.added("TrainerConfig") == (
        "pending_timeout_s", "inactivity_timeout", "disable_inactivity_cleanup", "preemptible", "managed_by", "use_reservation",
    )
    assert AUGUST.added("DeployConfig") == ("enable_hot_load", "hot_load_transition_type", "preemptible")
    assert AUGUST.added("build_service_client") == ("cleanup_deployment_on_close",)
    assert AUGUST.added("create_reference_client") == ("policy_client",)
    for recipe in RECIPES:
        assert ("cleanup_on_exit" in AUGUST.added(f"{recipe}.Config")) == (recipe in CLEANS_UP_AT_AUGUST)


def test_spelling_respells_arguments_for_the_target() -> None:
    assert AUGUST.spell("build_service_client", {"lora_rank": 8, "base_model": "m"}) == {"max_lora_rank": 8, "base_model": "m"}
    assert JUNE.spell("build_service_client", {"lora_rank": 8}) == {"lora_rank": 8}


@pytest.mark.parametrize("recipe", RECIPES)
def test_lifecycle_per_recipe_and_target(recipe: str) -> None:
    june = JUNE.lifecycle(recipe)
    assert june.flag is None and not june.on_exit() and "running" in june.describe()
    august = AUGUST.lifecycle(recipe)
    if recipe in CLEANS_UP_AT_AUGUST:
        assert (august.flag, august.trainer, august.deployment, august.default) == ("cleanup_on_exit", "delete", "scale_to_zero", True)
        assert august.on_exit() and "unless cleanup_on_exit=False" in august.describe()
    else:
        assert august == june


def test_shared_fields_are_derived_not_copied() -> None:
    # Every field both targets have is the 2026-06 field (same checks, same migration metadata),
    # with only the recorded default changes.
    changed = {(what, name) for what in ("DeployConfig",) for name in AUGUST.changed_defaults(what)}
    for what in ("TrainerConfig", "DeployConfig", *(f"{r}.Config" for r in RECIPES)):
        june = {f.name: f for f in JUNE.fields(what)}
        for f in AUGUST.fields(what):
            if f.name not in june:
                assert f.name in AUGUST.added(what), (what, f.name)
                continue
            assert f.metadata == june[f.name].metadata, (what, f.name)
            if (what, f.name) not in changed and f.default_factory is dataclasses.MISSING:
                assert f.default == june[f.name].default, (what, f.name)
        gone = set(june) - set(AUGUST.field_names(what))
        assert gone == set(AUGUST.removed(what)), what


def test_classes_that_did_not_change_are_the_same_objects() -> None:
    for name in ("ConcurrencyConfig", "WandBConfig", "InfraConfig", "WeightSyncConfig"):
        assert AUGUST.config_class(name) is JUNE.config_class(name)
    assert AUGUST.config_class("TrainerConfig") is not JUNE.config_class("TrainerConfig")


# -- the 2026-08 classes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "what, keyword, fragment",
    [
        ("TrainerConfig", "accelerator_type", "removed at target 2026-08: the training shape owns the accelerator"),
        ("TrainerConfig", "accelerator_count", "removed at target 2026-08"),
        ("TrainerConfig", "ref_training_shape_id", "renamed to reference_training_shape_id"),
        ("DeployConfig", "deployment_region", "removed at target 2026-08: use TrainerConfig.region"),
        ("rl_loop.Config", "weight_sync_interval", "rl_loop syncs weights to the deployment after every step"),
        ("rl_loop.Config", "weight_sync_before_training", "always syncs the base weights before step 1"),
        ("async_rl_loop.Config", "weight_sync_before_training", "removed at target 2026-08"),
        ("rl_loop.Config", "infra", "replaced by trainer=TrainerConfig(...) at target 2026-08"),
        ("rl_loop.Config", "weight_sync", "set weight_sync_timeout=, dcp_save_interval= on rl_loop.Config"),
    ],
)
def test_removed_keywords_raise_a_type_error_naming_the_replacement(what: str, keyword: str, fragment: str) -> None:
    cls = AUGUST.object(what)
    extra = {"log_path": "/tmp/run"} if what.endswith(".Config") else {}
    with pytest.raises(RemovedKeywordError) as info:
        cls(**extra, **{keyword: 1})
    assert isinstance(info.value, TypeError) and "\n" not in str(info.value)
    assert str(info.value).startswith(f"{what}({keyword}=...): ") and fragment in str(info.value)
    assert fragment in AUGUST.removed_keywords(what)[keyword]


def test_managed_by_is_a_field_again_at_2026_08() -> None:
    # 2026-06 TrainerConfig had no managed_by (the legacy value was dropped); 2026-08 has one.
    with pytest.raises(RemovedKeywordError, match="no managed_by field"):
        JUNE.config_class("TrainerConfig")(managed_by="team")
    assert AUGUST.config_class("TrainerConfig")(managed_by="team").managed_by == "team"
    assert "managed_by" not in AUGUST.removed_keywords("TrainerConfig")


def test_new_fields_are_checked_like_the_old_ones() -> None:
    trainer_cls = AUGUST.config_class("TrainerConfig")
    with pytest.raises(TypeError, match="TrainerConfig.preemptible"):
        trainer_cls(preemptible="yes")
    with pytest.warns(ConfigWarning, match="pending_timeout_s=0"):
        trainer_cls(pending_timeout_s=0)
    with pytest.warns(ConfigWarning, match="node_count=2 is not sent"):  # the 2026-06 rule, derived
        trainer = trainer_cls(training_shape_id=SHAPE, node_count=2)
    assert trainer.shape_path == "explicit" and trainer_cls(node_count=2).shape_path == "manual"


def test_recipe_configs_take_the_targets_nested_classes() -> None:
    config = AUGUST.recipe_config("rl_loop")(log_path="/tmp/run")
    assert type(config.trainer) is AUGUST.config_class("TrainerConfig")
    assert config.deployment.disable_speculative_decoding is False and config.cleanup_on_exit is True
    with pytest.raises(TypeError, match="rl_loop.Config.trainer"):
        AUGUST.recipe_config("rl_loop")(log_path="/tmp/run", trainer=JUNE.config_class("TrainerConfig")())


# -- build_service_client and the service at 2026-08 --------------------------------------------


def test_build_service_client_signature_at_each_target() -> None:
    june = JUNE.signature("build_service_client").parameters
    august = AUGUST.signature("build_service_client").parameters
    assert "lora_rank" in june and "max_lora_rank" not in june and "cleanup_deployment_on_close" not in june
    assert "lora_rank" not in august and august["max_lora_rank"].default is inspect.Parameter.empty
    assert august["cleanup_deployment_on_close"].default is None
    assert [n for n in august if n not in ("max_lora_rank", "cleanup_deployment_on_close")] == [n for n in june if n != "lora_rank"]
    assert "policy_client" in AUGUST.signature("create_reference_client").parameters
    assert "policy_client" not in JUNE.signature("create_reference_client").parameters


def test_lora_rank_is_max_lora_rank_at_2026_08(backend) -> None:
    with pytest.raises(RemovedKeywordError, match=r"build_service_client\(lora_rank=\.\.\.\): renamed to max_lora_rank at target 2026-08"):
        AUGUST.build_service_client(**SERVICE, lora_rank=8, trainer=AUGUST.config_class("TrainerConfig")())
    svc = august_service(max_lora_rank=16)
    svc.create_training_client(BASE_MODEL, lora_rank=16)
    svc.create_reference_client(BASE_MODEL, lora_rank=16)
    plan = svc.plan()
    assert plan.trainer("policy").lora_rank == 16 and plan.reference == "shared" and plan.target == "2026-08"
    with pytest.warns(ConfigWarning, match=r"build_service_client\(max_lora_rank=-1\)"):
        august_service(max_lora_rank=-1)


@pytest.mark.parametrize("action, state", [("delete", "DELETED"), ("scale_to_zero", "SCALED_TO_ZERO"), (None, "READY")])
def test_cleanup_deployment_on_close(backend, action, state) -> None:
    deploy = AUGUST.config_class("DeployConfig")(deployment_id="serving")
    svc = august_service(deployment=deploy, cleanup_deployment_on_close=action)
    svc.create_deployment_sampler()
    svc.close()
    assert backend.deployments["serving"].state == state
    with pytest.raises(ValueError, match="cleanup_deployment_on_close='sometimes'"):
        august_service(cleanup_deployment_on_close="sometimes")


def test_create_reference_client_takes_the_policy_client_at_2026_08(backend) -> None:
    svc = august_service(reference_required=True)
    policy = svc.create_training_client(BASE_MODEL)
    reference = svc.create_reference_client(BASE_MODEL, policy_client=policy)
    assert isinstance(reference, LocalTrainingClient) and reference.role == "reference"
    other = LocalTrainingClient(backend, backend.register_trainer("elsewhere", base_model=BASE_MODEL), base_model=BASE_MODEL, lora_rank=0, role="policy")
    with pytest.warns(ConfigWarning, match="not this service's policy trainer"):
        svc.create_reference_client(BASE_MODEL, policy_client=other)
    june = JUNE.build_service_client(**SERVICE, lora_rank=0, trainer=JUNE.config_class("TrainerConfig")())
    with pytest.raises(TypeError, match="policy_client"):
        june.create_reference_client(BASE_MODEL, policy_client=policy)


def test_deployment_region_at_2026_06_still_colocates(backend) -> None:
    deploy = JUNE.config_class("DeployConfig")(deployment_id="d", deployment_region="US_IOWA_1")
    svc = JUNE.build_service_client(**SERVICE, lora_rank=0, trainer=JUNE.config_class("TrainerConfig")(), deployment=deploy)
    svc.create_deployment_sampler()
    assert backend.deployments["d"].region == "US_IOWA_1"


trainers = st.builds(
    AUGUST.config_class("TrainerConfig"),
    training_shape_id=st.sampled_from([None, SHAPE]),
    pending_timeout_s=st.floats(min_value=1, max_value=1e6),
    inactivity_timeout=st.sampled_from([None, "1h"]),
    disable_inactivity_cleanup=st.booleans(),
    preemptible=st.booleans(),
    managed_by=st.sampled_from([None, "team-a"]),
    use_reservation=st.booleans(),
    node_count=st.sampled_from([None, 2]),
)


@pytest.mark.filterwarnings("ignore::ftmigrate.api.ConfigWarning")
@given(trainers, st.sampled_from([None, "delete", "scale_to_zero"]), st.integers(min_value=0, max_value=64))
def test_every_2026_08_field_reaches_the_sdk_keywords(trainer, cleanup, rank) -> None:
    from ftmigrate.api.service import TRAINER_TO_SDK, sdk_keywords

    arguments = {k: v for k, v in SERVICE.items()} | dict(
        inference_url=None, lora_rank=rank, trainer=trainer, deployment=None, hotload_timeout_s=None,
        cleanup_trainer_on_close=False, reference_required=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConfigWarning)
        _, managed = sdk_keywords(**arguments, cleanup_deployment_on_close=cleanup, max_lora_rank=rank or None)
    for name in AUGUST.added("TrainerConfig"):
        assert managed[TRAINER_TO_SDK[name]] == getattr(trainer, name)
    assert not {"accelerator_type", "accelerator_count"} & set(managed)
    assert managed.get("cleanup_deployment_on_close") == cleanup and managed.get("max_lora_rank") == (rank or None)


# -- the dry run follows cleanup_on_exit ----------------------------------------------------------


@pytest.mark.parametrize(
    "recipe, cleanup", [(r, c) for r in RECIPES for c in ((True, False, None) if r in CLEANS_UP_AT_AUGUST else (None,))]
)
def test_dry_run_plans_follow_cleanup_on_exit(backend, recipe: str, cleanup: bool | None) -> None:
    module = AUGUST.recipe_module(recipe)
    config = module.Config(log_path="/tmp/run", **({} if cleanup is None else {"cleanup_on_exit": cleanup}))
    kwargs = {"rollout_fn_factory": lambda *a: None} if recipe == "async_rl_loop" else {}
    plan = module.main(config, **kwargs)
    assert plan.target == "2026-08" and plan.recipe == recipe
    cleans = recipe in CLEANS_UP_AT_AUGUST and cleanup is not False
    running = {(r.resource, r.role) for r in plan.left_running}
    assert (("trainer", "policy") in running) == (not cleans)
    if plan.deployment is not None:
        assert (("deployment", None) in running) == (not cleans)
        assert (("scaled_to_zero", "deployment") in {(e.kind, e.resource) for e in plan.released}) == cleans
    # The reference trainer the service created is deleted at both targets.
    assert ("trainer", "reference") not in running


@pytest.mark.parametrize("recipe", RECIPES)
def test_2026_06_dry_runs_leave_the_policy_running(backend, recipe: str) -> None:
    module = JUNE.recipe_module(recipe)
    kwargs = {"rollout_fn_factory": lambda *a: None} if recipe == "async_rl_loop" else {}
    plan = module.main(module.Config(log_path="/tmp/run"), **kwargs)
    assert plan.target == "2026-06" and ("trainer", "policy") in {(r.resource, r.role) for r in plan.left_running}


def test_the_same_main_serves_both_targets(backend) -> None:
    assert AUGUST.recipe_module("rl_loop").main is JUNE.recipe_module("rl_loop").main
    with pytest.raises(RemovedKeywordError, match=r"set rl_loop.Config\(cleanup_on_exit=\.\.\.\)"):
        AUGUST.recipe_module("rl_loop").main(AUGUST.recipe_config("rl_loop")(log_path="x"), cancel_on_exit=True)
    with pytest.raises(RemovedKeywordError, match="recipes leave resources running at target 2026-06"):
        JUNE.recipe_module("rl_loop").main(JUNE.recipe_config("rl_loop")(log_path="x"), cancel_on_exit=True)
    assert kinds(backend) == []


def test_new_recipes_build_configs_and_name_themselves_when_run() -> None:
    from ftmigrate.api import PlaceholderError

    assert AUGUST.recipes[-2:] == ("distillation_loop", "embedding_loop")
    assert "distillation_loop" not in JUNE.recipes and "distillation_loop" not in AUGUST.implemented_recipes
    module = AUGUST.recipe_module("distillation_loop")
    config = module.Config(log_path="/tmp/run", teacher_model="big", trainer=AUGUST.config_class("TrainerConfig")())
    assert config.teacher_model == "big"
    with pytest.raises(PlaceholderError, match=r"^training.recipes.distillation_loop.main is not implemented"):
        module.main(config)
    with pytest.raises(KeyError, match="no recipe 'distillation_loop'"):
        JUNE.recipe_module("distillation_loop")


def test_the_readme_profiles_example_runs_as_written() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("```python\nfrom ftmigrate.api import profiles\n", 1)[1].split("```", 1)[0]
    namespace: dict = {"profiles": profiles}
    for line in block.strip().splitlines():
        code = line.split("  #", 1)[0].strip()
        exec(f"_ = {code}" if "=" not in code.split("(")[0] else code, namespace)
        if "removed(" in code:
            assert namespace["_"]["deployment_region"].replacement == "TrainerConfig.region"
        if "describe()" in code:
            assert "cleanup_on_exit" in namespace["_"]


@pytest.mark.parametrize("what", [*CONFIG_CLASSES, *(f"{r}.Config" for r in JUNE.implemented_recipes)])
def test_field_names_worked_out_from_the_differences_are_the_derived_classes_fields(what: str) -> None:
    # (the codemods read field_names without deriving the classes: it must say what they hold)
    for profile in (JUNE, AUGUST):
        assert profile.field_names(what) == tuple(f.name for f in dataclasses.fields(profile.object(what)))
