"""Dry-run a fixture file on the embedded local backend and summarise what it provisioned.

The legacy fixture (``<case>.before.py``) runs under ``mount(surface="legacy")``, its rewrite
(``<case>.after.py``) under ``mount(surface="target")``; both with the bundled
``fireworks.training.sdk``, so the managers legacy code builds drive the same local control
plane as ``build_service_client(base_url="local://")``. The fixtures get that URL the way real
scripts get theirs: ``FIREWORKS_BASE_URL`` in the environment, or the ``base_url`` of the
``TrainerJobManager`` the test passes in (the rewrite reads ``rlor_mgr.base_url`` when the
manager comes from outside).

The local backend provisions but does not train: :class:`Training` stands in for the training
calls (and can make one of them fail, to drive the exception path).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftmigrate.api.backend import (
    DEPLOYMENT_READY,
    TRAINER_RUNNING,
    TRAINING_CALLS,
    Event,
    LocalBackend,
    LocalTrainingClient,
)
from ftmigrate.api.mount import mount

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LOCAL = "local://"
RELEASES = ("cancelled", "deleted", "scaled_to_zero")


class InjectedFailure(RuntimeError):
    """Raised by a training call when the test asks for a failure in the body."""


@dataclass
class Training:
    """Stand-ins for the training calls of local training clients; counts them, and raises
    :class:`InjectedFailure` on call number ``fail_at`` (1-based) when set."""

    fail_at: int | None = None
    calls: list[str] = field(default_factory=list)

    def install(self, monkeypatch: Any) -> None:
        for name in TRAINING_CALLS:
            monkeypatch.setattr(LocalTrainingClient, name, self._call(name))

    def _call(self, name: str) -> Callable[..., Any]:
        def call(client: LocalTrainingClient, *args: Any, **kwargs: Any) -> Any:
            self.calls.append(f"{client.role}.{name}")
            if self.fail_at is not None and len(self.calls) >= self.fail_at:
                raise InjectedFailure(f"injected failure in {client.role}.{name}")
            return None

        return call


@dataclass(frozen=True)
class Run:
    """What one dry run did: its events, the error it raised, what is still running."""

    events: tuple[Event, ...]
    error: BaseException | None
    result: Any
    running: frozenset[tuple[str, str]]

    @property
    def provisioned(self) -> list[tuple[str, str, str | None, str, str | None]]:
        """Trainers and deployments created or reattached, and the reference strategy, sorted
        (legacy and service provision in different orders)."""
        return sorted(
            (e.kind, e.resource, e.role, e.id, e.detail)
            for e in self.events
            if e.kind in ("created", "reattached", "reference")
        )

    @property
    def closed(self) -> bool:
        """Whether every service the run built was closed."""
        built = {e.source for e in self.events if e.source and e.source.startswith("service-")}
        return built <= {e.id for e in self.events if e.kind == "closed" and e.resource == "service"}

    @property
    def released(self) -> dict[tuple[str, str | None, str], str]:
        """(resource, role, id) -> how it was released (cancelled / deleted / scaled_to_zero)."""
        return {(e.resource, e.role, e.id): e.kind for e in self.events if e.kind in RELEASES}


def execute(
    path: Path | str,
    surface: str,
    backend: LocalBackend,
    call: Callable[[dict[str, Any]], Any],
) -> Run:
    """Run ``call(namespace)`` on the fixture module ``path`` (or source text) under ``surface``'s mount."""
    source = path.read_text() if isinstance(path, Path) else path
    filename = str(path) if isinstance(path, Path) else "<generated>"
    start = len(backend.events)
    error: BaseException | None = None
    result = None
    with mount(surface=surface, bundled_sdk=True), warnings.catch_warnings():
        # Legacy fixtures construct InfraConfig, which warns by design.
        warnings.simplefilter("ignore", DeprecationWarning)
        namespace: dict[str, Any] = {"__name__": f"fixture_{surface}"}
        try:
            exec(compile(source, filename, "exec"), namespace)  # a script provisions right here
            result = call(namespace)
        except Exception as exc:  # the body's failure is part of what is compared
            error = exc
    running = {("trainer", j) for j, t in backend.trainers.items() if t.state == TRAINER_RUNNING}
    running |= {("deployment", d) for d, x in backend.deployments.items() if x.state == DEPLOYMENT_READY}
    return Run(backend.events_since(start), error, result, frozenset(running))


def pair(case: str) -> tuple[Path, Path]:
    """The before / after files of ``<codemod>/<case>``."""
    before = FIXTURES / f"{case}.before.py"
    return before, before.with_name(before.name.replace(".before.py", ".after.py"))
