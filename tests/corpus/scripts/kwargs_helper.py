"""Keyword sets shared by our launch scripts."""
# corpus: run=launch("math")

from training.recipes import rl_loop
from training.utils import InfraConfig, WeightSyncConfig


def common_kwargs(name):
    return {
        "log_path": f"/tmp/kw/{name}",
        "lora_rank": 16,
        "infra": InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
    }


def launch(name):
    kwargs = common_kwargs(name)
    cfg = rl_loop.Config(**kwargs, weight_sync=WeightSyncConfig(weight_sync_interval=2))
    return rl_loop.main(cfg)
