"""Legacy ``training.recipes.igpo_loop`` (before target 2026-06), emulated on the local backend.

IGPO: policy, deployment, reference when kl_beta > 0; created trainers always cancelled, the deployment scaled to zero with cancel_on_exit=True.
``main`` is a dry run with the legacy signature and the legacy cleanup behaviour; it returns
the same ``ProvisioningPlan`` type as the target recipe's ``main``.
"""

from __future__ import annotations

from ftmigrate.api.backend import ProvisioningPlan
from ftmigrate.api.legacy.recipes._base import legacy_config, legacy_main
from ftmigrate.api.recipes import igpo_loop as _target
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager

RECIPE = "igpo_loop"

Config = legacy_config(RECIPE, _target)


def main(
    config: Config,
    rlor_mgr: TrainerJobManager | None = None,
    deploy_mgr: DeploymentManager | None = None,
    cancel_on_exit: bool = False,
    cleanup_on_exit: bool | None = None,
) -> ProvisioningPlan:
    """Dry run: provision as the legacy recipe did, clean up as it did, return the plan."""
    # gen0 spelled the flag cleanup_on_exit; when given it decides.
    return legacy_main(
        _target,
        Config,
        config,
        rlor_mgr=rlor_mgr,
        deploy_mgr=deploy_mgr,
        cancel_on_exit=cancel_on_exit if cleanup_on_exit is None else cleanup_on_exit,
    )
