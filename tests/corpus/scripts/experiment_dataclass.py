"""Experiments as dataclasses of our own, each holding its trainer settings."""
# corpus: run=run_all()

import dataclasses
from dataclasses import dataclass, field

from training.recipes import rl_loop
from training.utils import InfraConfig

FORWARD_SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward"


@dataclass
class Experiment:
    name: str
    kl_beta: float = 0.001
    infra: InfraConfig = field(default_factory=lambda: InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"))


def to_config(exp: Experiment) -> rl_loop.Config:
    infra = dataclasses.replace(exp.infra, ref_training_shape_id=FORWARD_SHAPE, trainer_timeout_s=5400)
    return rl_loop.Config(log_path=f"/tmp/exp/{exp.name}", kl_beta=exp.kl_beta, infra=infra)


def run_all():
    experiments = [Experiment("baseline"), Experiment("no-kl", kl_beta=0.0)]
    return [rl_loop.main(to_config(e)) for e in experiments]
