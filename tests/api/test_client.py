"""ReconnectableClient: the target constructor, blocking dispatch, and the legacy constructor."""

from __future__ import annotations

import inspect

import pytest

from ftmigrate.api import ConfigWarning, ReconnectableClient, TrainerConfig, build_service_client
from ftmigrate.api.backend import LocalBackendError, UnknownResourceError
from ftmigrate.api.sdk import TrainerJobManager

from .conftest import BASE_MODEL


class Future:
    def __init__(self, value):
        self.value, self.timeout = value, "never waited"

    def result(self, timeout=None):
        self.timeout = timeout
        return self.value


class RecordingClient:
    """A stand-in training client: records each call, returns a future (as the SDK does)."""

    def __init__(self):
        self.calls, self.futures = [], []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            self.futures.append(Future(f"{name}-result"))
            return self.futures[-1]

        return call


def wrap(client, **kwargs):
    return ReconnectableClient.from_training_client(client, job_id="job-1", base_model=BASE_MODEL, **kwargs)


def test_from_training_client_signature_follows_the_reference_table() -> None:
    params = inspect.signature(ReconnectableClient.from_training_client).parameters
    assert [(p.name, p.default) for p in params.values()] == [
        ("client", inspect.Parameter.empty),
        ("job_id", inspect.Parameter.empty),
        ("base_model", inspect.Parameter.empty),
        ("lora_rank", 0),
        ("service", None),
        ("default_timeout", 3600),
    ]


@pytest.mark.parametrize(
    "method, args, kwargs, expected_call, timeout",
    [
        ("forward", ([1], "ce"), {}, (("[1]", "'ce'"), {}), 3600),
        ("forward_backward", ([1], "ce", {"a": 1}), {}, (("[1]", "'ce'", "{'a': 1}"), {}), 3600),
        ("forward_backward_custom", ([1], len), {}, (("[1]", "<built-in function len>"), {}), 3600),
        ("optim_step", ("adam",), {"grad_accumulation_normalization": "num_loss_tokens"},
         (("'adam'",), {"grad_accumulation_normalization": "num_loss_tokens"}), 3600),
        ("save_state", ("step-5",), {}, (("'step-5'",), {}), 2700),
        ("load_state_with_optimizer", ("gs://ckpt",), {"timeout": 10}, (("'gs://ckpt'",), {}), 10),
        ("save_weights_for_sampler_ext", ("s1", "delta"), {}, (("'s1'", "'delta'"), {}), 3600),
        ("resolve_checkpoint_path", ("step-5", "other-job"), {}, (("'step-5'", "'other-job'"), {}), 3600),
        ("list_checkpoints", (), {}, ((), {}), 3600),
    ],
)
def test_each_method_dispatches_and_blocks_with_its_timeout(method, args, kwargs, expected_call, timeout) -> None:
    inner = RecordingClient()
    result = getattr(wrap(inner), method)(*args, **kwargs)
    (name, call_args, call_kwargs), = inner.calls
    assert name == method
    assert (tuple(map(repr, call_args)), call_kwargs) == expected_call
    assert result == f"{method}-result"
    assert inner.futures[0].timeout == timeout


def test_default_timeout_applies_to_training_calls() -> None:
    inner = RecordingClient()
    wrap(inner, default_timeout=42).forward([], "ce")
    assert inner.futures[0].timeout == 42


def test_failures_propagate() -> None:
    class Failing:
        def optim_step(self, *args, **kwargs):
            raise ConnectionError("trainer went away")

    with pytest.raises(ConnectionError, match="trainer went away"):
        wrap(Failing()).optim_step("adam")


def test_plain_return_values_pass_through() -> None:
    class Sync:
        def list_checkpoints(self):
            return ["step-1"]

    assert wrap(Sync()).list_checkpoints() == ["step-1"]


@pytest.mark.parametrize("method", ["forward", "forward_backward", "forward_backward_custom", "optim_step",
                                    "save_state", "load_state_with_optimizer", "save_weights_for_sampler_ext",
                                    "resolve_checkpoint_path", "list_checkpoints"])
def test_on_the_local_backend_every_method_raises_the_one_clear_error(backend, method) -> None:
    service = build_service_client(
        api_key=None, base_url="local://", additional_headers=None, base_model=BASE_MODEL, tokenizer_model=None,
        lora_rank=0, max_context_length=None, learning_rate=1e-5, trainer=TrainerConfig(),
    )
    client = ReconnectableClient.from_training_client(
        service.create_training_client(BASE_MODEL), job_id=service.trainer_job_id, base_model=BASE_MODEL, service=service
    )
    args = {"list_checkpoints": ()}.get(method, ("x",) * (2 if method.startswith("forward") else 1))
    with pytest.raises(LocalBackendError, match="provisions but does not train"):
        getattr(client, method)(*args)
    assert client.service is service and client.job_id == service.trainer_job_id


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(client=None, job_id="j", base_model=BASE_MODEL), "client=..."),
        (dict(client=object(), job_id=5, base_model=BASE_MODEL), "job_id=..."),
        (dict(client=object(), job_id="j", base_model=None), "base_model=..."),
        (dict(client=object(), job_id="j", base_model=BASE_MODEL, lora_rank="8"), "lora_rank=..."),
        (dict(client=object(), job_id="j", base_model=BASE_MODEL, default_timeout="1h"), "default_timeout=..."),
    ],
)
def test_wrong_types_fail_in_one_line(kwargs, fragment) -> None:
    with pytest.raises(TypeError) as info:
        ReconnectableClient.from_training_client(**kwargs)
    assert str(info.value).startswith(f"ReconnectableClient({fragment}") and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(job_id=""), "job_id=''"),
        (dict(base_model=""), "base_model=''"),
        (dict(lora_rank=-2), "lora_rank=-2"),
        (dict(default_timeout=0), "default_timeout=0"),
    ],
)
def test_values_the_real_client_accepts_only_warn(kwargs, fragment) -> None:
    arguments = {"client": object(), "job_id": "j", "base_model": BASE_MODEL, **kwargs}
    with pytest.warns(ConfigWarning) as caught:
        client = ReconnectableClient.from_training_client(**arguments)
    assert str(caught[0].message).startswith(f"ReconnectableClient({fragment})") and caught[0].filename == __file__
    assert client.job_id == arguments["job_id"]


def test_legacy_positional_constructor_works_but_warns(backend) -> None:
    backend.register_trainer("legacy-job", base_model=BASE_MODEL)
    manager = TrainerJobManager(api_key="k", base_url="local://")
    with pytest.warns(DeprecationWarning, match="from_training_client") as caught:
        client = ReconnectableClient(manager, "legacy-job", BASE_MODEL, 0)
    assert caught[0].filename == __file__
    assert client.job_id == "legacy-job" and client.rlor_mgr is manager
    assert backend.events == ()  # connecting a client provisions nothing
    with pytest.raises(LocalBackendError):
        client.forward([], "ce")


def test_legacy_constructor_errors(backend) -> None:
    manager = TrainerJobManager(api_key="k", base_url="local://")
    with pytest.warns(DeprecationWarning), pytest.raises(UnknownResourceError, match="'missing'"):
        ReconnectableClient(manager, "missing", BASE_MODEL)
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="bundled TrainerJobManager"):
        ReconnectableClient(object(), "job", BASE_MODEL)
