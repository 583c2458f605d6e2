"""Validate the experiment before paying for a trainer."""
# corpus: argv=--interval 2

import argparse

from training.recipes import rl_loop
from training.utils import DeployConfig, WeightSyncConfig, validate_config

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
DATASET = "gsm8k.jsonl"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--interval", type=int, default=1)
    args = parser.parse_args()
    cadence = WeightSyncConfig(weight_sync_interval=args.interval, dcp_save_interval=10)
    deploy = DeployConfig(tokenizer_model="Qwen/Qwen3-8B")
    validate_config(BASE_MODEL, DATASET, cadence, deploy)
    cfg = rl_loop.Config(log_path="/tmp/validated", base_model=BASE_MODEL, dataset=DATASET, deployment=deploy, weight_sync=cadence)
    rl_loop.main(cfg)


if __name__ == "__main__":
    main()
