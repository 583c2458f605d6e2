"""Async RL with a readiness callback that registers the run with our dashboard."""
# corpus: run=run()

from training.recipes import async_rl_loop
from training.utils import InfraConfig, WeightSyncConfig

REGISTERED = []


def register(infra):
    REGISTERED.append((infra.policy_job_id, infra.deployment_id))


def factory(sampler, **_):
    return lambda row: row


def run():
    cfg = async_rl_loop.Config(
        log_path="/tmp/async-dash",
        lora_rank=16,
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        weight_sync=WeightSyncConfig(weight_sync_interval=1, dcp_save_interval=5),
    )
    async_rl_loop.main(cfg, rollout_fn_factory=factory, on_resources_ready=register)
    return REGISTERED
