"""Bundled ``training.recipes.sft_loop`` at target 2026-06.

Supervised fine-tuning. Provisions a policy trainer; no reference, no deployment.
On the local backend ``main`` is a dry run: it provisions through ``build_service_client``
and returns the provisioning plan instead of training.
"""

from __future__ import annotations

import dataclasses

from ftmigrate.api._checked import field, at_least, non_empty, positive
from ftmigrate.api.config import TrainerConfig, WandBConfig
from ftmigrate.api.recipes._base import (
    DEFAULT_EVAL_CARVE_RATIO,
    DEFAULT_MAX_EVAL_SEQS,
    RunnerConfig,
    dry_run,
    recipe_config,
    target_main,
)

RECIPE = "sft_loop"
#: Whether a run of this recipe serves from a deployment (rollouts, sampling).
NEEDS_DEPLOYMENT = False


@recipe_config(RECIPE)
class Config:
    """``sft_loop`` settings."""

    log_path: str = field(check=non_empty)
    render_samples_file: str = ""
    render_samples_limit: int | None = None
    base_model: str = "accounts/fireworks/models/qwen3-8b"
    dataset: str = ""
    tokenizer_model: str = ""
    tokenizer_revision: str = ""
    renderer_name: str = ""
    train_on_what: str = "all_assistant_messages"
    learning_rate: float = field(0.0001, check=positive)
    epochs: int = field(3, check=at_least(1))
    batch_size: int = field(32, check=at_least(1))
    max_seq_len: int | None = field(None, check=at_least(1))
    max_examples: int | None = None
    lora_rank: int = field(0, check=at_least(0))
    output_model_id: str | None = None
    save_final_checkpoint: bool = True
    dcp_save_interval: int = field(0, check=at_least(0))
    init_from_checkpoint: str | None = None
    warm_start_from_adapter: str | None = None
    grad_clip_norm: float = 1.0
    adam_beta2: float | None = None
    weight_decay: float | None = None
    warmup_steps: int = 0
    seed: int = 0
    step_timeout: int = field(0, check=at_least(0))
    pipeline_depth: int = 1
    evaluation_dataset: str = ""
    eval_auto_carveout: bool = False
    eval_carve_ratio: float = DEFAULT_EVAL_CARVE_RATIO
    max_eval_seqs: int = DEFAULT_MAX_EVAL_SEQS
    render_workers: int | None = None
    trainer: TrainerConfig = dataclasses.field(default_factory=TrainerConfig)
    wandb: WandBConfig = dataclasses.field(default_factory=lambda: WandBConfig(project="sft-tinker"))
    runner: RunnerConfig = dataclasses.field(default_factory=RunnerConfig)


def needs_reference(config: Config) -> bool:
    """Whether a run needs a reference model (SFT needs no reference)."""
    del config
    return False


@target_main(RECIPE)
def main(config: Config):
    """Dry run: provision as the recipe would and return the plan."""
    return dry_run(
        config, recipe=RECIPE, needs_reference=needs_reference(config), needs_deployment=NEEDS_DEPLOYMENT
    )
