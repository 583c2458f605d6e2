"""Resume an interrupted GRPO run: same trainer, newest DCP checkpoint, same deployment."""
# corpus: argv=--run-dir /tmp/grpo-run-42 --policy-job grpo-42 --deployment grpo-42-serving
# corpus: existing-trainers=grpo-42
# corpus: existing-deployments=grpo-42-serving

import argparse
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import rl_loop
from training.utils import DeployConfig, InfraConfig, WeightSyncConfig


def latest_checkpoint(run_dir):
    return os.path.join(run_dir, "checkpoints", "latest")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--policy-job", required=True)
    parser.add_argument("--deployment", required=True)
    args = parser.parse_args()
    cfg = rl_loop.Config(
        log_path=args.run_dir,
        lora_rank=32,
        init_from_checkpoint=latest_checkpoint(args.run_dir),
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        deployment=DeployConfig(deployment_id=args.deployment, tokenizer_model="Qwen/Qwen3-8B"),
        weight_sync=WeightSyncConfig(dcp_save_interval=50, weight_sync_before_training=True),
        policy_job_id=args.policy_job,
    )
    key, url = os.environ["FIREWORKS_API_KEY"], os.environ["FIREWORKS_BASE_URL"]
    rl_loop.main(
        cfg,
        rlor_mgr=TrainerJobManager(api_key=key, base_url=url),
        deploy_mgr=DeploymentManager(api_key=key, base_url=url),
        cancel_on_exit=False,
    )


if __name__ == "__main__":
    main()
