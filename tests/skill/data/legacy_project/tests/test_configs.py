import dataclasses

import pytest
from training.recipes import dpo_loop
from training.utils import InfraConfig


@pytest.fixture
def infra_cfg() -> InfraConfig:
    return InfraConfig(ref_training_shape_id="accounts/fireworks/trainingShapes/ref", managed_by="ci")


def test_dpo_config(infra_cfg):
    cfg = dpo_loop.Config(log_path="/tmp/dpo", infra=infra_cfg, policy_job_id="dpo-1", reference_job_id="dpo-ref-1")
    assert cfg.infra.ref_training_shape_id.endswith("/ref")
    shifted = dataclasses.replace(infra_cfg, trainer_timeout_s=60)
    assert shifted.trainer_timeout_s == 60
