"""The cookbook's API-level RL example: provision, train a few steps, clean up on exit."""
# corpus: argv=--steps 3

import argparse
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.utils import DeployConfig, InfraConfig, ResourceCleanup, setup_infra

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = TrainerJobManager(api_key=api_key, base_url=os.environ["FIREWORKS_BASE_URL"])
    deploy_mgr = DeploymentManager(api_key=api_key, base_url=os.environ["FIREWORKS_BASE_URL"])
    with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=BASE_MODEL,
            infra_cfg=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
            deploy_cfg=DeployConfig(tokenizer_model="Qwen/Qwen3-8B"),
            lora_rank=32,
            max_seq_len=8192,
            learning_rate=3e-5,
            needs_inference=True,
            role_prefix="rl",
            api_key=api_key,
            cleanup=cleanup,
        )
        cleanup.deployment(infra.deployment_id, action="scale_to_zero")
        for step in range(args.steps):
            infra.policy.forward_backward([[step]], "importance_sampling")
            infra.policy.optim_step(None)
        print("trained on", infra.policy_job_id, "serving", infra.deployment_id)


if __name__ == "__main__":
    main()
