"""The legacy provisioning surface (gen0-gen2), emulated on the embedded local backend.

``setup_infra``, ``ResourceCleanup``, ``policy.create_base_reference()``, the low-level helpers
and ``validate_config`` behave as the legacy cookbook's did, but provision on the same local
backend as ``build_service_client(base_url="local://")``. Running a legacy script and its
migrated form against one backend and comparing the event logs shows what the migration
changed: which trainers were created or reused, the reference strategy, and what cleanup did
(legacy *cancelled* trainers; the service *deletes* them).

The managers passed in must be the bundled ones (``ftmigrate.api.sdk``), which drive a local
backend. Grace periods are recorded in the event log, not waited for.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftmigrate.api.backend import (
    DEFAULT_MAX_CONTEXT_LENGTH,
    Ledger,
    LocalBackend,
    LocalTrainingClient,
    ProvisioningPlan,
    TrainerJob,
    derive_deployment_id,
    reference_strategy,
)
from ftmigrate.api.client import ReconnectableClient as _TargetReconnectableClient
from ftmigrate.api.client import connect_legacy
from ftmigrate.api.config import (
    MANUAL_PATH_FIELDS,
    DeployConfig,
    HotloadConfig,
    InfraConfig,
    TrainerConfig,
    WeightSyncConfig,
)
from ftmigrate.api.sdk import (
    CreatedTrainerJob,
    DeploymentConfig,
    DeploymentInfo,
    DeploymentManager,
    TrainerJobConfig,
    TrainerJobManager,
    TrainerServiceEndpoint,
)

SOURCE = "setup_infra"

#: Environment variable and default of the legacy trainer cancel grace period.
GRACE_PERIOD_ENV = "FW_TRAINER_CANCEL_GRACE_PERIOD_S"
DEFAULT_GRACE_PERIOD_S = 30.0


def _backend(manager: Any, name: str) -> LocalBackend:
    backend = getattr(manager, "backend", None)
    if not isinstance(backend, LocalBackend):
        raise TypeError(
            f"{name}={type(manager).__name__}: the legacy emulation runs on the local backend;"
            " pass the bundled manager from ftmigrate.api.sdk (or fireworks.training.sdk under"
            " ftmigrate.api.mount(surface='legacy'))"
        )
    return backend


def infra_shape_path(infra_cfg: InfraConfig) -> str:
    """``explicit``, ``manual`` or ``auto``, as ``TrainerConfig.shape_path``."""
    if infra_cfg.training_shape_id is not None:
        return "explicit"
    return "manual" if any(getattr(infra_cfg, n) is not None for n in MANUAL_PATH_FIELDS) else "auto"


class ReconnectableClient(_TargetReconnectableClient):
    """The legacy ``ReconnectableClient``: ``Infra.policy``. Adds ``create_base_reference()``.

    The positional constructor ``ReconnectableClient(rlor_mgr, job_id, base_model, ...)`` is
    the normal spelling on the legacy surface, so it does not warn here.
    """

    _ledger: Ledger | None = None  # set when setup_infra made this client

    def __init__(
        self,
        rlor_mgr: Any,
        job_id: str,
        base_model: str,
        lora_rank: int = 0,
        default_timeout: float = 3600,
    ) -> None:
        client = connect_legacy(rlor_mgr, job_id, base_model, lora_rank)
        self._setup(client, job_id, base_model, lora_rank, None, default_timeout)
        self.rlor_mgr = rlor_mgr

    @classmethod
    def _wrap(cls, client: LocalTrainingClient, *, lora_rank: int, default_timeout: float, ledger: Ledger | None) -> ReconnectableClient:
        self = cls.from_training_client(
            client, job_id=client.job_id, base_model=client.base_model, lora_rank=lora_rank, default_timeout=default_timeout
        )
        self._ledger = ledger
        return self

    def create_base_reference(self) -> ReconnectableClient:
        """A reference client on this policy's session, adapter disabled (the base weights)."""
        backend = getattr(self.client, "backend", None)
        if not isinstance(backend, LocalBackend):
            raise TypeError("create_base_reference(): the legacy emulation needs a local-backend policy client")
        job = backend.get_trainer(self.job_id)
        if self._ledger is not None:
            self._ledger.set_reference("shared", job.job_id, source="create_base_reference")
        else:
            backend.record("reference", "trainer", job.job_id, role="reference", detail="shared", source="create_base_reference")
        reference = LocalTrainingClient(backend, job, base_model=self.base_model, lora_rank=0, role="reference")
        return type(self)._wrap(reference, lora_rank=0, default_timeout=self.default_timeout, ledger=self._ledger)

    def close(self) -> None:
        """Release the client connection (the trainer itself keeps running)."""
        self.client.close()


@dataclass
class Infra:
    """What ``setup_infra`` returns (attributes as ``surface.INFRA_ATTRIBUTES``)."""

    policy: ReconnectableClient
    reference: ReconnectableClient | None
    policy_profile: Any
    policy_job_id: str
    reference_job_id: str | None
    inference_model: str | None
    boot_metrics: dict[str, float]
    closeables: list[Any]
    max_seq_len: int
    training_shape_id: str | None
    ref_training_shape_id: str | None
    deployment_id: str | None
    deployment_shape: str | None
    deployment_gpu_count: int | None
    ledger: Ledger = field(repr=False, compare=False)

    def plan(self, recipe: str | None = None, config: Any = None) -> ProvisioningPlan:
        """What this ``setup_infra`` call provisioned, and what has been released since."""
        return self.ledger.plan(recipe=recipe, config=config)


def setup_infra(
    *,
    rlor_mgr: TrainerJobManager,
    deploy_mgr: DeploymentManager | None = None,
    base_model: str,
    infra_cfg: InfraConfig,
    deploy_cfg: DeployConfig | None = None,
    lora_rank: int = 0,
    max_seq_len: int | None = None,
    learning_rate: float = 1e-5,
    step_timeout: float | None = None,
    policy_job_id: str | None = None,
    reference_job_id: str | None = None,
    needs_reference: bool = False,
    needs_inference: bool = False,
    role_prefix: str,
    api_key: str,
    cleanup: ResourceCleanup | None = None,
    on_status: Callable[[str], Any] | None = None,
) -> Infra:
    """Provision (or reattach) the policy trainer, the reference and the deployment.

    The reference strategy is the service's: a reattached ``reference_job_id``; LoRA without
    ``ref_training_shape_id`` shares the policy session; otherwise a forward-only trainer.
    Trainers it creates are registered with ``cleanup`` (cancelled on its exit) when given.
    """
    backend = _backend(rlor_mgr, "setup_infra(rlor_mgr")
    if isinstance(infra_cfg, TrainerConfig):
        raise TypeError(
            "setup_infra(infra_cfg=TrainerConfig(...)): setup_infra takes the legacy InfraConfig;"
            " TrainerConfig goes to build_service_client(trainer=...)"
        )
    if not isinstance(infra_cfg, InfraConfig):
        raise TypeError(f"setup_infra(infra_cfg=...): expected InfraConfig, got {type(infra_cfg).__name__}")
    if deploy_cfg is not None and not isinstance(deploy_cfg, DeployConfig):
        raise TypeError(f"setup_infra(deploy_cfg=...): expected DeployConfig or None, got {type(deploy_cfg).__name__}")
    if needs_inference and (deploy_mgr is None or deploy_cfg is None):
        raise ValueError("setup_infra(needs_inference=True) needs deploy_mgr= and deploy_cfg=")
    if cleanup is not None and not isinstance(cleanup, ResourceCleanup):
        raise TypeError(f"setup_infra(cleanup=...): expected ResourceCleanup or None, got {type(cleanup).__name__}")
    status = on_status or (lambda message: None)
    ledger = Ledger(backend, surface="legacy")
    timeout = step_timeout or 3600

    def new_trainer(role: str, **fields: Any) -> TrainerJob:
        status(f"{role_prefix}: creating {role} trainer")
        job = backend.create_trainer(
            source=SOURCE,
            role=role,
            base_model=base_model,
            region=infra_cfg.region,
            max_context_length=max_seq_len or DEFAULT_MAX_CONTEXT_LENGTH,
            display_name=f"{role_prefix}-{role}",
            **fields,
        )
        if cleanup is not None:
            cleanup.trainer(job.job_id)
        return job

    if policy_job_id is not None:
        status(f"{role_prefix}: reattaching policy trainer {policy_job_id}")
        policy_job = backend.reattach_trainer(policy_job_id, role="policy", source=SOURCE)
    else:
        policy_job = new_trainer(
            "policy",
            lora_rank=lora_rank,
            training_shape_id=infra_cfg.training_shape_id,
            shape_path=infra_shape_path(infra_cfg),
            replica_count=infra_cfg.trainer_replica_count,
        )
    ledger.add_trainer(policy_job, role="policy", created=policy_job_id is None)
    policy_client = LocalTrainingClient(backend, policy_job, base_model=base_model, lora_rank=lora_rank, role="policy")
    policy = ReconnectableClient._wrap(policy_client, lora_rank=lora_rank, default_timeout=timeout, ledger=ledger)
    closeables: list[Any] = [policy]
    boot_metrics = {"policy_ready_s": 0.0}

    reference: ReconnectableClient | None = None
    separate_reference: TrainerJob | None = None
    if needs_reference:
        strategy = reference_strategy(
            lora_rank=lora_rank, reference_shape=infra_cfg.ref_training_shape_id, reference_job_id=reference_job_id
        )
        if strategy == "shared":
            reference = policy.create_base_reference()
        else:
            if strategy == "reattached":
                assert reference_job_id is not None
                status(f"{role_prefix}: reattaching reference trainer {reference_job_id}")
                separate_reference = backend.reattach_trainer(reference_job_id, role="reference", source=SOURCE)
            else:
                shape = infra_cfg.ref_training_shape_id
                separate_reference = new_trainer(
                    "reference",
                    lora_rank=lora_rank if shape and lora_rank > 0 else 0,
                    forward_only=True,
                    training_shape_id=shape,
                    shape_path="explicit" if shape else ("manual" if infra_shape_path(infra_cfg) == "manual" else "auto"),
                )
            ledger.add_trainer(separate_reference, role="reference", created=strategy == "separate")
            ledger.set_reference(strategy, separate_reference.job_id, source=SOURCE)
            reference_client = LocalTrainingClient(
                backend, separate_reference, base_model=base_model, lora_rank=0, role="reference"
            )
            reference = ReconnectableClient._wrap(reference_client, lora_rank=0, default_timeout=timeout, ledger=ledger)
            boot_metrics["reference_ready_s"] = 0.0
        closeables.append(reference)

    deployment = None
    if needs_inference:
        assert deploy_cfg is not None
        status(f"{role_prefix}: setting up deployment")
        deployment, created = backend.create_or_reattach_deployment(
            deploy_cfg.deployment_id or derive_deployment_id(base_model),
            source=SOURCE,
            base_model=base_model,
            hot_load_trainer_job=policy_job.job_name,
            deployment_shape=deploy_cfg.deployment_shape,
            replica_count=deploy_cfg.replica_count,
            region=deploy_cfg.deployment_region or infra_cfg.region,
        )
        ledger.set_deployment(deployment, created=created)
        boot_metrics["deployment_ready_s"] = 0.0

    return Infra(
        policy=policy,
        reference=reference,
        policy_profile=None,  # the local backend has no training-shape catalog
        policy_job_id=policy_job.job_id,
        reference_job_id=separate_reference.job_id if separate_reference is not None else None,
        inference_model=deployment.inference_model if deployment is not None else None,
        boot_metrics=boot_metrics,
        closeables=closeables,
        max_seq_len=policy_job.max_context_length,
        training_shape_id=infra_cfg.training_shape_id,
        ref_training_shape_id=infra_cfg.ref_training_shape_id,
        deployment_id=deployment.deployment_id if deployment is not None else None,
        deployment_shape=deployment.deployment_shape if deployment is not None else None,
        deployment_gpu_count=deployment.gpu_count if deployment is not None else None,
        ledger=ledger,
    )


class ResourceCleanup:
    """Legacy cleanup context: on exit, cancel registered trainers, then clean deployments
    newest first -- also when the body raises (the body's exception wins over a cleanup error).
    """

    SOURCE = "ResourceCleanup"

    def __init__(
        self,
        rlor_mgr: TrainerJobManager,
        deploy_mgr: DeploymentManager | None = None,
        trainer_cancel_grace_period_s: float | None = None,
        trainer_delete_grace_period_s: float | None = None,
    ) -> None:
        self.rlor_mgr = rlor_mgr
        self.deploy_mgr = deploy_mgr
        self._trainer_backend = _backend(rlor_mgr, "ResourceCleanup(rlor_mgr")
        self._deploy_backend = _backend(deploy_mgr, "ResourceCleanup(deploy_mgr") if deploy_mgr is not None else None
        if trainer_cancel_grace_period_s is None:
            trainer_cancel_grace_period_s = float(os.environ.get(GRACE_PERIOD_ENV, DEFAULT_GRACE_PERIOD_S))
        self.trainer_cancel_grace_period_s = trainer_cancel_grace_period_s
        self.trainer_delete_grace_period_s = trainer_delete_grace_period_s
        self._trainers: list[str] = []
        self._deployments: list[tuple[str, str]] = []

    def __enter__(self) -> ResourceCleanup:
        return self

    def trainer(self, job_id: str) -> None:
        """Register a trainer to cancel on exit."""
        if job_id not in self._trainers:
            self._trainers.append(job_id)

    def deployment(self, dep_id: str, action: str = "delete") -> None:
        """Register a deployment to delete or scale to zero on exit."""
        if action not in ("delete", "scale_to_zero"):
            raise ValueError(f"ResourceCleanup.deployment(action={action!r}): must be 'delete' or 'scale_to_zero'")
        if self._deploy_backend is None:
            raise ValueError("ResourceCleanup.deployment(): construct ResourceCleanup with deploy_mgr=")
        self._deployments.append((dep_id, action))

    def cancel_trainer(self, job_id: str) -> None:
        """Cancel a trainer now (early release) and stop tracking it."""
        self._trainer_backend.cancel_trainer(job_id, source=self.SOURCE, detail="early release")
        if job_id in self._trainers:
            self._trainers.remove(job_id)

    def delete_trainer(self, job_id: str) -> None:
        """Deprecated alias of :meth:`cancel_trainer`."""
        warnings.warn(
            "ResourceCleanup.delete_trainer() is a deprecated alias of cancel_trainer()",
            DeprecationWarning,
            stacklevel=2,
        )
        self.cancel_trainer(job_id)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        errors: list[Exception] = []
        grace = f"after a {self.trainer_cancel_grace_period_s:g}s grace period"
        for job_id in self._trainers:
            try:
                self._trainer_backend.cancel_trainer(job_id, source=self.SOURCE, detail=grace)
            except Exception as error:  # keep cleaning: one failure must not leak the rest
                errors.append(error)
        for dep_id, action in reversed(self._deployments):
            assert self._deploy_backend is not None
            try:
                if action == "delete":
                    self._deploy_backend.delete_deployment(dep_id, source=self.SOURCE)
                else:
                    self._deploy_backend.scale_deployment_to_zero(dep_id, source=self.SOURCE)
            except Exception as error:
                errors.append(error)
        self._trainers.clear()
        self._deployments.clear()
        if errors and exc_type is None:
            raise errors[0]
        return False


# -- low-level helpers (gen2; all gone at the target) ------------------------------------------


def to_deployment_config(
    deploy_cfg: DeployConfig, base_model: str, infra: InfraConfig | None = None, *, hot_load_trainer_job: str | None = None
) -> DeploymentConfig:
    """The legacy ``DeployConfig.to_deployment_config(base_model, infra)``, as a function."""
    return deploy_cfg.to_deployment_config(base_model, infra, hot_load_trainer_job=hot_load_trainer_job)


def _trainer_job_config(
    base_model: str,
    infra_cfg: InfraConfig,
    *,
    lora_rank: int,
    max_seq_len: int | None,
    learning_rate: float,
    display_name: str | None,
    job_id: str | None,
    forward_only: bool,
) -> TrainerJobConfig:
    return TrainerJobConfig(
        base_model=base_model,
        lora_rank=lora_rank,
        max_context_length=max_seq_len,
        learning_rate=learning_rate,
        node_count=infra_cfg.node_count,
        trainer_replica_count=None if forward_only else infra_cfg.trainer_replica_count,
        display_name=display_name,
        region=infra_cfg.region,
        custom_image_tag=infra_cfg.custom_image_tag,
        extra_args=infra_cfg.extra_args,
        accelerator_type=infra_cfg.accelerator_type,
        accelerator_count=infra_cfg.accelerator_count,
        training_shape_ref=(infra_cfg.ref_training_shape_id if forward_only else infra_cfg.training_shape_id),
        forward_only=forward_only,
        skip_validations=infra_cfg.skip_validations,
        purpose=infra_cfg.purpose,
        managed_by=infra_cfg.managed_by,
        requested_job_id=job_id,
    )


def request_trainer_job(
    rlor_mgr: TrainerJobManager,
    base_model: str,
    infra_cfg: InfraConfig,
    lora_rank: int = 0,
    max_seq_len: int | None = None,
    learning_rate: float = 1e-5,
    display_name: str | None = None,
    job_id: str | None = None,
    forward_only: bool = False,
) -> CreatedTrainerJob:
    """Request a trainer job without waiting for it."""
    config = _trainer_job_config(
        base_model,
        infra_cfg,
        lora_rank=lora_rank,
        max_seq_len=max_seq_len,
        learning_rate=learning_rate,
        display_name=display_name,
        job_id=job_id,
        forward_only=forward_only,
    )
    return rlor_mgr.create(config)


def wait_trainer_job(rlor_mgr: TrainerJobManager, job_id: str, timeout_s: float = 3600) -> TrainerServiceEndpoint:
    """Wait for a requested trainer job to be ready."""
    return rlor_mgr.wait_for_ready(job_id, timeout_s=timeout_s)


def create_trainer_job(
    rlor_mgr: TrainerJobManager,
    base_model: str,
    infra_cfg: InfraConfig,
    lora_rank: int = 0,
    max_seq_len: int | None = None,
    learning_rate: float = 1e-5,
    display_name: str | None = None,
    job_id: str | None = None,
    forward_only: bool = False,
) -> TrainerServiceEndpoint:
    """Request a trainer job and wait for it."""
    created = request_trainer_job(
        rlor_mgr, base_model, infra_cfg, lora_rank, max_seq_len, learning_rate, display_name, job_id, forward_only
    )
    return wait_trainer_job(rlor_mgr, created.job_id, timeout_s=infra_cfg.trainer_timeout_s)


def request_deployment(
    deploy_mgr: DeploymentManager,
    deploy_cfg: DeployConfig,
    base_model: str,
    infra_cfg: InfraConfig | None = None,
    hot_load_trainer_job: str | None = None,
) -> DeploymentInfo:
    """Create (or get) a deployment without waiting for it."""
    config = to_deployment_config(deploy_cfg, base_model, infra_cfg, hot_load_trainer_job=hot_load_trainer_job)
    return deploy_mgr.create_or_get(config)


def wait_deployment(deploy_mgr: DeploymentManager, deployment_id: str, timeout_s: float = 5400) -> DeploymentInfo:
    """Wait for a deployment to be ready."""
    return deploy_mgr.wait_for_ready(deployment_id, timeout_s=timeout_s)


def setup_deployment(
    deploy_mgr: DeploymentManager,
    deploy_cfg: DeployConfig,
    base_model: str,
    infra_cfg: InfraConfig | None = None,
    hot_load_trainer_job: str | None = None,
) -> DeploymentInfo:
    """Create (or get) a deployment and wait for it."""
    info = request_deployment(deploy_mgr, deploy_cfg, base_model, infra_cfg, hot_load_trainer_job)
    return wait_deployment(deploy_mgr, info.deployment_id, timeout_s=deploy_cfg.deployment_timeout_s)


def setup_or_reattach_deployment(
    deploy_mgr: DeploymentManager,
    deploy_cfg: DeployConfig,
    base_model: str,
    trainer_job_name: str,
    infra_cfg: InfraConfig | None = None,
) -> DeploymentInfo:
    """Reattach the live deployment to ``trainer_job_name``, or create it."""
    deployment_id = deploy_cfg.deployment_id or derive_deployment_id(base_model)
    if deploy_mgr.get(deployment_id) is not None:
        return deploy_mgr.reattach_trainer(
            deployment_id,
            base_model=base_model,
            trainer_job_name=trainer_job_name,
            timeout_s=deploy_cfg.reattach_settle_timeout_s,
        )
    return setup_deployment(deploy_mgr, deploy_cfg, base_model, infra_cfg, hot_load_trainer_job=trainer_job_name)


def setup_training_client(
    rlor_mgr: TrainerJobManager,
    job_id: str,
    base_model: str,
    lora_rank: int = 0,
    step_timeout: float | None = None,
) -> ReconnectableClient:
    """A blocking training client on an existing trainer job."""
    return ReconnectableClient(rlor_mgr, job_id, base_model, lora_rank, step_timeout or 3600)


def get_deployment_gpu_count(deploy_mgr: DeploymentManager, deployment_id: str) -> int:
    """How many GPUs the deployment serves on."""
    return _backend(deploy_mgr, "get_deployment_gpu_count(deploy_mgr").get_deployment(deployment_id).gpu_count


def validate_config(
    base_model: str,
    dataset: str | None,
    weight_sync_cfg: WeightSyncConfig | HotloadConfig | None,
    deploy_cfg: DeployConfig | None,
    *,
    infra_cfg: InfraConfig | None = None,
    output_model_id: str | None = None,
) -> None:
    """The legacy recipes' up-front checks; raises a one-line error on the first problem."""
    if not isinstance(base_model, str) or not base_model.strip():
        raise ValueError(f"validate_config: base_model must be a non-empty str, got {base_model!r}")
    if not isinstance(dataset, str) or not dataset.strip():
        raise ValueError(f"validate_config: dataset must be a non-empty str, got {dataset!r}")
    if weight_sync_cfg is not None and not isinstance(weight_sync_cfg, (WeightSyncConfig, HotloadConfig)):
        raise TypeError(
            f"validate_config(weight_sync_cfg=...): expected WeightSyncConfig or HotloadConfig,"
            f" got {type(weight_sync_cfg).__name__}"
        )
    if deploy_cfg is not None and not isinstance(deploy_cfg, DeployConfig):
        raise TypeError(f"validate_config(deploy_cfg=...): expected DeployConfig, got {type(deploy_cfg).__name__}")
    if infra_cfg is not None and not isinstance(infra_cfg, InfraConfig):
        raise TypeError(f"validate_config(infra_cfg=...): expected InfraConfig, got {type(infra_cfg).__name__}")
    if weight_sync_cfg is not None and deploy_cfg is None:
        if isinstance(weight_sync_cfg, HotloadConfig):
            interval, before = weight_sync_cfg.hot_load_interval, weight_sync_cfg.hot_load_before_training
        else:
            interval, before = weight_sync_cfg.weight_sync_interval, weight_sync_cfg.weight_sync_before_training
        if interval > 0 or before:
            raise ValueError(
                f"validate_config: weight sync (interval={interval}, before_training={before}) needs a"
                " deployment; pass deploy_cfg or set the interval to 0"
            )
    if output_model_id is not None and (not isinstance(output_model_id, str) or not output_model_id.strip()):
        raise ValueError(f"validate_config: output_model_id must be a non-empty str, got {output_model_id!r}")
