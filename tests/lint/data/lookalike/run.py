"""Uses the project's own look-alikes: nothing here is the cookbook's."""

from myproject import infra as ours
from myproject.infra import Config, InfraConfig, ResourceCleanup, WeightSyncConfig, main, setup_infra  # ftmigrate: ignore[FTM067] (our own API, not a copy of the cookbook)
from training.utils import TrainerConfig  # the cookbook, for something else entirely

rlor_mgr = object()
deploy_mgr = object()
cfg = Config(infra=InfraConfig(ref_training_shape_id="x", trainer_timeout_s=5), weight_sync=WeightSyncConfig(2), policy_job_id="j")
cfg.infra.ref_training_shape_id = "y"
print(cfg.weight_sync.weight_sync_interval)
with ResourceCleanup() as cleanup:
    bundle = setup_infra(rlor_mgr=rlor_mgr, infra_cfg=cfg.infra)
main(cfg, rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr, cancel_on_exit=True)
ours.main(ours.Config(infra=ours.InfraConfig()), rlor_mgr)


def create_trainer_job(name):
    return TrainerConfig(job_id=name)


def provision(pool):
    return pool.submit(create_trainer_job, "x")
