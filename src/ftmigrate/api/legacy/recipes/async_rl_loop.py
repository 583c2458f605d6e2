"""Legacy ``training.recipes.async_rl_loop`` (before target 2026-06), emulated on the local backend.

Async RL: policy, deployment, reference when kl_beta > 0; cleans up only with cancel_on_exit=True.
``main`` is a dry run with the legacy signature and the legacy cleanup behaviour; it returns
the same ``ProvisioningPlan`` type as the target recipe's ``main``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ftmigrate.api.backend import ProvisioningPlan
from ftmigrate.api.legacy.recipes._base import legacy_config, legacy_main
from ftmigrate.api.recipes import async_rl_loop as _target

RECIPE = "async_rl_loop"

Config = legacy_config(RECIPE, _target)


def main(
    config: Config,
    *,
    rollout_fn_factory: Callable[..., Any],
    dynamic_filter_fn: Callable[..., Any] | None = None,
    rows: list[Any] | None = None,
    cancel_on_exit: bool = False,
    rollout_extras: dict[str, Any] | None = None,
    on_resources_ready: Callable[[Any], Any] | None = None,
) -> ProvisioningPlan:
    """Dry run: provision as the legacy recipe did, clean up as it did, return the plan."""
    return legacy_main(
        _target, Config, config, cancel_on_exit=cancel_on_exit, on_resources_ready=on_resources_ready
    )
