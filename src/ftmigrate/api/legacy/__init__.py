"""The legacy cookbook surface (gen0-gen2), emulated on the embedded local backend.

This package is what ``ftmigrate.api.mount(surface="legacy")`` serves as ``training.utils``:
the deprecated config classes, ``setup_infra`` / ``Infra`` / ``ResourceCleanup``, the legacy
``ReconnectableClient`` and the low-level helpers. Legacy code runs against it unchanged, on
the same local backend as the target surface, so the two event logs can be compared.
``surface`` holds the facts tables (legacy fields, main() parameters, cleanup behaviour) that
the emulation, the codemods and the linter share.
"""

import importlib
from typing import Any

from ftmigrate.api.config import (
    ConcurrencyConfig,
    DeployConfig,
    HotloadConfig,
    InfraConfig,
    WandBConfig,
    WeightSyncConfig,
    WeightSyncScope,
)

#: The emulation itself (``setup_infra`` and friends) loads on first use: the codemods import
#: only ``surface`` from this package.
_FROM_INFRA = frozenset(
    {
        "Infra",
        "ReconnectableClient",
        "ResourceCleanup",
        "create_trainer_job",
        "get_deployment_gpu_count",
        "request_deployment",
        "request_trainer_job",
        "setup_deployment",
        "setup_infra",
        "setup_or_reattach_deployment",
        "setup_training_client",
        "to_deployment_config",
        "validate_config",
        "wait_deployment",
        "wait_trainer_job",
    }
)


def __getattr__(name: str) -> Any:
    if name in _FROM_INFRA:
        value = getattr(importlib.import_module("ftmigrate.api.legacy.infra"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ConcurrencyConfig",
    "DeployConfig",
    "HotloadConfig",
    "InfraConfig",
    "WandBConfig",
    "WeightSyncConfig",
    "WeightSyncScope",
]

#: The legacy config classes (``training.utils.config`` under a legacy mount).
CONFIG_NAMES = tuple(__all__)
__all__ += sorted(_FROM_INFRA)

#: What ``training.utils.rl`` exported.
RL_NAMES = ("Infra", "ReconnectableClient", "ResourceCleanup", "setup_infra")

