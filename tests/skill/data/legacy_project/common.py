"""Settings shared by the training scripts."""

from training.utils import InfraConfig

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"


def shared_infra(region: str | None = None) -> InfraConfig:
    """The H200 shape; the platform team's quota."""
    return InfraConfig(
        training_shape_id=SHAPE,
        region=region,
        trainer_timeout_s=7200,  # a cold shape takes long to boot
        managed_by="platform-team",
    )
