"""Wrong types and values fail at construction, in one line naming class, field and value;
legacy keywords fail with the replacement named."""

from __future__ import annotations

import dataclasses
import importlib
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate.api import ConcurrencyConfig, ConfigWarning, DeployConfig, InfraConfig, TrainerConfig, WandBConfig
from ftmigrate.api._checked import RemovedKeywordError

from .conftest import SHAPE

RECIPES = ("sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")

# legacy-surface.md: the legacy-only recipe Config keywords (plus gen0's hotload=, and the
# never-valid weight_sync= on sft/dpo/orpo that real code still contains).
LEGACY_KEYWORDS = {
    "sft_loop": ("infra", "trainer_job_id", "trainer_base_url", "weight_sync", "hotload"),
    "dpo_loop": ("infra", "policy_job_id", "reference_job_id", "weight_sync", "hotload"),
    "orpo_loop": ("infra", "job_id", "weight_sync", "hotload"),
    "rl_loop": (
        "infra",
        "weight_sync",
        "hotload",
        "policy_job_id",
        "reference_job_id",
        "policy_base_url",
        "reference_base_url",
        "rollout_base_model",
    ),
    "igpo_loop": (
        "infra",
        "weight_sync",
        "hotload",
        "policy_job_id",
        "reference_job_id",
        "policy_base_url",
        "reference_base_url",
    ),
    "async_rl_loop": ("infra", "weight_sync", "hotload", "policy_job_id"),
}

# migration-rules.md rules 2-5: what each legacy keyword became.
REPLACEMENT = {
    "infra": "trainer=TrainerConfig(...)",
    "policy_job_id": "trainer=TrainerConfig(job_id=...)",
    "trainer_job_id": "trainer=TrainerConfig(job_id=...)",
    "job_id": "trainer=TrainerConfig(job_id=...)",
    "reference_job_id": "trainer=TrainerConfig(reference_job_id=...)",
    "policy_base_url": "drop it",
    "reference_base_url": "drop it",
    "trainer_base_url": "drop it",
    "rollout_base_model": "no replacement",
}
CADENCE_REPLACEMENT = {
    "sft_loop": ("dcp_save_interval=",),
    "dpo_loop": ("dcp_save_interval=",),
    "orpo_loop": ("dcp_save_interval=",),
    "rl_loop": ("weight_sync_interval=", "weight_sync_before_training=", "weight_sync_timeout=", "dcp_save_interval="),
    "igpo_loop": ("weight_sync_interval=", "weight_sync_before_training=", "weight_sync_timeout=", "dcp_save_interval="),
    "async_rl_loop": ("weight_sync_before_training=", "weight_sync_timeout=", "dcp_save_interval="),
}


def config_class(recipe: str) -> type:
    return importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text, text
    return text


@pytest.mark.parametrize("recipe", RECIPES)
def test_every_recipe_config_constructs_with_log_path_alone(recipe: str) -> None:
    config = config_class(recipe)(log_path="/tmp/run")
    assert config.log_path == "/tmp/run"
    assert isinstance(config.trainer, TrainerConfig)
    assert dataclasses.replace(config, lora_rank=8).lora_rank == 8


@pytest.mark.parametrize("recipe", RECIPES)
def test_log_path_is_required(recipe: str) -> None:
    with pytest.raises(TypeError, match="log_path"):
        config_class(recipe)()


@pytest.mark.parametrize(
    "recipe, keyword", [(r, k) for r, keys in LEGACY_KEYWORDS.items() for k in keys]
)
def test_legacy_keyword_names_its_replacement(recipe: str, keyword: str) -> None:
    with pytest.raises(RemovedKeywordError) as info:
        config_class(recipe)(log_path="/tmp/run", **{keyword: object()})
    text = one_line(info.value)
    assert text.startswith(f"{recipe}.Config({keyword}=...)")
    assert "ftmigrate rewrite" in text
    expected = CADENCE_REPLACEMENT[recipe] if keyword in ("weight_sync", "hotload") else (REPLACEMENT[keyword],)
    for part in expected:
        assert part in text
    if recipe == "async_rl_loop" and keyword in ("weight_sync", "hotload"):
        assert "weight_sync_interval" not in text  # async_rl_loop pins the interval to 1


def test_removed_keyword_error_is_a_type_error() -> None:
    assert issubclass(RemovedKeywordError, TypeError)


@pytest.mark.parametrize(
    "make, fragments",
    [
        (lambda: TrainerConfig(timeout_s="soon"), ("TrainerConfig.timeout_s", "'soon'")),
        (lambda: TrainerConfig(skip_validations=1), ("TrainerConfig.skip_validations", "1")),
        (lambda: TrainerConfig(replica_count="2"), ("TrainerConfig.replica_count", "'2'")),
        (lambda: DeployConfig(weight_sync_scope="everywhere"), ("DeployConfig.weight_sync_scope", "'everywhere'")),
        (lambda: DeployConfig(extra_values={"a": 1}), ("DeployConfig.extra_values", "{'a': 1}")),
        (lambda: ConcurrencyConfig(min_window=1.5), ("ConcurrencyConfig.min_window", "1.5")),
        (lambda: WandBConfig(entity=3), ("WandBConfig.entity", "3")),
        (lambda: config_class("rl_loop")(log_path="x", learning_rate="high"), ("rl_loop.Config.learning_rate", "'high'")),
        (lambda: config_class("sft_loop")(log_path="x", trainer="shape"), ("sft_loop.Config.trainer", "'shape'")),
    ],
)
def test_wrong_types_fail_in_one_line_naming_class_field_value(make, fragments) -> None:
    with pytest.raises(TypeError) as info:
        make()
    text = one_line(info.value)
    for fragment in fragments:
        assert fragment in text


# Rules the real surface does not enforce: a ConfigWarning at the caller's line, never an error
# (issue 12: a valid real port must not raise under mount()).
LENIENT = [
    (lambda: TrainerConfig(replica_count=0), "TrainerConfig.replica_count=0: must be >= 1"),
    (lambda: TrainerConfig(training_shape_id="qwen3-8b"), "TrainerConfig.training_shape_id='qwen3-8b': expected a full path"),
    (lambda: TrainerConfig(training_shape_id=""), "TrainerConfig.training_shape_id='': expected a full path"),
    (lambda: TrainerConfig(reference_training_shape_id="s"), "TrainerConfig.reference_training_shape_id='s'"),
    (lambda: TrainerConfig(job_id=""), "TrainerConfig.job_id='': must not be empty"),
    (lambda: TrainerConfig(purpose="pilot"), "TrainerConfig.purpose='pilot'"),
    (lambda: TrainerConfig(timeout_s=0), "TrainerConfig.timeout_s=0: must be > 0"),
    (lambda: TrainerConfig(training_shape_id=SHAPE, node_count=2), "TrainerConfig.node_count=2 is not sent"),
    (lambda: DeployConfig(hot_load_trainer_job="job-1"), "DeployConfig.hot_load_trainer_job='job-1'"),
    (lambda: DeployConfig(deployment_shape="s", deployment_accelerator_type="H100"), "deployment_accelerator_type='H100' is not used"),
    (lambda: DeployConfig(sample_timeout=-1), "DeployConfig.sample_timeout=-1"),
    (lambda: ConcurrencyConfig(min_window=0), "ConcurrencyConfig.min_window=0"),
    (lambda: ConcurrencyConfig(min_window=9, max_window=8), "ConcurrencyConfig.min_window=9: must be <= max_window"),
    (lambda: ConcurrencyConfig(mode="fixed-ish"), "ConcurrencyConfig.mode='fixed-ish'"),
    (lambda: config_class("rl_loop")(log_path="x", learning_rate=-1.0), "rl_loop.Config.learning_rate=-1.0"),
    (lambda: config_class("sft_loop")(log_path="", epochs=0), "sft_loop.Config.log_path=''"),
    (lambda: config_class("async_rl_loop")(log_path="x", dcp_save_interval=-1), "async_rl_loop.Config.dcp_save_interval=-1"),
]


@pytest.mark.parametrize("make, fragment", LENIENT)
def test_what_the_real_surface_accepts_is_a_warning_at_the_callers_line(make, fragment) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make()
    config_warnings = [w for w in caught if issubclass(w.category, ConfigWarning)]
    assert config_warnings, f"no ConfigWarning for {fragment}"
    assert any(fragment in str(w.message) for w in config_warnings), [str(w.message) for w in caught]
    for w in config_warnings:
        assert "\n" not in str(w.message) and w.filename == __file__  # the user's line, not ours


def test_values_of_other_kinds_the_real_dataclasses_take() -> None:
    import collections
    import pathlib

    class Sequence(collections.UserList):  # an OmegaConf ListConfig, say
        pass

    config = config_class("sft_loop")(log_path=pathlib.Path("/tmp/run"), trainer=TrainerConfig(extra_args=Sequence(["--x"])))
    assert config.log_path == pathlib.Path("/tmp/run") and list(config.trainer.extra_args) == ["--x"]
    assert DeployConfig(extra_values=collections.OrderedDict(a="b")).extra_values == {"a": "b"}
    with pytest.raises(TypeError, match="TrainerConfig.extra_args"):
        TrainerConfig(extra_args="--x")  # a str is not a list of arguments


def test_config_warnings_can_be_made_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConfigWarning)
        with pytest.raises(ConfigWarning, match="training_shape_id='qwen3-8b'"):
            TrainerConfig(training_shape_id="qwen3-8b")


def test_assignment_is_checked_too() -> None:
    trainer = TrainerConfig()
    with pytest.raises(TypeError, match="TrainerConfig.region"):
        trainer.region = 5
    assert trainer.region is None  # the failed assignment left no trace
    trainer.accelerator_type = "NVIDIA_H100"
    with pytest.warns(ConfigWarning, match="accelerator_type='NVIDIA_H100' is not sent") as caught:
        trainer.training_shape_id = SHAPE
    assert trainer.training_shape_id == SHAPE and caught[0].filename == __file__


def test_one_warning_per_problem_at_construction() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        TrainerConfig(training_shape_id=SHAPE, custom_image_tag="v1")
    assert [str(w.message).split(" is ")[0] for w in caught] == ["TrainerConfig.custom_image_tag='v1'"]


@pytest.mark.parametrize("name", ["accelerator_type", "accelerator_count", "node_count", "custom_image_tag"])
def test_manual_path_fields_with_a_shape_are_derived_from_it_not_refused(name: str) -> None:
    value = 2 if name in ("accelerator_count", "node_count") else "x"
    manual = TrainerConfig(**{name: value})
    assert manual.shape_path == "manual"
    with pytest.warns(ConfigWarning, match=f"TrainerConfig.{name}=.* is not sent"):
        both = TrainerConfig(training_shape_id=SHAPE, **{name: value})
    assert both.shape_path == "explicit" and getattr(both, name) == value
    assert TrainerConfig(training_shape_id=SHAPE).shape_path == "explicit"
    assert TrainerConfig().shape_path == "auto"


def test_legacy_infra_config_still_refuses_shape_owned_overrides() -> None:
    # legacy-surface.md: the legacy class raised ValueError here, and the emulation keeps that.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match="InfraConfig.node_count=2: shape-owned override"):
            InfraConfig(training_shape_id=SHAPE, node_count=2)


def test_renamed_trainer_keywords_name_the_new_spelling() -> None:
    for old, new in [
        ("ref_training_shape_id", "reference_training_shape_id"),
        ("trainer_timeout_s", "timeout_s"),
        ("trainer_replica_count", "replica_count"),
    ]:
        with pytest.raises(RemovedKeywordError, match=new):
            TrainerConfig(**{old: None})


def test_deprecated_max_concurrency_warns() -> None:
    with pytest.warns(DeprecationWarning, match="max_concurrency"):
        ConcurrencyConfig(max_concurrency=4)


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_any_string_for_an_int_field_is_rejected_with_its_value(value: str) -> None:
    with pytest.raises(TypeError) as info:
        TrainerConfig(replica_count=value)
    text = one_line(info.value)
    assert text.startswith("TrainerConfig.replica_count: expected int | None")


@given(st.integers(min_value=-10_000, max_value=10_000), st.text(max_size=30))
def test_no_int_or_str_value_of_the_right_type_ever_raises(number: int, text: str) -> None:
    # Never stricter than the real surface: right types construct, whatever the values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConfigWarning)
        trainer = TrainerConfig(
            training_shape_id=text, reference_training_shape_id=text, job_id=text, region=text, purpose=text,
            replica_count=number, timeout_s=number, node_count=number, accelerator_type=text,
        )
        DeployConfig(deployment_id=text, hot_load_trainer_job=text, sample_timeout=number, replica_count=number)
        ConcurrencyConfig(mode=text, min_window=number, max_window=number, initial_window=number)
        config_class("rl_loop")(log_path=text, learning_rate=number, epochs=number, lora_rank=number, trainer=trainer)
    assert trainer.replica_count == number


@given(st.integers(min_value=1, max_value=10_000), st.booleans())
def test_valid_values_round_trip_through_replace_and_asdict(replicas: int, skip: bool) -> None:
    trainer = TrainerConfig(replica_count=replicas, skip_validations=skip)
    assert dataclasses.replace(trainer) == trainer
    assert dataclasses.asdict(trainer)["replica_count"] == replicas


def test_a_job_id_keyword_the_legacy_recipe_never_took_is_an_unknown_keyword() -> None:
    # Legacy sft_loop.Config took trainer_job_id, never policy_job_id: the target's error for
    # policy_job_id= must not claim that `ftmigrate rewrite` ports it (nothing does: it never ran).
    from ftmigrate.api.recipes import orpo_loop, sft_loop

    with pytest.raises(RemovedKeywordError, match="ports it where it is written as a keyword"):
        sft_loop.Config(log_path="/tmp/x", trainer_job_id="j")
    for recipe, keyword in [(sft_loop, "policy_job_id"), (sft_loop, "reference_job_id"), (orpo_loop, "policy_job_id")]:
        with pytest.raises(TypeError) as info:
            recipe.Config(log_path="/tmp/x", **{keyword: "j"})
        assert not isinstance(info.value, RemovedKeywordError) and "unexpected keyword argument" in str(info.value)
