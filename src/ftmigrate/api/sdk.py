"""Bundled stand-in for ``fireworks.training.sdk``: the names cookbook code imports from it.

Mounted as ``fireworks.training.sdk`` by :func:`ftmigrate.api.mount` when the real SDK is not
installed. Everything here works against the embedded local backend and never touches the
network: the service client provisions on paper, the legacy managers (``TrainerJobManager``,
``DeploymentManager``) drive a local control plane, and every training or sampling call raises
:class:`~ftmigrate.api.backend.LocalBackendError`. With the real SDK installed,
``build_service_client`` hands ``https://`` URLs to the real ``FiretitanServiceClient``.

Constructor signatures follow the real SDK, so code written for it runs here unchanged.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import timedelta
from typing import Any

# GradAccNormalization lives with the configs (the recipe Configs' defaults use it) so that reading
# them does not import the service; the SDK exports it, as the real one does.
from ftmigrate.api.config import GradAccNormalization  # noqa: F401
from ftmigrate.api.backend import (
    DEFAULT_MAX_CONTEXT_LENGTH,
    LOCAL_ACCOUNT,
    LocalBackend,
    LocalBackendError,
    TrainerJob,
    is_local,
    local_backend,
    refusing,
)
from ftmigrate.api.service import (
    LOCAL_BASE_URL,
    LocalServiceClient,
    service_arguments,
)

#: Marks this module as the bundled stand-in (``build_service_client`` checks it under a mount).
__ftmigrate_bundled__ = True

__all__ = [
    "CreatedTrainerJob",
    "DeploymentConfig",
    "DeploymentInfo",
    "DeploymentManager",
    "DeploymentSampler",
    "FiretitanServiceClient",
    "GradAccNormalization",
    "LocalBackendError",
    "TrainerJobConfig",
    "TrainerJobManager",
    "TrainerServiceEndpoint",
    "WeightSyncer",
]

_REAL_DEFAULT_URL = "https://api.fireworks.ai"


# -- the SDK-managed service client ------------------------------------------------------------


class FiretitanServiceClient(LocalServiceClient):
    """The SDK-managed service client, local-backend flavour (see ``LocalServiceClient``)."""

    __ftmigrate_target__ = None  # the SDK is not a cookbook target

    @classmethod
    def from_firetitan_config(
        cls,
        *,
        api_key: str | None = None,
        managed_config: Any = None,
        base_url: str | None = None,
        inference_url: str | None = None,
        hotload_api_url: str | None = None,
        additional_headers: dict[str, str] | None = None,
        verify_ssl: bool | None = None,
        user_metadata: dict[str, str] | None = None,
        project_id: str | None = None,
        **managed_config_kwargs: Any,
    ) -> FiretitanServiceClient:
        """The raw-SDK spelling of ``build_service_client``: provisioning keywords of
        ``FiretitanProvisioningConfig`` (or one ``managed_config`` dataclass), on ``local://``."""
        # The bundled stand-in never leaves the machine: any other URL (the one a real script
        # names) is served by the default local backend, as with the bundled managers.
        base_url = base_url if base_url and is_local(base_url) else LOCAL_BASE_URL
        if managed_config is not None:
            if managed_config_kwargs:
                raise ValueError("Pass either managed_config or managed config keyword arguments, not both")
            if not dataclasses.is_dataclass(managed_config):
                raise TypeError(
                    f"from_firetitan_config(managed_config=...): expected a FiretitanProvisioningConfig,"
                    f" got {type(managed_config).__name__}"
                )
            managed_config_kwargs = {
                f.name: getattr(managed_config, f.name) for f in dataclasses.fields(managed_config)
            }
        return cls(base_url=base_url, **service_arguments(managed_config_kwargs))

    def create_reference_client(
        self,
        base_model: str | None = None,
        *,
        lora_rank: int | None = None,
        policy_client: Any = None,
        user_metadata: dict[str, str] | None = None,
    ) -> Any:
        """The frozen reference client (the real SDK's signature: ``policy_client`` shares the
        policy's session for a LoRA reference)."""
        return self._create_reference_client(base_model, lora_rank, policy_client)


# -- legacy trainer manager ----------------------------------------------------------------------


@dataclasses.dataclass
class TrainerJobConfig:
    """What ``TrainerJobManager.create`` provisions (the real SDK's fields)."""

    base_model: str
    lora_rank: int = 0
    projection_head_dim: int | None = None
    max_context_length: int | None = None
    learning_rate: float = 1e-05
    gradient_accumulation_steps: int | None = None
    node_count: int | None = None
    trainer_replica_count: int | None = None
    display_name: str | None = None
    hot_load_deployment_id: str | None = None
    region: str | None = None
    custom_image_tag: str | None = None
    extra_args: list[str] | None = None
    extra_values: dict[str, str] | None = None
    accelerator_type: str | None = None
    accelerator_count: int | None = None
    training_shape_ref: str | None = None
    forward_only: bool = False
    auto_select_training_shape: bool = False
    inactivity_timeout: timedelta | str | None = None
    disable_inactivity_cleanup: bool = False
    skip_validations: bool = False
    purpose: str | None = None
    preemptible: bool = False
    managed_by: str | None = None
    requested_job_id: str | None = None
    use_reservation: bool = True
    reservation_target: str | None = None

    @property
    def shape_path(self) -> str:
        """``explicit``, ``manual`` or ``auto`` (see ``TrainerConfig.shape_path``)."""
        if self.training_shape_ref:
            return "explicit"
        manual = (self.accelerator_type, self.accelerator_count, self.node_count, self.custom_image_tag)
        return "manual" if any(v is not None for v in manual) else "auto"


@dataclasses.dataclass
class CreatedTrainerJob:
    """A trainer job that was requested (not yet waited for)."""

    job_name: str
    job_id: str


@dataclasses.dataclass
class TrainerServiceEndpoint:
    """A ready trainer."""

    job_name: str
    job_id: str
    base_url: str
    max_context_length: int | None = None


def _backend_for(base_url: str) -> LocalBackend:
    # The bundled managers never leave the machine: a local:// URL picks that control plane,
    # any other URL (the real default included) the default local one.
    return local_backend(base_url if is_local(base_url) else LOCAL_BASE_URL)


class TrainerJobManager:
    """Legacy trainer-job manager, bundled: it drives a local backend (``.backend``)."""

    def __init__(
        self,
        api_key: str,
        base_url: str = _REAL_DEFAULT_URL,
        additional_headers: dict[str, str] | None = None,
        verify_ssl: bool | None = None,
        trainer_gateway_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.additional_headers = additional_headers
        self.account_id = LOCAL_ACCOUNT
        self.backend = _backend_for(base_url)

    def _endpoint(self, job: TrainerJob) -> TrainerServiceEndpoint:
        return TrainerServiceEndpoint(
            job_name=job.job_name,
            job_id=job.job_id,
            base_url=f"{self.backend.base_url}trainers/{job.job_id}",
            max_context_length=job.max_context_length,
        )

    def create(self, config: TrainerJobConfig) -> CreatedTrainerJob:
        """Request a trainer job."""
        job = self.backend.create_trainer(
            source="TrainerJobManager",
            job_id=config.requested_job_id,
            role="reference" if config.forward_only else "policy",
            base_model=config.base_model,
            lora_rank=config.lora_rank,
            forward_only=config.forward_only,
            training_shape_id=config.training_shape_ref,
            shape_path=config.shape_path,
            region=config.region,
            replica_count=config.trainer_replica_count,
            max_context_length=config.max_context_length or DEFAULT_MAX_CONTEXT_LENGTH,
            display_name=config.display_name,
        )
        return CreatedTrainerJob(job_name=job.job_name, job_id=job.job_id)

    def create_and_wait(
        self,
        config: TrainerJobConfig,
        poll_interval_s: float = 5.0,
        timeout_s: float = 900,
        pending_timeout_s: float = 172800,
    ) -> TrainerServiceEndpoint:
        """Create a trainer job and return it ready (local jobs are ready at once)."""
        return self._endpoint(self.backend.get_trainer(self.create(config).job_id))

    def wait_for_ready(
        self,
        job_id: str,
        job_name: str | None = None,
        poll_interval_s: float = 5.0,
        timeout_s: float = 900,
        pending_timeout_s: float = 172800,
    ) -> TrainerServiceEndpoint:
        """The ready endpoint of a job this run requested."""
        return self._endpoint(self.backend.get_trainer(job_id))

    def wait_for_existing(
        self, job_id: str, poll_interval_s: float = 5.0, timeout_s: float = 900, pending_timeout_s: float = 172800
    ) -> TrainerServiceEndpoint:
        """Attach to an existing job (an unknown id is an error)."""
        job = self.backend.reattach_trainer(job_id, role="policy", source="TrainerJobManager")
        return self._endpoint(job)

    def resume_and_wait(
        self, job_id: str, poll_interval_s: float = 5.0, timeout_s: float = 900, pending_timeout_s: float = 172800
    ) -> TrainerServiceEndpoint:
        """Resume a cancelled job, or attach to a running one."""
        return self.wait_for_existing(job_id)

    def reconnect_and_wait(
        self,
        job_id: str,
        poll_interval_s: float = 5.0,
        timeout_s: float = 600.0,
        max_wait_for_resumable_s: float = 120.0,
        pending_timeout_s: float = 172800,
    ) -> TrainerServiceEndpoint:
        """Reconnect to an existing job."""
        return self.wait_for_existing(job_id)

    def get(self, job_id: str) -> dict[str, Any]:
        """The job as the control plane describes it (an unknown id is an error)."""
        job = self.backend.get_trainer(job_id)
        return {"name": job.job_name, "state": job.state, "displayName": job.display_name}

    def try_get(self, job_id: str) -> dict[str, Any] | None:
        """Like ``get``, but None for an unknown id."""
        try:
            return self.get(job_id)
        except LookupError:
            return None

    def delete(self, job_id: str) -> None:
        """Delete a trainer job."""
        self.backend.delete_trainer(job_id, source="TrainerJobManager")

    def cancel(self, job_id: str) -> None:
        """Cancel a trainer job (legacy cleanup cancelled rather than deleted)."""
        self.backend.cancel_trainer(job_id, source="TrainerJobManager")

    def __repr__(self) -> str:
        return f"TrainerJobManager(base_url={self.base_url!r}, backend={self.backend.base_url!r})"


# -- legacy deployment manager -------------------------------------------------------------------


@dataclasses.dataclass
class DeploymentConfig:
    """What ``DeploymentManager.create_or_get`` provisions (the real SDK's fields)."""

    deployment_id: str
    base_model: str
    description: str | None = None
    deployment_shape: str | None = None
    expected_deployment_shape: str | None = None
    region: str | None = None
    min_replica_count: int = 0
    max_replica_count: int = 1
    accelerator_type: str = "NVIDIA_H200_141GB"
    hot_load_bucket_type: str | None = "FW_HOSTED"
    hot_load_trainer_job: str | None = None
    enable_hot_load: bool = True
    hot_load_transition_type: str | None = None
    skip_shape_validation: bool = False
    accept_shapeless_risk: bool = False
    disable_speculative_decoding: bool = False
    extra_args: list[str] | None = None
    extra_values: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    for_training: bool = False
    preemptible: bool = False


@dataclasses.dataclass
class DeploymentInfo:
    """A deployment as the control plane describes it."""

    deployment_id: str
    name: str
    state: str
    hot_load_bucket_url: str | None = None
    hot_load_trainer_job: str | None = None
    hot_load_transition_type: str | None = None
    deployment_shape_version: str | None = None
    inference_model: str | None = None
    base_model: str | None = None


class DeploymentManager:
    """Legacy deployment manager, bundled: it drives a local backend (``.backend``)."""

    def __init__(
        self,
        api_key: str,
        base_url: str = _REAL_DEFAULT_URL,
        inference_url: str | None = None,
        hotload_api_url: str | None = None,
        additional_headers: dict[str, str] | None = None,
        verify_ssl: bool | None = None,
        **kwargs: Any,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.inference_url = inference_url
        self.additional_headers = additional_headers
        self.backend = _backend_for(base_url)

    def _info(self, deployment_id: str) -> DeploymentInfo:
        d = self.backend.get_deployment(deployment_id)
        return DeploymentInfo(
            deployment_id=d.deployment_id,
            name=d.name,
            state=d.state,
            hot_load_trainer_job=d.hot_load_trainer_job,
            deployment_shape_version=d.deployment_shape,
            inference_model=d.inference_model,
            base_model=d.base_model,
        )

    def create_or_get(self, config: DeploymentConfig, force_recreate: bool = False) -> DeploymentInfo:
        """Create the deployment, or reattach the live one with that id."""
        if force_recreate and self.backend.find_deployment(config.deployment_id) is not None:
            self.backend.delete_deployment(config.deployment_id, source="DeploymentManager")
        d, _ = self.backend.create_or_reattach_deployment(
            config.deployment_id,
            source="DeploymentManager",
            base_model=config.base_model,
            hot_load_trainer_job=config.hot_load_trainer_job,
            deployment_shape=config.deployment_shape,
            replica_count=config.max_replica_count,
            region=config.region,
        )
        return self._info(d.deployment_id)

    def wait_for_ready(self, deployment_id: str, timeout_s: float = 600, poll_interval_s: float = 15) -> DeploymentInfo:
        """The deployment, ready (local deployments are ready at once)."""
        return self._info(deployment_id)

    def get(self, deployment_id: str) -> DeploymentInfo | None:
        """The deployment, or None when it does not exist."""
        if self.backend.find_deployment(deployment_id) is None:
            return None
        return self._info(deployment_id)

    def delete(self, deployment_id: str) -> None:
        """Delete a deployment."""
        self.backend.delete_deployment(deployment_id, source="DeploymentManager")

    def scale_to_zero(self, deployment_id: str) -> None:
        """Scale a deployment to zero replicas."""
        self.backend.scale_deployment_to_zero(deployment_id, source="DeploymentManager")

    def reattach_trainer(
        self,
        deployment: DeploymentInfo | str,
        *,
        base_model: str,
        trainer_job_name: str,
        timeout_s: float,
        poll_interval_s: float = 5,
        hot_load_transition_type: str | None = None,
    ) -> DeploymentInfo:
        """Point a live deployment's weight sync at another trainer."""
        deployment_id = deployment if isinstance(deployment, str) else deployment.deployment_id
        self.backend.create_or_reattach_deployment(
            self.backend.get_deployment(deployment_id).deployment_id,
            source="DeploymentManager",
            base_model=base_model,
            hot_load_trainer_job=trainer_job_name,
        )
        return self._info(deployment_id)

    def __repr__(self) -> str:
        return f"DeploymentManager(base_url={self.base_url!r}, backend={self.backend.base_url!r})"


# -- shells: constructible, but every call needs a real trainer or deployment -----------------


class WeightSyncer:
    """Legacy hand-built weight syncer. Constructible; every sync call raises on the local backend."""

    def __init__(
        self,
        policy_client: Any,
        deploy_mgr: DeploymentManager | None = None,
        deployment_id: str | None = None,
        base_model: str = "",
        hotload_timeout: int = 600,
        first_checkpoint_type: str = "base",
        compression_format: str = "arc_v2",
        warmup_after_hotload: bool = True,
        warmup_max_retries: int = 10,
        reset_prompt_cache: bool = True,
        lora_rank: int = 0,
    ) -> None:
        self.policy_client = policy_client
        self.deploy_mgr = deploy_mgr
        self.deployment_id = deployment_id
        self.base_model = base_model
        self.hotload_timeout = hotload_timeout
        self.first_checkpoint_type = first_checkpoint_type
        self.lora_rank = lora_rank


for _name in (
    "save_and_hotload",
    "save_only",
    "hotload",
    "wait_for_hotload_ready",
    "check_deployment_state",
    "reset_delta_chain",
    "get_deployment_sampler",
    "get_sampling_client",
):
    setattr(WeightSyncer, _name, refusing(_name))


class DeploymentSampler:
    """Legacy hand-built sampler. Constructible; every sampling call raises on the local backend."""

    def __init__(
        self,
        inference_url: str,
        model: str,
        api_key: str,
        tokenizer: Any = None,
        concurrency_controller: Any = None,
        max_concurrency: int | None = None,
        additional_headers: dict[str, str] | None = None,
        *,
        request_context: dict[str, Any] | None = None,
    ) -> None:
        self.inference_url = inference_url
        self.model = model
        self.tokenizer = tokenizer
        self.concurrency_controller = concurrency_controller
        self.max_concurrency = max_concurrency


for _name in (
    "sample_with_tokens",
    "sample_with_prompt_tokens",
    "sample_with_prompt_tokens_result",
    "async_completions_stream",
):
    setattr(DeploymentSampler, _name, refusing(_name))
del _name
