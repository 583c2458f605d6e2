"""The original GRPO example (cookbook gen0): hotload cadence, cleanup_on_exit."""
# corpus: argv=

from training.recipes import rl_loop
from training.utils import HotloadConfig, InfraConfig

cfg = rl_loop.Config(
    log_path="./grpo_gen0",
    base_model="accounts/fireworks/models/qwen3-8b",
    infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"),
    hotload=HotloadConfig(
        hot_load_interval=2,
        hot_load_timeout=1200,
        dcp_save_interval=10,
        first_checkpoint_type="base",
    ),
    rollout_base_model="accounts/fireworks/models/qwen3-8b",
)

if __name__ == "__main__":
    rl_loop.main(cfg, cleanup_on_exit=True)
