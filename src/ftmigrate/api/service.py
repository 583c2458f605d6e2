"""``build_service_client``: the one provisioning entry point of the target surface.

The base URL picks the backend:

- ``local://...`` -- the embedded local backend (:mod:`ftmigrate.api.backend`): real
  bookkeeping of trainers, the reference strategy and the deployment, no training.
- ``https://...`` -- the real ``fireworks.training.sdk.FiretitanServiceClient``, built with
  ``from_firetitan_config``; needs ``pip install 'ftmigrate[sdk]'``.

How ``TrainerConfig`` / ``DeployConfig`` fields become the SDK's provisioning keywords is
written once, in :data:`TRAINER_TO_SDK` / :data:`DEPLOY_TO_SDK` and :func:`sdk_keywords`; the
local ``FiretitanServiceClient.from_firetitan_config`` reads the same tables backwards.
"""

from __future__ import annotations

import dataclasses
import importlib
import warnings
from collections.abc import Mapping
from typing import Any

from ftmigrate.api._checked import derives_from, warn

from ftmigrate.api.backend import (
    DEFAULT_MAX_CONTEXT_LENGTH,
    Deployment,
    Event,
    Ledger,
    LocalBackend,
    LocalBackendError,
    LocalSampler,
    LocalTrainingClient,
    ProvisioningPlan,
    TrainerJob,
    UnknownResourceError,
    derive_deployment_id,
    is_local,
    local_backend,
    reference_strategy,
)
from ftmigrate.api.config import MANUAL_PATH_FIELDS, DeployConfig, InfraConfig, TrainerConfig

__all__ = [
    "LOCAL_BASE_URL",
    "Event",
    "LocalBackend",
    "LocalBackendError",
    "LocalServiceClient",
    "ProvisioningPlan",
    "SdkNotInstalledError",
    "UnknownResourceError",
    "build_service_client",
    "local_backend",
    "sdk_keywords",
    "service_arguments",
]

LOCAL_BASE_URL = "local://"

SDK_EXTRA = "pip install 'ftmigrate[sdk]'"


class SdkNotInstalledError(ImportError):
    """An ``https://`` base URL needs the real SDK, which is an optional extra."""


# -- the keyword mapping ---------------------------------------------------------------------

#: TrainerConfig field -> ``FiretitanProvisioningConfig`` keyword.
TRAINER_TO_SDK: dict[str, str] = {
    "training_shape_id": "training_shape_id",
    "reference_training_shape_id": "reference_training_shape_id",
    "job_id": "trainer_job_id",
    "reference_job_id": "reference_trainer_job_id",
    "cleanup_reference_on_close": "cleanup_reference_trainer_on_close",
    "region": "region",
    "timeout_s": "trainer_timeout_s",
    "extra_args": "extra_args",
    "replica_count": "trainer_replica_count",
    "skip_validations": "skip_validations",
    "purpose": "purpose",
    # Manual path only (training_shape_id=None); on the shape path the shape owns them.
    "accelerator_type": "accelerator_type",
    "accelerator_count": "accelerator_count",
    "node_count": "node_count",
    "custom_image_tag": "custom_image_tag",
    # Fields a later target added (profiles.DIFFERENCES); a TrainerConfig without them sends
    # nothing for them.
    "pending_timeout_s": "trainer_pending_timeout_s",
    "inactivity_timeout": "inactivity_timeout",
    "disable_inactivity_cleanup": "disable_inactivity_cleanup",
    "preemptible": "preemptible",
    "managed_by": "managed_by",
    "use_reservation": "use_reservation",
}

#: DeployConfig field -> ``FiretitanProvisioningConfig`` keyword (sent when a deployment is
#: requested). ``deployment_region`` and ``tokenizer_model`` are merged with the service-level
#: values in :func:`sdk_keywords`.
DEPLOY_TO_SDK: dict[str, str] = {
    "deployment_id": "deployment_id",
    "deployment_shape": "deployment_shape",
    "deployment_timeout_s": "deployment_timeout_s",
    "reattach_settle_timeout_s": "reattach_settle_timeout_s",
    "deployment_extra_args": "deployment_extra_args",
    "extra_values": "deployment_extra_values",
    "disable_speculative_decoding": "disable_speculative_decoding",
    "replica_count": "replica_count",
    # Added at target 2026-08.
    "hot_load_transition_type": "hot_load_transition_type",
}

#: DeployConfig fields the recipe itself consumes (tokenizer loading, the sampler's HTTP
#: timeout); they are not provisioning settings, so the service never sees them.
DEPLOY_CLIENT_SIDE = ("tokenizer_revision", "sample_timeout")

#: DeployConfig fields with no SDK-managed provisioning keyword: the managed service owns
#: weight-sync storage and deployment hardware. A non-default value is warned about.
DEPLOY_SERVICE_OWNED = (
    "weight_sync_scope",
    "hot_load_bucket_type",
    "hot_load_trainer_job",
    "deployment_accelerator_type",
    # Added at target 2026-08: the provisioning config has one ``preemptible`` (the trainer's).
    "enable_hot_load",
    "preemptible",
)

#: Service-level ``build_service_client`` keywords that pass through under the same name.
SERVICE_KEYWORDS = (
    "base_model",
    "tokenizer_model",
    "lora_rank",
    "max_context_length",
    "learning_rate",
    "hotload_timeout_s",
    "cleanup_trainer_on_close",
    "reference_required",
)

#: ``FiretitanProvisioningConfig`` fields with no TrainerConfig / DeployConfig equivalent. The
#: local ``from_firetitan_config`` accepts them (keeping them in ``sdk_options``); they do not
#: change what the local backend provisions, except ``cleanup_deployment_on_close``.
SDK_ONLY_KEYWORDS = frozenset(
    {
        "lora_alpha",
        "projection_head_dim",
        "max_lora_rank",
        "forward_only",
        "gradient_accumulation_steps",
        "seed",
        "train_mlp",
        "train_attn",
        "train_unembed",
        "extra_values",
        "trainer_pending_timeout_s",
        "inactivity_timeout",
        "disable_inactivity_cleanup",
        "reattach_poll_interval_s",
        "cleanup_deployment_on_close",
        "display_name",
        "preemptible",
        "managed_by",
        "hot_load_transition_type",
        "use_reservation",
        "reservation_target",
        "wait_for_trainer_before_deployment",
        "weight_sync_transport",
    }
)

#: Alias keywords the real ``from_firetitan_config`` resolves, -> the canonical keyword.
SDK_ALIASES = {
    "model_name": "base_model",
    "training_shape": "training_shape_id",
    "training_shape_ref": "training_shape_id",
    "trainer_id": "trainer_job_id",
    "deployment_replica_count": "replica_count",
}


def sdk_keywords(
    *,
    api_key: str | None,
    base_url: str,
    inference_url: str | None,
    additional_headers: Mapping[str, str] | None,
    base_model: str,
    tokenizer_model: str | None,
    lora_rank: int,
    max_context_length: int | None,
    learning_rate: float,
    trainer: TrainerConfig,
    deployment: DeployConfig | None,
    hotload_timeout_s: float | None,
    cleanup_trainer_on_close: bool,
    reference_required: bool,
    cleanup_deployment_on_close: str | None = None,
    max_lora_rank: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Map ``build_service_client`` arguments onto the real SDK's keywords.

    Returns ``(client_kwargs, managed_kwargs)`` for
    ``FiretitanServiceClient.from_firetitan_config(**client_kwargs, **managed_kwargs)``;
    ``managed_kwargs`` are ``FiretitanProvisioningConfig`` fields. Pure: no SDK import, no I/O.
    ``TrainerConfig`` / ``DeployConfig`` of any target are mapped field by field (what a
    target's class lacks is not sent). ``cleanup_deployment_on_close`` and ``max_lora_rank``
    (the LoRA capacity ``build_service_client`` takes at target 2026-08) are sent when given.
    """
    client = {
        "api_key": api_key,
        "base_url": base_url,
        "inference_url": inference_url,
        "additional_headers": dict(additional_headers) if additional_headers is not None else None,
    }
    managed: dict[str, Any] = {
        "base_model": base_model,
        "tokenizer_model": tokenizer_model,
        "lora_rank": lora_rank,
        "max_context_length": max_context_length,
        "learning_rate": learning_rate,
        "cleanup_trainer_on_close": cleanup_trainer_on_close,
        "reference_required": reference_required,
        "create_deployment": deployment is not None,
    }
    if hotload_timeout_s is not None:
        managed["hotload_timeout_s"] = hotload_timeout_s
    if max_lora_rank:
        managed["max_lora_rank"] = max_lora_rank
    if cleanup_deployment_on_close is not None:
        managed["cleanup_deployment_on_close"] = cleanup_deployment_on_close
    trainer_fields = _field_names(trainer)
    for name, keyword in TRAINER_TO_SDK.items():
        if name not in trainer_fields:
            continue
        value = getattr(trainer, name)
        if name in MANUAL_PATH_FIELDS and (value is None or trainer.training_shape_id is not None):
            continue
        managed[keyword] = value
    if deployment is None:
        return client, managed

    deploy_fields = _field_names(deployment)
    for name, keyword in DEPLOY_TO_SDK.items():
        if name not in deploy_fields:
            continue
        value = getattr(deployment, name)
        if name == "replica_count" and value is None:
            continue  # the SDK's own default (one replica) applies
        managed[keyword] = value
    # The managed service colocates trainer and deployment in one region (the trainer's).
    region = getattr(deployment, "deployment_region", None)
    if region is not None:
        if trainer.region not in (None, region):
            warn(
                f"DeployConfig.deployment_region={region!r} differs from"
                f" TrainerConfig.region={trainer.region!r}: the SDK-managed service colocates"
                " trainer and deployment in TrainerConfig.region; the deployment region is not sent"
            )
        else:
            managed["region"] = region
    if deployment.tokenizer_model is not None:
        if tokenizer_model not in (None, deployment.tokenizer_model):
            warn(
                f"build_service_client(tokenizer_model={tokenizer_model!r}) differs from"
                f" DeployConfig.tokenizer_model={deployment.tokenizer_model!r}; the"
                " DeployConfig's is used"
            )
        managed["tokenizer_model"] = deployment.tokenizer_model
    defaults = type(deployment)()
    ignored = [n for n in DEPLOY_SERVICE_OWNED if n in deploy_fields and getattr(deployment, n) != getattr(defaults, n)]
    if ignored:
        warn(
            f"DeployConfig {', '.join(ignored)}: the SDK-managed service owns these and has no"
            " keyword for them; the values are not sent",
            UserWarning,
        )
    return client, managed


def _field_names(config: Any) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(config))


def service_arguments(managed_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`sdk_keywords`: ``FiretitanProvisioningConfig`` keywords back to
    :class:`LocalServiceClient` arguments (``trainer=TrainerConfig(...)``, ``deployment=...``).

    Used by the bundled ``FiretitanServiceClient.from_firetitan_config``. Keywords with no
    TrainerConfig / DeployConfig equivalent are kept in ``sdk_options``; unknown ones are errors.
    """
    kwargs = dict(managed_kwargs)
    for alias, canonical in SDK_ALIASES.items():
        if alias in kwargs:
            if canonical in kwargs:
                raise TypeError(f"from_firetitan_config: pass {canonical}= or its alias {alias}=, not both")
            kwargs[canonical] = kwargs.pop(alias)
    if "base_model" not in kwargs:
        raise TypeError("from_firetitan_config: base_model= is required")
    # The SDK stand-in builds the 2026-06 classes; keywords of later fields stay SDK options.
    trainer_from = {v: k for k, v in TRAINER_TO_SDK.items() if k in _field_names(TrainerConfig)}
    deploy_from = {v: k for k, v in DEPLOY_TO_SDK.items() if k in _field_names(DeployConfig)}
    args: dict[str, Any] = {
        "tokenizer_model": None,
        "lora_rank": 0,
        "max_context_length": None,
        "learning_rate": 1e-5,
        "hotload_timeout_s": None,
        "cleanup_trainer_on_close": False,
        "reference_required": False,
    }
    trainer: dict[str, Any] = {}
    deploy: dict[str, Any] = {}
    options: dict[str, Any] = {}
    create_deployment = kwargs.pop("create_deployment", True)  # the SDK's default
    for key, value in kwargs.items():
        if key in SERVICE_KEYWORDS:
            args[key] = value
        elif key in trainer_from:
            trainer[trainer_from[key]] = value
        elif key in deploy_from:
            deploy[deploy_from[key]] = value
        elif key in SDK_ONLY_KEYWORDS:
            options[key] = value
        else:
            raise TypeError(f"from_firetitan_config({key}=...): not a FiretitanProvisioningConfig keyword")
    if not create_deployment:
        options.update(deploy)
        deploy = {}
    args["trainer"] = TrainerConfig(**trainer)
    args["deployment"] = DeployConfig(**deploy) if create_deployment else None
    args["cleanup_deployment_on_close"] = options.pop("cleanup_deployment_on_close", None)
    args["sdk_options"] = options
    return args


# -- argument checks -------------------------------------------------------------------------


def _shown(value: Any) -> str:
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _optional(check: Any) -> Any:
    return lambda v: v is None or check(v)


#: Argument -> (expected type, type test, value test or None, what a good value is). A wrong
#: type is a TypeError, as on the real surface; a value the real surface accepts but that will
#: not work (an empty base model, a negative rank) is a ConfigWarning.
_ARGUMENTS: dict[str, tuple[str, Any, Any, str]] = {
    "api_key": ("str or None", _optional(lambda v: isinstance(v, str)), None, ""),
    "base_url": ("a str URL", lambda v: isinstance(v, str), lambda v: bool(v), "a URL"),
    "inference_url": ("str or None", _optional(lambda v: isinstance(v, str)), None, ""),
    "additional_headers": (
        "dict[str, str] or None",
        _optional(lambda v: isinstance(v, Mapping) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())),
        None,
        "",
    ),
    "base_model": ("str", lambda v: isinstance(v, str), lambda v: bool(v.strip()), "a non-empty model name"),
    "tokenizer_model": ("str or None", _optional(lambda v: isinstance(v, str)), None, ""),
    "lora_rank": ("int", _is_int, lambda v: v >= 0, ">= 0"),
    "max_context_length": ("int or None", _optional(_is_int), lambda v: v is None or v > 0, "> 0"),
    "learning_rate": ("a number", _is_number, lambda v: v > 0, "> 0"),
    "deployment": ("DeployConfig or None", None, None, ""),  # checked with trainer below
    "hotload_timeout_s": ("a number or None", _optional(_is_number), lambda v: v is None or v > 0, "> 0"),
    "cleanup_trainer_on_close": ("bool", lambda v: isinstance(v, bool), None, ""),
    "reference_required": ("bool", lambda v: isinstance(v, bool), None, ""),
}


def _check_arguments(args: dict[str, Any], renamed: Mapping[str, str] | None = None) -> None:
    """Reject wrong types (one line each) and warn about unworkable values, before anything
    is provisioned. ``renamed`` maps an argument to the keyword the caller spelled."""
    spelled = dict(renamed or {})
    trainer = args["trainer"]
    if isinstance(trainer, InfraConfig):
        raise TypeError(
            "build_service_client(trainer=InfraConfig(...)): InfraConfig is the legacy config;"
            " pass TrainerConfig (`ftmigrate rewrite` ports it)"
        )
    if not _is_config(trainer, "TrainerConfig"):
        raise TypeError(f"build_service_client(trainer=...): expected TrainerConfig, got {_shown(trainer)}")
    if args["deployment"] is not None and not _is_config(args["deployment"], "DeployConfig"):
        raise TypeError(f"build_service_client(deployment=...): expected DeployConfig or None, got {_shown(args['deployment'])}")
    for name, (expected, type_ok, value_ok, good) in _ARGUMENTS.items():
        value = args[name]
        label = spelled.get(name, name)
        if type_ok is not None and not type_ok(value):
            raise TypeError(f"build_service_client({label}=...): expected {expected}, got {_shown(value)}")
        if value_ok is not None and not value_ok(value):
            warn(f"build_service_client({label}={_shown(value)}): expected {good}")


def _is_config(value: Any, name: str) -> bool:
    """A ``TrainerConfig`` / ``DeployConfig`` of any target (later targets derive their own)."""
    return derives_from(type(value), TrainerConfig if name == "TrainerConfig" else DeployConfig)


# -- the local service client ----------------------------------------------------------------


class LocalServiceClient:
    """The SDK-managed service client, on the local backend.

    Lazy like the real one: nothing is provisioned until the first ``create_*`` call. Then the
    policy trainer is created (or reattached by ``trainer.job_id``), the deployment too when one
    was requested, and -- with ``reference_required`` -- the reference per the cookbook's rule.
    ``close()`` releases what this service created, per ``cleanup_trainer_on_close`` and
    ``trainer.cleanup_reference_on_close``; it never touches reattached resources.
    """

    #: The target surface whose ``build_service_client`` returns this class (later targets
    #: derive a subclass, see ``profiles``); None for the SDK stand-in, which is not per target.
    __ftmigrate_target__: str | None = "2026-06"

    def __init__(
        self,
        *,
        base_url: str,
        base_model: str,
        tokenizer_model: str | None,
        lora_rank: int,
        max_context_length: int | None,
        learning_rate: float,
        trainer: TrainerConfig,
        deployment: DeployConfig | None,
        hotload_timeout_s: float | None,
        cleanup_trainer_on_close: bool,
        reference_required: bool,
        cleanup_deployment_on_close: str | None = None,
        sdk_options: Mapping[str, Any] | None = None,
    ) -> None:
        if cleanup_deployment_on_close not in (None, "delete", "scale_to_zero"):
            raise ValueError(
                f"cleanup_deployment_on_close={cleanup_deployment_on_close!r}: must be None,"
                " 'delete' or 'scale_to_zero'"
            )
        self.backend = local_backend(base_url)
        self.base_url = base_url
        self.base_model = base_model
        self.tokenizer_model = tokenizer_model
        self.lora_rank = lora_rank
        self.learning_rate = learning_rate
        self.trainer = trainer
        self.deployment = deployment
        self.hotload_timeout_s = hotload_timeout_s
        self.cleanup_trainer_on_close = cleanup_trainer_on_close
        self.cleanup_deployment_on_close = cleanup_deployment_on_close
        self.reference_required = reference_required
        self.sdk_options = dict(sdk_options or {})
        self._max_context_length = max_context_length
        self.name = self.backend.new_id("service")
        self._ledger = Ledger(self.backend, surface="target", target=type(self).__ftmigrate_target__)
        self._policy: TrainerJob | None = None
        self._policy_created = False
        self._reference: TrainerJob | None = None  # a separate or reattached reference trainer
        self._reference_created = False
        self._deployment: Deployment | None = None
        self._deployment_created = False
        self._closed = False

    # -- provisioning -------------------------------------------------------------------------

    def _ensure_provisioned(self) -> TrainerJob:
        if self._closed:
            raise RuntimeError(f"{self.name} is closed; build a new service client")
        if self._policy is not None:
            return self._policy
        t = self.trainer
        if t.job_id is not None:
            policy = self.backend.reattach_trainer(t.job_id, role="policy", source=self.name)
        else:
            policy = self.backend.create_trainer(
                source=self.name,
                role="policy",
                base_model=self.base_model,
                lora_rank=self.lora_rank,
                training_shape_id=t.training_shape_id,
                shape_path=t.shape_path,
                region=t.region,
                replica_count=t.replica_count,
                max_context_length=self._max_context_length or DEFAULT_MAX_CONTEXT_LENGTH,
            )
        self._policy, self._policy_created = policy, t.job_id is None
        self._ledger.add_trainer(policy, role="policy", created=self._policy_created)
        if self.deployment is not None:
            d = self.deployment
            self._deployment, self._deployment_created = self.backend.create_or_reattach_deployment(
                d.deployment_id or derive_deployment_id(self.base_model),
                source=self.name,
                base_model=self.base_model,
                hot_load_trainer_job=policy.job_name,
                deployment_shape=d.deployment_shape,
                replica_count=d.replica_count,
                region=getattr(d, "deployment_region", None) or t.region,
            )
            self._ledger.set_deployment(self._deployment, created=self._deployment_created)
        if self.reference_required:
            self._ensure_reference(self.lora_rank)
        return policy

    def _ensure_reference(self, lora_rank: int) -> TrainerJob:
        """The trainer that serves reference forwards, provisioned per the cookbook's rule."""
        policy = self._policy
        assert policy is not None
        t = self.trainer
        strategy = reference_strategy(
            lora_rank=lora_rank,
            reference_shape=t.reference_training_shape_id,
            reference_job_id=t.reference_job_id,
        )
        if strategy == "shared":
            self._ledger.set_reference("shared", policy.job_id, source=self.name)
            return policy
        if self._reference is not None:
            return self._reference
        if strategy == "reattached":
            assert t.reference_job_id is not None
            job = self.backend.reattach_trainer(t.reference_job_id, role="reference", source=self.name)
        else:
            job = self.backend.create_trainer(
                source=self.name,
                role="reference",
                base_model=self.base_model,
                # An explicit reference shape for a LoRA policy loads the adapter; otherwise the
                # reference forwards the frozen base.
                lora_rank=lora_rank if t.reference_training_shape_id and lora_rank > 0 else 0,
                forward_only=True,
                training_shape_id=t.reference_training_shape_id,
                shape_path=_reference_shape_path(t),
                region=t.region,
                max_context_length=policy.max_context_length,
            )
        self._reference, self._reference_created = job, strategy == "separate"
        self._ledger.add_trainer(job, role="reference", created=self._reference_created)
        self._ledger.set_reference(strategy, job.job_id, source=self.name)
        return job

    def _check_overrides(self, method: str, base_model: str | None, lora_rank: int | None) -> None:
        # The real SDK provisions from the service's config and ignores divergent per-call
        # values with a warning; do the same so a dry run shows the same warning.
        if base_model is not None and base_model != self.base_model:
            warnings.warn(
                f"{method}(base_model={base_model!r}) differs from the service's"
                f" base_model={self.base_model!r}; the service's value is used",
                UserWarning,
                stacklevel=3,
            )
        if lora_rank and lora_rank != self.lora_rank:
            warnings.warn(
                f"{method}(lora_rank={lora_rank}) differs from the service's"
                f" lora_rank={self.lora_rank}; the service's value is used",
                UserWarning,
                stacklevel=3,
            )

    # -- the public surface -------------------------------------------------------------------

    def create_training_client(self, base_model: str | None = None, lora_rank: int = 0) -> LocalTrainingClient:
        """The policy training client (provisions the policy trainer on first use)."""
        self._check_overrides("create_training_client", base_model, lora_rank)
        policy = self._ensure_provisioned()
        return LocalTrainingClient(self.backend, policy, base_model=self.base_model, lora_rank=self.lora_rank, role="policy")

    def create_reference_client(self, base_model: str | None = None, lora_rank: int = 0) -> LocalTrainingClient:
        """The frozen reference client; the service picks shared session or separate trainer."""
        return self._create_reference_client(base_model, lora_rank)

    def _create_reference_client(
        self, base_model: str | None = None, lora_rank: int | None = 0, policy_client: Any = None
    ) -> LocalTrainingClient:
        # Every target's create_reference_client (2026-08 adds policy_client=; see profiles).
        self._check_overrides("create_reference_client", base_model, lora_rank or 0)
        policy = self._ensure_provisioned()
        if isinstance(policy_client, LocalTrainingClient) and policy_client.job_id != policy.job_id:
            warn(
                f"create_reference_client(policy_client=...): that client is on trainer"
                f" {policy_client.job_id!r}, not this service's policy trainer {policy.job_id!r};"
                " the service's own policy is used"
            )
        job = self._ensure_reference(lora_rank or self.lora_rank)
        return LocalTrainingClient(self.backend, job, base_model=self.base_model, lora_rank=0, role="reference")

    def create_deployment_sampler(self, *, tokenizer: Any = None, concurrency_controller: Any = None) -> LocalSampler:
        """A sampler on the service's deployment."""
        if self.deployment is None:
            raise RuntimeError(
                f"{self.name} has no deployment: pass deployment=DeployConfig(...) to build_service_client"
            )
        self._ensure_provisioned()
        assert self._deployment is not None
        return LocalSampler(self._deployment, tokenizer=tokenizer, concurrency_controller=concurrency_controller)

    @property
    def trainer_job_id(self) -> str:
        """The policy trainer's job id."""
        if self._policy is not None:
            return self._policy.job_id
        return _resolved(self.trainer.job_id, "trainer job id")

    @property
    def reference_trainer_job_id(self) -> str | None:
        """The separate reference trainer's job id; None when the reference is shared or absent."""
        return self._reference.job_id if self._reference is not None else None

    @property
    def deployment_id(self) -> str:
        """The deployment's id."""
        if self._deployment is not None:
            return self._deployment.deployment_id
        if self.deployment is None:
            raise RuntimeError(f"{self.name} has no deployment (deployment=None)")
        return _resolved(self.deployment.deployment_id, "deployment id")

    @property
    def max_context_length(self) -> int:
        """The policy trainer's context length (the requested one, else what the trainer reports)."""
        if self._policy is not None:
            return self._policy.max_context_length
        return _resolved(self._max_context_length, "max context length")

    @property
    def deployment_shape(self) -> str | None:
        """The deployment shape; None when the training shape would decide (the local backend
        has no shape catalog to resolve it from)."""
        if self._deployment is not None:
            return self._deployment.deployment_shape
        return self.deployment.deployment_shape if self.deployment is not None else None

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has run."""
        return self._closed

    def close(self) -> None:
        """Release what this service created, per its cleanup flags. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._reference is not None and self._reference_created and self.trainer.cleanup_reference_on_close:
            self.backend.delete_trainer(self._reference.job_id, source=self.name, role="reference")
        if self._deployment is not None and self._deployment_created and self.cleanup_deployment_on_close:
            if self.cleanup_deployment_on_close == "delete":
                self.backend.delete_deployment(self._deployment.deployment_id, source=self.name)
            else:
                self.backend.scale_deployment_to_zero(self._deployment.deployment_id, source=self.name)
        if self._policy is not None and self._policy_created and self.cleanup_trainer_on_close:
            self.backend.delete_trainer(self._policy.job_id, source=self.name, role="policy")
        self.backend.record("closed", "service", self.name, source=self.name)

    def plan(self, recipe: str | None = None, config: Mapping[str, Any] | None = None) -> ProvisioningPlan:
        """What this service provisioned, what ``close()`` released, and what is left running."""
        return self._ledger.plan(recipe=recipe, config=config)

    # Not in the real SDK (rewritten code must not rely on it): a convenience for tests.
    def __enter__(self) -> LocalServiceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"{type(self).__name__}({self.name!r}, base_url={self.base_url!r}, {state})"


def _reference_shape_path(t: TrainerConfig) -> str:
    if t.reference_training_shape_id is not None:
        return "explicit"
    return "manual" if t.shape_path == "manual" else "auto"


def _resolved(value: Any, what: str) -> Any:
    if value is None:
        raise RuntimeError(f"the service has not resolved its {what} yet; call create_training_client() first")
    return value


# -- the entry point -------------------------------------------------------------------------


def build_service_client(
    *,
    api_key: str | None,
    base_url: str,
    inference_url: str | None = None,
    additional_headers: Mapping[str, str] | None,
    base_model: str,
    tokenizer_model: str | None,
    lora_rank: int,
    max_context_length: int | None,
    learning_rate: float,
    trainer: TrainerConfig,
    deployment: DeployConfig | None = None,
    hotload_timeout_s: float | None = None,
    cleanup_trainer_on_close: bool = False,
    reference_required: bool = False,
) -> Any:
    """Build the SDK-managed service client that provisions trainers and the deployment.

    ``base_url`` ``local://...`` gives a :class:`LocalServiceClient`; any other URL gives the
    real SDK's ``FiretitanServiceClient`` (``pip install 'ftmigrate[sdk]'``). This is the
    target 2026-06 signature; later targets derive theirs from it (``profiles``).
    """
    return build(dict(locals()))


def build(
    args: dict[str, Any],
    *,
    service_class: type | None = None,
    renamed: Mapping[str, str] | None = None,
) -> Any:
    """What every target's ``build_service_client`` does, with its arguments in the 2026-06
    spelling plus any a later target added (``cleanup_deployment_on_close``).

    ``service_class`` is the target's local service client; ``renamed`` maps a 2026-06
    argument name to the spelling of the target (for messages and the real SDK's keywords).
    """
    args = dict(args)
    cleanup_deployment_on_close = args.pop("cleanup_deployment_on_close", None)
    _check_arguments(args, renamed)
    if is_local(args["base_url"]):
        local = {k: v for k, v in args.items() if k not in _CONNECTION_ONLY}
        return (service_class or LocalServiceClient)(**local, cleanup_deployment_on_close=cleanup_deployment_on_close)
    # Any other URL (https://, an internal http:// gateway) is the real SDK's to judge.
    return _real_service_client(
        args,
        cleanup_deployment_on_close=cleanup_deployment_on_close,
        service_class=service_class,
        max_lora_rank=args["lora_rank"] if (renamed or {}).get("lora_rank") == "max_lora_rank" else None,
    )


#: Arguments that only matter for reaching a real control plane.
_CONNECTION_ONLY = ("api_key", "inference_url", "additional_headers")


def _real_service_client(
    args: dict[str, Any], *, cleanup_deployment_on_close: str | None, service_class: type | None, max_lora_rank: int | None
) -> Any:
    try:
        sdk = importlib.import_module("fireworks.training.sdk")
    except ImportError:
        sdk = None
    if sdk is None:
        raise SdkNotInstalledError(
            f"build_service_client(base_url={args['base_url']!r}) needs the real Fireworks"
            f" training SDK: {SDK_EXTRA}"
        )
    from ftmigrate.api import sdk as bundled

    if sdk.FiretitanServiceClient is bundled.FiretitanServiceClient:
        # Under ftmigrate.api.mount() with the bundled SDK: a dry run, which never leaves the
        # machine (the bundled managers behave the same): the local backend serves it.
        local = {k: v for k, v in args.items() if k not in _CONNECTION_ONLY}
        return (service_class or LocalServiceClient)(
            **{**local, "base_url": LOCAL_BASE_URL}, cleanup_deployment_on_close=cleanup_deployment_on_close
        )
    client_kwargs, managed_kwargs = sdk_keywords(
        **args, cleanup_deployment_on_close=cleanup_deployment_on_close, max_lora_rank=max_lora_rank
    )
    return sdk.FiretitanServiceClient.from_firetitan_config(**client_kwargs, **managed_kwargs)
