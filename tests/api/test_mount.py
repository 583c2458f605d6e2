"""mount(): the bundled API under the cookbook's module names, and sys.modules restored after."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
import types

import pytest

import ftmigrate.api as api
import ftmigrate.api.legacy.recipes.rl_loop  # noqa: F401  (imported before the snapshots below)
import ftmigrate.api.profiles  # noqa: F401
import ftmigrate.api.utils  # noqa: F401
from ftmigrate.api import mount
from ftmigrate.api.mount import MountError
from ftmigrate.api.recipes import RECIPES

# ``ftmigrate.api.mount`` the attribute is the function; the module is in sys.modules.
mount_module = importlib.import_module("ftmigrate.api.mount")

for _recipe in RECIPES:
    importlib.import_module(f"ftmigrate.api.recipes.{_recipe}")
    importlib.import_module(f"ftmigrate.api.legacy.recipes.{_recipe}")


def owned(prefix: str) -> dict[str, object]:
    return {k: v for k, v in sys.modules.items() if k == prefix or k.startswith(prefix + ".")}


@pytest.fixture(autouse=True)
def no_training_module():
    assert "training" not in sys.modules, "a previous test leaked a training module"
    yield
    assert "training" not in sys.modules or not getattr(sys.modules["training"], "__ftmigrate_mount__", False)


def test_target_names_are_the_bundled_objects(backend) -> None:
    before = dict(sys.modules)
    with mount():
        import training.recipes.rl_loop
        import training.utils
        import training.utils.client
        import training.utils.config
        import training.utils.service
        from training.recipes import sft_loop
        from training.utils import DeployConfig, ReconnectableClient, TrainerConfig, build_service_client

        assert TrainerConfig is api.TrainerConfig and DeployConfig is api.DeployConfig
        assert ReconnectableClient is api.ReconnectableClient and build_service_client is api.build_service_client
        assert training.utils.config.WeightSyncScope is api.WeightSyncScope
        assert training.utils.service.LOCAL_BASE_URL == "local://"
        assert training.utils.client.ReconnectableClient is api.ReconnectableClient
        assert training.recipes.rl_loop.Config is importlib.import_module("ftmigrate.api.recipes.rl_loop").Config
        assert sft_loop.main(sft_loop.Config(log_path="/tmp/run")).recipe == "sft_loop"
        assert importlib.import_module("training.recipes.async_rl_loop").__name__ == "training.recipes.async_rl_loop"
        for name in RECIPES:
            assert getattr(training.recipes, name) is sys.modules[f"training.recipes.{name}"]
        with pytest.raises(ImportError):
            import training.not_a_module  # noqa: F401
        sys.modules["training.made_during_mount"] = types.ModuleType("training.made_during_mount")
    assert sys.modules == before
    assert not owned("training")


def test_legacy_surface(backend) -> None:
    with mount(surface="legacy"):
        from training.recipes import rl_loop
        from training.utils import InfraConfig, ResourceCleanup, WeightSyncConfig, setup_infra, validate_config
        from training.utils.config import DeployConfig, HotloadConfig
        from training.utils.infra import create_trainer_job, setup_deployment
        from training.utils.rl import setup_infra as rl_setup_infra

        assert InfraConfig is api.InfraConfig and WeightSyncConfig is api.WeightSyncConfig
        assert DeployConfig is api.DeployConfig and HotloadConfig.__name__ == "HotloadConfig"
        assert rl_setup_infra is setup_infra and callable(ResourceCleanup) and callable(validate_config)
        assert callable(create_trainer_job) and callable(setup_deployment)
        assert "infra" in {f.name for f in dataclasses.fields(rl_loop.Config)}
    assert not owned("training")


def test_fireworks_is_left_alone_when_a_real_one_is_importable(monkeypatch) -> None:
    monkeypatch.setattr(mount_module, "_fireworks_importable", lambda: True)
    real = owned("fireworks")
    with mount():
        assert owned("fireworks") == real


def test_fireworks_sdk_is_mounted_when_no_real_one_is_importable(monkeypatch) -> None:
    monkeypatch.setattr(mount_module, "_fireworks_importable", lambda: False)
    real = owned("fireworks")
    with mount():
        from fireworks.training.sdk import FiretitanServiceClient, GradAccNormalization, TrainerJobManager

        assert GradAccNormalization is api.GradAccNormalization
        assert FiretitanServiceClient is api.sdk.FiretitanServiceClient and TrainerJobManager is api.sdk.TrainerJobManager
        import fireworks.training

        assert fireworks.training.sdk is sys.modules["fireworks.training.sdk"]
    assert owned("fireworks") == real


def test_bundled_sdk_true_hides_a_real_sdk_for_the_block() -> None:
    real = owned("fireworks")
    with mount(surface="legacy", bundled_sdk=True):
        from fireworks.training.sdk import TrainerJobManager

        assert TrainerJobManager is api.sdk.TrainerJobManager
    assert owned("fireworks") == real


def fake_training_package(tmp_path, monkeypatch):
    package = tmp_path / "training"
    package.mkdir()
    (package / "__init__.py").write_text("REAL = True\n")
    (package / "utils.py").write_text("REAL_UTILS = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return package


def test_refuses_to_shadow_an_importable_training_package(tmp_path, monkeypatch) -> None:
    package = fake_training_package(tmp_path, monkeypatch)
    with pytest.raises(MountError) as info:
        with mount():
            pass
    text = str(info.value)
    assert "\n" not in text and str(package) in text and "force=True" in text
    assert isinstance(info.value, RuntimeError)
    assert "training" not in sys.modules


def test_force_mounts_over_it_and_puts_the_real_one_back(tmp_path, monkeypatch) -> None:
    fake_training_package(tmp_path, monkeypatch)
    with mount(force=True):
        import training.utils

        assert training.utils.TrainerConfig is api.TrainerConfig
    assert "training" not in sys.modules
    import training

    try:
        assert training.REAL
    finally:
        del sys.modules["training"]


def test_refuses_when_a_real_training_is_already_imported(tmp_path, monkeypatch) -> None:
    fake_training_package(tmp_path, monkeypatch)
    import training
    import training.utils

    try:
        real = owned("training")
        with pytest.raises(MountError, match="real 'training' package"):
            with mount():
                pass
        with mount(force=True):
            import training.utils as mounted

            assert mounted.TrainerConfig is api.TrainerConfig and sys.modules["training"] is not training
        assert owned("training") == real and training.utils.REAL_UTILS
    finally:
        for name in list(owned("training")):
            del sys.modules[name]


def test_nesting() -> None:
    with mount():
        with mount():
            import training.utils  # noqa: F401
        assert "training.utils" in sys.modules  # the inner exit did not unmount
        with pytest.raises(MountError, match="inside an active mount"):
            with mount(surface="legacy"):
                pass
    assert not owned("training")


def test_unknown_surface() -> None:
    with pytest.raises(ValueError, match="surface='gen3'"):
        with mount(surface="gen3"):
            pass


def test_importing_ftmigrate_never_adds_a_training_module(tmp_path) -> None:
    code = (
        "import sys, ftmigrate, ftmigrate.api, ftmigrate.api.legacy, ftmigrate.api.legacy.recipes.rl_loop;"
        "import ftmigrate.api.recipes.rl_loop;"
        "bad = [m for m in sys.modules if m == 'training' or m.startswith('training.')];"
        "assert not bad, bad;"
        "heavy = [m for m in ('libcst', 'typer', 'rich', 'pydantic') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_the_sdk_classes_import_from_the_submodules_that_define_them() -> None:
    # Real code imports them from where the SDK defines them as well as from the package.
    from ftmigrate.api import mount

    with mount(bundled_sdk=True):
        from fireworks.training.sdk import DeploymentManager, TrainerJobManager, WeightSyncer
        from fireworks.training.sdk.deployment import DeploymentManager as D
        from fireworks.training.sdk.trainer import TrainerJobManager as T
        from fireworks.training.sdk.weight_syncer import WeightSyncer as W

        assert (D, T, W) == (DeploymentManager, TrainerJobManager, WeightSyncer)
