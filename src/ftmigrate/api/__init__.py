"""The bundled target API: the cookbook's new config and service surface.

Rewritten code imports ``training.utils`` / ``training.recipes.<name>`` /
``fireworks.training.sdk``; these are the same classes under ftmigrate's own name, and
:func:`mount` makes them importable under the cookbook's names for dry runs and tests. The
names here are target 2026-06 (the default); :mod:`ftmigrate.api.profiles` serves every target
(``profiles.get("2026-08").config_class("TrainerConfig")``) and answers what changed between
them. It depends on nothing else in ftmigrate; the codemods and the linter read field lists,
defaults, renames and signatures from it.
"""

from __future__ import annotations

import importlib

from ftmigrate.api.mount import mount
from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS

# Everything else loads on first use: the lean lint path reads TARGETS from here, and a lint
# should not pay for the config classes, the service or its local backend.
_LAZY = {
    "ConcurrencyConfig": "ftmigrate.api.config",
    "DeployConfig": "ftmigrate.api.config",
    "InfraConfig": "ftmigrate.api.config",
    "TrainerConfig": "ftmigrate.api.config",
    "WandBConfig": "ftmigrate.api.config",
    "WeightSyncConfig": "ftmigrate.api.config",
    "WeightSyncScope": "ftmigrate.api.config",
    "ConfigWarning": "ftmigrate.api._checked",
    "RemovedKeywordError": "ftmigrate.api._checked",
    "PlaceholderError": "ftmigrate.api.placeholders",
    "ReconnectableClient": "ftmigrate.api.client",
    "GradAccNormalization": "ftmigrate.api.sdk",
    "build_service_client": "ftmigrate.api.service",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "profiles":  # the submodule, on first attribute access
        return importlib.import_module("ftmigrate.api.profiles")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_TARGET",
    "TARGETS",
    "ConcurrencyConfig",
    "ConfigWarning",
    "DeployConfig",
    "GradAccNormalization",
    "InfraConfig",
    "PlaceholderError",
    "ReconnectableClient",
    "RemovedKeywordError",
    "TrainerConfig",
    "WandBConfig",
    "WeightSyncConfig",
    "WeightSyncScope",
    "build_service_client",
    "mount",
]
