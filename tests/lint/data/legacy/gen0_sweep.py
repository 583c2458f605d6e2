"""A gen0 sweep: hotload config, hand-rolled provisioning (test data for tests/lint)."""

from training.recipes import rl_loop
from training.utils import HotloadConfig, create_trainer_job, wait_trainer_job


def launch(rlor_mgr, deploy_mgr):
    job = create_trainer_job(rlor_mgr, base_model="m")  # expect: FTM060
    wait_trainer_job(rlor_mgr, job)  # expect: FTM060
    cfg = rl_loop.Config(
        log_path="/tmp/sweep",
        hotload=HotloadConfig(hot_load_interval=4, first_checkpoint_type="full"),  # expect: FTM011 FTM012
    )
    rl_loop.main(cfg, rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr, cleanup_on_exit=True)  # expect: FTM040 FTM041


def follow_up(job_id):
    first = rl_loop.Config(log_path="/tmp/first", policy_job_id=job_id)  # expect: FTM020 FTM023
    return rl_loop.Config(log_path="/tmp/second", infra=first.infra)  # expect: FTM010 FTM030
