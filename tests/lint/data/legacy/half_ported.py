"""Ported by hand to the wrong shape (test data for tests/lint): the signature checks catch it."""

from training.recipes import async_rl_loop, sft_loop
from training.utils import DeployConfig, TrainerConfig, build_service_client

async_cfg = async_rl_loop.Config(
    log_path="/tmp/async",
    trainer=TrainerConfig(training_shape_id="accounts/fireworks/trainingShapes/s"),
    weight_sync_interval=2,  # expect: FTM070
)
sft_cfg = sft_loop.Config(dataset="data.jsonl", deployment=DeployConfig())  # expect: FTM070 FTM071
service = build_service_client(
    api_key="key",
    base_url="https://api.fireworks.ai",
    additional_headers=None,
    base_model="accounts/fireworks/models/qwen3-8b",
    tokenizer_model="Qwen/Qwen3-8B",
    lora_rank=0,
    max_context_length=8192,
    learning_rate=1e-5,
    trainer=TrainerConfig(),
    weight_sync=None,  # expect: FTM070
)
