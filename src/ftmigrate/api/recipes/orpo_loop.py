"""Bundled ``training.recipes.orpo_loop`` at target 2026-06.

Odds-ratio preference optimization. Provisions a policy trainer (reference-free).
On the local backend ``main`` is a dry run: it provisions through ``build_service_client``
and returns the provisioning plan instead of training.
"""

from __future__ import annotations

import dataclasses

from ftmigrate.api._checked import field, at_least, non_empty, positive
from ftmigrate.api.config import TrainerConfig, WandBConfig
from ftmigrate.api.recipes._base import (
    RunnerConfig,
    dry_run,
    recipe_config,
    target_main,
)

RECIPE = "orpo_loop"
#: Whether a run of this recipe serves from a deployment (rollouts, sampling).
NEEDS_DEPLOYMENT = False


@recipe_config(RECIPE)
class Config:
    """``orpo_loop`` settings."""

    log_path: str = field(check=non_empty)
    base_model: str = "accounts/fireworks/models/qwen3-235b-a22b-instruct-2507"
    dataset: str = ""
    tokenizer_model: str = ""
    tokenizer_revision: str = ""
    renderer_name: str = ""
    orpo_lambda: float = 1.0
    learning_rate: float = field(1e-05, check=positive)
    epochs: int = field(1, check=at_least(1))
    batch_size: int = field(4, check=at_least(1))
    seed: int = 0
    max_seq_len: int | None = field(None, check=at_least(1))
    max_pairs: int | None = None
    lora_rank: int = field(0, check=at_least(0))
    output_model_id: str | None = None
    warmup_ratio: float = 0.0
    min_lr_ratio: float = 0.0
    lr_schedule: str = "constant"
    grad_accumulation_normalization: str | None = None
    trainer: TrainerConfig = dataclasses.field(default_factory=lambda: TrainerConfig())
    wandb: WandBConfig = dataclasses.field(default_factory=lambda: WandBConfig(project="dsv3-training"))
    runner: RunnerConfig = dataclasses.field(default_factory=RunnerConfig)
    save_final_checkpoint: bool = True
    dcp_save_interval: int = field(0, check=at_least(0))
    step_timeout: int = field(0, check=at_least(0))
    init_from_checkpoint: str | None = None
    warm_start_from_adapter: str | None = None


def needs_reference(config: Config) -> bool:
    """Whether a run needs a reference model (ORPO is reference-free)."""
    del config
    return False


@target_main(RECIPE)
def main(config: Config):
    """Dry run: provision as the recipe would and return the plan."""
    return dry_run(
        config, recipe=RECIPE, needs_reference=needs_reference(config), needs_deployment=NEEDS_DEPLOYMENT
    )
