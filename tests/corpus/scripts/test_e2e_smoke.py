"""End-to-end smoke tests against a real trainer (the CI nightly job)."""
# corpus: pytest

import os

import pytest
from fireworks.training.sdk import TrainerJobManager
from training.utils import InfraConfig, ResourceCleanup, setup_infra

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"


@pytest.fixture
def rlor_mgr():
    return TrainerJobManager(api_key=os.environ["FIREWORKS_API_KEY"], base_url=os.environ["FIREWORKS_BASE_URL"])


@pytest.fixture
def policy(rlor_mgr):
    with ResourceCleanup(rlor_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            base_model=BASE_MODEL,
            infra_cfg=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
            lora_rank=8,
            role_prefix="smoke",
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=cleanup,
        )
        policy = infra.policy
        yield policy


def test_one_step(policy):
    policy.forward_backward([[1, 2, 3]], "cross_entropy")
    policy.optim_step(None)


def test_checkpoint_roundtrip(policy):
    policy.save_state("smoke-ckpt")
    policy.load_state_with_optimizer("smoke-ckpt")
