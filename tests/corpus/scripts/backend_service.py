"""A training backend for a serving platform: one object owns the managers, the cleanup and
the provisioned infrastructure for as long as the platform keeps the model."""
# corpus: run=demo()

import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.utils import DeployConfig, InfraConfig, ResourceCleanup, setup_infra


class FireworksTrainingBackend:
    def __init__(self, api_key=None, base_url=None):
        api_key = api_key or os.environ["FIREWORKS_API_KEY"]
        base_url = base_url or os.environ["FIREWORKS_BASE_URL"]
        self.rlor_mgr = TrainerJobManager(api_key=api_key, base_url=base_url)
        self.deploy_mgr = DeploymentManager(api_key=api_key, base_url=base_url)
        self._api_key = api_key
        self._cleanup = ResourceCleanup(self.rlor_mgr, self.deploy_mgr)
        self._cleanup.__enter__()
        self.infra = None

    def start(self, base_model, shape, deployment_id):
        self.infra = setup_infra(
            rlor_mgr=self.rlor_mgr,
            deploy_mgr=self.deploy_mgr,
            base_model=base_model,
            infra_cfg=InfraConfig(training_shape_id=shape, trainer_timeout_s=1800),
            deploy_cfg=DeployConfig(deployment_id=deployment_id, tokenizer_model="Qwen/Qwen3-8B"),
            lora_rank=16,
            needs_inference=True,
            role_prefix="backend",
            api_key=self._api_key,
            cleanup=self._cleanup,
        )
        self._cleanup.deployment(self.infra.deployment_id, action="scale_to_zero")
        return self.infra.policy_job_id

    def step(self, batch):
        self.infra.policy.forward_backward(batch, "cross_entropy")
        self.infra.policy.optim_step(None)

    def shutdown(self):
        self._cleanup.__exit__(None, None, None)


def demo():
    backend = FireworksTrainingBackend()
    backend.start("accounts/fireworks/models/qwen3-8b", "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", "platform-serving")
    backend.step([1, 2, 3])
    backend.shutdown()
