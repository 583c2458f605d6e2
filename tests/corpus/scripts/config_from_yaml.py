"""Launch from an experiment file (the dict is what yaml.safe_load returns for ours)."""
# corpus: run=launch(EXPERIMENT)

from training.recipes import rl_loop
from training.utils import InfraConfig, WeightSyncConfig

EXPERIMENT = {
    "name": "grpo-yaml",
    "infra": {"training_shape_id": "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", "trainer_timeout_s": 5400},
    "cadence": {"weight_sync_interval": 3, "dcp_save_interval": 30},
    "recipe": {"learning_rate": 2e-5, "completions_per_prompt": 4},
}


def launch(experiment):
    infra = InfraConfig(**experiment["infra"])
    cadence = WeightSyncConfig(**experiment["cadence"])
    cfg = rl_loop.Config(log_path=f"/tmp/{experiment['name']}", infra=infra, weight_sync=cadence, **experiment["recipe"])
    return rl_loop.main(cfg)
