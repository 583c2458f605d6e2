"""Every field, its order, type and default, against tables transcribed from the spec, at
both targets.

The tables below are copied from the cookbook reference (TrainerConfig, DeployConfig,
ConcurrencyConfig, WandBConfig, the enums), target-surface.md / legacy-surface.md (InfraConfig,
WeightSyncConfig, HotloadConfig, the cadence matrix) and recipe-fields.md (the six recipe
Configs). They are transcribed on purpose: the spec folder is not available in CI, and a table
read from the implementation could not catch a drift. The 2026-08 tables are the 2026-06 ones
with target-surface.md's "A later target: 2026-08" applied here, again transcribed (the types of
the fields 2026-08 added are the real SDK's provisioning types; the spec gives their defaults).
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import typing
import warnings

import pytest

from ftmigrate.api import (
    ConcurrencyConfig,
    DeployConfig,
    GradAccNormalization,
    InfraConfig,
    TrainerConfig,
    WandBConfig,
    WeightSyncConfig,
    WeightSyncScope,
)
from ftmigrate.api import profiles
from ftmigrate.api.config import HotloadConfig
from ftmigrate.api.recipes._base import (
    DEFAULT_EVAL_CARVE_RATIO,
    DEFAULT_MAX_EVAL_SEQS,
    DEFAULT_RENDER_WORKERS,
    CISPOConfig,
    DAPOConfig,
    DROConfig,
    GSPOConfig,
    LossPath,
    PolicyLoss,
    RunnerConfig,
    TISConfig,
)

REQUIRED = object()


@dataclasses.dataclass(frozen=True)
class Factory:
    """A ``default_factory`` field whose factory must produce ``value``."""

    value: object


TRAINER_CONFIG = [
    ("training_shape_id", str | None, None),
    ("reference_training_shape_id", str | None, None),
    ("job_id", str | None, None),
    ("reference_job_id", str | None, None),
    ("cleanup_reference_on_close", bool, True),
    ("region", str | None, None),
    ("timeout_s", float, 3600),
    ("extra_args", list[str] | None, None),
    ("replica_count", int | None, None),
    ("skip_validations", bool, False),
    ("purpose", str | None, None),
    # The manual-path fields the reference's prose names (accelerator_type, accelerator_count,
    # node_count, custom_image_tag); target-surface.md gives their types and None defaults.
    ("accelerator_type", str | None, None),
    ("accelerator_count", int | None, None),
    ("node_count", int | None, None),
    ("custom_image_tag", str | None, None),
]

DEPLOY_CONFIG = [
    ("weight_sync_scope", WeightSyncScope, WeightSyncScope.PER_TRAINER),
    ("deployment_id", str | None, None),
    ("tokenizer_model", str | None, None),
    ("tokenizer_revision", str | None, None),
    ("deployment_shape", str | None, None),
    ("deployment_region", str | None, None),
    ("hot_load_bucket_type", str, "FW_HOSTED"),
    ("hot_load_trainer_job", str | None, None),
    ("deployment_timeout_s", float, 5400),
    ("reattach_settle_timeout_s", int, 600),
    ("deployment_extra_args", list[str] | None, None),
    ("sample_timeout", int, 600),
    ("disable_speculative_decoding", bool, True),
    ("extra_values", dict[str, str] | None, None),
    ("replica_count", int | None, None),
    ("deployment_accelerator_type", str | None, None),
]

CONCURRENCY_CONFIG = [
    ("mode", str | None, "adaptive"),
    ("initial_window", int | None, None),
    ("min_window", int, 1),
    ("max_window", int, 256),
    ("prefill_queue_target", float, 0.5),
    ("max_concurrency", int | None, None),
]

WANDB_CONFIG = [
    ("entity", str | None, None),
    ("project", str | None, None),
    ("run_name", str | None, None),
]

INFRA_CONFIG = [
    ("training_shape_id", str | None, None),
    ("ref_training_shape_id", str | None, None),
    ("region", str | None, None),
    ("custom_image_tag", str | None, None),
    ("accelerator_type", str | None, None),
    ("accelerator_count", int | None, None),
    ("node_count", int | None, None),
    ("trainer_timeout_s", float, 3600),
    ("extra_args", list[str] | None, None),
    ("trainer_replica_count", int | None, None),
    ("purpose", str | None, None),
    ("managed_by", str | None, None),
    ("skip_validations", bool, False),
]

WEIGHT_SYNC_CONFIG = [
    ("weight_sync_interval", int, 1),
    ("dcp_save_interval", int, 0),
    ("dcp_timeout", int, 2700),
    ("first_checkpoint_type", str, "base"),
    ("weight_sync_before_training", bool, False),
    ("weight_sync_timeout", int, 600),
]

HOTLOAD_CONFIG_NAMES = [
    "hot_load_interval",
    "hot_load_before_training",
    "hot_load_timeout",
    "first_checkpoint_type",
    "dcp_save_interval",
    "dcp_timeout",
]

RECIPE_CONFIGS = {
    "sft_loop": [
        ("log_path", str, REQUIRED),
        ("render_samples_file", str, ''),
        ("render_samples_limit", int | None, None),
        ("base_model", str, 'accounts/fireworks/models/qwen3-8b'),
        ("dataset", str, ''),
        ("tokenizer_model", str, ''),
        ("tokenizer_revision", str, ''),
        ("renderer_name", str, ''),
        ("train_on_what", str, 'all_assistant_messages'),
        ("learning_rate", float, 0.0001),
        ("epochs", int, 3),
        ("batch_size", int, 32),
        ("max_seq_len", int | None, None),
        ("max_examples", int | None, None),
        ("lora_rank", int, 0),
        ("output_model_id", str | None, None),
        ("save_final_checkpoint", bool, True),
        ("dcp_save_interval", int, 0),
        ("init_from_checkpoint", str | None, None),
        ("warm_start_from_adapter", str | None, None),
        ("grad_clip_norm", float, 1.0),
        ("adam_beta2", float | None, None),
        ("weight_decay", float | None, None),
        ("warmup_steps", int, 0),
        ("seed", int, 0),
        ("step_timeout", int, 0),
        ("pipeline_depth", int, 1),
        ("evaluation_dataset", str, ''),
        ("eval_auto_carveout", bool, False),
        ("eval_carve_ratio", float, DEFAULT_EVAL_CARVE_RATIO),
        ("max_eval_seqs", int, DEFAULT_MAX_EVAL_SEQS),
        ("render_workers", int | None, None),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("wandb", WandBConfig, Factory(WandBConfig(project='sft-tinker'))),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
    ],
    "dpo_loop": [
        ("log_path", str, REQUIRED),
        ("base_model", str, 'accounts/fireworks/models/qwen3-8b'),
        ("dataset", str, ''),
        ("tokenizer_model", str, ''),
        ("tokenizer_revision", str, ''),
        ("renderer_name", str, ''),
        ("beta", float, 0.1),
        ("learning_rate", float, 1e-05),
        ("epochs", int, 1),
        ("batch_size", int, 4),
        ("max_seq_len", int | None, None),
        ("max_pairs", int | None, None),
        ("lora_rank", int, 0),
        ("ref_cache_concurrency", int, 16),
        ("ref_cache_batch_size", int, 1),
        ("render_workers", int, DEFAULT_RENDER_WORKERS),
        ("step_timeout", int, 0),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("deployment", DeployConfig, Factory(DeployConfig())),
        ("dcp_save_interval", int, 0),
        ("wandb", WandBConfig, Factory(WandBConfig(project='dpo-tinker'))),
        ("init_from_checkpoint", str | None, None),
        ("warm_start_from_adapter", str | None, None),
        ("output_model_id", str | None, None),
        ("save_final_checkpoint", bool, True),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
        ("release_reference_after_cache", bool, True),
    ],
    "orpo_loop": [
        ("log_path", str, REQUIRED),
        ("base_model", str, 'accounts/fireworks/models/qwen3-235b-a22b-instruct-2507'),
        ("dataset", str, ''),
        ("tokenizer_model", str, ''),
        ("tokenizer_revision", str, ''),
        ("renderer_name", str, ''),
        ("orpo_lambda", float, 1.0),
        ("learning_rate", float, 1e-05),
        ("epochs", int, 1),
        ("batch_size", int, 4),
        ("seed", int, 0),
        ("max_seq_len", int | None, None),
        ("max_pairs", int | None, None),
        ("lora_rank", int, 0),
        ("output_model_id", str | None, None),
        ("warmup_ratio", float, 0.0),
        ("min_lr_ratio", float, 0.0),
        ("lr_schedule", str, 'constant'),
        ("grad_accumulation_normalization", str | None, None),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("wandb", WandBConfig, Factory(WandBConfig(project='dsv3-training'))),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
        ("save_final_checkpoint", bool, True),
        ("dcp_save_interval", int, 0),
        ("step_timeout", int, 0),
        ("init_from_checkpoint", str | None, None),
        ("warm_start_from_adapter", str | None, None),
    ],
    "rl_loop": [
        ("log_path", str, REQUIRED),
        ("base_model", str, 'accounts/fireworks/models/qwen3-8b'),
        ("dataset", str, 'https://raw.githubusercontent.com/eval-protocol/python-sdk/main/development/gsm8k_sample.jsonl'),
        ("learning_rate", float, 1e-05),
        ("kl_beta", float, 0.001),
        ("completions_per_prompt", int, 4),
        ("max_completion_tokens", int, 1024),
        ("temperature", float, 1.0),
        ("epochs", int, 1),
        ("max_rows", int, 100),
        ("max_seq_len", int | None, None),
        ("lora_rank", int, 0),
        ("prompt_groups_per_step", int, 1),
        ("router_replay", bool, False),
        ("router_replay_completion_only", bool, True),
        ("grad_accumulation_normalization", GradAccNormalization | str | None, GradAccNormalization.NUM_LOSS_TOKENS),
        ("policy_loss", PolicyLoss, 'grpo'),
        ("loss_path", LossPath, 'client'),
        ("dapo", DAPOConfig, Factory(DAPOConfig())),
        ("dro", DROConfig, Factory(DROConfig())),
        ("gspo", GSPOConfig, Factory(GSPOConfig())),
        ("cispo", CISPOConfig, Factory(CISPOConfig())),
        ("eps_clip", float, 0.2),
        ("eps_clip_high", float | None, None),
        ("ratio_log_cap", float, 20.0),
        ("ppo_n_minibatches", int, 1),
        ("tis", TISConfig, Factory(TISConfig())),
        ("concurrency", ConcurrencyConfig, Factory(ConcurrencyConfig())),
        ("trajectory_dir", str | None, None),
        ("init_from_checkpoint", str | None, None),
        ("warm_start_from_adapter", str | None, None),
        ("output_model_id", str | None, None),
        ("save_final_checkpoint", bool, True),
        ("step_timeout", int, 0),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("deployment", DeployConfig, Factory(DeployConfig())),
        ("weight_sync_interval", int, 1),
        ("weight_sync_before_training", bool, False),
        ("weight_sync_timeout", int, 600),
        ("dcp_save_interval", int, 0),
        ("wandb", WandBConfig, Factory(WandBConfig(project='grpo-tinker'))),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
    ],
    "igpo_loop": [
        ("log_path", str, REQUIRED),
        ("base_model", str, 'accounts/fireworks/models/qwen3-8b'),
        ("dataset", str, 'https://raw.githubusercontent.com/eval-protocol/python-sdk/main/development/gsm8k_sample.jsonl'),
        ("learning_rate", float, 1e-05),
        ("kl_beta", float, 0.001),
        ("completions_per_prompt", int, 4),
        ("max_completion_tokens", int, 1024),
        ("temperature", float, 1.0),
        ("epochs", int, 1),
        ("max_rows", int, 100),
        ("max_seq_len", int | None, None),
        ("lora_rank", int, 0),
        ("prompt_groups_per_step", int, 1),
        ("router_replay", bool, False),
        ("router_replay_completion_only", bool, True),
        ("grad_accumulation_normalization", GradAccNormalization | str | None, GradAccNormalization.NUM_LOSS_TOKENS),
        ("policy_loss", PolicyLoss, 'grpo'),
        ("tis", TISConfig, Factory(TISConfig())),
        ("eps_clip", float, 0.2),
        ("eps_clip_high", float | None, None),
        ("gamma", float, 0.99),
        ("ig_weight", float, 1.0),
        ("scoring_workers", int, 8),
        ("init_from_checkpoint", str | None, None),
        ("warm_start_from_adapter", str | None, None),
        ("output_model_id", str | None, None),
        ("step_timeout", int, 0),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("deployment", DeployConfig, Factory(DeployConfig())),
        ("weight_sync_interval", int, 1),
        ("weight_sync_before_training", bool, False),
        ("weight_sync_timeout", int, 600),
        ("dcp_save_interval", int, 0),
        ("wandb", WandBConfig, Factory(WandBConfig(project='igpo-tinker'))),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
    ],
    "async_rl_loop": [
        ("log_path", str, REQUIRED),
        ("base_model", str, 'accounts/fireworks/models/qwen3-8b'),
        ("dataset", str | None, None),
        ("learning_rate", float, 1e-05),
        ("kl_beta", float, 0.001),
        ("completions_per_prompt", int, 4),
        ("max_completion_tokens", int, 1024),
        ("temperature", float, 1.0),
        ("epochs", int, 1),
        ("shuffle", bool, True),
        ("seed", int, 0),
        ("max_rows", int, 100),
        ("max_seq_len", int | None, None),
        ("lora_rank", int, 0),
        ("prompt_groups_per_step", int, 1),
        ("max_head_offpolicy_versions", int, 0),
        ("max_concurrency_rollout_sample", int | None, None),
        ("min_group_size", int, 1),
        ("grad_accumulation_normalization", GradAccNormalization | str | None, GradAccNormalization.NUM_LOSS_TOKENS),
        ("policy_loss", PolicyLoss, 'grpo'),
        ("dapo", DAPOConfig, Factory(DAPOConfig())),
        ("dro", DROConfig, Factory(DROConfig())),
        ("gspo", GSPOConfig, Factory(GSPOConfig())),
        ("cispo", CISPOConfig, Factory(CISPOConfig())),
        ("eps_clip", float, 0.2),
        ("eps_clip_high", float | None, None),
        ("ratio_log_cap", float, 20.0),
        ("ppo_n_minibatches", int, 1),
        ("synchronous_training", bool, False),
        ("tis", TISConfig, Factory(TISConfig())),
        ("trainer", TrainerConfig, Factory(TrainerConfig())),
        ("deployment", DeployConfig, Factory(DeployConfig())),
        ("weight_sync_before_training", bool, False),
        ("dcp_save_interval", int, 0),
        ("weight_sync_timeout", int, 600),
        ("wandb", WandBConfig, Factory(WandBConfig(project='rl-async'))),
        ("runner", RunnerConfig, Factory(RunnerConfig())),
        ("init_from_checkpoint", str | None, None),
        ("save_final_checkpoint", bool, True),
        ("output_model_id", str | None, None),
    ],

}

# target-surface.md: which recipe has which deployment / cadence / concurrency field.
CADENCE_MATRIX = {
    #               deployment dcp  ws_int ws_before ws_timeout concurrency grad_acc_norm
    "sft_loop": (False, True, False, False, False, False, False),
    "dpo_loop": (True, True, False, False, False, False, False),
    "orpo_loop": (False, True, False, False, False, False, True),
    "rl_loop": (True, True, True, True, True, True, True),
    "igpo_loop": (True, True, True, True, True, False, True),
    "async_rl_loop": (True, True, False, True, True, False, True),
}
MATRIX_FIELDS = (
    "deployment",
    "dcp_save_interval",
    "weight_sync_interval",
    "weight_sync_before_training",
    "weight_sync_timeout",
    "concurrency",
    "grad_accumulation_normalization",
)


# -- target 2026-08 (target-surface.md, "A later target: 2026-08") ------------------------------

AUGUST = profiles.get("2026-08")
AugustTrainerConfig = AUGUST.config_class("TrainerConfig")
AugustDeployConfig = AUGUST.config_class("DeployConfig")


def without(table: list, *names: str) -> list:
    missing = set(names) - {row[0] for row in table}
    assert not missing, missing
    return [row for row in table if row[0] not in names]


def with_default(table: list, name: str, default: object) -> list:
    return [(n, t, default if n == name else d) for n, t, d in table]


def retyped(table: list) -> list:
    """TrainerConfig / DeployConfig rows of a recipe table, as the 2026-08 classes."""
    swap = {TrainerConfig: (AugustTrainerConfig, Factory(AugustTrainerConfig())), DeployConfig: (AugustDeployConfig, Factory(AugustDeployConfig()))}
    return [(n, *swap[t]) if t in swap else (n, t, d) for n, t, d in table]


CLEANUP_ON_EXIT = ("cleanup_on_exit", bool, True)

AUGUST_TRAINER_CONFIG = without(TRAINER_CONFIG, "accelerator_type", "accelerator_count") + [
    ("pending_timeout_s", float, 172800),
    ("inactivity_timeout", datetime.timedelta | str | None, None),
    ("disable_inactivity_cleanup", bool, False),
    ("preemptible", bool, False),
    ("managed_by", str | None, None),
    ("use_reservation", bool, True),
]
AUGUST_DEPLOY_CONFIG = with_default(without(DEPLOY_CONFIG, "deployment_region"), "disable_speculative_decoding", False) + [
    ("enable_hot_load", bool, True),
    ("hot_load_transition_type", str | None, None),
    ("preemptible", bool, False),
]
AUGUST_RECIPE_CONFIGS = {
    "sft_loop": retyped(RECIPE_CONFIGS["sft_loop"]),
    "dpo_loop": retyped(RECIPE_CONFIGS["dpo_loop"]) + [CLEANUP_ON_EXIT],
    "orpo_loop": retyped(RECIPE_CONFIGS["orpo_loop"]),
    "rl_loop": retyped(without(RECIPE_CONFIGS["rl_loop"], "weight_sync_interval", "weight_sync_before_training"))
    + [CLEANUP_ON_EXIT],
    "igpo_loop": retyped(RECIPE_CONFIGS["igpo_loop"]) + [CLEANUP_ON_EXIT],
    "async_rl_loop": retyped(without(RECIPE_CONFIGS["async_rl_loop"], "weight_sync_before_training")) + [CLEANUP_ON_EXIT],
}
AUGUST_CADENCE_MATRIX = {
    #               deployment dcp  ws_int ws_before ws_timeout concurrency grad_acc_norm
    "sft_loop": (False, True, False, False, False, False, False),
    "dpo_loop": (True, True, False, False, False, False, False),
    "orpo_loop": (False, True, False, False, False, False, True),
    "rl_loop": (True, True, False, False, True, True, True),
    "igpo_loop": (True, True, True, True, True, False, True),
    "async_rl_loop": (True, True, False, False, True, False, True),
}

TABLES = {
    "2026-06": {
        "TrainerConfig": TRAINER_CONFIG,
        "DeployConfig": DEPLOY_CONFIG,
        "ConcurrencyConfig": CONCURRENCY_CONFIG,
        "WandBConfig": WANDB_CONFIG,
        "InfraConfig": INFRA_CONFIG,
        "WeightSyncConfig": WEIGHT_SYNC_CONFIG,
        **{f"{recipe}.Config": table for recipe, table in RECIPE_CONFIGS.items()},
    },
    "2026-08": {
        "TrainerConfig": AUGUST_TRAINER_CONFIG,
        "DeployConfig": AUGUST_DEPLOY_CONFIG,
        "ConcurrencyConfig": CONCURRENCY_CONFIG,
        "WandBConfig": WANDB_CONFIG,
        "InfraConfig": INFRA_CONFIG,
        "WeightSyncConfig": WEIGHT_SYNC_CONFIG,
        **{f"{recipe}.Config": table for recipe, table in AUGUST_RECIPE_CONFIGS.items()},
    },
}


def _default(f: dataclasses.Field) -> object:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return Factory(f.default_factory())
    return REQUIRED


def assert_fields(cls: type, table: list[tuple[str, object, object]]) -> None:
    fields = dataclasses.fields(cls)
    assert [f.name for f in fields] == [row[0] for row in table], f"{cls.__qualname__}: field names or order"
    hints = typing.get_type_hints(cls)
    for f, (name, expected_type, expected_default) in zip(fields, table, strict=True):
        assert hints[name] == expected_type, f"{cls.__qualname__}.{name}: type {hints[name]} != {expected_type}"
        actual = _default(f)
        if expected_default is REQUIRED:
            assert actual is REQUIRED, f"{cls.__qualname__}.{name} should be required"
        else:
            assert actual == expected_default, f"{cls.__qualname__}.{name}: default {actual!r} != {expected_default!r}"
            # 3600 == 3600.0, so also compare the kind of number / value
            assert type(actual) is type(expected_default) or isinstance(expected_default, (int, float)), name


@pytest.mark.parametrize(
    "cls, table",
    [
        (TrainerConfig, TRAINER_CONFIG),
        (DeployConfig, DEPLOY_CONFIG),
        (ConcurrencyConfig, CONCURRENCY_CONFIG),
        (WandBConfig, WANDB_CONFIG),
        (InfraConfig, INFRA_CONFIG),
        (WeightSyncConfig, WEIGHT_SYNC_CONFIG),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_config_class_fields(cls: type, table: list) -> None:
    assert_fields(cls, table)


def test_hotload_config_is_the_gen0_spelling() -> None:
    assert [f.name for f in dataclasses.fields(HotloadConfig)] == HOTLOAD_CONFIG_NAMES


@pytest.mark.parametrize("recipe", list(RECIPE_CONFIGS))
def test_recipe_config_fields(recipe: str) -> None:
    module = importlib.import_module(f"ftmigrate.api.recipes.{recipe}")
    assert_fields(module.Config, RECIPE_CONFIGS[recipe])


@pytest.mark.parametrize("recipe", list(CADENCE_MATRIX))
def test_recipe_cadence_matrix(recipe: str) -> None:
    module = importlib.import_module(f"ftmigrate.api.recipes.{recipe}")
    names = {f.name for f in dataclasses.fields(module.Config)}
    assert tuple(name in names for name in MATRIX_FIELDS) == CADENCE_MATRIX[recipe]


@pytest.mark.parametrize(
    "target, what", [(target, what) for target, tables in TABLES.items() for what in tables], ids=lambda v: v
)
def test_every_field_and_default_at_every_target(target: str, what: str) -> None:
    assert_fields(profiles.get(target).object(what), TABLES[target][what])


@pytest.mark.parametrize("recipe", list(AUGUST_CADENCE_MATRIX))
def test_recipe_cadence_matrix_at_2026_08(recipe: str) -> None:
    names = set(AUGUST.field_names(f"{recipe}.Config"))
    assert tuple(name in names for name in MATRIX_FIELDS) == AUGUST_CADENCE_MATRIX[recipe]


def test_enums() -> None:
    assert {m.name: m.value for m in WeightSyncScope} == {
        "PER_TRAINER": "per_trainer",
        "PER_DEPLOYMENT": "per_deployment",
    }
    assert {m.name: m.value for m in GradAccNormalization} == {
        "NUM_LOSS_TOKENS": "num_loss_tokens",
        "NUM_SEQUENCES": "num_sequences",
        "NONE": "none",
    }
    assert issubclass(GradAccNormalization, str) and issubclass(WeightSyncScope, str)


@pytest.mark.parametrize(
    "recipe, expected",
    [
        ("sft_loop", None),
        ("dpo_loop", None),
        ("orpo_loop", None),
        ("rl_loop", GradAccNormalization.NUM_LOSS_TOKENS),
        ("igpo_loop", GradAccNormalization.NUM_LOSS_TOKENS),
        ("async_rl_loop", GradAccNormalization.NUM_LOSS_TOKENS),
    ],
)
def test_grad_accumulation_normalization_recipe_defaults(recipe: str, expected: object) -> None:
    for target in profiles.TARGETS:
        config = profiles.get(target).recipe_config(recipe)(log_path="/tmp/run")
        assert getattr(config, "grad_accumulation_normalization", None) == expected


def test_infra_config_warns_naming_trainer_config_at_the_caller() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/s")
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1
    assert "TrainerConfig" in str(deprecations[0].message)
    assert deprecations[0].filename == __file__
