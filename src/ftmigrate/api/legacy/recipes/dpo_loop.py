"""Legacy ``training.recipes.dpo_loop`` (before target 2026-06), emulated on the local backend.

DPO: a policy trainer and a reference; created trainers are cancelled on exit.
``main`` is a dry run with the legacy signature and the legacy cleanup behaviour; it returns
the same ``ProvisioningPlan`` type as the target recipe's ``main``.
"""

from __future__ import annotations

from ftmigrate.api.backend import ProvisioningPlan
from ftmigrate.api.legacy.recipes._base import legacy_config, legacy_main
from ftmigrate.api.recipes import dpo_loop as _target
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager

RECIPE = "dpo_loop"

Config = legacy_config(RECIPE, _target)


def main(
    config: Config,
    rlor_mgr: TrainerJobManager | None = None,
    deploy_mgr: DeploymentManager | None = None,
) -> ProvisioningPlan:
    """Dry run: provision as the legacy recipe did, clean up as it did, return the plan."""
    return legacy_main(_target, Config, config, rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr)
