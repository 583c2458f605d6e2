"""Configs adjusted after they are built (CLI overrides applied to a default config)."""
# corpus: argv=--region US_OHIO_1 --dcp 25 --timeout 1200

import argparse

from training.recipes import igpo_loop
from training.utils import InfraConfig, WeightSyncConfig


def default_config() -> igpo_loop.Config:
    return igpo_loop.Config(
        log_path="/tmp/igpo",
        lora_rank=8,
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        weight_sync=WeightSyncConfig(weight_sync_interval=2),
        policy_job_id="igpo-policy-1",
    )


def apply_overrides(cfg: igpo_loop.Config, args) -> igpo_loop.Config:
    if args.region:
        cfg.infra.region = args.region
    if args.dcp is not None:
        cfg.weight_sync.dcp_save_interval = args.dcp
    if args.timeout:
        cfg.infra = InfraConfig(training_shape_id=cfg.infra.training_shape_id, region=cfg.infra.region, trainer_timeout_s=args.timeout)
    return cfg


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--region")
    parser.add_argument("--dcp", type=int)
    parser.add_argument("--timeout", type=int)
    config = apply_overrides(default_config(), parser.parse_args())
    print(config.policy_job_id, config.infra.trainer_timeout_s, config.weight_sync.dcp_save_interval)
