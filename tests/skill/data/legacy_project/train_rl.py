"""GRPO, resuming yesterday's policy trainer; serves rollouts from rl-serving."""

import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import rl_loop
from training.utils import DeployConfig, WeightSyncConfig

from common import BASE_MODEL, shared_infra

cfg = rl_loop.Config(
    log_path="/tmp/rl-run",
    base_model=BASE_MODEL,
    infra=shared_infra(region="us-ohio-1"),
    deployment=DeployConfig(deployment_id="rl-serving", tokenizer_model="Qwen/Qwen3-8B"),
    weight_sync=WeightSyncConfig(
        weight_sync_interval=2,  # every other step
        dcp_save_interval=50,
        dcp_timeout=5400,
    ),
    policy_job_id="rl-policy-1",
)


def main() -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = TrainerJobManager(api_key=api_key)
    deploy_mgr = DeploymentManager(api_key=api_key)
    rl_loop.main(cfg, rlor_mgr, deploy_mgr, cancel_on_exit=True)


if __name__ == "__main__":
    main()
