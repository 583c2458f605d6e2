"""The TrainerConfig / DeployConfig -> real SDK keyword mapping, checked against the real
``fireworks.training.sdk`` signatures (the ``test`` extra installs it). No network: the real
service client is lazy, and sockets are disabled around every real-SDK call anyway."""

from __future__ import annotations

import dataclasses
import inspect
import socket
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate.api import ConfigWarning, DeployConfig, TrainerConfig, build_service_client
from ftmigrate.api import sdk as bundled_sdk
from ftmigrate.api.service import (
    DEPLOY_TO_SDK,
    SDK_ONLY_KEYWORDS,
    SERVICE_KEYWORDS,
    TRAINER_TO_SDK,
    sdk_keywords,
    service_arguments,
)

from .conftest import BASE_MODEL, REFERENCE_SHAPE, SHAPE

SERVICE = dict(
    api_key="fw-test",
    base_url="https://api.fireworks.ai",
    inference_url=None,
    additional_headers={"X-Team": "ml"},
    base_model=BASE_MODEL,
    tokenizer_model="Qwen/Qwen3-8B",
    lora_rank=0,
    max_context_length=None,
    learning_rate=1e-5,
    hotload_timeout_s=None,
    cleanup_trainer_on_close=False,
    reference_required=False,
)

COMBINATIONS = {
    "auto-shape, no deployment": dict(trainer=TrainerConfig(), deployment=None),
    "explicit shapes, reattach ids, deployment": dict(
        trainer=TrainerConfig(
            training_shape_id=SHAPE,
            reference_training_shape_id=REFERENCE_SHAPE,
            job_id="policy-1",
            reference_job_id="ref-1",
            cleanup_reference_on_close=False,
            region="US_IOWA_1",
            timeout_s=1800.0,
            extra_args=["--flag"],
            replica_count=2,
            skip_validations=True,
            purpose="PURPOSE_PILOT",
        ),
        deployment=DeployConfig(
            deployment_id="grpo-serving",
            deployment_shape="accounts/fireworks/deploymentShapes/qwen3-8b",
            deployment_timeout_s=900.0,
            reattach_settle_timeout_s=120,
            deployment_extra_args=["--x"],
            extra_values={"k": "v"},
            replica_count=3,
            disable_speculative_decoding=False,
        ),
        cleanup_trainer_on_close=True,
        reference_required=True,
    ),
    "manual path, deployment region": dict(
        trainer=TrainerConfig(
            accelerator_type="NVIDIA_H200_141GB", accelerator_count=8, node_count=2, custom_image_tag="v1"
        ),
        deployment=DeployConfig(deployment_region="US_VIRGINIA_1", tokenizer_model="Qwen/Qwen3-8B"),
    ),
    "lora with hotload timeout": dict(
        trainer=TrainerConfig(), deployment=DeployConfig(), lora_rank=16, hotload_timeout_s=900, max_context_length=4096
    ),
}


#: Manual-path keywords that newer real SDKs accept but drop (with a DeprecationWarning).
SDK_MAY_DROP = ("accelerator_type", "accelerator_count", "node_count")


def keywords(combination: str) -> tuple[dict, dict]:
    return sdk_keywords(**{**SERVICE, **COMBINATIONS[combination]})


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def real_sdk():
    return pytest.importorskip(
        "fireworks.training.sdk",
        reason="the real SDK (fireworks-ai[training-sdk], in the test extra) is not installed",
    )


# -- the mapping itself (no SDK needed) ----------------------------------------------------


def test_explicit_combination_maps_every_field() -> None:
    client, managed = keywords("explicit shapes, reattach ids, deployment")
    assert client == {
        "api_key": "fw-test",
        "base_url": "https://api.fireworks.ai",
        "inference_url": None,
        "additional_headers": {"X-Team": "ml"},
    }
    assert managed == {
        "base_model": BASE_MODEL,
        "tokenizer_model": "Qwen/Qwen3-8B",
        "lora_rank": 0,
        "max_context_length": None,
        "learning_rate": 1e-5,
        "cleanup_trainer_on_close": True,
        "reference_required": True,
        "create_deployment": True,
        "training_shape_id": SHAPE,
        "reference_training_shape_id": REFERENCE_SHAPE,
        "trainer_job_id": "policy-1",
        "reference_trainer_job_id": "ref-1",
        "cleanup_reference_trainer_on_close": False,
        "region": "US_IOWA_1",
        "trainer_timeout_s": 1800.0,
        "extra_args": ["--flag"],
        "trainer_replica_count": 2,
        "skip_validations": True,
        "purpose": "PURPOSE_PILOT",
        "deployment_id": "grpo-serving",
        "deployment_shape": "accounts/fireworks/deploymentShapes/qwen3-8b",
        "deployment_timeout_s": 900.0,
        "reattach_settle_timeout_s": 120,
        "deployment_extra_args": ["--x"],
        "deployment_extra_values": {"k": "v"},
        "disable_speculative_decoding": False,
        "replica_count": 3,
    }


def test_manual_path_fields_are_sent_only_on_the_manual_path() -> None:
    _, manual = keywords("manual path, deployment region")
    assert (manual["accelerator_type"], manual["accelerator_count"], manual["node_count"]) == ("NVIDIA_H200_141GB", 8, 2)
    assert manual["custom_image_tag"] == "v1"
    assert manual["region"] == "US_VIRGINIA_1"  # the deployment region colocates the trainer
    _, auto = keywords("auto-shape, no deployment")
    assert not {"accelerator_type", "accelerator_count", "node_count", "custom_image_tag"} & set(auto)
    assert auto["create_deployment"] is False and "deployment_id" not in auto


def test_conflicting_regions_and_tokenizers_warn_and_say_which_value_is_sent() -> None:
    # The real cookbook does not refuse these, so the bundled mapping does not either.
    with pytest.warns(ConfigWarning, match="colocates trainer and deployment in TrainerConfig.region"):
        _, managed = sdk_keywords(
            **{**SERVICE, "trainer": TrainerConfig(region="A"), "deployment": DeployConfig(deployment_region="B")}
        )
    assert managed["region"] == "A"
    with pytest.warns(ConfigWarning, match="the DeployConfig's is used"):
        _, managed = sdk_keywords(
            **{**SERVICE, "trainer": TrainerConfig(), "deployment": DeployConfig(tokenizer_model="other/tok")}
        )
    assert managed["tokenizer_model"] == "other/tok"


def test_service_owned_deployment_fields_are_warned_about_not_dropped_silently() -> None:
    deployment = DeployConfig(hot_load_bucket_type="S3", deployment_accelerator_type="NVIDIA_H100")
    with pytest.warns(UserWarning, match="hot_load_bucket_type, deployment_accelerator_type"):
        sdk_keywords(**{**SERVICE, "trainer": TrainerConfig(), "deployment": deployment})


trainers = st.builds(
    TrainerConfig,
    training_shape_id=st.sampled_from([None, SHAPE]),
    reference_training_shape_id=st.sampled_from([None, REFERENCE_SHAPE]),
    job_id=st.sampled_from([None, "job-a"]),
    reference_job_id=st.sampled_from([None, "ref-a"]),
    cleanup_reference_on_close=st.booleans(),
    region=st.sampled_from([None, "US_IOWA_1"]),
    timeout_s=st.floats(min_value=1, max_value=1e5),
    replica_count=st.sampled_from([None, 1, 4]),
    skip_validations=st.booleans(),
)
deployments = st.one_of(
    st.none(),
    st.builds(
        DeployConfig,
        deployment_id=st.sampled_from([None, "serving"]),
        deployment_shape=st.sampled_from([None, "accounts/a/deploymentShapes/s"]),
        deployment_timeout_s=st.floats(min_value=1, max_value=1e5),
        replica_count=st.sampled_from([None, 2]),
        disable_speculative_decoding=st.booleans(),
        extra_values=st.sampled_from([None, {"a": "b"}]),
    ),
)


@given(trainers, deployments, st.integers(min_value=0, max_value=64))
def test_bundled_from_firetitan_config_reads_the_mapping_back(trainer, deployment, lora_rank) -> None:
    _, managed = sdk_keywords(**{**SERVICE, "trainer": trainer, "deployment": deployment, "lora_rank": lora_rank})
    args = service_arguments(managed)
    assert args["trainer"] == trainer
    assert args["deployment"] == deployment
    assert args["lora_rank"] == lora_rank


def test_bundled_from_firetitan_config_provisions_on_the_local_backend(backend) -> None:
    svc = bundled_sdk.FiretitanServiceClient.from_firetitan_config(
        base_model=BASE_MODEL, lora_rank=8, trainer_id="existing", create_deployment=False, seed=3
    )
    assert svc.trainer.job_id == "existing" and svc.deployment is None and svc.sdk_options == {"seed": 3}
    with pytest.raises(TypeError, match="not a FiretitanProvisioningConfig keyword"):
        bundled_sdk.FiretitanServiceClient.from_firetitan_config(base_model=BASE_MODEL, no_such_field=1)
    # The stand-in never leaves the machine: a real URL is served by the default local backend.
    remote = bundled_sdk.FiretitanServiceClient.from_firetitan_config(base_url="https://api.fireworks.ai", base_model=BASE_MODEL)
    assert remote.base_url == "local://"


# -- against the real SDK --------------------------------------------------------------------


@pytest.mark.parametrize("combination", list(COMBINATIONS))
def test_mapped_keywords_bind_and_build_the_real_provisioning_config(real_sdk, no_network, combination) -> None:
    client, managed = keywords(combination)
    inspect.signature(real_sdk.FiretitanServiceClient.from_firetitan_config).bind(**client, **managed)
    with warnings.catch_warnings():
        # Newer SDKs deprecate the trainer accelerator fields of the manual path, which the
        # reference still documents: we send them, the SDK decides.
        warnings.simplefilter("ignore", DeprecationWarning)
        config = real_sdk.FiretitanProvisioningConfig(**managed)
    for keyword, value in managed.items():
        if keyword in SDK_MAY_DROP and getattr(config, keyword) is None:
            continue
        assert getattr(config, keyword) == value, keyword


def test_every_keyword_we_send_or_accept_is_a_real_provisioning_field(real_sdk) -> None:
    real = {f.name for f in dataclasses.fields(real_sdk.FiretitanProvisioningConfig)}
    ours = {*TRAINER_TO_SDK.values(), *DEPLOY_TO_SDK.values(), *SERVICE_KEYWORDS, "create_deployment"}
    assert ours <= real, f"not real SDK fields: {sorted(ours - real)}"
    assert SDK_ONLY_KEYWORDS <= real, f"not real SDK fields: {sorted(SDK_ONLY_KEYWORDS - real)}"
    missing = real - ours - SDK_ONLY_KEYWORDS
    assert not missing, f"real SDK fields the bundled from_firetitan_config rejects: {sorted(missing)}"


def test_bundled_from_firetitan_config_has_the_real_signature(real_sdk) -> None:
    def params(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    assert params(bundled_sdk.FiretitanServiceClient.from_firetitan_config) == params(
        real_sdk.FiretitanServiceClient.from_firetitan_config
    )


@pytest.mark.parametrize("name", ["TrainerJobManager", "DeploymentManager", "WeightSyncer", "DeploymentSampler"])
def test_bundled_legacy_classes_have_the_real_constructor_parameters(real_sdk, name) -> None:
    def names(cls):
        return [p.name for p in inspect.signature(cls).parameters.values()]

    assert names(getattr(bundled_sdk, name)) == names(getattr(real_sdk, name))


@pytest.mark.parametrize("name", ["TrainerJobConfig", "DeploymentConfig", "CreatedTrainerJob", "TrainerServiceEndpoint", "DeploymentInfo"])
def test_bundled_records_have_the_real_fields(real_sdk, name) -> None:
    def fields(cls):
        return [(f.name, f.default) for f in dataclasses.fields(cls)]

    assert fields(getattr(bundled_sdk, name)) == fields(getattr(real_sdk, name))


def test_https_base_url_builds_the_real_lazy_service_client(real_sdk, no_network) -> None:
    svc = build_service_client(
        api_key="fw-test",
        base_url="https://api.fireworks.ai",
        additional_headers=None,
        base_model=BASE_MODEL,
        tokenizer_model="Qwen/Qwen3-8B",
        lora_rank=0,
        max_context_length=8192,
        learning_rate=1e-5,
        trainer=TrainerConfig(training_shape_id=SHAPE, job_id="policy-9"),
        deployment=DeployConfig(deployment_id="serving", deployment_shape="accounts/a/deploymentShapes/s"),
    )
    assert isinstance(svc, real_sdk.FiretitanServiceClient)
    # Unprovisioned, the real client reports what it was configured with.
    assert svc.managed_trainer_job_id == "policy-9"
    assert svc.managed_deployment_id == "serving"
    assert svc.managed_max_context_length == 8192
    assert svc.managed_deployment_shape == "accounts/a/deploymentShapes/s"
