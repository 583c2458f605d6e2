"""The bundled target API: the cookbook's new config and service surface (target 2026-06).

Rewritten code imports ``training.utils`` / ``training.recipes.<name>`` /
``fireworks.training.sdk``; these are the same classes under ftmigrate's own name, and
:func:`mount` makes them importable under the cookbook's names for dry runs and tests.
It depends on nothing else in ftmigrate; the codemods and the linter read field lists,
defaults, renames and signatures from it.
"""

import importlib
from typing import Any

from ftmigrate.api.config import (
    ConcurrencyConfig,
    DeployConfig,
    InfraConfig,
    TrainerConfig,
    WandBConfig,
    WeightSyncConfig,
    WeightSyncScope,
)
from ftmigrate.api.mount import mount

# The service, its local backend and the SDK stand-in load on first use: the codemods read the
# config classes and recipes from this package, and a lint should not pay for the rest.
_LAZY = {
    "ReconnectableClient": "ftmigrate.api.client",
    "GradAccNormalization": "ftmigrate.api.sdk",
    "build_service_client": "ftmigrate.api.service",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ConcurrencyConfig",
    "DeployConfig",
    "GradAccNormalization",
    "InfraConfig",
    "ReconnectableClient",
    "TrainerConfig",
    "WandBConfig",
    "WeightSyncConfig",
    "WeightSyncScope",
    "build_service_client",
    "mount",
]
