"""A project's own infrastructure helpers that happen to share names with the legacy cookbook."""

from dataclasses import dataclass, field


@dataclass
class InfraConfig:
    region: str = "us-east-1"
    ref_training_shape_id: str | None = None
    trainer_timeout_s: int = 60


@dataclass
class WeightSyncConfig:
    weight_sync_interval: int = 1


@dataclass
class Config:
    infra: InfraConfig = field(default_factory=InfraConfig)
    weight_sync: WeightSyncConfig = field(default_factory=WeightSyncConfig)
    policy_job_id: str | None = None


def setup_infra(*, rlor_mgr, infra_cfg: InfraConfig):
    return (rlor_mgr, infra_cfg)


class ResourceCleanup:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main(cfg: Config, rlor_mgr=None, deploy_mgr=None, cancel_on_exit=False):
    return cfg.infra.ref_training_shape_id, cfg.weight_sync.weight_sync_interval
