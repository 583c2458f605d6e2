"""A sweep over datasets, launched from a thread pool, each run its own SFT job."""
# corpus: run=sweep(["a.jsonl", "b.jsonl"])

import functools
from concurrent.futures import ThreadPoolExecutor

from training.recipes import sft_loop
from training.utils import InfraConfig

make_config = functools.partial(
    sft_loop.Config,
    epochs=1,
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", trainer_timeout_s=1800),
)


def sweep(datasets):
    configs = [make_config(log_path=f"/tmp/sweep/{name}", dataset=name) for name in datasets]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return list(pool.map(sft_loop.main, configs))
