"""The embedded local backend: a control plane that provisions on paper.

``build_service_client(base_url="local://...")`` and the legacy emulation
(``ftmigrate.api.legacy``) both provision through a :class:`LocalBackend`. It keeps real
bookkeeping -- trainer jobs with ids and states, deployments, who created what -- and an
append-only event log, so a test can run legacy code and its migrated form against the same
control plane and compare what each one created, reused and released.

It never trains or samples: every training or sampling call on a client it hands out raises
:class:`LocalBackendError`. It never touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ftmigrate.api import _record

#: The account that owns resources on the local backend (it appears in resource names).
LOCAL_ACCOUNT = "local"

#: What a local trainer reports as its context length when none was requested. The real
#: backend resolves it from the training shape; the local backend has no shape catalog.
DEFAULT_MAX_CONTEXT_LENGTH = 32768

TRAINER_RUNNING, TRAINER_CANCELLED, TRAINER_DELETED = "RUNNING", "CANCELLED", "DELETED"
DEPLOYMENT_READY, DEPLOYMENT_SCALED_TO_ZERO, DEPLOYMENT_DELETED = (
    "READY",
    "SCALED_TO_ZERO",
    "DELETED",
)

_NO_TRAINING = (
    "the local backend provisions but does not train or sample; run against an https://"
    " base_url with the real SDK (pip install 'ftmigrate[sdk]') to train"
)


class LocalBackendError(RuntimeError):
    """A training or sampling call reached the local backend, which only provisions."""


class UnknownResourceError(LookupError):
    """A job or deployment id that the control plane does not know."""


@dataclass(frozen=True)
class Event:
    """One entry of a backend's event log.

    ``kind``: ``created``, ``reattached``, ``deleted`` (the service's cleanup), ``cancelled``
    (the legacy ``ResourceCleanup``), ``scaled_to_zero``, ``reference`` (the reference strategy
    chosen; ``detail`` is ``shared``, ``separate`` or ``reattached``) or ``closed``.
    ``resource``: ``trainer``, ``deployment`` or ``service``. ``role``: ``policy`` or
    ``reference`` for trainers. ``source``: who acted (``service-1``, ``setup_infra``,
    ``ResourceCleanup`` ...).
    """

    kind: str
    resource: str
    id: str
    role: str | None = None
    detail: str | None = None
    source: str | None = None


@dataclass
class TrainerJob:
    """A trainer job on the local control plane."""

    job_id: str
    base_model: str
    role: str | None = None
    lora_rank: int = 0
    forward_only: bool = False
    training_shape_id: str | None = None
    shape_path: str = "auto"
    region: str | None = None
    replica_count: int | None = None
    max_context_length: int = DEFAULT_MAX_CONTEXT_LENGTH
    display_name: str | None = None
    state: str = TRAINER_RUNNING

    @property
    def job_name(self) -> str:
        """The full resource name, ``accounts/local/rlorTrainerJobs/<job_id>``."""
        return f"accounts/{LOCAL_ACCOUNT}/rlorTrainerJobs/{self.job_id}"


@dataclass
class Deployment:
    """A deployment on the local control plane."""

    deployment_id: str
    base_model: str
    deployment_shape: str | None = None
    hot_load_trainer_job: str | None = None
    replica_count: int | None = None
    region: str | None = None
    gpu_count: int = 1
    state: str = DEPLOYMENT_READY

    @property
    def name(self) -> str:
        """The full resource name, ``accounts/local/deployments/<deployment_id>``."""
        return f"accounts/{LOCAL_ACCOUNT}/deployments/{self.deployment_id}"

    @property
    def inference_model(self) -> str:
        """The model string a sampler sends: the base model routed to this deployment."""
        return f"{self.base_model}#{self.name}"


def derive_deployment_id(base_model: str) -> str:
    """The deployment id the cookbook derives from a base model name when none is given."""
    slug = re.sub(r"[^a-z0-9-]+", "-", base_model.rsplit("/", 1)[-1].lower()).strip("-")
    return slug or "deployment"


class LocalBackend:
    """One local control plane (one per ``local://`` base URL; see :func:`local_backend`)."""

    #: Treat a trainer job id nobody registered as an existing job (reattaching registers it)
    #: instead of an error: a dry run of code that resumes jobs by id, when the ids are not
    #: known in advance (``ftmigrate verify``).
    assume_existing = False

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.reset()

    def reset(self) -> None:
        """Forget every trainer, deployment and event (tests call this between cases)."""
        self._events: list[Event] = []
        self.trainers: dict[str, TrainerJob] = {}
        self.deployments: dict[str, Deployment] = {}
        self._counters: dict[str, int] = {}

    @property
    def events(self) -> tuple[Event, ...]:
        """The event log, oldest first (a snapshot: the log itself only grows)."""
        return tuple(self._events)

    def events_since(self, start: int) -> tuple[Event, ...]:
        """Events appended after the log had ``start`` entries."""
        return tuple(self._events[start:])

    def record(self, kind: str, resource: str, id: str, **extra: Any) -> Event:
        """Append an event to the log and return it."""
        event = Event(kind, resource, id, **extra)
        self._events.append(event)
        if _record.active is not None:  # `ftmigrate verify` records where each event came from
            _record.logged(event)
        return event

    def new_id(self, prefix: str) -> str:
        """A fresh id, unique on this backend: ``<prefix>-0001``, ``<prefix>-0002`` ..."""
        self._counters[prefix] = n = self._counters.get(prefix, 0) + 1
        return f"{prefix}-{n:04d}"

    # -- pre-registration: resources that exist before the code under test runs ------------

    def register_trainer(self, job_id: str | None = None, *, base_model: str, **fields: Any) -> TrainerJob:
        """Add an existing trainer job (no event), so code can reattach to it by id."""
        job = TrainerJob(job_id=job_id or self.new_id("existing-trainer"), base_model=base_model, **fields)
        self.trainers[job.job_id] = job
        return job

    def register_deployment(self, deployment_id: str, *, base_model: str, **fields: Any) -> Deployment:
        """Add an existing deployment (no event), so code can reattach to it by id."""
        deployment = Deployment(deployment_id=deployment_id, base_model=base_model, **fields)
        self.deployments[deployment_id] = deployment
        return deployment

    # -- trainers --------------------------------------------------------------------------

    def create_trainer(self, *, source: str, job_id: str | None = None, **fields: Any) -> TrainerJob:
        """Create a trainer job (a fresh id unless ``job_id`` is given) and log it."""
        existing = self.trainers.get(job_id) if job_id is not None else None
        if existing is not None and existing.state != TRAINER_DELETED:
            raise ValueError(f"trainer job {job_id!r} already exists on {self.base_url}")
        job = TrainerJob(job_id=job_id or self.new_id("trainer"), **fields)
        self.trainers[job.job_id] = job
        self.record(
            "created", "trainer", job.job_id, role=job.role, detail=_shape_detail(job), source=source
        )
        return job

    def get_trainer(self, job_id: str) -> TrainerJob:
        """The trainer job ``job_id``; a deleted or unknown id is an error."""
        job = self.trainers.get(job_id)
        if job is None and self.assume_existing:
            return self.register_trainer(job_id, base_model="(existing)")
        if job is None or job.state == TRAINER_DELETED:
            known = ", ".join(sorted(j for j, t in self.trainers.items() if t.state != TRAINER_DELETED))
            raise UnknownResourceError(
                f"trainer job {job_id!r} does not exist on {self.base_url}"
                f" (known: {known or 'none'}); register it with local_backend().register_trainer()"
            )
        return job

    def reattach_trainer(self, job_id: str, *, role: str, source: str) -> TrainerJob:
        """Attach to an existing trainer job; a cancelled job is resumed, as the cookbook does."""
        job = self.get_trainer(job_id)
        detail = None
        if job.state == TRAINER_CANCELLED:
            job.state, detail = TRAINER_RUNNING, "resumed from CANCELLED"
        self.record("reattached", "trainer", job_id, role=role, detail=detail, source=source)
        return job

    def delete_trainer(self, job_id: str, *, source: str, role: str | None = None) -> None:
        """Delete a trainer job (what the SDK-managed service does on close)."""
        job = self.get_trainer(job_id)
        job.state = TRAINER_DELETED
        self.record("deleted", "trainer", job_id, role=role or job.role, source=source)

    def cancel_trainer(self, job_id: str, *, source: str, detail: str | None = None) -> bool:
        """Cancel a trainer job (what legacy ``ResourceCleanup`` did); False if already stopped."""
        job = self.get_trainer(job_id)
        if job.state != TRAINER_RUNNING:
            return False
        job.state = TRAINER_CANCELLED
        self.record("cancelled", "trainer", job_id, role=job.role, detail=detail, source=source)
        return True

    # -- deployments -----------------------------------------------------------------------

    def get_deployment(self, deployment_id: str) -> Deployment:
        """The deployment ``deployment_id``; a deleted or unknown id is an error."""
        deployment = self.deployments.get(deployment_id)
        if deployment is None or deployment.state == DEPLOYMENT_DELETED:
            raise UnknownResourceError(f"deployment {deployment_id!r} does not exist on {self.base_url}")
        return deployment

    def find_deployment(self, deployment_id: str) -> Deployment | None:
        """The live deployment ``deployment_id``, or None."""
        deployment = self.deployments.get(deployment_id)
        return None if deployment is None or deployment.state == DEPLOYMENT_DELETED else deployment

    def create_or_reattach_deployment(
        self,
        deployment_id: str,
        *,
        source: str,
        base_model: str,
        hot_load_trainer_job: str | None = None,
        **fields: Any,
    ) -> tuple[Deployment, bool]:
        """Reattach a live deployment to ``hot_load_trainer_job`` or create it; (deployment, created)."""
        existing = self.find_deployment(deployment_id)
        if existing is not None:
            if existing.state == DEPLOYMENT_SCALED_TO_ZERO:
                existing.state = DEPLOYMENT_READY
            existing.hot_load_trainer_job = hot_load_trainer_job or existing.hot_load_trainer_job
            self.record(
                "reattached",
                "deployment",
                deployment_id,
                detail=f"hot_load_trainer_job={existing.hot_load_trainer_job}",
                source=source,
            )
            return existing, False
        deployment = Deployment(
            deployment_id=deployment_id,
            base_model=base_model,
            hot_load_trainer_job=hot_load_trainer_job,
            **fields,
        )
        self.deployments[deployment_id] = deployment
        detail = f"deployment_shape={deployment.deployment_shape}" if deployment.deployment_shape else None
        self.record("created", "deployment", deployment_id, detail=detail, source=source)
        return deployment, True

    def delete_deployment(self, deployment_id: str, *, source: str) -> None:
        """Delete a deployment."""
        self.get_deployment(deployment_id).state = DEPLOYMENT_DELETED
        self.record("deleted", "deployment", deployment_id, source=source)

    def scale_deployment_to_zero(self, deployment_id: str, *, source: str) -> None:
        """Scale a deployment to zero replicas (it stays, and can be reattached)."""
        self.get_deployment(deployment_id).state = DEPLOYMENT_SCALED_TO_ZERO
        self.record("scaled_to_zero", "deployment", deployment_id, source=source)

    def __repr__(self) -> str:
        return (
            f"LocalBackend({self.base_url!r}, trainers={len(self.trainers)},"
            f" deployments={len(self.deployments)}, events={len(self._events)})"
        )


def _shape_detail(job: TrainerJob) -> str:
    mode = "forward-only " if job.forward_only else ""
    shape = job.training_shape_id or "auto-selected"
    return f"{mode}shape={shape} ({job.shape_path})"


_BACKENDS: dict[str, LocalBackend] = {}


def is_local(base_url: str) -> bool:
    """Whether ``base_url`` selects the embedded local backend."""
    return base_url.startswith("local://")


def local_backend(base_url: str = "local://") -> LocalBackend:
    """The control plane behind ``base_url`` (one per URL, created on first use)."""
    if not is_local(base_url):
        raise ValueError(f"local_backend({base_url!r}): a local backend URL starts with local://")
    backend = _BACKENDS.get(base_url)
    if backend is None:
        backend = _BACKENDS[base_url] = LocalBackend(base_url)
    return backend


# -- clients handed out by the local backend ---------------------------------------------------


def refusing(what: str) -> Any:
    """A method that raises :class:`LocalBackendError` naming ``what``."""

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise LocalBackendError(f"{type(self).__name__}.{what}(): {_NO_TRAINING}")

    call.__name__ = what
    call.__doc__ = f"Raises :class:`LocalBackendError`: {_NO_TRAINING}."
    return call


#: Calls on a training client that need a real trainer.
TRAINING_CALLS = (
    "forward",
    "forward_backward",
    "forward_backward_custom",
    "optim_step",
    "save_state",
    "load_state",
    "load_state_with_optimizer",
    "save_weights_for_sampler",
    "save_weights_for_sampler_ext",
    "resolve_checkpoint_path",
    "list_checkpoints",
    "get_info",
    "get_tokenizer",
    "create_sampling_client",
    "weight_sync",
)

#: Calls on a sampler that need a real deployment.
SAMPLING_CALLS = (
    "sample_with_tokens",
    "sample_with_prompt_tokens",
    "sample_with_prompt_tokens_result",
    "async_completions_stream",
)


class LocalTrainingClient:
    """A training (or reference) client bound to a local trainer job.

    It knows which trainer backs it; every training call raises :class:`LocalBackendError`.
    """

    def __init__(self, backend: LocalBackend, job: TrainerJob, *, base_model: str, lora_rank: int, role: str) -> None:
        self.backend = backend
        self.job_id = job.job_id
        self.job_name = job.job_name
        self.base_model = base_model
        self.lora_rank = lora_rank
        self.role = role

    def close(self) -> None:
        """Nothing to release: the trainer's lifecycle belongs to whoever created it."""

    def __repr__(self) -> str:
        return f"LocalTrainingClient(role={self.role!r}, job_id={self.job_id!r})"


for _name in TRAINING_CALLS:
    setattr(LocalTrainingClient, _name, refusing(_name))


class LocalSampler:
    """A deployment sampler bound to a local deployment; every sampling call raises."""

    def __init__(self, deployment: Deployment, *, tokenizer: Any = None, concurrency_controller: Any = None) -> None:
        self.deployment_id = deployment.deployment_id
        self.model = deployment.inference_model
        self.tokenizer = tokenizer
        self.concurrency_controller = concurrency_controller

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"LocalSampler(deployment_id={self.deployment_id!r})"


for _name in SAMPLING_CALLS:
    setattr(LocalSampler, _name, refusing(_name))


# -- the provisioning plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTrainer:
    """A trainer that a run created or reattached."""

    role: str  # "policy" or "reference"
    job_id: str
    action: str  # "created" or "reattached"
    training_shape_id: str | None
    shape_path: str  # "explicit", "manual", "auto", or "existing" for a reattached job
    forward_only: bool
    lora_rank: int


@dataclass(frozen=True)
class PlannedDeployment:
    """The deployment a run created or reattached."""

    deployment_id: str
    action: str  # "created" or "reattached"
    deployment_shape: str | None
    hot_load_trainer_job: str | None


@dataclass(frozen=True)
class RunningResource:
    """A resource still running after the run ended."""

    resource: str  # "trainer" or "deployment"
    id: str
    role: str | None = None


@dataclass(frozen=True)
class ProvisioningPlan:
    """What a (dry) run provisioned, and what its cleanup left behind.

    ``reference`` is ``none``, ``shared`` (the LoRA policy session serves as reference),
    ``separate`` (a forward-only reference trainer was created) or ``reattached``.
    ``released`` are the cleanup events (``deleted`` / ``cancelled`` / ``scaled_to_zero``);
    ``left_running`` is what is still up.
    """

    recipe: str | None
    surface: str  # "target" (build_service_client) or "legacy" (setup_infra)
    base_url: str
    trainers: tuple[PlannedTrainer, ...]
    reference: str
    deployment: PlannedDeployment | None
    released: tuple[Event, ...]
    left_running: tuple[RunningResource, ...]
    config: Mapping[str, Any] | None = None
    #: The target surface (``"2026-06"`` ...) of a target run; None for legacy or raw-SDK runs.
    target: str | None = None

    def trainer(self, role: str) -> PlannedTrainer | None:
        """The trainer with ``role`` (``policy`` / ``reference``), or None."""
        return next((t for t in self.trainers if t.role == role), None)

    def summary(self) -> str:
        """A few human-readable lines."""
        where = f"target {self.target}" if self.target else f"{self.surface} surface"
        lines = [f"{self.recipe or 'run'} ({where}) on {self.base_url}"]
        for t in self.trainers:
            shape = t.training_shape_id or "auto-selected shape"
            lines.append(f"  {t.role} trainer {t.job_id}: {t.action}, {shape} [{t.shape_path}]")
        lines.append(f"  reference: {self.reference}")
        if self.deployment is not None:
            lines.append(f"  deployment {self.deployment.deployment_id}: {self.deployment.action}")
        for e in self.released:
            lines.append(f"  released: {e.resource} {e.id} {e.kind}")
        for r in self.left_running:
            lines.append(f"  left running: {r.resource} {r.id}" + (f" ({r.role})" if r.role else ""))
        return "\n".join(lines)


class Ledger:
    """What one service (or one legacy ``setup_infra`` run) provisioned; builds its plan."""

    def __init__(self, backend: LocalBackend, *, surface: str, target: str | None = None) -> None:
        self.backend = backend
        self.surface = surface
        self.target = target
        self.start = len(backend.events)
        self.trainers: list[PlannedTrainer] = []
        self.reference = "none"
        self.deployment: PlannedDeployment | None = None

    def add_trainer(self, job: TrainerJob, *, role: str, created: bool) -> None:
        """Note a trainer this run created or reattached."""
        self.trainers.append(
            PlannedTrainer(
                role=role,
                job_id=job.job_id,
                action="created" if created else "reattached",
                training_shape_id=job.training_shape_id,
                shape_path=job.shape_path if created else "existing",
                forward_only=job.forward_only,
                lora_rank=job.lora_rank,
            )
        )

    def set_reference(self, strategy: str, job_id: str, *, source: str) -> None:
        """Note (and log) the reference strategy, once."""
        if self.reference != "none":
            return
        self.reference = strategy
        self.backend.record("reference", "trainer", job_id, role="reference", detail=strategy, source=source)

    def set_deployment(self, deployment: Deployment, *, created: bool) -> None:
        """Note the deployment this run created or reattached."""
        self.deployment = PlannedDeployment(
            deployment_id=deployment.deployment_id,
            action="created" if created else "reattached",
            deployment_shape=deployment.deployment_shape,
            hot_load_trainer_job=deployment.hot_load_trainer_job,
        )

    def plan(self, *, recipe: str | None = None, config: Mapping[str, Any] | None = None) -> ProvisioningPlan:
        """The plan as of now: cleanup events so far, and what is still running."""
        trainer_ids = {t.job_id for t in self.trainers}
        deployment_ids = {self.deployment.deployment_id} if self.deployment else set()
        released = tuple(
            e
            for e in self.backend.events_since(self.start)
            if e.kind in ("deleted", "cancelled", "scaled_to_zero")
            and (e.id in trainer_ids if e.resource == "trainer" else e.id in deployment_ids)
        )
        running = [
            RunningResource("trainer", t.job_id, t.role)
            for t in _unique(self.trainers)
            if self.backend.trainers[t.job_id].state == TRAINER_RUNNING
        ]
        if self.deployment and self.backend.deployments[self.deployment.deployment_id].state == DEPLOYMENT_READY:
            running.append(RunningResource("deployment", self.deployment.deployment_id))
        return ProvisioningPlan(
            recipe=recipe,
            surface=self.surface,
            base_url=self.backend.base_url,
            trainers=tuple(self.trainers),
            reference=self.reference,
            deployment=self.deployment,
            released=released,
            left_running=tuple(running),
            config=dict(config) if config is not None else None,
            target=self.target,
        )


def _unique(trainers: Iterable[PlannedTrainer]) -> list[PlannedTrainer]:
    seen: set[str] = set()
    out = []
    for t in trainers:
        if t.job_id not in seen:
            seen.add(t.job_id)
            out.append(t)
    return out


def reference_strategy(*, lora_rank: int, reference_shape: str | None, reference_job_id: str | None) -> str:
    """The cookbook's reference rule: ``reattached``, ``shared`` (LoRA, no explicit reference
    shape: the policy session with its adapter disabled) or ``separate`` (a forward-only trainer).
    """
    if reference_job_id is not None:
        return "reattached"
    if lora_rank > 0 and reference_shape is None:
        return "shared"
    return "separate"

