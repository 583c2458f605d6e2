"""A hand-written loop on the gen2 helpers: policy, reference and a deployment for sampling,
all released on exit."""

import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.utils import DeployConfig, InfraConfig, ResourceCleanup, setup_infra

from common import BASE_MODEL, SHAPE


def main() -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = TrainerJobManager(api_key=api_key)
    deploy_mgr = DeploymentManager(api_key=api_key)
    with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=BASE_MODEL,
            infra_cfg=InfraConfig(training_shape_id=SHAPE),
            deploy_cfg=DeployConfig(deployment_id="custom-serving", tokenizer_model="Qwen/Qwen3-8B"),
            max_seq_len=8192,
            needs_reference=True,
            needs_inference=True,
            role_prefix="custom",
            api_key=api_key,
            cleanup=cleanup,
        )
        cleanup.deployment(infra.deployment_id, action="scale_to_zero")
        policy = infra.policy
        print("training on", infra.policy_job_id, "with", policy)


if __name__ == "__main__":
    main()
