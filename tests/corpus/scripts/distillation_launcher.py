"""On-policy distillation with the recipe the cookbook added after the rename."""
# corpus: static

from training.recipes import distillation_loop
from training.utils import InfraConfig, WeightSyncConfig

cfg = distillation_loop.Config(
    log_path="/tmp/distill",
    teacher_model="accounts/fireworks/models/qwen3-32b",
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
    weight_sync=WeightSyncConfig(weight_sync_interval=4),
)

if __name__ == "__main__":
    distillation_loop.main(cfg, cancel_on_exit=True)
