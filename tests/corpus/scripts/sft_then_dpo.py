"""Two-stage pipeline: SFT, then DPO starting from the SFT trainer's weights."""
# corpus: run=pipeline()

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import dpo_loop, sft_loop
from training.utils import InfraConfig

SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"
SHARED = InfraConfig(training_shape_id=SHAPE, region="US_OHIO_1")


def pipeline(api_key="local", base_url="local://"):
    rlor_mgr = TrainerJobManager(api_key=api_key, base_url=base_url)
    deploy_mgr = DeploymentManager(api_key=api_key, base_url=base_url)
    sft = sft_loop.Config(log_path="/tmp/pipe/sft", dataset="sft.jsonl", infra=SHARED, dcp_save_interval=100)
    sft_loop.main(sft, rlor_mgr)
    dpo = dpo_loop.Config(
        log_path="/tmp/pipe/dpo",
        dataset="prefs.jsonl",
        infra=SHARED,
        init_from_checkpoint="/tmp/pipe/sft/final",
    )
    dpo_loop.main(dpo, rlor_mgr, deploy_mgr)
    return sft, dpo
