"""Our fork of the cookbook's RL recipe: the same loop, a reward of our own, and its own
Config (copied from the cookbook's when we forked it)."""
# corpus: run=main(Config(log_path="/tmp/fork"))

from dataclasses import dataclass, field

from training.utils import InfraConfig, ResourceCleanup, WeightSyncConfig, setup_infra


@dataclass
class Config:
    log_path: str
    base_model: str = "accounts/fireworks/models/qwen3-8b"
    lora_rank: int = 0
    learning_rate: float = 1e-5
    reward: str = "exact_match"
    infra: InfraConfig = field(default_factory=InfraConfig)
    weight_sync: WeightSyncConfig = field(default_factory=WeightSyncConfig)
    policy_job_id: str | None = None


def main(config: Config, rlor_mgr=None, api_key="local"):
    from fireworks.training.sdk import TrainerJobManager

    rlor_mgr = rlor_mgr or TrainerJobManager(api_key=api_key, base_url="local://")
    with ResourceCleanup(rlor_mgr) as cleanup:
        infra = setup_infra(
            rlor_mgr=rlor_mgr,
            base_model=config.base_model,
            infra_cfg=config.infra,
            lora_rank=config.lora_rank,
            learning_rate=config.learning_rate,
            policy_job_id=config.policy_job_id,
            role_prefix="fork",
            api_key=api_key,
            cleanup=cleanup,
        )
        for step in range(2):
            infra.policy.forward_backward([step], config.reward)
            infra.policy.optim_step(None)
            if config.weight_sync.dcp_save_interval and step % config.weight_sync.dcp_save_interval == 0:
                infra.policy.save_state(f"step-{step}")
