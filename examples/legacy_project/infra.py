"""Shared trainer settings for every run of the project."""

from dataclasses import dataclass, field

from training.utils import InfraConfig

QWEN3_8B_SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"
QWEN3_8B_REF_SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward"


def default_infra(region: str | None = None) -> InfraConfig:
    """The H200 shape, with a separate forward-only reference trainer."""
    return InfraConfig(
        training_shape_id=QWEN3_8B_SHAPE,
        ref_training_shape_id=QWEN3_8B_REF_SHAPE,
        region=region,
        trainer_timeout_s=7200,  # the first boot of a new shape is slow
    )


@dataclass
class Experiment:
    name: str
    infra: InfraConfig = field(default_factory=InfraConfig)
