# Exported from notebooks/grpo_exploration.ipynb
# corpus: argv=

from fireworks.training.sdk import DeploymentManager, TrainerJobManager
import training.utils as tu
from training.recipes import rl_loop

api_key = "local"
rlor_mgr = TrainerJobManager(api_key=api_key, base_url="local://")
deploy_mgr = DeploymentManager(api_key=api_key, base_url="local://")

infra = tu.InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200", trainer_timeout_s=900.0)
cfg = rl_loop.Config(log_path="/tmp/nb", infra=infra, weight_sync=tu.WeightSyncConfig(weight_sync_interval=1))
cfg.infra.region = "US_OHIO_1"
print(cfg.infra, cfg.weight_sync.weight_sync_interval)

plan = rl_loop.main(cfg, rlor_mgr, deploy_mgr, False)
