"""Two RL runs that differ only in their reference shape, from one InfraConfig."""
# corpus: run=both()

import dataclasses

from training.recipes import rl_loop
from training.utils import InfraConfig

BASE_INFRA = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", trainer_timeout_s=3600)


def variant(ref_shape):
    infra = dataclasses.replace(BASE_INFRA, ref_training_shape_id=ref_shape)
    return rl_loop.Config(log_path=f"/tmp/variant-{ref_shape.rsplit('/', 1)[-1]}", infra=infra, lora_rank=0)


def both():
    first = variant("accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward")
    second = variant("accounts/fireworks/trainingShapes/qwen3-8b-64k-h100-forward")
    assert BASE_INFRA.ref_training_shape_id is None
    return [rl_loop.main(cfg) for cfg in (first, second)]
