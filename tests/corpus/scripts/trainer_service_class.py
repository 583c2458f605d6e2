"""Our training service: keeps the experiment config on the instance and edits it per request."""
# corpus: run=TrainingService("/tmp/svc").launch(region="US_OHIO_1", interval=3)

from training.recipes import rl_loop
from training.utils import InfraConfig, WeightSyncConfig


class TrainingService:
    def __init__(self, log_path):
        self.cfg = rl_loop.Config(
            log_path=log_path,
            lora_rank=16,
            infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
            weight_sync=WeightSyncConfig(weight_sync_interval=1),
        )

    def launch(self, region=None, interval=None):
        if region:
            self.cfg.infra.region = region
        if interval:
            self.cfg.weight_sync.weight_sync_interval = interval
        return rl_loop.main(self.cfg)
