#!/usr/bin/env python
"""Supervised fine-tuning on a chat dataset, from the command line.

    python train_sft_cli.py --dataset data/chat.jsonl --epochs 2 [--resume-job JOB]
"""
# corpus: argv=--dataset /data/chat.jsonl --epochs 2 --lora-rank 16

import argparse
import logging
import os

from fireworks.training.sdk import TrainerJobManager
from training.recipes import sft_loop
from training.utils import InfraConfig

logger = logging.getLogger("sft")

SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--base-model", default="accounts/fireworks/models/qwen3-8b")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lora-rank", type=int, default=0)
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--resume-job", default=None, help="reattach to this trainer job")
    parser.add_argument("--timeout", type=int, default=7200)
    return parser.parse_args(argv)


def build_config(args) -> sft_loop.Config:
    infra = InfraConfig(
        training_shape_id=SHAPE,
        trainer_timeout_s=args.timeout,  # large models take a while to schedule
        region="US_VIRGINIA_1",
    )
    return sft_loop.Config(
        log_path=os.path.join("/tmp", "sft", os.path.basename(args.dataset)),
        base_model=args.base_model,
        dataset=args.dataset,
        epochs=args.epochs,
        learning_rate=args.lr,
        lora_rank=args.lora_rank,
        infra=infra,
        trainer_job_id=args.resume_job,
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    config = build_config(args)
    rlor_mgr = TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ.get("FIREWORKS_BASE_URL", "https://api.fireworks.ai"))
    logger.info("starting SFT on %s", config.dataset)
    sft_loop.main(config, rlor_mgr=rlor_mgr)


if __name__ == "__main__":
    main()
