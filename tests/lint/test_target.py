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

from .conftest import lint, write

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
