"""Learning-rate sweep for IGPO: one base config, a copy per point of the grid."""
# corpus: argv=--grid 1e-5,3e-5

import argparse
import dataclasses
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import igpo_loop
from training.utils import DeployConfig, InfraConfig, WeightSyncConfig

BASE = igpo_loop.Config(
    log_path="/tmp/igpo-sweep/base",
    base_model="accounts/fireworks/models/qwen3-8b",
    lora_rank=16,
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
    deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B"),
    weight_sync=WeightSyncConfig(weight_sync_interval=1, weight_sync_before_training=True),
)


def sweep(grid, rlor_mgr, deploy_mgr):
    plans = []
    for lr in grid:
        cfg = dataclasses.replace(BASE, learning_rate=lr, log_path=f"/tmp/igpo-sweep/lr-{lr:g}")
        plans.append(igpo_loop.main(cfg, rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr, cancel_on_exit=True))
    return plans


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", default="1e-5")
    args = parser.parse_args()
    api_key = os.environ["FIREWORKS_API_KEY"]
    base_url = os.environ["FIREWORKS_BASE_URL"]
    sweep(
        [float(x) for x in args.grid.split(",")],
        TrainerJobManager(api_key=api_key, base_url=base_url),
        DeploymentManager(api_key=api_key, base_url=base_url),
    )
