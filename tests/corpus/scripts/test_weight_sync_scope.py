"""Integration test of per-deployment weight sync (runs against the staging control plane)."""
# corpus: pytest

import pytest
from training.recipes import rl_loop
from training.utils import DeployConfig, InfraConfig, WeightSyncConfig, WeightSyncScope


@pytest.fixture
def per_deployment() -> DeployConfig:
    return DeployConfig(
        deployment_id="sync-scope-test",
        tokenizer_model="Qwen/Qwen3-8B",
        weight_sync_scope=WeightSyncScope.PER_DEPLOYMENT,
    )


def test_per_deployment_sync(per_deployment):
    cfg = rl_loop.Config(
        log_path="/tmp/sync-scope",
        lora_rank=16,
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        deployment=per_deployment,
        weight_sync=WeightSyncConfig(weight_sync_interval=1, weight_sync_before_training=True),
    )
    plan = rl_loop.main(cfg)
    assert cfg.deployment.weight_sync_scope == WeightSyncScope.PER_DEPLOYMENT
    assert plan is not None
