"""The legacy surface emulated on the local backend: setup_infra, ResourceCleanup, the
low-level helpers, validate_config and the legacy recipes, with their event logs."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import warnings

import pytest

from ftmigrate.api import DeployConfig, TrainerConfig, WeightSyncConfig, build_service_client
from ftmigrate.api.backend import ProvisioningPlan, UnknownResourceError
from ftmigrate.api.config import HotloadConfig, InfraConfig
from ftmigrate.api.legacy import (
    Infra,
    ResourceCleanup,
    create_trainer_job,
    get_deployment_gpu_count,
    request_trainer_job,
    setup_deployment,
    setup_infra,
    setup_or_reattach_deployment,
    setup_training_client,
    validate_config,
    wait_trainer_job,
)
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager

from .conftest import BASE_MODEL, REFERENCE_SHAPE, SHAPE, kinds

RECIPES = ("sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")

# legacy-surface.md, transcribed.
SETUP_INFRA_PARAMS = [
    ("rlor_mgr", inspect.Parameter.empty),
    ("deploy_mgr", None),
    ("base_model", inspect.Parameter.empty),
    ("infra_cfg", inspect.Parameter.empty),
    ("deploy_cfg", None),
    ("lora_rank", 0),
    ("max_seq_len", None),
    ("learning_rate", 1e-5),
    ("step_timeout", None),
    ("policy_job_id", None),
    ("reference_job_id", None),
    ("needs_reference", False),
    ("needs_inference", False),
    ("role_prefix", inspect.Parameter.empty),
    ("api_key", inspect.Parameter.empty),
    ("cleanup", None),
    ("on_status", None),
]
INFRA_ATTRIBUTES = [
    "policy", "reference", "policy_profile", "policy_job_id", "reference_job_id", "inference_model",
    "boot_metrics", "closeables", "max_seq_len", "training_shape_id", "ref_training_shape_id",
    "deployment_id", "deployment_shape", "deployment_gpu_count",
]
LEGACY_FIELDS = {
    "sft_loop": ["infra", "trainer_job_id", "trainer_base_url"],
    "dpo_loop": ["infra", "policy_job_id", "reference_job_id"],
    "orpo_loop": ["infra", "job_id"],
    "rl_loop": ["infra", "weight_sync", "hotload", "policy_job_id", "reference_job_id", "policy_base_url",
                "reference_base_url", "rollout_base_model"],
    "igpo_loop": ["infra", "weight_sync", "hotload", "policy_job_id", "reference_job_id", "policy_base_url",
                  "reference_base_url"],
    "async_rl_loop": ["infra", "weight_sync", "hotload", "policy_job_id"],
}
CADENCE = {"weight_sync_interval", "weight_sync_before_training", "weight_sync_timeout", "dcp_save_interval"}
# legacy-surface.md / migration-rules.md rule 3: rl, igpo and async_rl took their cadence nested
# in weight_sync=; sft, dpo and orpo never had weight_sync and took dcp_save_interval at top level.
NESTED_CADENCE = {"rl_loop", "igpo_loop", "async_rl_loop"}
LEGACY_MAIN = {
    "sft_loop": "(config, rlor_mgr=None)",
    "orpo_loop": "(config, rlor_mgr=None)",
    "dpo_loop": "(config, rlor_mgr=None, deploy_mgr=None)",
    "rl_loop": "(config, rlor_mgr=None, deploy_mgr=None, cancel_on_exit=False, cleanup_on_exit=None)",
    "igpo_loop": "(config, rlor_mgr=None, deploy_mgr=None, cancel_on_exit=False, cleanup_on_exit=None)",
    "async_rl_loop": "(config, *, rollout_fn_factory, dynamic_filter_fn=None, rows=None, cancel_on_exit=False,"
    " rollout_extras=None, on_resources_ready=None)",
}


def quiet_infra(**kwargs) -> InfraConfig:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return InfraConfig(**kwargs)


@pytest.fixture
def managers(backend):
    return TrainerJobManager(api_key="k", base_url="local://"), DeploymentManager(api_key="k", base_url="local://")


def infra(managers, **overrides) -> Infra:
    rlor_mgr, deploy_mgr = managers
    args = dict(
        rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr, base_model=BASE_MODEL, infra_cfg=quiet_infra(training_shape_id=SHAPE),
        role_prefix="grpo", api_key="k",
    )
    args.update(overrides)
    return setup_infra(**args)


def test_setup_infra_signature_and_infra_attributes() -> None:
    params = inspect.signature(setup_infra).parameters.values()
    assert [(p.name, p.default) for p in params] == SETUP_INFRA_PARAMS
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    assert [f.name for f in dataclasses.fields(Infra)][: len(INFRA_ATTRIBUTES)] == INFRA_ATTRIBUTES


def test_full_parameter_setup_with_cleanup_cancels_created_trainers_on_exit(backend, managers) -> None:
    statuses = []
    with ResourceCleanup(*managers) as cleanup:
        result = infra(
            managers, deploy_cfg=DeployConfig(deployment_id="serving"), needs_reference=True, needs_inference=True,
            cleanup=cleanup, on_status=statuses.append, max_seq_len=4096, step_timeout=120,
        )
        assert result.reference_job_id not in (None, result.policy_job_id)
        assert result.policy.default_timeout == 120 and result.max_seq_len == 4096
        assert result.inference_model.endswith("#accounts/local/deployments/serving")
        assert (result.deployment_id, result.deployment_gpu_count, result.training_shape_id) == ("serving", 1, SHAPE)
        assert len(result.closeables) == 2 and statuses
    assert kinds(backend) == [
        ("created", "trainer", "policy"),
        ("created", "trainer", "reference"),
        ("reference", "trainer", "reference"),
        ("created", "deployment", None),
        ("cancelled", "trainer", "policy"),
        ("cancelled", "trainer", "reference"),
    ]
    plan = result.plan()
    assert plan.surface == "legacy" and plan.reference == "separate"
    assert [(r.resource, r.id) for r in plan.left_running] == [("deployment", "serving")]


def test_lora_reference_is_the_policy_session(backend, managers) -> None:
    result = infra(managers, infra_cfg=quiet_infra(), lora_rank=16, needs_reference=True)
    assert result.reference.job_id == result.policy_job_id and result.reference_job_id is None
    assert [(e.kind, e.detail) for e in backend.events if e.kind == "reference"] == [("reference", "shared")]


def test_explicit_reference_shape_gets_its_own_trainer(backend, managers) -> None:
    result = infra(managers, infra_cfg=quiet_infra(ref_training_shape_id=REFERENCE_SHAPE), lora_rank=8, needs_reference=True)
    job = backend.trainers[result.reference_job_id]
    assert (job.forward_only, job.training_shape_id, job.lora_rank) == (True, REFERENCE_SHAPE, 8)


def test_reused_ids_are_reattached_and_never_cancelled(backend, managers) -> None:
    backend.register_trainer("old-policy", base_model=BASE_MODEL)
    backend.register_trainer("old-ref", base_model=BASE_MODEL, forward_only=True)
    with ResourceCleanup(*managers) as cleanup:
        result = infra(managers, policy_job_id="old-policy", reference_job_id="old-ref", needs_reference=True, cleanup=cleanup)
    assert (result.policy_job_id, result.reference_job_id) == ("old-policy", "old-ref")
    assert [e.kind for e in backend.events] == ["reattached", "reattached", "reference"]
    with pytest.raises(UnknownResourceError, match="'gone'"):
        infra(managers, policy_job_id="gone")


def test_create_base_reference_on_the_policy(backend, managers) -> None:
    result = infra(managers, lora_rank=4)
    reference = result.policy.create_base_reference()
    assert reference.job_id == result.policy_job_id
    assert result.plan().reference == "shared"


def test_legacy_and_migrated_provisioning_match_except_cancel_versus_delete(backend, managers) -> None:
    with ResourceCleanup(*managers) as cleanup:
        infra(managers, needs_reference=True, cleanup=cleanup)
    legacy = kinds(backend)
    backend.reset()
    service = build_service_client(
        api_key="k", base_url="local://", additional_headers=None, base_model=BASE_MODEL, tokenizer_model=None,
        lora_rank=0, max_context_length=None, learning_rate=1e-5, trainer=TrainerConfig(training_shape_id=SHAPE),
        cleanup_trainer_on_close=True, reference_required=True,
    )
    service.create_training_client(BASE_MODEL)
    service.create_reference_client(BASE_MODEL)
    service.close()
    migrated = [k for k in kinds(backend) if k[0] != "closed"]
    created = [k for k in legacy if k[0] in ("created", "reference")]
    assert created == [k for k in migrated if k[0] in ("created", "reference")]
    assert sorted(r for kind, _, r in legacy if kind == "cancelled") == ["policy", "reference"]
    assert sorted(r for kind, _, r in migrated if kind == "deleted") == ["policy", "reference"]


def test_resource_cleanup_runs_when_the_body_raises_and_cleans_deployments_newest_first(backend, managers, monkeypatch) -> None:
    monkeypatch.setenv("FW_TRAINER_CANCEL_GRACE_PERIOD_S", "5")
    backend.register_trainer("t1", base_model=BASE_MODEL)
    backend.register_deployment("d1", base_model=BASE_MODEL)
    backend.register_deployment("d2", base_model=BASE_MODEL)
    with pytest.raises(KeyError, match="boom"):
        with ResourceCleanup(*managers) as cleanup:
            cleanup.trainer("t1")
            cleanup.deployment("d1")
            cleanup.deployment("d2", action="scale_to_zero")
            raise KeyError("boom")
    assert [(e.kind, e.id, e.detail) for e in backend.events] == [
        ("cancelled", "t1", "after a 5s grace period"),
        ("scaled_to_zero", "d2", None),
        ("deleted", "d1", None),
    ]


def test_a_cleanup_failure_surfaces_but_never_masks_the_body_error(backend, managers) -> None:
    with pytest.raises(UnknownResourceError, match="'ghost'"):
        with ResourceCleanup(*managers) as cleanup:
            cleanup.trainer("ghost")
    with pytest.raises(ZeroDivisionError):
        with ResourceCleanup(*managers) as cleanup:
            cleanup.trainer("ghost")
            raise ZeroDivisionError


def test_cancel_trainer_early_and_the_deprecated_alias(backend, managers) -> None:
    backend.register_trainer("ref", base_model=BASE_MODEL)
    backend.register_trainer("other", base_model=BASE_MODEL)
    with ResourceCleanup(managers[0], trainer_cancel_grace_period_s=0) as cleanup:
        cleanup.trainer("ref")
        cleanup.cancel_trainer("ref")
        with pytest.warns(DeprecationWarning, match="cancel_trainer"):
            cleanup.delete_trainer("other")
    assert [(e.kind, e.id, e.detail) for e in backend.events] == [
        ("cancelled", "ref", "early release"),
        ("cancelled", "other", "early release"),
    ]


def test_resource_cleanup_argument_errors(managers) -> None:
    with ResourceCleanup(managers[0]) as cleanup:
        with pytest.raises(ValueError, match="deploy_mgr="):
            cleanup.deployment("d")
    with ResourceCleanup(*managers) as cleanup:
        with pytest.raises(ValueError, match="'delete' or 'scale_to_zero'"):
            cleanup.deployment("d", action="stop")
    with pytest.raises(TypeError, match="local backend"):
        ResourceCleanup(object())


@pytest.mark.parametrize(
    "overrides, error, fragment",
    [
        (dict(infra_cfg=TrainerConfig()), TypeError, "TrainerConfig goes to build_service_client"),
        (dict(needs_inference=True), ValueError, "needs deploy_mgr= and deploy_cfg="),
        (dict(rlor_mgr=object()), TypeError, "bundled manager"),
        (dict(deploy_cfg={"deployment_id": "x"}), TypeError, "expected DeployConfig"),
    ],
)
def test_setup_infra_errors(managers, overrides, error, fragment) -> None:
    with pytest.raises(error, match=fragment):
        infra(managers, **overrides)


def test_low_level_helpers_provision_on_the_local_backend(backend, managers) -> None:
    rlor_mgr, deploy_mgr = managers
    endpoint = create_trainer_job(rlor_mgr, BASE_MODEL, quiet_infra(training_shape_id=SHAPE), max_seq_len=2048)
    job = backend.trainers[endpoint.job_id]
    assert (job.training_shape_id, job.shape_path, job.max_context_length) == (SHAPE, "explicit", 2048)
    requested = request_trainer_job(rlor_mgr, BASE_MODEL, quiet_infra(accelerator_type="NVIDIA_H100"), forward_only=True)
    assert wait_trainer_job(rlor_mgr, requested.job_id).job_id == requested.job_id
    assert backend.trainers[requested.job_id].shape_path == "manual"
    info = setup_deployment(deploy_mgr, DeployConfig(deployment_id="serving"), BASE_MODEL, hot_load_trainer_job=job.job_name)
    assert (info.deployment_id, info.state, info.hot_load_trainer_job) == ("serving", "READY", job.job_name)
    again = setup_or_reattach_deployment(deploy_mgr, DeployConfig(deployment_id="serving"), BASE_MODEL, "accounts/local/rlorTrainerJobs/x")
    assert again.hot_load_trainer_job == "accounts/local/rlorTrainerJobs/x"
    assert get_deployment_gpu_count(deploy_mgr, "serving") == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the legacy spelling does not warn on the legacy surface
        client = setup_training_client(rlor_mgr, endpoint.job_id, BASE_MODEL, step_timeout=60)
    assert client.default_timeout == 60
    assert [(e.kind, e.resource, e.role) for e in backend.events] == [
        ("created", "trainer", "policy"),
        ("created", "trainer", "reference"),
        ("created", "deployment", None),
        ("reattached", "deployment", None),
    ]


def test_validate_config() -> None:
    validate_config(BASE_MODEL, "data.jsonl", WeightSyncConfig(), DeployConfig())
    validate_config(BASE_MODEL, "data.jsonl", WeightSyncConfig(weight_sync_interval=0), None)
    with pytest.raises(ValueError, match="needs a deployment"):
        validate_config(BASE_MODEL, "data.jsonl", WeightSyncConfig(), None)
    with pytest.raises(ValueError, match="needs a deployment"):
        validate_config(BASE_MODEL, "data.jsonl", HotloadConfig(hot_load_interval=0, hot_load_before_training=True), None)
    with pytest.raises(ValueError, match="dataset"):
        validate_config(BASE_MODEL, "", None, None)
    with pytest.raises(TypeError, match="weight_sync_cfg"):
        validate_config(BASE_MODEL, "d", {"weight_sync_interval": 1}, DeployConfig())


# -- legacy recipes ----------------------------------------------------------------------------


def legacy(recipe: str):
    return importlib.import_module(f"ftmigrate.api.legacy.recipes.{recipe}")


def target(recipe: str):
    return importlib.import_module(f"ftmigrate.api.recipes.{recipe}")


@pytest.mark.parametrize("recipe", RECIPES)
def test_legacy_config_is_the_target_config_with_the_legacy_fields(recipe: str) -> None:
    legacy_names = [f.name for f in dataclasses.fields(legacy(recipe).Config)]
    target_names = [f.name for f in dataclasses.fields(target(recipe).Config)]
    nested = CADENCE if recipe in NESTED_CADENCE else set()
    shared = [n for n in target_names if n != "trainer" and n not in nested]
    assert [n for n in legacy_names if n not in LEGACY_FIELDS[recipe]] == shared
    assert sorted(set(legacy_names) - set(shared)) == sorted(LEGACY_FIELDS[recipe])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # InfraConfig is the normal default there: no warning
        config = legacy(recipe).Config(log_path="/tmp/run")
    assert isinstance(config.infra, InfraConfig)


@pytest.mark.parametrize("recipe", ["sft_loop", "dpo_loop", "orpo_loop"])
def test_legacy_recipes_without_weight_sync_take_dcp_save_interval_at_top_level(recipe: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = legacy(recipe).Config(log_path="/tmp/run", dcp_save_interval=25)
    assert config.dcp_save_interval == 25
    with pytest.raises(TypeError, match="no weight-sync field"):
        legacy(recipe).Config(log_path="/tmp/run", weight_sync_interval=2)


@pytest.mark.parametrize("recipe", sorted(NESTED_CADENCE))
def test_legacy_rl_recipes_take_the_cadence_nested(recipe: str) -> None:
    with pytest.raises(TypeError, match=r"weight_sync=WeightSyncConfig\(dcp_save_interval=\.\.\.\)"):
        legacy(recipe).Config(log_path="/tmp/run", dcp_save_interval=25)
    config = legacy(recipe).Config(log_path="/tmp/run", weight_sync=WeightSyncConfig(dcp_save_interval=25))
    assert config.weight_sync.dcp_save_interval == 25


def test_infra_config_warning_is_true_on_each_surface() -> None:
    from ftmigrate.api import mount

    def message() -> str:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            InfraConfig()
        [warning] = caught
        assert warning.category is DeprecationWarning and warning.filename == __file__
        return str(warning.message)

    with mount(surface="legacy"):
        legacy_text = message()
    # Legacy recipe Configs do accept infra=: the warning must not say that none does.
    assert "not accepted" not in legacy_text and "TrainerConfig" in legacy_text
    assert message().startswith("InfraConfig is deprecated, and not accepted by any recipe Config")
    with mount(target="2026-08"):
        assert "at target 2026-08" in message()


@pytest.mark.parametrize("recipe", RECIPES)
def test_legacy_main_signatures(recipe: str) -> None:
    signature = inspect.signature(legacy(recipe).main)
    bare = signature.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()],
        return_annotation=inspect.Signature.empty,
    )
    assert str(bare) == LEGACY_MAIN[recipe]


def test_legacy_config_rejects_target_spellings() -> None:
    with pytest.raises(TypeError, match="infra=InfraConfig"):
        legacy("rl_loop").Config(log_path="x", trainer=TrainerConfig())
    with pytest.raises(TypeError, match=r"weight_sync=WeightSyncConfig\(weight_sync_interval=...\)"):
        legacy("rl_loop").Config(log_path="x", weight_sync_interval=2)
    with pytest.raises(TypeError, match="expected the legacy rl_loop.Config"):
        legacy("rl_loop").main(target("rl_loop").Config(log_path="x"))


def run_legacy(recipe: str, config_kwargs=None, **main_kwargs) -> ProvisioningPlan:
    module = legacy(recipe)
    if recipe == "async_rl_loop":
        main_kwargs.setdefault("rollout_fn_factory", lambda: None)
    return module.main(module.Config(log_path="/tmp/run", **(config_kwargs or {})), **main_kwargs)


# legacy-surface.md: what each legacy recipe released on exit.
@pytest.mark.parametrize(
    "recipe, cancel, released",
    [
        ("sft_loop", None, ["cancelled trainer policy"]),
        ("orpo_loop", None, ["cancelled trainer policy"]),
        ("dpo_loop", None, ["cancelled trainer policy", "cancelled trainer reference"]),
        ("igpo_loop", False, ["cancelled trainer policy", "cancelled trainer reference"]),
        ("igpo_loop", True, ["cancelled trainer policy", "cancelled trainer reference", "scaled_to_zero deployment None"]),
        ("rl_loop", False, []),
        ("rl_loop", True, ["cancelled trainer policy", "cancelled trainer reference", "scaled_to_zero deployment None"]),
        ("async_rl_loop", False, []),
        ("async_rl_loop", True, ["cancelled trainer policy", "cancelled trainer reference", "scaled_to_zero deployment None"]),
    ],
)
def test_legacy_recipes_clean_up_as_they_did(backend, recipe, cancel, released) -> None:
    plan = run_legacy(recipe, **({} if cancel is None else {"cancel_on_exit": cancel}))
    assert isinstance(plan, ProvisioningPlan) and plan.surface == "legacy" and plan.recipe == recipe
    assert [f"{e.kind} {e.resource} {e.role}" for e in plan.released] == released


def test_gen0_cleanup_on_exit_flag_decides(backend) -> None:
    plan = run_legacy("rl_loop", cleanup_on_exit=True)
    assert {e.kind for e in plan.released} == {"cancelled", "scaled_to_zero"}


def test_a_reused_job_id_is_not_cancelled(backend) -> None:
    backend.register_trainer("resume", base_model=BASE_MODEL)
    plan = run_legacy("sft_loop", {"trainer_job_id": "resume"})
    assert plan.trainer("policy").action == "reattached" and plan.released == ()


def test_async_on_resources_ready_gets_the_infra(backend) -> None:
    seen = []
    run_legacy("async_rl_loop", {"kl_beta": 0.0}, on_resources_ready=seen.append)
    assert isinstance(seen[0], Infra) and seen[0].reference is None


def test_legacy_managers_passed_to_main_are_used(backend) -> None:
    plane = TrainerJobManager(api_key="k", base_url="local://other")
    plane.backend.reset()
    run_legacy("orpo_loop", rlor_mgr=plane)
    assert backend.events == () and len(plane.backend.trainers) == 1
