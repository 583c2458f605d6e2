"""The bundled example, end to end: write it, rewrite it, and run both versions on the local
backend. The rewritten project builds the same configurations and provisions the same
trainers, reference and deployment; the one lifecycle difference is the one the report names.
"""

from __future__ import annotations

import json
import runpy
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from ftmigrate.api import mount
from ftmigrate.api.service import local_backend
from ftmigrate.examples import write_example
from tests.helpers import expected_after, expected_trainer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _load(folder: Path, name: str, surface: str) -> dict:
    """Run ``folder/name`` (which imports its sibling modules) under a mount."""
    sys.path.insert(0, str(folder))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with mount(surface=surface, bundled_sdk=True):
                return runpy.run_path(str(folder / name), run_name="example")
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("infra", None)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    before = tmp_path_factory.mktemp("before")
    write_example(before)
    after = tmp_path_factory.mktemp("after")
    shutil.copytree(before, after, dirs_exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "ftmigrate", "rewrite", "--format", "json", "."], cwd=after, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr  # lifecycle notes are left for a person
    return before, after, json.loads(result.stdout)


def test_rewrite_converges(project) -> None:
    _, after, report = project
    assert report["summary"]["errors"] == 0
    remaining = sorted(d["code"] for f in report["files"] for d in f["diagnostics"] if not d["fixed"])
    assert remaining == ["FTM002", "FTM041"]  # sft reattaches its trainer: no cleanup was lost
    again = subprocess.run([sys.executable, "-m", "ftmigrate", "rewrite", "--check", "."], cwd=after, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout
    lint = subprocess.run([sys.executable, "-m", "ftmigrate", "lint", "."], cwd=after, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_same_configurations(project) -> None:
    before, after, _ = project
    old, new = _load(before, "train_grpo.py", "legacy"), _load(after, "train_grpo.py", "target")
    assert new["cfg"] == expected_after("rl_loop", old["cfg"])
    old, new = _load(before, "train_sft.py", "legacy"), _load(after, "train_sft.py", "target")
    assert new["build_config"]("/tmp/x") == expected_after("sft_loop", old["build_config"]("/tmp/x"))
    old, new = _load(before, "train_async.py", "legacy"), _load(after, "train_async.py", "target")
    assert new["make_config"]("/tmp/y") == expected_after("async_rl_loop", old["make_config"]("/tmp/y"))
    old, new = _load(before, "infra.py", "legacy"), _load(after, "infra.py", "target")
    assert new["default_infra"]("us-ohio-1") == expected_trainer(old["default_infra"]("us-ohio-1"))


def test_same_provisioning_plan(project) -> None:
    before, after, _ = project
    backend = local_backend()
    plans = {}
    for surface, folder in (("legacy", before), ("target", after)):
        backend.reset()
        backend.register_trainer("grpo-policy-1", base_model="accounts/fireworks/models/qwen3-8b")
        module = _load(folder, "train_grpo.py", surface)
        with mount(surface=surface, bundled_sdk=True):
            import os

            os.environ.setdefault("FIREWORKS_API_KEY", "local")
            recipe = sys.modules["training.recipes.rl_loop"]
            if surface == "legacy":
                plans[surface] = recipe.main(module["cfg"], cancel_on_exit=True)
            else:
                plans[surface] = recipe.main(module["cfg"])
    legacy, target = plans["legacy"], plans["target"]
    assert [(t.role, t.action, t.training_shape_id) for t in legacy.trainers] == [
        (t.role, t.action, t.training_shape_id) for t in target.trainers
    ]
    assert legacy.reference == target.reference == "separate"
    assert legacy.deployment is not None and target.deployment is not None
    assert legacy.deployment.deployment_id == target.deployment.deployment_id
    # What FTM041 reported: legacy scaled the deployment to zero on exit; the target leaves it up.
    assert ("deployment", "scaled_to_zero") in {(e.resource, e.kind) for e in legacy.released}
    assert "deployment" in {r.resource for r in target.left_running}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ftmigrate", *args], cwd=cwd, capture_output=True, text=True)


def test_the_demo_can_be_written_again_and_its_counts_agree(tmp_path: Path) -> None:
    first = _cli("example", "demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "wrote 5 Python files (and README.md) to demo; try: ftmigrate rewrite --diff demo\n"
    original = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "demo").rglob("*") if p.is_file()}
    rewrite = _cli("rewrite", "demo", cwd=tmp_path)
    assert "5 file(s) checked" in rewrite.stderr + rewrite.stdout  # the same 5 the example wrote
    (tmp_path / "demo" / "notes.txt").write_text("mine\n")

    again = _cli("example", "demo", cwd=tmp_path)
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == (
        "ftmigrate: error: demo exists and is not empty: pass --force to write the example's files over it"
        " again (other files are kept), or name another folder\n"
    )
    forced = _cli("example", "--force", "demo", cwd=tmp_path)
    assert forced.returncode == 0 and forced.stdout.startswith("wrote 5 Python files")
    restored = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "demo").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert restored == {**original, Path("demo/notes.txt"): b"mine\n"}  # legacy again; the user's file kept
    assert _cli("rewrite", "--check", "demo", cwd=tmp_path).returncode == 1  # there is something to port again

    (tmp_path / "file").write_text("x")
    not_a_folder = _cli("example", "--force", "file", cwd=tmp_path)
    assert not_a_folder.returncode == 2 and not_a_folder.stderr == "ftmigrate: error: file exists and is not a folder: name another folder\n"
