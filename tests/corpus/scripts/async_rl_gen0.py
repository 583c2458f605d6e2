"""Off-policy async RL from the gen0 cookbook: hotload config, cleanup flag."""
# corpus: run=launch()

from training.recipes import async_rl_loop
from training.utils import HotloadConfig, InfraConfig


def make_rollout_fn(sampler, **_):
    def rollout(row):
        return sampler, row

    return rollout


def launch():
    cfg = async_rl_loop.Config(
        log_path="/tmp/async-gen0",
        base_model="accounts/fireworks/models/qwen3-8b",
        lora_rank=32,
        max_head_offpolicy_versions=2,
        infra=InfraConfig(
            accelerator_type="NVIDIA_H200_141GB",
            accelerator_count=8,
            node_count=1,
            custom_image_tag="gen0-2025-10",
        ),
        hotload=HotloadConfig(hot_load_interval=1, hot_load_before_training=True, dcp_save_interval=50, dcp_timeout=5400),
        policy_job_id=None,
    )
    return async_rl_loop.main(cfg, rollout_fn_factory=make_rollout_fn, cancel_on_exit=True)
