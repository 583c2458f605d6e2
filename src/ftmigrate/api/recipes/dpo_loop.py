"""Bundled ``training.recipes.dpo_loop`` at target 2026-06.

Direct preference optimization. Provisions a policy trainer and a reference.
On the local backend ``main`` is a dry run: it provisions through ``build_service_client``
and returns the provisioning plan instead of training.
"""

from __future__ import annotations

import dataclasses

from ftmigrate.api._checked import field, at_least, non_empty, positive
from ftmigrate.api.config import DeployConfig, TrainerConfig, WandBConfig
from ftmigrate.api.recipes._base import (
    DEFAULT_RENDER_WORKERS,
    RunnerConfig,
    dry_run,
    recipe_config,
    target_main,
)

RECIPE = "dpo_loop"
#: Whether a run of this recipe serves from a deployment (rollouts, sampling).
NEEDS_DEPLOYMENT = False


@recipe_config(RECIPE)
class Config:
    """``dpo_loop`` settings."""

    log_path: str = field(check=non_empty)
    base_model: str = "accounts/fireworks/models/qwen3-8b"
    dataset: str = ""
    tokenizer_model: str = ""
    tokenizer_revision: str = ""
    renderer_name: str = ""
    beta: float = 0.1
    learning_rate: float = field(1e-05, check=positive)
    epochs: int = field(1, check=at_least(1))
    batch_size: int = field(4, check=at_least(1))
    max_seq_len: int | None = field(None, check=at_least(1))
    max_pairs: int | None = None
    lora_rank: int = field(0, check=at_least(0))
    ref_cache_concurrency: int = 16
    ref_cache_batch_size: int = 1
    render_workers: int = DEFAULT_RENDER_WORKERS
    step_timeout: int = field(0, check=at_least(0))
    trainer: TrainerConfig = dataclasses.field(default_factory=TrainerConfig)
    deployment: DeployConfig = dataclasses.field(default_factory=DeployConfig)
    dcp_save_interval: int = field(0, check=at_least(0))
    wandb: WandBConfig = dataclasses.field(default_factory=lambda: WandBConfig(project="dpo-tinker"))
    init_from_checkpoint: str | None = None
    warm_start_from_adapter: str | None = None
    output_model_id: str | None = None
    save_final_checkpoint: bool = True
    runner: RunnerConfig = dataclasses.field(default_factory=RunnerConfig)
    release_reference_after_cache: bool = True


def needs_reference(config: Config) -> bool:
    """Whether a run needs a reference model (DPO always scores against a reference)."""
    del config
    return True


@target_main(RECIPE)
def main(config: Config):
    """Dry run: provision as the recipe would and return the plan."""
    return dry_run(
        config, recipe=RECIPE, needs_reference=needs_reference(config), needs_deployment=NEEDS_DEPLOYMENT
    )
