"""GRPO on GSM8K: policy, reference and a deployment for rollouts."""

import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import rl_loop
from training.utils import DeployConfig, WeightSyncConfig

from infra import default_infra

weight_sync = WeightSyncConfig(
    weight_sync_interval=2,  # sync every other step
    dcp_save_interval=50,
)

cfg = rl_loop.Config(
    log_path="/tmp/grpo-run",
    base_model="accounts/fireworks/models/qwen3-8b",
    kl_beta=0.001,
    infra=default_infra(region="us-ohio-1"),
    deployment=DeployConfig(deployment_id="grpo-serving", tokenizer_model="Qwen/Qwen3-8B"),
    weight_sync=weight_sync,
    policy_job_id="grpo-policy-1",
)


def main() -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = TrainerJobManager(api_key=api_key)
    deploy_mgr = DeploymentManager(api_key=api_key)
    rl_loop.main(cfg, rlor_mgr, deploy_mgr, cancel_on_exit=True)


if __name__ == "__main__":
    main()
