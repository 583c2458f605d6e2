"""Asynchronous RL, gen0 style (hotload)."""

import training.recipes.async_rl_loop as async_rl
import training.utils as tu


def make_config(log_path: str):
    return async_rl.Config(
        log_path=log_path,
        infra=tu.InfraConfig(node_count=2, accelerator_type="NVIDIA_H200_141GB", accelerator_count=8),
        hotload=tu.HotloadConfig(hot_load_interval=1, hot_load_timeout=900, dcp_save_interval=25),
    )


def tweak(cfg: async_rl.Config) -> None:
    cfg.infra.trainer_replica_count = 2
    cfg.weight_sync.dcp_save_interval = 100
