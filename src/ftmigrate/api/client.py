"""``ReconnectableClient``: the blocking training-client wrapper every cookbook recipe uses.

At target 2026-06 it wraps the training client that the SDK-managed service hands out::

    client = ReconnectableClient.from_training_client(
        service.create_training_client(base_model, lora_rank=0),
        job_id=service.trainer_job_id, base_model=base_model, service=service,
    )

Each call dispatches to the wrapped client and, when that returns a future, blocks until the
result is ready or the timeout expires. Failures propagate, so a training loop crashes cleanly
and resumes from its last DCP checkpoint. On the local backend every call raises the backend's
one clear error. The legacy positional constructor ``ReconnectableClient(rlor_mgr, job_id,
base_model, ...)`` still works (against the bundled, local ``TrainerJobManager``) but warns.
"""

from __future__ import annotations

import warnings
from typing import Any

from ftmigrate.api._checked import warn
from ftmigrate.api.backend import LocalBackend, LocalTrainingClient

__all__ = ["ReconnectableClient"]

#: Default timeout of the checkpoint calls (``save_state`` / ``load_state_with_optimizer``).
CHECKPOINT_TIMEOUT_S = 2700


def _check(name: str, value: Any, ok: bool, expected: str, *, value_ok: bool = True, good: str = "") -> None:
    """A wrong type is a TypeError; a value of the right type that cannot work, a warning (the
    real client accepts it)."""
    if not ok:
        raise TypeError(f"ReconnectableClient({name}=...): expected {expected}, got {value!r}")
    if not value_ok:
        warn(f"ReconnectableClient({name}={value!r}): expected {good}")


def connect_legacy(rlor_mgr: Any, job_id: str, base_model: str, lora_rank: int) -> LocalTrainingClient:
    """A training client on trainer ``job_id``, reached the legacy way (through a manager)."""
    backend = getattr(rlor_mgr, "backend", None)
    if not isinstance(backend, LocalBackend):
        raise TypeError(
            f"ReconnectableClient(rlor_mgr={type(rlor_mgr).__name__}): the bundled legacy"
            " constructor connects through the bundled TrainerJobManager (local backend) only;"
            " use ReconnectableClient.from_training_client(...)"
        )
    _check("job_id", job_id, isinstance(job_id, str), "str", value_ok=bool(job_id), good="a non-empty job id")
    # Connecting a client is not provisioning: look the job up without logging an event.
    job = backend.get_trainer(job_id)
    return LocalTrainingClient(backend, job, base_model=base_model, lora_rank=lora_rank, role="policy")


class ReconnectableClient:
    """Blocking convenience wrapper around a ``FiretitanTrainingClient``."""

    def __init__(
        self,
        rlor_mgr: Any,
        job_id: str,
        base_model: str,
        lora_rank: int = 0,
        default_timeout: float = 3600,
    ) -> None:
        """Legacy: connect to trainer ``job_id`` through a trainer manager. Deprecated."""
        warnings.warn(
            "ReconnectableClient(rlor_mgr, job_id, base_model, ...) is the legacy constructor; use"
            " ReconnectableClient.from_training_client(service.create_training_client(...),"
            " job_id=..., base_model=..., service=service)",
            DeprecationWarning,
            stacklevel=2,
        )
        client = connect_legacy(rlor_mgr, job_id, base_model, lora_rank)
        self._setup(client, job_id, base_model, lora_rank, None, default_timeout)
        self.rlor_mgr = rlor_mgr

    @classmethod
    def from_training_client(
        cls,
        client: Any,
        job_id: str,
        base_model: str,
        lora_rank: int = 0,
        service: Any = None,
        default_timeout: float = 3600,
    ) -> ReconnectableClient:
        """Wrap the training client returned by ``service.create_training_client(...)``."""
        self = cls.__new__(cls)
        self._setup(client, job_id, base_model, lora_rank, service, default_timeout)
        self.rlor_mgr = None
        return self

    def _setup(
        self, client: Any, job_id: str, base_model: str, lora_rank: int, service: Any, default_timeout: float
    ) -> None:
        _check("client", client, client is not None, "the training client from service.create_training_client()")
        _check("job_id", job_id, isinstance(job_id, str), "str", value_ok=bool(job_id), good="a non-empty job id")
        _check("base_model", base_model, isinstance(base_model, str), "str", value_ok=bool(base_model), good="a non-empty model name")
        is_int = isinstance(lora_rank, int) and not isinstance(lora_rank, bool)
        _check("lora_rank", lora_rank, is_int, "int", value_ok=not is_int or lora_rank >= 0, good=">= 0")
        is_number = isinstance(default_timeout, (int, float)) and not isinstance(default_timeout, bool)
        _check(
            "default_timeout",
            default_timeout,
            is_number,
            "a number",
            value_ok=not is_number or default_timeout > 0,
            good="> 0",
        )
        self._client = client
        self._job_id = job_id
        self.base_model = base_model
        self.lora_rank = lora_rank
        self.service = service
        self.default_timeout = default_timeout

    @property
    def job_id(self) -> str:
        """The trainer job id."""
        return self._job_id

    @property
    def client(self) -> Any:
        """The wrapped training client."""
        return self._client

    def _call(self, method: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        result = getattr(self._client, method)(*args, **kwargs)
        # The SDK's training calls return futures; the blocking wrapper waits for them.
        wait = getattr(result, "result", None)
        if callable(wait):
            return wait(timeout=self.default_timeout if timeout is None else timeout)
        return result

    def forward(self, data: Any, loss_fn: Any) -> Any:
        """Forward pass, blocks until complete."""
        return self._call("forward", data, loss_fn)

    def forward_backward(self, data: Any, loss_fn: Any, loss_fn_config: Any = None) -> Any:
        """Forward + backward pass."""
        return self._call("forward_backward", data, loss_fn, loss_fn_config)

    def forward_backward_custom(self, data: Any, loss_fn: Any) -> Any:
        """Forward + backward with a custom loss function."""
        return self._call("forward_backward_custom", data, loss_fn)

    def optim_step(self, params: Any, grad_accumulation_normalization: Any = None) -> Any:
        """Optimizer step."""
        return self._call("optim_step", params, grad_accumulation_normalization=grad_accumulation_normalization)

    def save_state(self, name: str, timeout: float = CHECKPOINT_TIMEOUT_S) -> Any:
        """Save a resumable DCP checkpoint."""
        return self._call("save_state", name, timeout=timeout)

    def load_state_with_optimizer(self, path: str, timeout: float = CHECKPOINT_TIMEOUT_S) -> Any:
        """Load a DCP checkpoint, optimizer state included."""
        return self._call("load_state_with_optimizer", path, timeout=timeout)

    def save_weights_for_sampler_ext(self, name: str, checkpoint_type: str | None = None, timeout: float | None = None) -> Any:
        """Save a sampler checkpoint for promotion."""
        return self._call("save_weights_for_sampler_ext", name, checkpoint_type, timeout=timeout)

    def resolve_checkpoint_path(self, name: str, source_job_id: str | None = None) -> Any:
        """Resolve a cross-job checkpoint path."""
        return self._call("resolve_checkpoint_path", name, source_job_id)

    def list_checkpoints(self) -> Any:
        """List the available DCP checkpoints."""
        return self._call("list_checkpoints")

    def __repr__(self) -> str:
        return f"ReconnectableClient(job_id={self._job_id!r}, base_model={self.base_model!r})"
