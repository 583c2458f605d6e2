"""KL to the base model during SFT, with the base reference derived from the policy client."""
# corpus: run=train(steps=2)

import os

from fireworks.training.sdk import TrainerJobManager
from training.utils import InfraConfig, ResourceCleanup, setup_infra


def train(steps):
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ["FIREWORKS_BASE_URL"])
    with ResourceCleanup(rlor_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            base_model="accounts/fireworks/models/qwen3-8b",
            infra_cfg=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
            lora_rank=16,
            role_prefix="sft-kl",
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=cleanup,
        )
        reference = infra.policy.create_base_reference()
        for step in range(steps):
            reference.forward([[step]], "cross_entropy")
            infra.policy.forward_backward([[step]], "cross_entropy")
            infra.policy.optim_step(None)
