"""The unsafe rewrites keep the provisioning plan: each legacy fixture and its rewrite, run on
the local backend, create or reattach the same trainers (roles, shapes, ids), pick the same
reference strategy and deployment, and release everything the legacy code released -- on the
normal path and when the body raises.

Where the port releases more, or less, than legacy did, the case says so, and the rewrite's
diagnostics say so too (the separate reference trainer the service deletes on close; a
deployment cleanup with no manager in scope, left as a TODO).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ftmigrate.api.backend import LocalBackend
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager
from ftmigrate.api.service import local_backend
from tests.helpers import run

from .dryrun import LOCAL, InjectedFailure, Training, execute, pair

KEY = "fw-test-key"
BASE_MODEL = "accounts/fireworks/models/qwen3-8b"


def managers(**extra: Any) -> dict[str, Any]:
    """The keyword arguments of a fixture that takes its managers from outside."""
    return dict(
        rlor_mgr=TrainerJobManager(api_key=KEY, base_url=LOCAL),
        deploy_mgr=DeploymentManager(api_key=KEY, base_url=LOCAL),
        api_key=KEY,
        **extra,
    )


def trainer_manager(**extra: Any) -> dict[str, Any]:
    return dict(rlor_mgr=TrainerJobManager(api_key=KEY, base_url=LOCAL), api_key=KEY, **extra)


def drive_fixture(name: str) -> Callable[[dict[str, Any]], Any]:
    """Use a yield fixture the way pytest does: set up, use the client, tear down (also when
    the use fails)."""

    def call(namespace: dict[str, Any]) -> Any:
        generator = namespace[name].__wrapped__(TrainerJobManager(api_key=KEY, base_url=LOCAL))
        client = next(generator)
        try:
            client.optim_step(None)
        finally:
            next(generator, None)
        return client.job_id

    return call


@dataclass(frozen=True)
class Case:
    name: str
    fixture: str  # <codemod>/<case>
    call: Callable[[dict[str, Any]], Any]
    #: Trainers / deployments that exist before the run (reused ids).
    existing_trainers: tuple[str, ...] = ()
    existing_deployments: tuple[str, ...] = ()
    #: (resource, role) the port releases although legacy did not -- stated in FTM050.
    released_only_by_port: frozenset[tuple[str, str | None]] = frozenset()
    #: (resource, role) legacy released and the port does not -- a TODO (FTM054) says so.
    released_only_by_legacy: frozenset[tuple[str, str | None]] = frozenset()
    #: Whether the body makes a training call (so an injected failure can hit it).
    trains: bool = True


CASES = [
    Case("dpo-api-level", "resource_cleanup/dpo_api_level", lambda ns: ns["main"]()),
    Case("recipe-internal", "setup_infra/recipe_internal", lambda ns: ns["train"](**managers())),
    Case(
        "recipe-internal-reattached",
        "setup_infra/recipe_internal",
        lambda ns: ns["train"](**managers(policy_job_id="policy-existing")),
        existing_trainers=("policy-existing",),
    ),
    Case("test-fixture", "setup_infra/test_helper", drive_fixture("policy_client")),
    Case(
        "test-function",
        "setup_infra/test_helper",
        lambda ns: ns["test_lora_reference_shares_the_policy_session"](TrainerJobManager(api_key=KEY, base_url=LOCAL)),
        trains=False,
    ),
    Case("closeables-try", "setup_infra/closeables_try", lambda ns: ns["run"](**trainer_manager())),
    Case(
        "early-return",
        "setup_infra/early_return",
        lambda ns: ns["evaluate"](**trainer_manager(batches=[])),
        released_only_by_port=frozenset({("trainer", "reference")}),
        trains=False,
    ),
    Case(
        "exception-in-body",
        "setup_infra/early_return",
        lambda ns: ns["evaluate"](**trainer_manager(batches=[[1], None])),
        released_only_by_port=frozenset({("trainer", "reference")}),
    ),
    Case(
        "evaluate-to-the-end",
        "setup_infra/early_return",
        lambda ns: ns["evaluate"](**trainer_manager(batches=[[1], [2]])),
        released_only_by_port=frozenset({("trainer", "reference")}),
    ),
    Case(
        "reused-ids",
        "setup_infra/reused_ids",
        lambda ns: ns["resume"](**trainer_manager(policy_job_id="policy-existing", reference_job_id="reference-existing")),
        existing_trainers=("policy-existing", "reference-existing"),
    ),
    Case(
        "fresh-ids",
        "setup_infra/reused_ids",
        lambda ns: ns["resume"](**trainer_manager(policy_job_id=None, reference_job_id=None)),
    ),
    Case("two-services", "setup_infra/two_services", lambda ns: ns["compare"](**trainer_manager(batch=[1]))),
    Case("module-level-script", "setup_infra/module_level", lambda ns: None),
    Case("module-level-managers", "setup_infra/no_replacement", lambda ns: ns["boot"](**managers(base_model=BASE_MODEL, lora_rank=0)), trains=False),
    Case("combined-with", "resource_cleanup/combined_with", lambda ns: ns["train"](**trainer_manager(log_path=os.devnull))),
    Case("deployment-cleanup", "resource_cleanup/deployment_cleanup", lambda ns: ns["main"]()),
    Case("early-release", "resource_cleanup/early_release", lambda ns: ns["train"](**trainer_manager(batches=[[1], [2]]))),
    Case("explicit-registration", "resource_cleanup/explicit_registration", lambda ns: ns["train"](**trainer_manager())),
    Case(
        "deployment-without-manager",
        "resource_cleanup/deployment_without_manager",
        lambda ns: ns["serve"](**trainer_manager(deployment_id="serving-existing")),
        existing_deployments=("serving-existing",),
        released_only_by_legacy=frozenset({("deployment", None)}),
    ),
    Case("base-reference", "reference_client/infra_policy", lambda ns: ns["train"](**trainer_manager())),
    Case("base-reference-only", "reference_client/receiver_only", lambda ns: ns["reference_logprobs"](**trainer_manager(batch=[1]))),
]


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalBackend]:
    monkeypatch.setenv("FIREWORKS_API_KEY", KEY)
    monkeypatch.setenv("FIREWORKS_BASE_URL", LOCAL)
    plane = local_backend(LOCAL)
    plane.reset()
    yield plane
    plane.reset()


def dry_runs(case: Case, backend: LocalBackend, training: Training) -> tuple[Any, Any]:
    before, after = pair(case.fixture)
    runs = []
    for path, surface in ((before, "legacy"), (after, "target")):
        backend.reset()
        training.calls.clear()
        for job_id in case.existing_trainers:
            backend.register_trainer(job_id, base_model=BASE_MODEL)
        for deployment_id in case.existing_deployments:
            backend.register_deployment(deployment_id, base_model=BASE_MODEL)
        runs.append(execute(path, surface, backend, case.call))
    return runs[0], runs[1]


def check(case: Case, legacy: Any, port: Any) -> None:
    assert port.provisioned == legacy.provisioned
    assert port.provisioned, "the run provisioned nothing"
    assert port.closed, "a service was left open"
    for (resource, role, job_id), kind in legacy.released.items():
        if (resource, role) in case.released_only_by_legacy:
            assert (resource, role, job_id) not in port.released
            continue
        assert (resource, role, job_id) in port.released, f"{resource} {job_id} ({role}) is no longer released"
        if resource == "trainer":
            assert (kind, port.released[resource, role, job_id]) == ("cancelled", "deleted")
        else:
            assert port.released[resource, role, job_id] == kind
    extra = {(resource, role) for resource, role, _ in port.released.keys() - legacy.released.keys()}
    assert extra == set(case.released_only_by_port)
    existing = {("trainer", j) for j in case.existing_trainers}
    assert existing <= port.running, "a reused trainer was released"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_normal_path(case: Case, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    training = Training()
    training.install(monkeypatch)
    legacy, port = dry_runs(case, backend, training)
    expected = ValueError if case.name == "exception-in-body" else None
    for result in (legacy, port):
        assert (type(result.error) if result.error else None) is expected, result.error
    assert port.result == legacy.result
    check(case, legacy, port)


@pytest.mark.parametrize("case", [c for c in CASES if c.trains], ids=[c.name for c in CASES if c.trains])
def test_body_raises(case: Case, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    training = Training(fail_at=1)
    training.install(monkeypatch)
    legacy, port = dry_runs(case, backend, training)
    if case.name != "exception-in-body":
        assert isinstance(legacy.error, InjectedFailure) and isinstance(port.error, InjectedFailure)
    check(case, legacy, port)


def test_base_reference_for_full_parameter_training_becomes_a_separate_trainer(
    backend: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented strategy change of FTM056: legacy create_base_reference() used the
    policy's own session even at full parameter; the service provisions a forward-only
    reference trainer, and deletes it on close()."""
    Training().install(monkeypatch)
    case = Case("full-parameter", "reference_client/infra_policy", lambda ns: ns["train"](**trainer_manager(lora_rank=0)))
    legacy, port = dry_runs(case, backend, Training())
    reference = lambda r: [(e.detail, e.role) for e in r.events if e.kind == "reference"]  # noqa: E731
    assert reference(legacy) == [("shared", "reference")]
    assert reference(port) == [("separate", "reference")]
    assert {k[:2] for k in port.released} == {("trainer", "reference")}
    diagnostic = next(d for d in run(pair(case.fixture)[0].read_text()).diagnostics if d.code == "FTM056")
    assert "separate forward-only trainer" in diagnostic.message


def test_placeholder_endpoint_fails_loudly_before_provisioning(backend: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """FTM052: an endpoint that cannot be derived is a marked name, a NameError if run, and the
    service is never built."""
    clients = types.ModuleType("myproject.clients")
    clients.make_trainer_manager = lambda api_key: TrainerJobManager(api_key=api_key, base_url=LOCAL)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myproject", types.ModuleType("myproject"))
    monkeypatch.setitem(sys.modules, "myproject.clients", clients)
    _, after = pair("setup_infra/endpoint_unknown")
    port = execute(after, "target", backend, lambda ns: ns["main"](KEY))
    assert isinstance(port.error, NameError) and "FTMIGRATE_TODO_BASE_URL" in str(port.error)
    assert port.events == ()
