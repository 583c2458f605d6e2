"""GRPO after the migration: the target 2026-06 surface only."""

import contextlib
import os

from training.recipes import async_rl_loop, rl_loop, sft_loop
from training.utils import DeployConfig, ReconnectableClient, TrainerConfig, build_service_client

SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"
BASE_MODEL = "accounts/fireworks/models/qwen3-8b"

trainer = TrainerConfig(
    training_shape_id=SHAPE,
    reference_training_shape_id=SHAPE + "-forward",
    timeout_s=7200,
    replica_count=2,
    job_id="grpo-policy-1",
)
cfg = rl_loop.Config(
    log_path="/tmp/grpo",
    base_model=BASE_MODEL,
    trainer=trainer,
    deployment=DeployConfig(deployment_id="grpo-serving", tokenizer_model="Qwen/Qwen3-8B"),
    weight_sync_interval=2,
    dcp_save_interval=50,
)
cfg.trainer.reference_training_shape_id = SHAPE + "-ref"
print(cfg.dcp_save_interval, cfg.weight_sync_interval)
async_cfg = async_rl_loop.Config(log_path="/tmp/async", weight_sync_before_training=True, weight_sync_timeout=900)
sft_cfg = sft_loop.Config(log_path="/tmp/sft", trainer=TrainerConfig(job_id="sft-1"), dcp_save_interval=10)


def run() -> None:
    service = build_service_client(
        api_key=os.environ["FIREWORKS_API_KEY"],
        base_url="https://api.fireworks.ai",
        additional_headers=None,
        base_model=BASE_MODEL,
        tokenizer_model="Qwen/Qwen3-8B",
        lora_rank=0,
        max_context_length=8192,
        learning_rate=1e-5,
        trainer=trainer,
        cleanup_trainer_on_close=True,
        reference_required=True,
    )
    with contextlib.closing(service):
        training_client = service.create_training_client(BASE_MODEL, lora_rank=0)
        client = ReconnectableClient.from_training_client(
            training_client, base_model=BASE_MODEL, lora_rank=0, job_id=service.trainer_job_id, service=service
        )
        reference = service.create_reference_client(BASE_MODEL, lora_rank=0)
        print(client.job_id, reference)
    rl_loop.main(cfg)
    sft_loop.main(sft_cfg)
