"""GRPO, DPO and SFT experiments on the gen2 cookbook surface, as written before 2026-06.

Test data for tests/lint: every line a finding starts on carries an `expect:` comment with
its codes (the test reads them); `expect-later:` marks findings the engine does not report yet.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from fireworks.training.sdk import DeploymentManager, TrainerJobManager, WeightSyncer
from training.recipes import async_rl_loop, dpo_loop, igpo_loop, rl_loop, sft_loop
from training.utils import (
    DeployConfig,
    HotloadConfig,
    InfraConfig,
    ReconnectableClient,
    ResourceCleanup,
    WeightSyncConfig,
    create_trainer_job,
    make_reference_client,
    setup_deployment,
    validate_config,
)
from training.utils.rl import setup_infra

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"


@dataclass
class Experiment:
    name: str
    infra: InfraConfig = field(default_factory=InfraConfig)  # expect: FTM001 FTM001


def default_infra(**overrides) -> InfraConfig:  # expect: FTM001
    return InfraConfig(  # expect: FTM001
        training_shape_id=SHAPE,
        ref_training_shape_id=SHAPE + "-forward",
        trainer_timeout_s=7200,
        managed_by="research-team",  # expect: FTM002
        accelerator_type="NVIDIA_H200_141GB",  # expect: FTM003
    )


def from_cli(opts: dict) -> InfraConfig:  # expect: FTM001
    return InfraConfig(**opts)  # expect: FTM001 FTM004


def regional(infra: InfraConfig) -> InfraConfig:  # expect: FTM001 FTM001
    return dataclasses.replace(infra, ref_training_shape_id=SHAPE + "-eu")  # expect: FTM001


cadence = WeightSyncConfig(weight_sync_interval=2, dcp_save_interval=50)  # expect: FTM015

grpo = rl_loop.Config(
    log_path="/tmp/grpo",
    base_model=BASE_MODEL,
    infra=default_infra(),  # expect: FTM010
    deployment=DeployConfig(deployment_id="grpo-serving", tokenizer_model="Qwen/Qwen3-8B"),
    weight_sync=WeightSyncConfig(weight_sync_interval=2, dcp_save_interval=50),  # expect: FTM011
    policy_job_id="grpo-policy-1",  # expect: FTM020
    reference_job_id="grpo-ref-1",  # expect: FTM020
    policy_base_url="https://trainer.internal",  # expect: FTM021
    rollout_base_model=BASE_MODEL,  # expect: FTM022
)
grpo.infra.ref_training_shape_id = SHAPE + "-ref"  # expect: FTM001 FTM030
print(grpo.weight_sync.dcp_save_interval)  # expect: FTM030

igpo = igpo_loop.Config(
    log_path="/tmp/igpo",
    dcp_save_interval=10,
    weight_sync=WeightSyncConfig(dcp_save_interval=5, dcp_timeout=5400),  # expect: FTM011 FTM012 FTM013
)

gen0 = async_rl_loop.Config(
    log_path="/tmp/async",
    hotload=HotloadConfig(hot_load_interval=1, hot_load_timeout=900),  # expect: FTM011
)
print(gen0.weight_sync.weight_sync_interval)  # expect: FTM032

dpo = dpo_loop.Config(log_path="/tmp/dpo", infra=InfraConfig(region="us-ohio-1"), policy_job_id="dpo-1")  # expect: FTM010 FTM001 FTM020
sft = sft_loop.Config(log_path="/tmp/sft", trainer_job_id="sft-1", trainer_base_url="https://t")  # expect: FTM020 FTM021


def with_cadence(ws) -> rl_loop.Config:
    return rl_loop.Config(log_path="/tmp/rl", weight_sync=ws)  # expect: FTM014


def shape_of(cfg):
    return cfg.infra.training_shape_id  # expect: FTM031


def provision(api_key: str) -> None:
    rlor_mgr = TrainerJobManager(api_key=api_key)
    deploy_mgr = DeploymentManager(api_key=api_key)
    validate_config(BASE_MODEL, "gsm8k.jsonl", cadence, None)  # expect: FTM062
    with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:  # expect: FTM053
        infra = setup_infra(  # expect: FTM050
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=BASE_MODEL,
            infra_cfg=default_infra(),
            role_prefix="grpo",  # expect: FTM051
            api_key=api_key,
            cleanup=cleanup,
            needs_reference=True,
        )
        print(infra.boot_metrics)  # expect: FTM051
        reference = infra.policy.create_base_reference()  # expect: FTM056
        other = make_reference_client(infra.policy)  # expect: FTM056
        client = ReconnectableClient(rlor_mgr, infra.policy_job_id, BASE_MODEL)  # expect: FTM064
        syncer = WeightSyncer(infra.policy, deploy_mgr, deployment_id=infra.deployment_id)  # expect: FTM061
        cleanup.deployment(infra.deployment_id, action="scale_to_zero")  # expect: FTM054
        cleanup.cancel_trainer(infra.reference_job_id)  # expect: FTM055
        with ThreadPoolExecutor() as pool:
            pool.submit(create_trainer_job, BASE_MODEL)  # expect: FTM060
            pool.submit(setup_deployment, BASE_MODEL)  # expect: FTM060
    print(reference, other, client, syncer)


def main() -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = TrainerJobManager(api_key=api_key)
    deploy_mgr = DeploymentManager(api_key=api_key)
    rl_loop.main(grpo, rlor_mgr, deploy_mgr, cancel_on_exit=True)  # expect: FTM040 FTM041
    # sft reattaches "sft-1", which legacy never cancelled: no lifecycle note (FTM042)
    sft_loop.main(sft, rlor_mgr=rlor_mgr)  # expect: FTM040
    sft_loop.main(sft_loop.Config(log_path="/tmp/fresh"), rlor_mgr)  # expect: FTM040 FTM042


if __name__ == "__main__":
    main()


def per_deployment_sync_test() -> DeployConfig:
    from training.utils import WeightSyncScope

    return DeployConfig(deployment_id="sync-test", weight_sync_scope=WeightSyncScope.PER_DEPLOYMENT)  # expect: FTM066


def full_parameter_rl() -> None:
    rl_loop.main(rl_loop.Config(log_path="/tmp/full", infra=InfraConfig()))  # expect: FTM001 FTM010 FTM043
