"""GRPO on GSM8K with a served policy: weight sync every 2 steps, DCP every 20."""
# corpus: argv=--steps-per-sync 2 --keep-resources

import argparse
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import rl_loop
from training.utils import DeployConfig, InfraConfig, WeightSyncConfig

API_KEY = os.environ.get("FIREWORKS_API_KEY", "")
BASE_URL = os.environ.get("FIREWORKS_BASE_URL", "https://api.fireworks.ai")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps-per-sync", type=int, default=1)
    parser.add_argument("--keep-resources", action="store_true")
    parser.add_argument("--policy-job", default=None)
    args = parser.parse_args()

    rlor_mgr = TrainerJobManager(api_key=API_KEY, base_url=BASE_URL)
    deploy_mgr = DeploymentManager(api_key=API_KEY, base_url=BASE_URL)

    cfg = rl_loop.Config(
        log_path="/tmp/grpo-gsm8k",
        base_model="accounts/fireworks/models/qwen3-8b",
        completions_per_prompt=8,
        max_completion_tokens=512,
        infra=InfraConfig(
            training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200",
            ref_training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward",
            trainer_replica_count=2,
        ),
        deployment=DeployConfig(deployment_id="grpo-gsm8k", tokenizer_model="Qwen/Qwen3-8B"),
        weight_sync=WeightSyncConfig(
            weight_sync_interval=args.steps_per_sync,
            dcp_save_interval=20,
            weight_sync_timeout=900,
        ),
        policy_job_id=args.policy_job,
    )
    rl_loop.main(cfg, rlor_mgr, deploy_mgr, cancel_on_exit=not args.keep_resources)


if __name__ == "__main__":
    main()
