"""Shared fixtures of our test suite (a conftest.py) and the tests that use them."""
# corpus: pytest

import pytest
from training.recipes import orpo_loop, sft_loop
from training.utils import InfraConfig


@pytest.fixture(name="infra")
def infra_fixture() -> InfraConfig:
    return InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", trainer_timeout_s=120)


@pytest.fixture
def sft_cfg(infra, tmp_path):
    cfg = sft_loop.Config(log_path=str(tmp_path / "sft"), infra=infra, trainer_job_id=None)
    yield cfg


def test_sft_runs(sft_cfg):
    sft_loop.main(sft_cfg)
    assert sft_cfg.infra.trainer_timeout_s == 120


def test_orpo_job_reattach(infra, tmp_path, monkeypatch):
    monkeypatch.setenv("ORPO_JOB", "orpo-existing")
    cfg = orpo_loop.Config(log_path=str(tmp_path / "orpo"), infra=infra, job_id=None)
    assert cfg.job_id is None
