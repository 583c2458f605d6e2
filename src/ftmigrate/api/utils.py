"""The target ``training.utils`` namespace at 2026-06 (what ``mount()`` serves under that name).

``__all__`` is exactly the real module's public names (target-surface.md, 72 names). The
config, service and client classes are ftmigrate's implementations; a few helpers that real
scripts use at import time are implemented here (``timer`` / ``timed`` / ``flush_timing``),
constants have plausible values, and every other name is an inert placeholder
(:mod:`ftmigrate.api.placeholders`): it imports, and raises one clear error naming it when used.

Later targets start from this namespace plus their recorded differences (``profiles``); the
objects only a later target serves (``DatasetError`` ...) are defined at the end of this module
but are not part of ``__all__`` here.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from typing import Any

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
from ftmigrate.api.placeholders import placeholders
from ftmigrate.api.recipes._base import DEFAULT_RENDER_WORKERS, RunnerConfig
from ftmigrate.api.sdk import GradAccNormalization
from ftmigrate.api.service import build_service_client

MODULE = "training.utils"

# -- constants ---------------------------------------------------------------------------------

#: Default Adam hyperparameters, as keywords for the SDK's ``AdamParams``.
DEFAULT_ADAM: dict[str, float] = {"learning_rate": 1e-5, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.0}
#: Batches each render worker prepares ahead.
DEFAULT_PREFETCH_FACTOR = 2
#: The key under which a dataset row keeps its line number in the JSONL file (for resume).
JSONL_ROW_INDEX_KEY = "__row_index__"

# -- callable types used in annotations ----------------------------------------------------------

EvalFn = Callable[..., Any]
RewardFn = Callable[..., Any]
StepCallback = Callable[..., Any]

# -- timing: used as decorators at import time, so implemented (locally, in this process) --------

_TIMINGS: dict[str, float] = {}


@contextlib.contextmanager
def timer(name: str, *args: Any, **kwargs: Any) -> Iterator[None]:
    """Add the wall time of the block to the total of ``name`` (see :func:`flush_timing`)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _TIMINGS[name] = _TIMINGS.get(name, 0.0) + time.perf_counter() - start


def timed(name: Any = None, *args: Any, **kwargs: Any) -> Any:
    """Time every call of the decorated function: ``@timed`` or ``@timed("name")``."""
    if callable(name):
        return timed()(name)

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        label = name or fn.__qualname__

        @functools.wraps(fn)
        def call(*a: Any, **k: Any) -> Any:
            with timer(label):
                return fn(*a, **k)

        return call

    return wrap


def flush_timing(*args: Any, **kwargs: Any) -> dict[str, float]:
    """The totals since the last flush, in seconds by name; starts over."""
    totals = dict(_TIMINGS)
    _TIMINGS.clear()
    return totals


# -- everything else: placeholders ---------------------------------------------------------------

#: Exactly the real module's ``__all__`` at target 2026-06, in its order.
__all__ = [
    "AdaptiveConcurrencyController",
    "GradAccNormalization",
    "AppendOnlyPickleLog",
    "DEFAULT_ADAM",
    "DEFAULT_PREFETCH_FACTOR",
    "DEFAULT_RENDER_WORKERS",
    "JSONL_ROW_INDEX_KEY",
    "DeployConfig",
    "EvalFn",
    "WeightSyncConfig",
    "WeightSyncScope",
    "ConcurrencyConfig",
    "InfraConfig",
    "TrainerConfig",
    "JsonlRenderDataset",
    "MemTracer",
    "ReconnectableClient",
    "RewardFn",
    "RawRowCursor",
    "RLPromptDataset",
    "RunnerConfig",
    "RunnerIO",
    "RunStatus",
    "StepCallback",
    "WandBConfig",
    "compute_advantages",
    "compute_pass_at_k",
    "CursorDataLoader",
    "CursorItem",
    "read_api_extra_headers_env",
    "encode_text",
    "extract_text",
    "find_common_prefix_length",
    "iter_preference_examples",
    "load_jsonl_dataset",
    "load_deployment_tokenizer",
    "load_preference_dataset",
    "load_tokenizer",
    "replicate_rows_for_epochs",
    "log_metrics_json",
    "make_render_dataloader",
    "make_orpo_loss_fn",
    "make_batch_orpo_loss_fn",
    "make_batch_dpo_loss_fn",
    "make_batch_sft_loss_fn",
    "make_batch_weighted_sft_loss_fn",
    "make_sft_loss_fn",
    "normalize_preference_row",
    "RenderedSupervisedDatum",
    "RenderedPreferencePair",
    "build_next_token_datum",
    "build_datum_from_token_mask",
    "build_datum_from_tokens_and_weights",
    "build_renderer",
    "normalize_messages",
    "parse_train_on_what",
    "populate_render_worker_state",
    "render_preference_pair",
    "render_messages_to_datum",
    "render_messages_to_datums",
    "resolve_renderer_name",
    "prepare_sampling_messages",
    "build_service_client",
    "setup_wandb",
    "flush_timing",
    "timed",
    "timer",
    "auto_select_training_shape",
    "validate_config",
    "validate_preflight",
    "wandb_finish",
    "wandb_log",
]

#: The public names of ``training.utils`` that ftmigrate does not implement: placeholders.
PLACEHOLDER_NAMES = tuple(name for name in __all__ if name not in globals())
globals().update(placeholders(MODULE, PLACEHOLDER_NAMES))


# -- objects only a later target serves (profiles.DIFFERENCES names them) -------------------------


class UserConfigError(ValueError):
    """A configuration the recipe cannot run with (2026-08)."""


class DatasetError(ValueError):
    """A dataset the recipe cannot train on (2026-08)."""


#: ``build_service_client(cleanup_deployment_on_close=...)`` value (2026-08).
CLEANUP_DEPLOYMENT_ON_CLOSE_SCALE_TO_ZERO = "scale_to_zero"
NO_VALID_PREFERENCE_PAIRS_MESSAGE = "no valid preference pairs in the dataset"
NO_VALID_TRAINING_EXAMPLES_MESSAGE = "no valid training examples in the dataset"
