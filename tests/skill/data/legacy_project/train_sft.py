"""SFT on the trainer the nightly job keeps warm."""

import os

from fireworks.training.sdk import TrainerJobManager
from training.recipes import sft_loop
from training.utils import InfraConfig

from common import SHAPE


def build_config(log_path: str) -> sft_loop.Config:
    return sft_loop.Config(
        log_path=log_path,
        dataset="gs://my-bucket/sft/train.jsonl",
        lora_rank=16,
        infra=InfraConfig(training_shape_id=SHAPE, ref_training_shape_id=SHAPE + "-forward"),
        trainer_job_id="sft-nightly",
    )


if __name__ == "__main__":
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"])
    sft_loop.main(build_config("/tmp/sft-run"), rlor_mgr)
