"""Supervised fine-tuning on a reused trainer."""

import os

from fireworks.training.sdk import TrainerJobManager
from training.recipes import sft_loop
from training.utils import InfraConfig


def build_config(log_path: str) -> sft_loop.Config:
    return sft_loop.Config(
        log_path=log_path,
        dataset="gs://my-bucket/sft/train.jsonl",
        epochs=2,
        lora_rank=16,
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        trainer_job_id="sft-trainer-7",  # reuse yesterday's trainer
        trainer_base_url="https://trainer.internal",
    )


if __name__ == "__main__":
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"])
    sft_loop.main(build_config("/tmp/sft-run"), rlor_mgr=rlor_mgr)
