"""ORPO quickstart, as in the cookbook README (a fresh trainer every run)."""
# corpus: argv=

import os

from fireworks.training.sdk import TrainerJobManager
from training.recipes import orpo_loop
from training.utils import InfraConfig

rlor_mgr = TrainerJobManager(
    api_key=os.environ["FIREWORKS_API_KEY"],
    base_url=os.environ["FIREWORKS_BASE_URL"],
)

config = orpo_loop.Config(
    log_path="./orpo_logs",
    dataset="preferences.jsonl",
    lora_rank=8,
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", managed_by="ml-platform"),
    job_id=None,
)

if __name__ == "__main__":
    orpo_loop.main(
        config,
        rlor_mgr=rlor_mgr,
    )
