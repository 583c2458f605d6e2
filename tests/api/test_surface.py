"""mount() can dry-run real scripts: every public name of the target ``training.utils`` and of
its submodules imports, at both targets; the names ftmigrate does not implement are inert
placeholders that raise one clear error, naming themselves, when used.

The name lists are transcribed from target-surface.md ("Every public name of training.utils").
"""

from __future__ import annotations

import dataclasses
import importlib
import pickle
import subprocess
import sys
import textwrap
import types

import pytest

import ftmigrate.api.legacy.recipes.rl_loop  # noqa: F401  (loaded before any mount)
from ftmigrate.api import PlaceholderError, mount, profiles
from ftmigrate.api.mount import MountError
from ftmigrate.api.placeholders import is_placeholder

JUNE_NAMES = """
AdaptiveConcurrencyController, GradAccNormalization, AppendOnlyPickleLog,
DEFAULT_ADAM, DEFAULT_PREFETCH_FACTOR, DEFAULT_RENDER_WORKERS, JSONL_ROW_INDEX_KEY, DeployConfig,
EvalFn, WeightSyncConfig, WeightSyncScope, ConcurrencyConfig, InfraConfig, TrainerConfig,
JsonlRenderDataset, MemTracer, ReconnectableClient, RewardFn, RawRowCursor, RLPromptDataset,
RunnerConfig, RunnerIO, RunStatus, StepCallback, WandBConfig, compute_advantages,
compute_pass_at_k, CursorDataLoader, CursorItem, read_api_extra_headers_env, encode_text,
extract_text, find_common_prefix_length, iter_preference_examples, load_jsonl_dataset,
load_deployment_tokenizer, load_preference_dataset, load_tokenizer, replicate_rows_for_epochs,
log_metrics_json, make_render_dataloader, make_orpo_loss_fn, make_batch_orpo_loss_fn,
make_batch_dpo_loss_fn, make_batch_sft_loss_fn, make_batch_weighted_sft_loss_fn,
make_sft_loss_fn, normalize_preference_row, RenderedSupervisedDatum, RenderedPreferencePair,
build_next_token_datum, build_datum_from_token_mask, build_datum_from_tokens_and_weights,
build_renderer, normalize_messages, parse_train_on_what, populate_render_worker_state,
render_preference_pair, render_messages_to_datum, render_messages_to_datums,
resolve_renderer_name, prepare_sampling_messages, build_service_client, setup_wandb,
flush_timing, timed, timer, auto_select_training_shape, validate_config, validate_preflight,
wandb_finish, wandb_log
"""
AUGUST_ADDS = """
CLEANUP_DEPLOYMENT_ON_CLOSE_SCALE_TO_ZERO, DatasetError,
NO_VALID_PREFERENCE_PAIRS_MESSAGE, NO_VALID_TRAINING_EXAMPLES_MESSAGE, UserConfigError,
log_metrics, RenderedChunkSpan, build_renderer_from_resolved_name, rendered_chunk_spans,
renderer_supports_images, resolve_renderer_plan, resolve_renderer_snapshot,
resolve_router_replay_enabled
"""


def names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("\n", " ").split(",") if n.strip()]


EXPECTED = {
    "2026-06": names(JUNE_NAMES),
    "2026-08": [n for n in names(JUNE_NAMES) if n != "compute_pass_at_k"] + names(AUGUST_ADDS),
}
SUBMODULES = [
    "training.utils.config", "training.utils.service", "training.utils.client", "training.utils.infra",
    "training.utils.checkpoints", "training.utils.data", "training.utils.dataloader", "training.utils.losses",
    "training.utils.logging", "training.utils.runner", "training.utils.supervised", "training.utils.tokenizers",
    "training.utils.training_shapes", "training.utils.validation", "training.utils.timer", "training.utils.rl",
    "training.renderer",
]
AUGUST_PACKAGES = ["training.provision", "training.utils.distillation", "training.utils.serverless", "training.train_loop"]


@pytest.fixture(autouse=True)
def no_training_module():
    assert "training" not in sys.modules
    yield
    assert "training" not in sys.modules


def test_the_lists_have_the_documented_sizes() -> None:
    assert len(EXPECTED["2026-06"]) == 72 and len(set(EXPECTED["2026-06"])) == 72
    assert len(EXPECTED["2026-08"]) == 84 and len(set(EXPECTED["2026-08"])) == 84


@pytest.mark.parametrize("target", profiles.TARGETS)
def test_every_public_name_imports_and_all_is_exactly_them(target: str) -> None:
    with mount(target=target):
        import training.utils

        assert sorted(training.utils.__all__) == sorted(EXPECTED[target])
        namespace: dict = {}
        exec("from training.utils import *", namespace)
        assert set(namespace) - {"__builtins__"} == set(EXPECTED[target])
        for name in EXPECTED[target]:
            exec(f"from training.utils import {name}", {})
    assert profiles.get(target).utils_names == tuple(training.utils.__all__)


@pytest.mark.parametrize("target", profiles.TARGETS)
def test_every_documented_submodule_imports(target: str) -> None:
    expected = SUBMODULES + (AUGUST_PACKAGES if target == "2026-08" else [])
    with mount(target=target):
        for name in expected:
            module = importlib.import_module(name)
            assert module.__name__ == name
        assert hasattr(sys.modules["training.utils.rl"], "__path__")  # a package
        from training.utils.data import load_jsonl_dataset
        from training.utils.rl import compute_advantages
        from training.utils.timer import timed

        import training.utils as utils

        # A name training.utils exports is the same object in every submodule.
        assert load_jsonl_dataset is utils.load_jsonl_dataset and timed is utils.timed
        assert compute_advantages is utils.compute_advantages
        from training.utils.checkpoints import resolve_resume_checkpoint  # not documented: a placeholder

        assert is_placeholder(resolve_resume_checkpoint)
        with pytest.raises(ImportError):
            importlib.import_module("training.utils.no_such_module")
    if target == "2026-06":
        with mount(target=target), pytest.raises(ImportError):
            importlib.import_module("training.provision")


def test_names_a_target_is_known_not_to_have_fail_to_import() -> None:
    with mount():
        for statement in (
            "from training.utils import setup_infra",
            "from training.utils.infra import ResourceCleanup",
            "from training.utils.rl import setup_infra",
            "from training.utils import create_trainer_job",
            "from training.utils import log_metrics",  # only 2026-08 has it
        ):
            with pytest.raises(ImportError):
                exec(statement, {})
    with mount(target="2026-08"):
        with pytest.raises(ImportError):
            exec("from training.utils import compute_pass_at_k", {})
        exec("from training.utils import log_metrics", {})


@pytest.mark.parametrize("target", profiles.TARGETS)
def test_the_config_and_service_names_are_the_targets_objects(target: str) -> None:
    profile = profiles.get(target)
    with mount(target=target):
        import training.utils
        import training.utils.config
        import training.utils.service
        from training.recipes import rl_loop

        for name in ("TrainerConfig", "DeployConfig", "ConcurrencyConfig", "WandBConfig", "InfraConfig"):
            assert getattr(training.utils, name) is profile.config_class(name)
            assert getattr(training.utils.config, name) is profile.config_class(name)
        assert training.utils.build_service_client is profile.build_service_client
        assert training.utils.service.build_service_client is profile.build_service_client
        assert rl_loop.Config is profile.recipe_config("rl_loop")
        assert rl_loop.TrainerConfig is profile.config_class("TrainerConfig")
        assert not hasattr(training.utils.config, "HotloadConfig")  # gen0: no target has it


def test_constants_have_plausible_values() -> None:
    with mount(target="2026-08"):
        from training.utils import (
            CLEANUP_DEPLOYMENT_ON_CLOSE_SCALE_TO_ZERO,
            DEFAULT_ADAM,
            DEFAULT_PREFETCH_FACTOR,
            DEFAULT_RENDER_WORKERS,
            JSONL_ROW_INDEX_KEY,
            NO_VALID_TRAINING_EXAMPLES_MESSAGE,
            DatasetError,
            RewardFn,
            RunnerConfig,
            UserConfigError,
        )

        assert {"learning_rate", "beta1", "beta2", "eps"} <= set(DEFAULT_ADAM) and {**DEFAULT_ADAM, "learning_rate": 1e-4}
        assert isinstance(DEFAULT_PREFETCH_FACTOR, int) and DEFAULT_PREFETCH_FACTOR > 0
        assert isinstance(DEFAULT_RENDER_WORKERS, int) and DEFAULT_RENDER_WORKERS > 0
        assert isinstance(JSONL_ROW_INDEX_KEY, str) and JSONL_ROW_INDEX_KEY
        assert CLEANUP_DEPLOYMENT_ON_CLOSE_SCALE_TO_ZERO == "scale_to_zero"
        assert isinstance(NO_VALID_TRAINING_EXAMPLES_MESSAGE, str)
        assert issubclass(UserConfigError, Exception) and issubclass(DatasetError, Exception)
        with pytest.raises(UserConfigError):
            raise UserConfigError("bad")
        assert RunnerConfig(max_steps=3).max_steps == 3  # a keyword container
        assert RewardFn is not None


def test_placeholders_import_and_name_themselves_when_used() -> None:
    with mount():
        from training.utils import JsonlRenderDataset, RunStatus, load_jsonl_dataset

        message = r"^training.utils.load_jsonl_dataset is not implemented by ftmigrate's bundled API"
        with pytest.raises(PlaceholderError, match=message):
            load_jsonl_dataset("rows.jsonl")
        with pytest.raises(PlaceholderError, match=r"^training.utils.JsonlRenderDataset is not implemented"):
            JsonlRenderDataset("rows.jsonl", renderer=None)
        # Attributes are placeholders too: using one raises, naming it in full.
        done = RunStatus.COMPLETED
        assert done is RunStatus.COMPLETED and is_placeholder(done)
        with pytest.raises(PlaceholderError, match=r"^training.utils.RunStatus.COMPLETED is not implemented"):
            done()
        with pytest.raises(PlaceholderError, match=r"^training.utils.RunStatus.from_name is not implemented"):
            RunStatus.from_name("done")
        # What a script does at import time works: annotate, subclass, compare, put in a dict.
        class Rows(JsonlRenderDataset):
            def extra(self) -> int:
                return 1

        def loader(dataset: JsonlRenderDataset | None = None, items: list[JsonlRenderDataset] = ()) -> None:
            return None

        assert loader() is None and {RunStatus: 1}[RunStatus] == 1 and RunStatus != JsonlRenderDataset
        assert JsonlRenderDataset[int] is JsonlRenderDataset
        assert "placeholder training.utils.JsonlRenderDataset" in repr(JsonlRenderDataset)
        with pytest.raises(PlaceholderError, match=r"^Rows derives from training.utils.JsonlRenderDataset, which is not"):
            Rows()
        assert not hasattr(JsonlRenderDataset, "__dataclass_fields__")  # private names are not placeholders
        assert pickle.loads(pickle.dumps(JsonlRenderDataset)) is JsonlRenderDataset
        for error in (PlaceholderError("x"),):
            assert isinstance(error, NotImplementedError) and "\n" not in str(error)


def test_timing_helpers_work_at_import_time() -> None:
    with mount():
        from training.utils import flush_timing, timed, timer

        @timed
        def step() -> int:
            return 1

        @timed("rollout")
        def rollout() -> int:
            return 2

        with timer("setup"):
            pass
        assert step() == 1 and rollout() == 2
        totals = flush_timing()
        assert set(totals) >= {"setup", "rollout", step.__wrapped__.__qualname__}
        assert flush_timing() == {}


def test_mount_target_argument_errors_and_nesting() -> None:
    with pytest.raises(ValueError, match=r"mount\(target='2026-13'\): unknown target"):
        with mount(target="2026-13"):
            pass
    with mount(target="2026-08"):
        with mount(target="2026-08"):
            import training.utils  # noqa: F401
        with pytest.raises(MountError, match=r"mount\(surface='target', target='2026-06'\) inside an active mount\(surface='target', target='2026-08'\)"):
            with mount():
                pass
    with mount(surface="legacy", target="2026-08"):  # the target does not apply to the legacy surface
        from training.utils import setup_infra  # noqa: F401


REAL_SCRIPT = '''
"""A 2026-08 training script, written the way the cookbook's examples are."""
from __future__ import annotations

import dataclasses
import os

from training.recipes import rl_loop
from training.utils import (
    DEFAULT_ADAM,
    DeployConfig,
    JsonlRenderDataset,
    RewardFn,
    TrainerConfig,
    UserConfigError,
    WandBConfig,
    load_deployment_tokenizer,
    read_api_extra_headers_env,
    timed,
    validate_config,
)
from training.utils.rl import compute_advantages
from training.provision import init_fireworks_infra

SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"


class GsmRows(JsonlRenderDataset):
    """Rows with the answer split off."""


def reward(completion: str, row: dict) -> float:
    return float(row["answer"] in completion)


REWARD: RewardFn = reward


@timed
def build_config(run: str, lora_rank: int = 16) -> rl_loop.Config:
    return rl_loop.Config(
        log_path=f"/tmp/{run}",
        lora_rank=lora_rank,
        learning_rate=DEFAULT_ADAM["learning_rate"],
        trainer=TrainerConfig(training_shape_id=SHAPE, region="US_IOWA_1", preemptible=True),
        deployment=DeployConfig(deployment_id=f"{run}-serving", disable_speculative_decoding=True),
        wandb=WandBConfig(project="gsm8k"),
        cleanup_on_exit=False,
        dcp_save_interval=50,
    )


def main() -> None:
    config = build_config(os.environ.get("RUN", "gsm8k"))
    try:
        validate_config(config)
    except UserConfigError as exc:
        raise SystemExit(str(exc))
    rl_loop.main(config)


if __name__ == "__main__":
    main()
'''


def test_a_real_2026_08_script_imports_builds_its_config_and_dry_runs(tmp_path, backend) -> None:
    script = tmp_path / "train_gsm8k.py"
    script.write_text(textwrap.dedent(REAL_SCRIPT))
    sys.path.insert(0, str(tmp_path))
    try:
        with mount(target="2026-08"):
            module = importlib.import_module("train_gsm8k")
            config = module.build_config("run-1")
            assert config.cleanup_on_exit is False and config.trainer.preemptible is True
            assert dataclasses.replace(config, lora_rank=8).lora_rank == 8
            plan = module.rl_loop.main(config)
            assert plan.reference == "shared" and plan.target == "2026-08"
            assert {r.resource for r in plan.left_running} == {"trainer", "deployment"}  # cleanup_on_exit=False
            with pytest.raises(PlaceholderError, match=r"^training.utils.validate_config is not implemented"):
                module.main()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("train_gsm8k", None)


def test_importing_ftmigrate_api_stays_light(tmp_path) -> None:
    # The lean lint path reads ftmigrate.api.targets; the package must not load the service.
    code = (
        "import sys, ftmigrate.api, ftmigrate.api.targets;"
        "heavy = [m for m in ('ftmigrate.api.service', 'ftmigrate.api.config', 'ftmigrate.api.profiles') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_placeholder_modules_are_plain_modules() -> None:
    with mount(target="2026-08"):
        import training.provision

        assert isinstance(training.provision, types.ModuleType)
        assert training.provision.init_fireworks_infra is training.provision.init_fireworks_infra


def test_the_legacy_emulation_serves_the_helpers_too() -> None:
    # A legacy script imports data and loss helpers next to InfraConfig; the legacy cookbook had
    # them. Only what the targets introduced fails to import there.
    with mount(surface="legacy"):
        from training.utils import DEFAULT_ADAM, InfraConfig, load_jsonl_dataset, setup_infra
        from training.utils.data import load_jsonl_dataset as same
        from training.utils.rl import compute_advantages, setup_infra as rl_setup_infra

        assert same is load_jsonl_dataset and rl_setup_infra is setup_infra and is_placeholder(compute_advantages)
        assert DEFAULT_ADAM["learning_rate"] > 0 and InfraConfig.__name__ == "InfraConfig"
        for name in ("TrainerConfig", "build_service_client", "log_metrics"):
            with pytest.raises(ImportError):
                exec(f"from training.utils import {name}", {})
