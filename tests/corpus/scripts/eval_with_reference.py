"""Score a policy against its base model: a full-parameter policy and a reference trainer."""
# corpus: run=evaluate([[1], [2]])

import os

from fireworks.training.sdk import TrainerJobManager
from training.utils import InfraConfig, ResourceCleanup, setup_infra


def evaluate(batches, base_model="accounts/fireworks/models/qwen3-8b"):
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ["FIREWORKS_BASE_URL"])
    with ResourceCleanup(rlor_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            base_model=base_model,
            infra_cfg=InfraConfig(
                training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200",
                ref_training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward",
            ),
            lora_rank=0,
            needs_reference=True,
            role_prefix="eval",
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=cleanup,
        )
        scores = []
        for batch in batches:
            infra.policy.forward(batch, "cross_entropy")
            infra.reference.forward(batch, "cross_entropy")
            scores.append(len(batch))
        return scores
