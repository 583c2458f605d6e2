"""What the six legacy recipe modules share: the Config builder and the legacy dry run.

A legacy recipe ``Config`` is derived from the target one rather than retyped (see
:func:`legacy_config`).
"""

from __future__ import annotations

import dataclasses
import types
import warnings
from collections.abc import Callable
from typing import Any

from ftmigrate.api._checked import derive
from ftmigrate.api.backend import ProvisioningPlan
from ftmigrate.api.config import HotloadConfig, InfraConfig, WeightSyncConfig
from ftmigrate.api.legacy.infra import ResourceCleanup, setup_infra
from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import CADENCE_FIELDS
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager
from ftmigrate.api.service import LOCAL_BASE_URL


def _quiet_infra_config() -> InfraConfig:
    # On the legacy surface InfraConfig was the normal config, not a deprecated one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return InfraConfig()


#: Type and default of each legacy-only recipe Config field.
LEGACY_FIELD_SPECS: dict[str, tuple[Any, Callable[[], dataclasses.Field]]] = {
    "infra": (InfraConfig, lambda: dataclasses.field(default_factory=_quiet_infra_config)),
    "weight_sync": (
        WeightSyncConfig | HotloadConfig,
        lambda: dataclasses.field(default_factory=WeightSyncConfig),
    ),
    "hotload": (HotloadConfig | None, lambda: dataclasses.field(default=None)),
    "policy_job_id": (str | None, lambda: dataclasses.field(default=None)),
    "reference_job_id": (str | None, lambda: dataclasses.field(default=None)),
    "job_id": (str | None, lambda: dataclasses.field(default=None)),
    "trainer_job_id": (str | None, lambda: dataclasses.field(default=None)),
    "policy_base_url": (str | None, lambda: dataclasses.field(default=None)),
    "reference_base_url": (str | None, lambda: dataclasses.field(default=None)),
    "trainer_base_url": (str | None, lambda: dataclasses.field(default=None)),
    "rollout_base_model": (str | None, lambda: dataclasses.field(default=None)),
}


def legacy_config(recipe: str, target: types.ModuleType) -> type:
    """The legacy ``Config`` of ``recipe``, derived from the target module's ``Config``.

    The legacy-only fields of ``surface.LEGACY_CONFIG_FIELDS`` take ``trainer``'s place. The
    recipes with ``weight_sync=`` (rl, igpo, async_rl) took their cadence nested in it, so the
    top-level cadence fields are dropped there; sft, dpo and orpo never had ``weight_sync`` and
    took ``dcp_save_interval`` at the top level, as they do at the target.
    """
    has_weight_sync = "weight_sync" in LEGACY_CONFIG_FIELDS[recipe]
    target_names = [f.name for f in dataclasses.fields(target.Config)]
    nested = [name for name in target_names if name in CADENCE_FIELDS] if has_weight_sync else []
    legacy_fields = [
        (name, LEGACY_FIELD_SPECS[name][0], LEGACY_FIELD_SPECS[name][1]()) for name in LEGACY_CONFIG_FIELDS[recipe]
    ]
    removed = {
        "trainer": "the legacy recipe takes infra=InfraConfig(...); trainer= is the target spelling"
    }
    for name in CADENCE_FIELDS:
        if name in target_names and name not in nested:
            continue  # a top-level field on the legacy surface too
        removed[name] = (
            f"the legacy recipe takes it as weight_sync=WeightSyncConfig({name}=...)"
            if has_weight_sync
            else f"the legacy {recipe} has no weight-sync field"
        )
    return derive(
        target.Config,
        drop=nested,
        replace={"trainer": legacy_fields},
        removed=removed,
        module=f"ftmigrate.api.legacy.recipes.{recipe}",
        doc=f"Legacy ``{recipe}`` settings (before target 2026-06).",
    )


def legacy_main(
    target: types.ModuleType,
    legacy_cls: type,
    config: Any,
    *,
    rlor_mgr: TrainerJobManager | None = None,
    deploy_mgr: DeploymentManager | None = None,
    cancel_on_exit: bool = False,
    on_resources_ready: Callable[[Any], Any] | None = None,
) -> ProvisioningPlan:
    """The body of every legacy ``main``: check the config, then dry-run as the recipe did.

    What the recipe provisions (reference, deployment) is read from the target recipe module,
    so the two surfaces provision alike and differ only in cleanup.
    """
    recipe = target.RECIPE
    if not isinstance(config, legacy_cls):
        raise TypeError(
            f"{recipe}.main(config=...): expected the legacy {recipe}.Config, got"
            f" {type(config).__module__}.{type(config).__qualname__}"
        )
    return legacy_dry_run(
        config,
        recipe=recipe,
        rlor_mgr=rlor_mgr,
        deploy_mgr=deploy_mgr,
        cancel_on_exit=cancel_on_exit,
        needs_reference=target.needs_reference(config),
        needs_deployment=target.NEEDS_DEPLOYMENT,
        on_resources_ready=on_resources_ready,
    )


def legacy_dry_run(
    config: Any,
    *,
    recipe: str,
    rlor_mgr: TrainerJobManager | None,
    deploy_mgr: DeploymentManager | None,
    cancel_on_exit: bool,
    needs_reference: bool,
    needs_deployment: bool,
    on_resources_ready: Callable[[Any], Any] | None = None,
) -> ProvisioningPlan:
    """Provision as the legacy recipe did, clean up as it did on exit, and return the plan."""
    rules = LEGACY_CLEANUP[recipe]
    if rlor_mgr is None:
        rlor_mgr = TrainerJobManager(api_key="local", base_url=LOCAL_BASE_URL)
    if needs_deployment and deploy_mgr is None:
        deploy_mgr = DeploymentManager(api_key="local", base_url=rlor_mgr.backend.base_url)
    clean_trainers = rules.trainers_always or (rules.trainers_with_cancel and cancel_on_exit)
    policy_job_id = next(
        (getattr(config, n) for n in ("policy_job_id", "trainer_job_id", "job_id") if hasattr(config, n)),
        None,
    )
    with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=config.base_model,
            infra_cfg=config.infra,
            deploy_cfg=config.deployment if needs_deployment else None,
            lora_rank=config.lora_rank,
            max_seq_len=config.max_seq_len,
            learning_rate=config.learning_rate,
            step_timeout=getattr(config, "step_timeout", None) or None,
            policy_job_id=policy_job_id,
            reference_job_id=getattr(config, "reference_job_id", None),
            needs_reference=needs_reference,
            needs_inference=needs_deployment,
            role_prefix=recipe,
            api_key="local",
            cleanup=cleanup if clean_trainers else None,
        )
        if rules.deployment_with_cancel and cancel_on_exit and infra.deployment_id is not None:
            cleanup.deployment(infra.deployment_id, action=rules.deployment_with_cancel)
        if on_resources_ready is not None:
            on_resources_ready(infra)
        for closeable in infra.closeables:
            closeable.close()
    return infra.plan(recipe=recipe, config=dataclasses.asdict(config))
