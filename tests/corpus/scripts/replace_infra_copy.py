"""A copy of a base config with new trainer settings (the base keeps its reattach id)."""
# corpus: run=variants()
# corpus: existing-trainers=dpo-base-1

import dataclasses

from training.recipes import dpo_loop
from training.utils import InfraConfig

BASE = dpo_loop.Config(
    log_path="/tmp/dpo-base",
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
    policy_job_id="dpo-base-1",
)


def variants():
    bigger = dataclasses.replace(BASE, log_path="/tmp/dpo-bigger", infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-32b-128k-h200"))
    assert bigger.policy_job_id == "dpo-base-1"
    return dpo_loop.main(bigger)
