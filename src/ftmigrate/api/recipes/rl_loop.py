"""Bundled ``training.recipes.rl_loop`` at target 2026-06.

GRPO-family RL. Provisions a policy trainer, a deployment for rollouts, and a reference when kl_beta > 0.
On the local backend ``main`` is a dry run: it provisions through ``build_service_client``
and returns the provisioning plan instead of training.
"""

from __future__ import annotations

import dataclasses

from ftmigrate.api._checked import field, at_least, non_empty, positive
from ftmigrate.api.config import ConcurrencyConfig, DeployConfig, TrainerConfig, WandBConfig
from ftmigrate.api.recipes._base import (
    CISPOConfig,
    DAPOConfig,
    DROConfig,
    GSPOConfig,
    LossPath,
    PolicyLoss,
    RunnerConfig,
    TISConfig,
    dry_run,
    recipe_config,
    target_main,
)
from ftmigrate.api.config import GradAccNormalization

RECIPE = "rl_loop"
#: Whether a run of this recipe serves from a deployment (rollouts, sampling).
NEEDS_DEPLOYMENT = True


@recipe_config(RECIPE)
class Config:
    """``rl_loop`` settings."""

    log_path: str = field(check=non_empty)
    base_model: str = "accounts/fireworks/models/qwen3-8b"
    dataset: str = (
        "https://raw.githubusercontent.com/eval-protocol/python-sdk/main/development/gsm8k_sample.jsonl"
    )
    learning_rate: float = field(1e-05, check=positive)
    kl_beta: float = 0.001
    completions_per_prompt: int = field(4, check=at_least(1))
    max_completion_tokens: int = field(1024, check=at_least(1))
    temperature: float = 1.0
    epochs: int = field(1, check=at_least(1))
    max_rows: int = 100
    max_seq_len: int | None = field(None, check=at_least(1))
    lora_rank: int = field(0, check=at_least(0))
    prompt_groups_per_step: int = field(1, check=at_least(1))
    router_replay: bool = False
    router_replay_completion_only: bool = True
    grad_accumulation_normalization: GradAccNormalization | str | None = GradAccNormalization.NUM_LOSS_TOKENS
    policy_loss: PolicyLoss = "grpo"
    loss_path: LossPath = "client"
    dapo: DAPOConfig = dataclasses.field(default_factory=DAPOConfig)
    dro: DROConfig = dataclasses.field(default_factory=DROConfig)
    gspo: GSPOConfig = dataclasses.field(default_factory=GSPOConfig)
    cispo: CISPOConfig = dataclasses.field(default_factory=CISPOConfig)
    eps_clip: float = 0.2
    eps_clip_high: float | None = None
    ratio_log_cap: float = 20.0
    ppo_n_minibatches: int = 1
    tis: TISConfig = dataclasses.field(default_factory=TISConfig)
    concurrency: ConcurrencyConfig = dataclasses.field(default_factory=ConcurrencyConfig)
    trajectory_dir: str | None = None
    init_from_checkpoint: str | None = None
    warm_start_from_adapter: str | None = None
    output_model_id: str | None = None
    save_final_checkpoint: bool = True
    step_timeout: int = field(0, check=at_least(0))
    trainer: TrainerConfig = dataclasses.field(default_factory=TrainerConfig)
    deployment: DeployConfig = dataclasses.field(default_factory=DeployConfig)
    weight_sync_interval: int = field(1, check=at_least(0))
    weight_sync_before_training: bool = False
    weight_sync_timeout: int = field(600, check=positive)
    dcp_save_interval: int = field(0, check=at_least(0))
    wandb: WandBConfig = dataclasses.field(default_factory=lambda: WandBConfig(project="grpo-tinker"))
    runner: RunnerConfig = dataclasses.field(default_factory=RunnerConfig)


def needs_reference(config: Config) -> bool:
    """Whether a run needs a reference model (the KL penalty needs a reference)."""
    return config.kl_beta > 0


@target_main(RECIPE)
def main(config: Config):
    """Dry run: provision as the recipe would and return the plan."""
    return dry_run(
        config, recipe=RECIPE, needs_reference=needs_reference(config), needs_deployment=NEEDS_DEPLOYMENT
    )
