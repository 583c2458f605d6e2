"""Unit tests for the configs our launcher builds (run in CI without a trainer)."""
# corpus: pytest

import dataclasses

import pytest
from training.recipes import dpo_loop, rl_loop
from training.utils import InfraConfig, WeightSyncConfig

SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"


@pytest.fixture
def infra() -> InfraConfig:
    return InfraConfig(training_shape_id=SHAPE, trainer_timeout_s=600, ref_training_shape_id=SHAPE + "-forward")


@pytest.fixture
def rl_config(infra, tmp_path):
    return rl_loop.Config(log_path=str(tmp_path), infra=infra, weight_sync=WeightSyncConfig(weight_sync_interval=4))


def test_timeout_is_kept(rl_config):
    assert rl_config.infra.trainer_timeout_s == 600
    assert rl_config.weight_sync.weight_sync_interval == 4


def test_reference_shape(rl_config):
    assert rl_config.infra.ref_training_shape_id.endswith("-forward")


@pytest.mark.parametrize("job", [None, "dpo-7"])
def test_dpo_reattach(infra, job, tmp_path):
    cfg = dpo_loop.Config(log_path=str(tmp_path), infra=infra, policy_job_id=job)
    assert cfg.policy_job_id == job


def test_copy_does_not_mutate(infra):
    longer = dataclasses.replace(infra, trainer_timeout_s=7200)
    assert infra.trainer_timeout_s == 600 and longer.trainer_timeout_s == 7200
