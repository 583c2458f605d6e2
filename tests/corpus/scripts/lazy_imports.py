"""A plugin for our job runner: the cookbook is imported only when a job runs."""
# corpus: run=run_job({"kind": "sft", "shape": "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", "timeout": 900})


def build(job):
    from training.utils import InfraConfig

    return InfraConfig(training_shape_id=job["shape"], trainer_timeout_s=job["timeout"])


def run_job(job):
    from training.recipes import sft_loop

    cfg = sft_loop.Config(log_path=f"/tmp/jobs/{job['kind']}", infra=build(job))
    return sft_loop.main(cfg)
