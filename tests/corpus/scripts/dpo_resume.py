"""Resume a DPO run from the job ids recorded by the previous attempt."""
# corpus: argv=--state /tmp/dpo-state.json --policy-job dpo-policy-7 --reference-job dpo-ref-7
# corpus: existing-trainers=dpo-policy-7,dpo-ref-7

import argparse
import json
import os

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.recipes import dpo_loop
from training.utils import InfraConfig


def load_state(path):
    if os.path.exists(path):
        with open(path) as fh:
            return json.load(fh)
    return {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--policy-job")
    parser.add_argument("--reference-job")
    args = parser.parse_args()
    state = load_state(args.state)
    policy_job = args.policy_job or state.get("policy_job_id")
    reference_job = args.reference_job or state.get("reference_job_id")

    cfg = dpo_loop.Config(
        log_path="/tmp/dpo-resume",
        dataset="gs://bucket/prefs.jsonl",
        infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
        policy_job_id=policy_job,
        reference_job_id=reference_job,
        dcp_save_interval=25,
        init_from_checkpoint=state.get("checkpoint"),
    )
    key = os.environ["FIREWORKS_API_KEY"]
    url = os.environ["FIREWORKS_BASE_URL"]
    dpo_loop.main(cfg, rlor_mgr=TrainerJobManager(api_key=key, base_url=url), deploy_mgr=DeploymentManager(api_key=key, base_url=url))


if __name__ == "__main__":
    main()
