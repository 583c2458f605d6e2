"""A serving job: provision a policy and a deployment, release both when the stack closes."""
# corpus: run=serve("accounts/fireworks/models/qwen3-8b", 2)

import contextlib
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.utils import DeployConfig, InfraConfig, ResourceCleanup, setup_infra


def serve(base_model, rounds):
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ["FIREWORKS_BASE_URL"])
    deploy_mgr = DeploymentManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ["FIREWORKS_BASE_URL"])
    with contextlib.ExitStack() as stack:
        cleanup = stack.enter_context(ResourceCleanup(rlor_mgr, deploy_mgr))
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=base_model,
            infra_cfg=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
            deploy_cfg=DeployConfig(deployment_id="stack-serving", tokenizer_model="Qwen/Qwen3-8B"),
            lora_rank=16,
            needs_inference=True,
            role_prefix="serve",
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=cleanup,
        )
        cleanup.deployment(infra.deployment_id, action="delete")
        for _ in range(rounds):
            infra.policy.optim_step(None)
