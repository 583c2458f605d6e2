"""build_service_client on the embedded local backend: provisioning, reference strategy,
reattach, cleanup on close, and the one clear error for training calls."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import sys

import pytest

from ftmigrate.api import ConfigWarning, DeployConfig, ReconnectableClient, TrainerConfig, build_service_client
from ftmigrate.api._checked import RemovedKeywordError
from ftmigrate.api.backend import (
    SAMPLING_CALLS,
    TRAINING_CALLS,
    LocalBackendError,
    ProvisioningPlan,
    UnknownResourceError,
)
from ftmigrate.api.service import LOCAL_BASE_URL, LocalServiceClient, SdkNotInstalledError, local_backend

from .conftest import BASE_MODEL, REFERENCE_SHAPE, SHAPE, kinds


def service(**overrides):
    """A local service with the required keywords filled in."""
    args = dict(
        api_key="fw-test",
        base_url=LOCAL_BASE_URL,
        additional_headers=None,
        base_model=BASE_MODEL,
        tokenizer_model="Qwen/Qwen3-8B",
        lora_rank=0,
        max_context_length=8192,
        learning_rate=1e-5,
        trainer=TrainerConfig(),
    )
    args.update(overrides)
    return build_service_client(**args)


def test_signature_is_exact() -> None:
    params = inspect.signature(build_service_client).parameters
    expected = [
        ("api_key", inspect.Parameter.empty),
        ("base_url", inspect.Parameter.empty),
        ("inference_url", None),
        ("additional_headers", inspect.Parameter.empty),
        ("base_model", inspect.Parameter.empty),
        ("tokenizer_model", inspect.Parameter.empty),
        ("lora_rank", inspect.Parameter.empty),
        ("max_context_length", inspect.Parameter.empty),
        ("learning_rate", inspect.Parameter.empty),
        ("trainer", inspect.Parameter.empty),
        ("deployment", None),
        ("hotload_timeout_s", None),
        ("cleanup_trainer_on_close", False),
        ("reference_required", False),
    ]
    assert [(p.name, p.default) for p in params.values()] == expected
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())


def test_required_keywords_stay_required() -> None:
    with pytest.raises(TypeError, match="additional_headers"):
        build_service_client(  # type: ignore[call-arg]
            api_key="k", base_url=LOCAL_BASE_URL, base_model=BASE_MODEL, tokenizer_model=None,
            lora_rank=0, max_context_length=None, learning_rate=1e-5, trainer=TrainerConfig(),
        )


def test_done_when_chain_runs_clean(backend) -> None:
    svc = build_service_client(
        api_key="fw-test",
        base_url="local://",
        additional_headers=None,
        base_model=BASE_MODEL,
        tokenizer_model="Qwen/Qwen3-8B",
        lora_rank=0,
        max_context_length=None,
        learning_rate=1e-5,
        trainer=TrainerConfig(training_shape_id=SHAPE),
        reference_required=True,
    )
    training_client = svc.create_training_client(BASE_MODEL, lora_rank=0)
    reference_client = svc.create_reference_client(BASE_MODEL, lora_rank=0)
    client = ReconnectableClient.from_training_client(
        training_client, base_model=BASE_MODEL, lora_rank=0, job_id=svc.trainer_job_id, service=svc
    )
    assert client.job_id == svc.trainer_job_id == training_client.job_id
    assert reference_client.job_id == svc.reference_trainer_job_id != svc.trainer_job_id
    svc.close()
    svc.close()
    assert [e.kind for e in backend.events].count("closed") == 1


def test_nothing_is_provisioned_until_first_use(backend) -> None:
    svc = service()
    assert backend.events == ()
    with pytest.raises(RuntimeError, match="create_training_client"):
        _ = svc.trainer_job_id
    svc.create_training_client()
    assert kinds(backend) == [("created", "trainer", "policy")]


def test_lora_reference_shares_the_policy_session(backend) -> None:
    svc = service(lora_rank=16, reference_required=True)
    policy = svc.create_training_client(BASE_MODEL, lora_rank=16)
    reference = svc.create_reference_client(BASE_MODEL, lora_rank=16)
    assert reference.job_id == policy.job_id
    assert svc.reference_trainer_job_id is None
    assert len(backend.trainers) == 1
    assert [(e.kind, e.detail) for e in backend.events if e.kind == "reference"] == [("reference", "shared")]
    assert svc.plan().reference == "shared"


def test_full_parameter_reference_is_a_separate_forward_only_trainer_deleted_on_close(backend) -> None:
    svc = service(lora_rank=0, trainer=TrainerConfig(training_shape_id=SHAPE))
    svc.create_training_client()
    reference = svc.create_reference_client()
    job = backend.trainers[reference.job_id]
    assert job.forward_only and job.role == "reference" and job.shape_path == "auto"
    assert svc.create_reference_client().job_id == reference.job_id  # provisioned once
    svc.close()
    assert kinds(backend) == [
        ("created", "trainer", "policy"),
        ("created", "trainer", "reference"),
        ("reference", "trainer", "reference"),
        ("deleted", "trainer", "reference"),
        ("closed", "service", None),
    ]
    plan = svc.plan()
    assert plan.reference == "separate"
    assert [(r.resource, r.role) for r in plan.left_running] == [("trainer", "policy")]


def test_cleanup_reference_on_close_false_keeps_the_reference(backend) -> None:
    svc = service(trainer=TrainerConfig(cleanup_reference_on_close=False), reference_required=True)
    svc.create_training_client()
    svc.close()
    assert {r.role for r in svc.plan().left_running} == {"policy", "reference"}
    assert not any(e.kind == "deleted" for e in backend.events)


def test_explicit_reference_shape_gets_a_separate_trainer_even_for_lora(backend) -> None:
    svc = service(lora_rank=8, trainer=TrainerConfig(reference_training_shape_id=REFERENCE_SHAPE))
    svc.create_training_client()
    reference = svc.create_reference_client(lora_rank=8)
    job = backend.trainers[reference.job_id]
    assert (job.training_shape_id, job.shape_path, job.lora_rank) == (REFERENCE_SHAPE, "explicit", 8)
    assert svc.plan().trainer("reference").action == "created"


def test_reattach_policy_and_reference_by_id_never_deletes_them(backend) -> None:
    backend.register_trainer("policy-7", base_model=BASE_MODEL)
    backend.register_trainer("ref-7", base_model=BASE_MODEL, forward_only=True)
    svc = service(
        trainer=TrainerConfig(job_id="policy-7", reference_job_id="ref-7"),
        cleanup_trainer_on_close=True,
        reference_required=True,
    )
    assert svc.trainer_job_id == "policy-7"  # known before provisioning: it was given
    svc.create_training_client()
    assert svc.reference_trainer_job_id == "ref-7"
    svc.close()
    assert kinds(backend) == [
        ("reattached", "trainer", "policy"),
        ("reattached", "trainer", "reference"),
        ("reference", "trainer", "reference"),
        ("closed", "service", None),
    ]
    assert {t.state for t in backend.trainers.values()} == {"RUNNING"}
    plan = svc.plan()
    assert plan.reference == "reattached"
    assert [t.shape_path for t in plan.trainers] == ["existing", "existing"]


def test_unknown_job_id_is_an_error(backend) -> None:
    svc = service(trainer=TrainerConfig(job_id="no-such-job"))
    with pytest.raises(UnknownResourceError, match="'no-such-job'"):
        svc.create_training_client()
    svc = service(trainer=TrainerConfig(reference_job_id="no-such-ref"))
    with pytest.raises(UnknownResourceError, match="'no-such-ref'"):
        svc.create_reference_client()


@pytest.mark.parametrize("cleanup, left", [(True, []), (False, ["policy"])])
def test_cleanup_trainer_on_close(backend, cleanup: bool, left: list[str]) -> None:
    svc = service(cleanup_trainer_on_close=cleanup)
    svc.create_training_client()
    svc.close()
    assert [r.role for r in svc.plan().left_running] == left
    assert [e.kind for e in svc.plan().released] == (["deleted"] if cleanup else [])


def test_close_is_idempotent_and_final(backend) -> None:
    svc = service(cleanup_trainer_on_close=True)
    svc.create_training_client()
    svc.close()
    events = backend.events
    svc.close()
    assert backend.events == events and svc.closed
    with pytest.raises(RuntimeError, match="closed"):
        svc.create_training_client()


def test_close_without_provisioning_releases_nothing(backend) -> None:
    svc = service(cleanup_trainer_on_close=True)
    svc.close()
    assert kinds(backend) == [("closed", "service", None)]


def test_context_manager_closes(backend) -> None:
    with service(cleanup_trainer_on_close=True) as svc:
        svc.create_training_client()
    assert svc.closed and backend.events[-2].kind == "deleted"


@pytest.mark.parametrize("method", TRAINING_CALLS)
def test_every_training_call_raises_the_one_clear_error(backend, method: str) -> None:
    svc = service()
    clients = [svc.create_training_client(), svc.create_reference_client()]
    for client in clients:
        with pytest.raises(LocalBackendError, match="provisions but does not train") as info:
            getattr(client, method)([], "cross_entropy")
        assert "\n" not in str(info.value) and method in str(info.value)


@pytest.mark.parametrize("method", SAMPLING_CALLS)
def test_every_sampling_call_raises_the_one_clear_error(backend, method: str) -> None:
    sampler = service(deployment=DeployConfig()).create_deployment_sampler(tokenizer=None)
    with pytest.raises(LocalBackendError, match="provisions but does not train or sample"):
        getattr(sampler, method)([1, 2, 3])


def test_deployment_is_created_for_the_policy_and_left_running(backend) -> None:
    svc = service(deployment=DeployConfig(deployment_id="grpo-serving", deployment_shape="accounts/a/deploymentShapes/s"))
    sampler = svc.create_deployment_sampler(tokenizer="tok")
    assert (svc.deployment_id, sampler.deployment_id, sampler.tokenizer) == ("grpo-serving", "grpo-serving", "tok")
    deployment = backend.deployments["grpo-serving"]
    assert deployment.hot_load_trainer_job == f"accounts/local/rlorTrainerJobs/{svc.trainer_job_id}"
    assert svc.deployment_shape == "accounts/a/deploymentShapes/s"
    svc.close()
    assert ("deployment", "grpo-serving", None) in [(r.resource, r.id, r.role) for r in svc.plan().left_running]


def test_deployment_id_is_derived_from_the_base_model_when_unset(backend) -> None:
    svc = service(deployment=DeployConfig())
    svc.create_training_client()
    assert svc.deployment_id == "qwen3-8b"


def test_existing_deployment_is_reattached(backend) -> None:
    backend.register_deployment("serving", base_model=BASE_MODEL)
    svc = service(deployment=DeployConfig(deployment_id="serving"))
    svc.create_training_client()
    assert kinds(backend)[1] == ("reattached", "deployment", None)
    assert svc.plan().deployment.action == "reattached"


def test_no_deployment_no_sampler(backend) -> None:
    svc = service()
    with pytest.raises(RuntimeError, match="deployment=DeployConfig"):
        svc.create_deployment_sampler()
    with pytest.raises(RuntimeError, match="no deployment"):
        _ = svc.deployment_id


def test_max_context_length_is_the_requested_one(backend) -> None:
    svc = service(max_context_length=4096)
    assert svc.max_context_length == 4096
    svc.create_training_client()
    assert svc.max_context_length == 4096 == backend.trainers[svc.trainer_job_id].max_context_length


def test_divergent_per_call_base_model_warns_like_the_sdk(backend) -> None:
    svc = service()
    with pytest.warns(UserWarning, match="base_model"):
        svc.create_training_client("accounts/fireworks/models/other")


def test_each_base_url_has_its_own_control_plane() -> None:
    a, b = local_backend("local://a"), local_backend("local://b")
    a.reset(), b.reset()
    service(base_url="local://a").create_training_client()
    assert len(a.trainers) == 1 and b.trainers == {}
    assert local_backend("local://a") is a
    with pytest.raises(ValueError, match="local://"):
        local_backend("https://api.fireworks.ai")


def test_plan_is_a_frozen_record(backend) -> None:
    svc = service()
    svc.create_training_client()
    plan = svc.plan(recipe="rl_loop", config={"lora_rank": 0})
    assert isinstance(plan, ProvisioningPlan) and plan.surface == "target"
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.reference = "shared"  # type: ignore[misc]
    assert "policy trainer" in plan.summary()


@pytest.mark.parametrize(
    "override, fragment",
    [
        (dict(trainer={"job_id": "x"}), "trainer=...): expected TrainerConfig"),
        (dict(deployment=TrainerConfig()), "deployment=...): expected DeployConfig or None"),
        (dict(lora_rank=True), "lora_rank=...): expected int, got True"),
        (dict(lora_rank=1.5), "lora_rank=...): expected int, got 1.5"),
        (dict(learning_rate="fast"), "learning_rate=...): expected a number, got 'fast'"),
        (dict(max_context_length="8k"), "max_context_length=...): expected int or None, got '8k'"),
        (dict(base_model=None), "base_model=...): expected str, got None"),
        (dict(additional_headers={"x": 1}), "additional_headers=...): expected dict[str, str] or None"),
        (dict(cleanup_trainer_on_close="yes"), "cleanup_trainer_on_close=...): expected bool"),
        (dict(hotload_timeout_s="5m"), "hotload_timeout_s=...): expected a number or None"),
    ],
)
def test_wrong_types_fail_in_one_line(override: dict, fragment: str) -> None:
    with pytest.raises(TypeError) as info:
        service(**override)
    assert fragment in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith("build_service_client(")


@pytest.mark.parametrize(
    "override, fragment",
    [
        (dict(lora_rank=-1), "build_service_client(lora_rank=-1): expected >= 0"),
        (dict(learning_rate=0), "build_service_client(learning_rate=0): expected > 0"),
        (dict(max_context_length=0), "build_service_client(max_context_length=0): expected > 0"),
        (dict(base_model=" "), "build_service_client(base_model=' '): expected a non-empty model name"),
        (dict(hotload_timeout_s=-5), "build_service_client(hotload_timeout_s=-5): expected > 0"),
    ],
)
def test_values_the_real_surface_accepts_only_warn(backend, override: dict, fragment: str) -> None:
    with pytest.warns(ConfigWarning) as caught:
        svc = service(**override)
    assert [str(w.message) for w in caught] == [fragment] and caught[0].filename == __file__
    assert isinstance(svc, LocalServiceClient)


def test_infra_config_as_trainer_names_the_fix() -> None:
    from ftmigrate.api import InfraConfig

    with pytest.warns(DeprecationWarning):
        infra = InfraConfig()
    with pytest.raises(TypeError, match="legacy config; pass TrainerConfig"):
        service(trainer=infra)


def test_any_other_url_goes_to_the_sdk_as_on_the_real_surface(monkeypatch) -> None:
    # An internal http:// gateway is the real SDK's business, not a reason to refuse.
    monkeypatch.setitem(sys.modules, "fireworks.training.sdk", None)
    with pytest.raises(SdkNotInstalledError, match="http://localhost:8080"):
        service(base_url="http://localhost:8080")


def test_https_without_the_sdk_names_the_extra(monkeypatch) -> None:
    # None in sys.modules makes the import fail, as if the extra were not installed.
    monkeypatch.setitem(sys.modules, "fireworks.training.sdk", None)
    with pytest.raises(SdkNotInstalledError, match=r"pip install 'ftmigrate\[sdk\]'"):
        service(base_url="https://api.fireworks.ai")


# -- the recipes' dry run ------------------------------------------------------------------


def recipe(name: str):
    return importlib.import_module(f"ftmigrate.api.recipes.{name}")


@pytest.mark.parametrize(
    "name, roles, reference, deployment",
    [
        ("sft_loop", ["policy"], "none", False),
        ("orpo_loop", ["policy"], "none", False),
        ("dpo_loop", ["policy", "reference"], "separate", False),
        ("rl_loop", ["policy", "reference"], "separate", True),
        ("igpo_loop", ["policy", "reference"], "separate", True),
    ],
)
def test_recipe_main_is_a_dry_run_returning_the_plan(backend, name, roles, reference, deployment) -> None:
    module = recipe(name)
    plan = module.main(module.Config(log_path="/tmp/run"))
    assert isinstance(plan, ProvisioningPlan) and plan.recipe == name
    assert [t.role for t in plan.trainers] == roles
    assert plan.reference == reference
    assert (plan.deployment is not None) is deployment
    # target 2026-06: the recipes leave the policy trainer (and deployment) running
    assert ("trainer", "policy") in [(r.resource, r.role) for r in plan.left_running]
    assert plan.config["log_path"] == "/tmp/run"


def test_async_rl_dry_run_keeps_its_keyword_only_arguments(backend) -> None:
    module = recipe("async_rl_loop")
    config = module.Config(log_path="/tmp/run", kl_beta=0.0, lora_rank=4)
    with pytest.raises(TypeError):
        module.main(config)  # rollout_fn_factory is required
    plan = module.main(config, rollout_fn_factory=lambda: None)
    assert plan.reference == "none" and plan.deployment is not None


def test_lora_rl_dry_run_shares_the_reference(backend) -> None:
    module = recipe("rl_loop")
    plan = module.main(module.Config(log_path="/tmp/run", lora_rank=16))
    assert plan.reference == "shared" and [t.role for t in plan.trainers] == ["policy"]


def test_recipe_dry_run_reattaches_trainer_job_id(backend) -> None:
    backend.register_trainer("resume-me", base_model=BASE_MODEL)
    module = recipe("sft_loop")
    plan = module.main(module.Config(log_path="/tmp/run", trainer=TrainerConfig(job_id="resume-me")))
    assert plan.trainer("policy").action == "reattached"


@pytest.mark.parametrize("keyword", ["rlor_mgr", "deploy_mgr", "cancel_on_exit"])
def test_target_main_rejects_legacy_arguments(keyword: str) -> None:
    module = recipe("rl_loop")
    with pytest.raises(RemovedKeywordError, match=f"rl_loop.main\\({keyword}=...\\).*ftmigrate rewrite"):
        module.main(module.Config(log_path="/tmp/run"), **{keyword: None})


def test_https_under_a_bundled_mount_is_a_local_dry_run(backend) -> None:
    """Migrated code names its real endpoint; dry-run under mount(bundled_sdk=True) it must not
    leave the machine, so the local backend serves it (as it serves the bundled managers)."""
    from ftmigrate.api import mount

    with mount(bundled_sdk=True):
        svc = service(base_url="https://api.fireworks.ai")
        svc.create_training_client(BASE_MODEL)
        svc.close()
    assert svc.base_url == "local://"
    assert any(e.kind == "created" and e.resource == "trainer" for e in backend.events)
