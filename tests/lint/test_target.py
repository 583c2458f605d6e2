"""Choosing the target surface: ``--target`` on lint and rewrite, ``target = "..."`` in
``[tool.ftmigrate]``, the flag winning over the file, carried to the engine in
``RunSettings.target`` (full CLI and lean lint path alike); ``rules`` and ``explain`` say which
targets each code applies to."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from ftmigrate import engine, fastpath
from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS
from ftmigrate.cli import run
from ftmigrate.explain import explain
from ftmigrate.rules import registry

from .conftest import ftmigrate, lint, write

LEGACY = "from training.utils import InfraConfig\n\nInfraConfig()\n"


@pytest.fixture
def seen(monkeypatch) -> list[str]:
    """The target of every file the engine processes (the analysis itself is unchanged)."""
    targets: list[str] = []
    real = engine.process_source

    def spy(data, path, settings, prefiltered=False):
        targets.append(settings.target)
        return real(data, path, settings, prefiltered)

    monkeypatch.setattr(engine, "process_source", spy)
    monkeypatch.setenv("FTMIGRATE_NO_WARM", "1")
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 1 << 30)  # one process: the spy sees every file
    return targets


def quiet(function, args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", ["lint", "rewrite"])
@pytest.mark.parametrize(
    "table, flag, expected",
    [
        ("", None, DEFAULT_TARGET),
        ("target = '2026-08'\n", None, "2026-08"),
        ("target = '2026-08'\n", "2026-06", "2026-06"),
        ("target = '2026-06'\n", "2026-08", "2026-08"),
        ("", "2026-08", "2026-08"),
    ],
)
def test_the_flag_wins_over_the_file(tmp_path, monkeypatch, seen, command, table, flag, expected) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.ftmigrate]\n{table}", "train.py": LEGACY})
    monkeypatch.chdir(tmp_path)
    args = [command, *(["--target", flag] if flag else []), *(["--diff"] if command == "rewrite" else []), "train.py"]
    code, out, err = quiet(run, args)
    assert code == 1, err
    assert seen == [expected]


def test_the_lean_lint_path_carries_the_target_too(tmp_path, monkeypatch, seen) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.ftmigrate]\ntarget = '2026-08'\n", "train.py": LEGACY})
    monkeypatch.chdir(tmp_path)
    code, out, _ = quiet(fastpath.lint_fast, ["train.py"])
    assert code == 1 and "FTM001" in out and seen == ["2026-08"]
    seen.clear()
    code, _, _ = quiet(fastpath.lint_fast, ["--target", "2026-06", "train.py"])
    assert code == 1 and seen == ["2026-06"]


@pytest.mark.parametrize("command", ["lint", "rewrite"])
def test_an_unknown_target_is_one_line_and_exit_2(tmp_path, command) -> None:
    write(tmp_path, {"train.py": LEGACY})
    result = lint("--target", "2026-07", "train.py", cwd=tmp_path) if command == "lint" else None
    if result is None:
        code, out, err = quiet(run, ["rewrite", "--target", "2026-07", str(tmp_path / "train.py")])
    else:
        code, err = result.code, result.err
    assert code == 2
    assert err.strip() == "ftmigrate: error: invalid value '2026-07' for '--target' [possible values: 2026-06, 2026-08]"
    assert (tmp_path / "train.py").read_text() == LEGACY


def test_the_file_accepts_every_target(tmp_path) -> None:
    for target in TARGETS:
        write(tmp_path, {"pyproject.toml": f"[tool.ftmigrate]\ntarget = '{target}'\n", "clean.py": "x = 1\n"})
        assert lint("clean.py", cwd=tmp_path).code == 0


def test_rules_and_explain_say_which_targets_each_code_applies_to() -> None:
    code, out, _ = quiet(run, ["rules", "--format", "json"])
    rows = json.loads(out)
    assert code == 0 and all(row["targets"] == list(registry()[row["code"]].targets) for row in rows)
    assert all(set(row["targets"]) <= set(TARGETS) and row["targets"] for row in rows)
    code, out, _ = quiet(run, ["rules"])
    first = out.splitlines()[0].split()
    assert first[0] == "FTM001" and "all" in first and "every target" in out
    text = explain("FTM001")
    assert "\nTargets\n    Every target (2026-06, 2026-08).\n" in text


def test_a_rule_of_one_target_says_so(monkeypatch) -> None:
    rule = registry()["FTM001"]
    monkeypatch.setattr(rule, "targets", ("2026-08",))
    assert rule.targets_text() == "Only at target 2026-08 (`--target 2026-08`)."
    code, out, _ = quiet(run, ["rules"])
    assert out.splitlines()[0].split()[3] == "2026-08"


# --------------------------------------------------------------------------------------------
# What the analysis does with the target (end to end, through the real CLI).

AUGUST = """\
from training.recipes import rl_loop
from training.utils import DeployConfig, TrainerConfig, build_service_client

cfg = rl_loop.Config(
    log_path="/tmp/rl",
    trainer=TrainerConfig(training_shape_id="accounts/a/trainingShapes/s", preemptible=True),
    deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B", enable_hot_load=True),
    cleanup_on_exit=False,
)
service = build_service_client(
    api_key="k", base_url="https://api.fireworks.ai", additional_headers=None, base_model="m",
    tokenizer_model="m", max_lora_rank=16, max_context_length=8192, learning_rate=1e-5, trainer=cfg.trainer,
)
rl_loop.main(cfg)
"""

JUNE = """\
from training.recipes import rl_loop
from training.utils import DeployConfig, TrainerConfig

cfg = rl_loop.Config(
    log_path="/tmp/rl",
    trainer=TrainerConfig(accelerator_type="NVIDIA_H200_141GB", accelerator_count=8),
    deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B", deployment_region="US_OHIO_1"),
    weight_sync_interval=4,
)
rl_loop.main(cfg)
"""

SAME = """\
from training.recipes import rl_loop
from training.utils import DeployConfig

cfg = rl_loop.Config(log_path="/tmp/rl", deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B"))
rl_loop.main(cfg)
"""


@pytest.mark.parametrize("lean", [True, False])
def test_august_code_is_silent_at_2026_08_and_one_finding_at_2026_06(tmp_path, monkeypatch, lean) -> None:
    write(tmp_path, {"train.py": AUGUST})
    monkeypatch.chdir(tmp_path)
    function = fastpath.lint_fast if lean else lambda args: run(["lint", *args])
    code, out, err = quiet(function, ["--target", "2026-08", "train.py"])
    assert code == 0 and "FTM" not in out, out
    code, out, err = quiet(function, ["train.py"])
    lines = [line for line in out.splitlines() if "FTM" in line]
    assert code == 1 and len(lines) == 1 and "FTM072" in lines[0] and "2026-08" in lines[0], out
    code, out, _ = quiet(function, ["--format", "json", "train.py"])
    (diagnostic,) = json.loads(out)["files"][0]["diagnostics"]
    assert "--target 2026-08" in diagnostic["help"] and 'target = "2026-08"' in diagnostic["help"]


def test_june_code_is_upgraded_at_2026_08_and_the_result_is_silent(tmp_path, monkeypatch) -> None:
    write(tmp_path, {"train.py": JUNE})
    monkeypatch.chdir(tmp_path)
    code, out, err = quiet(run, ["lint", "--target", "2026-08", "--format", "json", "train.py"])
    codes = sorted(d["code"] for d in json.loads(out)["files"][0]["diagnostics"])
    assert code == 1 and codes == ["FTM081", "FTM081", "FTM081", "FTM083", "FTM085", "FTM086"], codes
    code, out, err = quiet(run, ["rewrite", "--target", "2026-08", "train.py"])
    assert code == 1, err  # three values are left for a person (TODOs)
    after = (tmp_path / "train.py").read_text()
    assert "cleanup_on_exit=False" in after and "disable_speculative_decoding=True" in after and 'region="US_OHIO_1"' in after
    assert "    weight_sync_interval=4,\n" not in after and "weight_sync_interval=4 (ftmigrate explain FTM081)" in after
    code, out, _ = quiet(run, ["lint", "--target", "2026-08", "train.py"])
    assert code == 0 and "FTM" not in out, out
    code, out, _ = quiet(run, ["rewrite", "--target", "2026-08", "--check", "train.py"])
    assert code == 0, out


def test_upgrade_from_takes_code_that_reads_the_same_as_2026_06_code(tmp_path, monkeypatch) -> None:
    write(tmp_path, {"train.py": SAME})
    monkeypatch.chdir(tmp_path)
    assert quiet(run, ["lint", "--target", "2026-08", "train.py"])[0] == 0  # taken as 2026-08 code
    for function in (fastpath.lint_fast, lambda args: run(["lint", *args])):
        code, out, _ = quiet(function, ["--target", "2026-08", "--upgrade-from", "2026-06", "train.py"])
        assert code == 1 and "FTM083" in out and "FTM086" in out, out
    quiet(run, ["rewrite", "--target", "2026-08", "--upgrade-from", "2026-06", "train.py"])
    after = (tmp_path / "train.py").read_text()
    assert "disable_speculative_decoding=True" in after and "cleanup_on_exit=False" in after


@pytest.mark.parametrize(
    "args, message",
    [
        (["--upgrade-from", "2026-06"], "--upgrade-from 2026-06 needs --target 2026-08 (the upgrade goes one target up), not 2026-06"),
        (["--target", "2026-08", "--upgrade-from", "2026-08"], "--upgrade-from 2026-08: 2026-08 is the latest target, there is nothing to upgrade to"),
        (["--target", "2026-08", "--upgrade-from", "2026-07"], "--upgrade-from: unknown target '2026-07': expected one of '2026-06', '2026-08'"),
    ],
)
@pytest.mark.parametrize("command", ["lint", "rewrite"])
def test_a_wrong_upgrade_from_is_one_line_and_exit_2(tmp_path, command, args, message) -> None:
    write(tmp_path, {"train.py": SAME})
    result = ftmigrate(command, *args, "train.py", cwd=tmp_path)
    assert result.code == 2 and result.err.strip() == f"ftmigrate: error: {message}"
    assert (tmp_path / "train.py").read_text() == SAME
