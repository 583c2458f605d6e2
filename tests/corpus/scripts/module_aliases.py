"""Module-style imports throughout, as our style guide asks."""
# corpus: run=go()

import training.recipes.rl_loop as rl
import training.utils as tu


def go():
    infra = tu.InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", trainer_replica_count=2)
    cadence = tu.WeightSyncConfig(weight_sync_interval=5, weight_sync_timeout=1200)
    cfg = rl.Config(log_path="/tmp/aliases", lora_rank=8, infra=infra, weight_sync=cadence)
    assert isinstance(cfg.infra, tu.InfraConfig)
    return rl.main(cfg)
