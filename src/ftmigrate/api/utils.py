"""The target ``training.utils`` namespace (what ``mount()`` serves under that name)."""

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
from ftmigrate.api.service import build_service_client

__all__ = [
    "ConcurrencyConfig",
    "DeployConfig",
    "InfraConfig",
    "ReconnectableClient",
    "TrainerConfig",
    "WandBConfig",
    "WeightSyncConfig",
    "WeightSyncScope",
    "build_service_client",
]
