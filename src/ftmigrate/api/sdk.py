"""Bundled stand-in for ``fireworks.training.sdk``: the names cookbook code imports from it.

Mounted as ``fireworks.training.sdk`` by :func:`ftmigrate.api.mount` when the real SDK is not
installed. The service client here is the local backend's; with the real SDK installed,
``build_service_client`` hands ``https://`` URLs to the real ``FiretitanServiceClient``.
"""

from __future__ import annotations

import enum


class GradAccNormalization(str, enum.Enum):
    """How the server normalizes accumulated gradients in ``optim_step``."""

    NUM_LOSS_TOKENS = "num_loss_tokens"
    NUM_SEQUENCES = "num_sequences"
    NONE = "none"
