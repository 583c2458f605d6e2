"""Facts about the legacy cookbook surface (gen0-gen2), in one place.

The legacy emulation (``ftmigrate.api.legacy``), the codemods and the lint rules read these
tables; see ``shared/spec/legacy-surface.md`` for the prose.
"""

from __future__ import annotations

from dataclasses import dataclass

RECIPES = ("sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")

#: Recipe ``Config`` keywords that exist only on the legacy surface, per recipe. ``weight_sync``
#: passed to sft/dpo/orpo was never valid but real code contains it; gen0 spelled it ``hotload``.
LEGACY_CONFIG_FIELDS: dict[str, tuple[str, ...]] = {
    "sft_loop": ("infra", "trainer_job_id", "trainer_base_url"),
    "dpo_loop": ("infra", "policy_job_id", "reference_job_id"),
    "orpo_loop": ("infra", "job_id"),
    "rl_loop": (
        "infra",
        "weight_sync",
        "hotload",
        "policy_job_id",
        "reference_job_id",
        "policy_base_url",
        "reference_base_url",
        "rollout_base_model",
    ),
    "igpo_loop": (
        "infra",
        "weight_sync",
        "hotload",
        "policy_job_id",
        "reference_job_id",
        "policy_base_url",
        "reference_base_url",
    ),
    "async_rl_loop": ("infra", "weight_sync", "hotload", "policy_job_id"),
}

#: Parameters of the legacy ``main()`` after ``config``, per recipe (positional order first).
LEGACY_MAIN_PARAMS: dict[str, tuple[str, ...]] = {
    "sft_loop": ("rlor_mgr",),
    "orpo_loop": ("rlor_mgr",),
    "dpo_loop": ("rlor_mgr", "deploy_mgr"),
    "rl_loop": ("rlor_mgr", "deploy_mgr", "cancel_on_exit", "cleanup_on_exit"),
    "igpo_loop": ("rlor_mgr", "deploy_mgr", "cancel_on_exit", "cleanup_on_exit"),
    # keyword-only in the legacy async recipe
    "async_rl_loop": ("cancel_on_exit", "on_resources_ready"),
}


@dataclass(frozen=True)
class LegacyCleanup:
    """What a legacy recipe's ``main()`` released on exit."""

    trainers_always: bool  # trainers it created were cancelled on exit, whatever the flags
    trainers_with_cancel: bool  # ... or only with cancel_on_exit=True
    deployment_with_cancel: str | None  # "scale_to_zero" with cancel_on_exit=True, or None


LEGACY_CLEANUP: dict[str, LegacyCleanup] = {
    "sft_loop": LegacyCleanup(True, True, None),
    "orpo_loop": LegacyCleanup(True, True, None),
    "dpo_loop": LegacyCleanup(True, True, None),
    "igpo_loop": LegacyCleanup(True, True, "scale_to_zero"),
    "rl_loop": LegacyCleanup(False, True, "scale_to_zero"),
    "async_rl_loop": LegacyCleanup(False, True, "scale_to_zero"),
}

#: Public ``training.utils`` names that only the targets have (the legacy surface had none of
#: them; importing one under the legacy emulation fails, as it did on the real legacy cookbook).
TARGET_ONLY_NAMES = ("TrainerConfig", "build_service_client")

#: Legacy module roots under the cookbook's ``training`` package.
LEGACY_MODULES = (
    "training.utils",
    "training.utils.config",
    "training.utils.infra",
    "training.utils.rl",
)

#: gen2 helpers users call directly; all gone at the target (lint only).
LOW_LEVEL_HELPERS = (
    "create_trainer_job",
    "request_trainer_job",
    "wait_trainer_job",
    "setup_deployment",
    "setup_or_reattach_deployment",
    "request_deployment",
    "wait_deployment",
    "setup_training_client",
    "get_deployment_gpu_count",
)

#: Attributes of the ``Infra`` bundle ``setup_infra`` returns.
INFRA_ATTRIBUTES = (
    "policy",
    "reference",
    "policy_profile",
    "policy_job_id",
    "reference_job_id",
    "inference_model",
    "boot_metrics",
    "closeables",
    "max_seq_len",
    "training_shape_id",
    "ref_training_shape_id",
    "deployment_id",
    "deployment_shape",
    "deployment_gpu_count",
)

#: ``setup_infra``'s keyword-only parameters, in order, with their defaults (``...`` = required).
SETUP_INFRA_PARAMS: dict[str, object] = {
    "rlor_mgr": ...,
    "deploy_mgr": None,
    "base_model": ...,
    "infra_cfg": ...,
    "deploy_cfg": None,
    "lora_rank": 0,
    "max_seq_len": None,
    "learning_rate": 1e-5,
    "step_timeout": None,
    "policy_job_id": None,
    "reference_job_id": None,
    "needs_reference": False,
    "needs_inference": False,
    "role_prefix": ...,
    "api_key": ...,
    "cleanup": None,
    "on_status": None,
}
