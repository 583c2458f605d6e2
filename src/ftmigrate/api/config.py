"""Config classes of the cookbook's ``training.utils`` at target 2026-06.

Field names, order, types and defaults follow the cookbook reference's tables exactly
(``shared/seed/cookbook-reference.txt``). Later targets are derived from these classes plus
their recorded differences (:mod:`ftmigrate.api.profiles`). ``InfraConfig``,
``WeightSyncConfig`` and the gen0 ``HotloadConfig`` are the legacy classes: still importable,
and each field carries, in its metadata, where its value goes at the target. The codemods and
the linter read that metadata; nothing else in ftmigrate spells the renames out again.

Value checks (a full shape path, positive timeouts ...) warn (``ConfigWarning``) rather than
raise: the real classes accept those values, and the bundled ones are never stricter.
"""

from __future__ import annotations

import enum
from typing import Any

from ftmigrate.api._checked import (
    at_least,
    checked,
    field,
    non_empty,
    one_of,
    positive,
    resource_name,
    warn,
)

#: The cookbook's names (what ``training.utils.config`` serves under ``mount()``); the rest of
#: this module is ftmigrate's (field metadata, helpers) and the legacy ``HotloadConfig``.
__all__ = [
    "ConcurrencyConfig",
    "DeployConfig",
    "InfraConfig",
    "TrainerConfig",
    "WandBConfig",
    "WeightSyncConfig",
    "WeightSyncScope",
]

TRAINING_SHAPE = resource_name("trainingShapes")
TRAINER_JOB = resource_name("rlorTrainerJobs")

#: Field metadata key: where a legacy field's value goes at the target (see ``migration_target``).
TARGET = "ftmigrate.target"


class GradAccNormalization(str, enum.Enum):
    """(``fireworks.training.sdk.GradAccNormalization``) How the server normalizes accumulated gradients in ``optim_step``."""

    NUM_LOSS_TOKENS = "num_loss_tokens"
    NUM_SEQUENCES = "num_sequences"
    NONE = "none"


class WeightSyncScope(str, enum.Enum):
    """Which bucket owns weight-sync state."""

    PER_TRAINER = "per_trainer"
    PER_DEPLOYMENT = "per_deployment"


def _purpose(value: str) -> str | None:
    if value.startswith("PURPOSE_") and value[8:].replace("_", "").isalnum() and value.isupper():
        return None
    return 'expected a platform purpose enum name such as "PURPOSE_PILOT"'


#: Fields that only mean something on the manual path (``training_shape_id=None``); on the
#: shape path the training shape owns them.
MANUAL_PATH_FIELDS = ("accelerator_type", "accelerator_count", "node_count", "custom_image_tag")


@checked(
    removed={
        "ref_training_shape_id": "renamed to reference_training_shape_id",
        "trainer_timeout_s": "renamed to timeout_s",
        "trainer_replica_count": "renamed to replica_count",
        "managed_by": "TrainerConfig has no managed_by field at target 2026-06; drop it",
    }
)
class TrainerConfig:
    """Training-client launch settings: shape, optional reference trainer, region, run knobs."""

    training_shape_id: str | None = field(None, check=TRAINING_SHAPE)
    reference_training_shape_id: str | None = field(None, check=TRAINING_SHAPE)
    job_id: str | None = field(None, check=non_empty)
    reference_job_id: str | None = field(None, check=non_empty)
    cleanup_reference_on_close: bool = True
    region: str | None = field(None, check=non_empty)
    timeout_s: float = field(3600.0, check=positive)
    extra_args: list[str] | None = None
    replica_count: int | None = field(None, check=at_least(1))
    skip_validations: bool = False
    purpose: str | None = field(None, check=_purpose)
    # Advanced manual path only (training_shape_id=None): sent as given, shape validation skipped.
    accelerator_type: str | None = field(None, check=non_empty)
    accelerator_count: int | None = field(None, check=at_least(1))
    node_count: int | None = field(None, check=at_least(1))
    custom_image_tag: str | None = field(None, check=non_empty)

    def __check__(self) -> None:
        # The reference: on the shape path these are derived from the shape, not refused.
        if self.training_shape_id is None:
            return
        for name in MANUAL_PATH_FIELDS:
            value = getattr(self, name, None)
            if value is not None:
                warn(
                    f"TrainerConfig.{name}={value!r} is not sent: on the shape path"
                    " (training_shape_id set) the shape owns it; it applies only when"
                    " training_shape_id is None"
                )

    @property
    def shape_path(self) -> str:
        """``"explicit"`` (a shape is set), ``"manual"`` (hardware fields set, no shape) or
        ``"auto"`` (neither: supported recipes auto-select a validated shape)."""
        if self.training_shape_id is not None:
            return "explicit"
        if any(getattr(self, name, None) is not None for name in MANUAL_PATH_FIELDS):
            return "manual"
        return "auto"


@checked(
    removed={
        "deployment_gpu_count": "gone at target 2026-06; the deployment shape owns the GPU count",
    }
)
class DeployConfig:
    """Deployment settings for sampling and weight sync."""

    weight_sync_scope: WeightSyncScope = WeightSyncScope.PER_TRAINER
    deployment_id: str | None = field(None, check=non_empty)
    tokenizer_model: str | None = field(None, check=non_empty)
    tokenizer_revision: str | None = field(None, check=non_empty)
    deployment_shape: str | None = field(None, check=non_empty)
    deployment_region: str | None = field(None, check=non_empty)
    hot_load_bucket_type: str = field("FW_HOSTED", check=non_empty)
    hot_load_trainer_job: str | None = field(None, check=TRAINER_JOB)
    deployment_timeout_s: float = field(5400.0, check=positive)
    reattach_settle_timeout_s: int = field(600, check=positive)
    deployment_extra_args: list[str] | None = None
    sample_timeout: int = field(600, check=positive)
    disable_speculative_decoding: bool = True
    extra_values: dict[str, str] | None = None
    replica_count: int | None = field(None, check=at_least(1))
    deployment_accelerator_type: str | None = field(None, check=non_empty)

    def to_deployment_config(self, base_model: str, infra: Any = None, *, hot_load_trainer_job: str | None = None) -> Any:
        """The SDK's ``DeploymentConfig`` for this deployment (the legacy surface's method;
        ``infra`` is the legacy ``InfraConfig`` whose region the deployment falls back to)."""
        from ftmigrate.api.backend import derive_deployment_id
        from ftmigrate.api.sdk import DeploymentConfig

        fields: dict[str, Any] = {}
        if self.deployment_accelerator_type is not None:
            fields["accelerator_type"] = self.deployment_accelerator_type
        if self.replica_count is not None:
            fields["min_replica_count"] = fields["max_replica_count"] = self.replica_count
        for name in ("enable_hot_load", "hot_load_transition_type", "preemptible"):  # later targets
            if hasattr(self, name):
                fields[name] = getattr(self, name)
        return DeploymentConfig(
            deployment_id=self.deployment_id or derive_deployment_id(base_model),
            base_model=base_model,
            deployment_shape=self.deployment_shape,
            region=getattr(self, "deployment_region", None) or getattr(infra, "region", None),
            hot_load_bucket_type=self.hot_load_bucket_type,
            hot_load_trainer_job=hot_load_trainer_job or self.hot_load_trainer_job,
            disable_speculative_decoding=self.disable_speculative_decoding,
            extra_args=self.deployment_extra_args,
            extra_values=self.extra_values,
            **fields,
        )

    def __check__(self) -> None:
        # The reference: used only when no deployment_shape is set (ignored, not refused).
        if self.deployment_shape is not None and self.deployment_accelerator_type is not None:
            warn(
                f"DeployConfig.deployment_accelerator_type={self.deployment_accelerator_type!r} is"
                " not used: the deployment shape owns the GPU type; it applies only without"
                " deployment_shape"
            )


@checked
class ConcurrencyConfig:
    """Rollout sampling concurrency settings used by RL-family recipes."""

    mode: str | None = field("adaptive", check=one_of("adaptive", "fixed"))
    initial_window: int | None = field(None, check=at_least(1))
    min_window: int = field(1, check=at_least(1))
    max_window: int = field(256, check=at_least(1))
    prefill_queue_target: float = field(0.5, check=positive)
    max_concurrency: int | None = field(None, check=at_least(1))

    def __check__(self) -> None:
        if self.min_window > self.max_window:
            warn(f"ConcurrencyConfig.min_window={self.min_window}: must be <= max_window ({self.max_window})")
        if self.max_concurrency is not None:
            warn(
                "ConcurrencyConfig.max_concurrency is a deprecated fixed-concurrency field;"
                " RL recipes use adaptive concurrency (min_window / max_window)",
                DeprecationWarning,
            )


@checked
class WandBConfig:
    """Weights & Biases logging settings."""

    entity: str | None = None
    project: str | None = None
    run_name: str | None = None


# --------------------------------------------------------------------------------------------
# Legacy classes. Field metadata ``TARGET`` says where the value goes at the target:
#   "trainer.<name>"  a TrainerConfig field;   "<name>"  a top-level recipe Config field;
#   None              no replacement (dropped; reported when the value is not the default).


def _to(target: str | None, default: Any, check: Any = None) -> Any:
    return field(default, check=check, metadata={TARGET: target})


@checked
class InfraConfig:
    """Deprecated: the recipe-layer provisioning config. Use :class:`TrainerConfig`."""

    training_shape_id: str | None = _to("trainer.training_shape_id", None)
    ref_training_shape_id: str | None = _to("trainer.reference_training_shape_id", None)
    region: str | None = _to("trainer.region", None)
    custom_image_tag: str | None = _to("trainer.custom_image_tag", None)
    accelerator_type: str | None = _to("trainer.accelerator_type", None)
    accelerator_count: int | None = _to("trainer.accelerator_count", None)
    node_count: int | None = _to("trainer.node_count", None)
    trainer_timeout_s: float = _to("trainer.timeout_s", 3600.0, positive)
    extra_args: list[str] | None = _to("trainer.extra_args", None)
    trainer_replica_count: int | None = _to("trainer.replica_count", None, at_least(1))
    purpose: str | None = _to("trainer.purpose", None)
    managed_by: str | None = _to(None, None)
    skip_validations: bool = _to("trainer.skip_validations", False)

    def __post_init__(self) -> None:
        warn(infra_config_deprecation(), DeprecationWarning)

    def __check__(self) -> None:
        # The legacy class raised here (legacy-surface.md), and the target keeps it as it was.
        if self.training_shape_id is None:
            return
        for name in MANUAL_PATH_FIELDS:
            if getattr(self, name) is not None:
                raise ValueError(
                    f"InfraConfig.{name}={getattr(self, name)!r}: shape-owned override is not"
                    " allowed with training_shape_id"
                )


@checked
class WeightSyncConfig:
    """Deprecated (gen1): nested weight-sync cadence. Recipe Configs take these at top level."""

    weight_sync_interval: int = _to("weight_sync_interval", 1, at_least(0))
    dcp_save_interval: int = _to("dcp_save_interval", 0, at_least(0))
    dcp_timeout: int = _to(None, 2700, positive)
    first_checkpoint_type: str = _to(None, "base")
    weight_sync_before_training: bool = _to("weight_sync_before_training", False)
    weight_sync_timeout: int = _to("weight_sync_timeout", 600, positive)


@checked
class HotloadConfig:
    """Deprecated (gen0): the original name of :class:`WeightSyncConfig`."""

    hot_load_interval: int = _to("weight_sync_interval", 1, at_least(0))
    hot_load_before_training: bool = _to("weight_sync_before_training", False)
    hot_load_timeout: int = _to("weight_sync_timeout", 600, positive)
    first_checkpoint_type: str = _to(None, "base")
    dcp_save_interval: int = _to("dcp_save_interval", 0, at_least(0))
    dcp_timeout: int = _to(None, 2700, positive)


def infra_config_deprecation() -> str:
    """The text of ``InfraConfig``'s DeprecationWarning: true on the surface that is mounted."""
    from ftmigrate.api.mount import active

    surface, target = active() or ("target", None)
    if surface == "legacy":
        return (
            "InfraConfig is deprecated: the current cookbook takes TrainerConfig instead (its recipe"
            " Configs accept trainer=, not infra=); run `ftmigrate rewrite` to port this code"
        )
    at = f" at target {target}" if target else ""
    return (
        f"InfraConfig is deprecated, and not accepted by any recipe Config{at}: use TrainerConfig"
        " (run `ftmigrate rewrite` to port this code)"
    )


def migration_target(cls: type, name: str) -> str | None:
    """Where the legacy field ``cls.name`` goes at the target (see ``TARGET``)."""
    import dataclasses

    for f in dataclasses.fields(cls):
        if f.name == name:
            return f.metadata[TARGET]
    raise KeyError(f"{cls.__name__} has no field {name!r}")
