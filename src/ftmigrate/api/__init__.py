"""The bundled target API: the cookbook's new config and service surface (target 2026-06).

Rewritten code imports ``training.utils`` / ``training.recipes.<name>`` /
``fireworks.training.sdk``; these are the same classes under ftmigrate's own name, and
:func:`mount` makes them importable under the cookbook's names for dry runs and tests.
It depends on nothing else in ftmigrate; the codemods and the linter read field lists,
defaults, renames and signatures from it.
"""

from ftmigrate.api.client import ReconnectableClient
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
from ftmigrate.api.sdk import GradAccNormalization
from ftmigrate.api.service import build_service_client

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
