"""``ftmigrate rewrite`` through a real subprocess, on temporary trees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LEGACY = '''\
from training.recipes import rl_loop
from training.utils import InfraConfig, WeightSyncConfig

cfg = rl_loop.Config(
    log_path="/tmp/rl",
    infra=InfraConfig(ref_training_shape_id="accounts/fireworks/trainingShapes/ref"),
    weight_sync=WeightSyncConfig(weight_sync_interval=2),
    policy_job_id="rl-1",
)
'''
NEEDS_PERSON = '''\
from training.utils import InfraConfig

infra = InfraConfig(managed_by="team")
'''
CLEAN = "import os\n\nprint(os.getcwd())\n"


def ftm(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ftmigrate", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "legacy.py").write_text(LEGACY)
    (tmp_path / "pkg" / "person.py").write_text(NEEDS_PERSON)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    return tmp_path


def test_rewrite_in_place_then_check_is_clean(tree: Path) -> None:
    clean = tree / "pkg" / "clean.py"
    os.utime(clean, (1_000_000, 1_000_000))
    first = ftm("rewrite", "pkg", cwd=tree)
    assert first.returncode == 1, first  # FTM002 is left for a person
    assert "pkg/person.py:3:21: FTM002" in first.stdout
    text = (tree / "pkg" / "legacy.py").read_text()
    assert "trainer=TrainerConfig(reference_training_shape_id=" in text and "job_id=\"rl-1\"" in text
    assert "weight_sync_interval=2" in text and "WeightSyncConfig" not in text
    assert os.stat(clean).st_mtime == 1_000_000, "a file with nothing to change must not be written"

    snapshot = {p: p.read_bytes() for p in tree.rglob("*.py")}
    second = ftm("rewrite", "pkg", cwd=tree)
    assert second.returncode == 0, second
    assert {p: p.read_bytes() for p in tree.rglob("*.py")} == snapshot
    assert ftm("rewrite", "--check", "pkg", cwd=tree).returncode == 0


def test_diff_writes_nothing_and_exits_1(tree: Path) -> None:
    before = (tree / "pkg" / "legacy.py").read_bytes()
    result = ftm("rewrite", "--diff", "pkg", cwd=tree)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/pkg/legacy.py\n+++ b/pkg/legacy.py\n")
    assert "-    infra=InfraConfig(" in result.stdout and "+    trainer=TrainerConfig(" in result.stdout
    assert "\x1b[" not in result.stdout, "diffs are plain text"
    assert (tree / "pkg" / "legacy.py").read_bytes() == before


def test_check_exits_1_when_changes_are_pending(tree: Path) -> None:
    result = ftm("rewrite", "--check", "pkg/legacy.py", cwd=tree)
    assert result.returncode == 1
    assert "1 file(s) would change" in result.stdout
    assert (tree / "pkg" / "legacy.py").read_text() == LEGACY


def test_json_report(tree: Path) -> None:
    result = ftm("rewrite", "--format", "json", "--check", "pkg", cwd=tree)
    report = json.loads(result.stdout)
    assert set(report["summary"]) >= {"files", "changed", "errors", "diagnostics", "fixed", "remaining"}
    files = {f["path"]: f for f in report["files"]}
    assert files["pkg/clean.py"]["status"] == "unchanged"
    assert files["pkg/legacy.py"]["status"] == "changed"
    for diag in files["pkg/legacy.py"]["diagnostics"]:
        assert set(diag) >= {"code", "message", "line", "column", "end_line", "end_column", "fix", "fixed", "help"}
        assert diag["code"].startswith("FTM") and diag["help"]
    person = files["pkg/person.py"]["diagnostics"]
    assert [d["code"] for d in person if not d["fixed"]] == ["FTM002"]
    assert report["summary"]["remaining"] == 1


def test_todo_line_points_into_the_rewritten_file(tree: Path) -> None:
    report = json.loads(ftm("rewrite", "--format", "json", "pkg/person.py", cwd=tree).stdout)
    (diag,) = [d for d in report["files"][0]["diagnostics"] if d["code"] == "FTM002"]
    lines = (tree / "pkg" / "person.py").read_text().splitlines()
    assert lines[diag["todo_line"] - 1].startswith("# TODO(ftmigrate): ")
    assert lines[diag["todo_line"] - 1].endswith("(ftmigrate explain FTM002)")


def test_stdin_to_stdout(tree: Path) -> None:
    result = ftm("rewrite", "-", "--stdin-filename", "pkg/x.py", cwd=tree, stdin=LEGACY)
    assert "trainer=TrainerConfig(" in result.stdout
    assert result.returncode == 0
    unchanged = ftm("rewrite", "-", cwd=tree, stdin=CLEAN)
    assert unchanged.stdout == CLEAN


def test_select_and_ignore(tree: Path) -> None:
    only_cadence = ftm("rewrite", "--select", "FTM011", "pkg/legacy.py", cwd=tree)
    text = (tree / "pkg" / "legacy.py").read_text()
    assert "weight_sync_interval=2" in text and "infra=InfraConfig(" in text, only_cadence
    ftm("rewrite", "--ignore", "FTM02", "pkg/legacy.py", cwd=tree)
    text = (tree / "pkg" / "legacy.py").read_text()
    assert "trainer=TrainerConfig(" in text and 'policy_job_id="rl-1"' in text


def test_usage_errors_exit_2(tree: Path) -> None:
    missing = ftm("rewrite", "nope", cwd=tree)
    assert missing.returncode == 2 and missing.stderr.strip() == "ftmigrate: error: nope: no such file or directory"
    bad = ftm("rewrite", "--select", "FTM999", "pkg", cwd=tree)
    assert bad.returncode == 2 and "FTM999" in bad.stderr and "Traceback" not in bad.stderr
    option = ftm("rewrite", "--no-such-option", "pkg", cwd=tree)
    assert option.returncode == 2 and "Traceback" not in option.stderr


def test_config_exclude_and_gitignore(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.ftmigrate]\nexclude = ["pkg/person.py"]\n')
    (tree / ".gitignore").write_text("build/\n")
    (tree / "build").mkdir()
    (tree / "build" / "gen.py").write_text(LEGACY)
    (tree / ".venv").mkdir()
    (tree / ".venv" / "x.py").write_text(LEGACY)
    result = ftm("rewrite", "--check", "--format", "json", ".", cwd=tree)
    paths = {f["path"] for f in json.loads(result.stdout)["files"]}
    assert paths == {"./pkg/clean.py", "./pkg/legacy.py"}
    explicit = ftm("rewrite", "--check", "--format", "json", "pkg/person.py", cwd=tree)
    assert [f["path"] for f in json.loads(explicit.stdout)["files"]] == ["pkg/person.py"]
    forced = ftm("rewrite", "--check", "--force-exclude", "--format", "json", "pkg/person.py", cwd=tree)
    assert json.loads(forced.stdout)["files"] == []


def test_version_and_help() -> None:
    from ftmigrate import __version__

    assert ftm("--version").stdout.strip() == f"ftmigrate {__version__}"
    help_text = ftm("rewrite", "--help").stdout
    for option in ("--diff", "--check", "--unsafe-fixes", "--select", "--ignore", "--exclude", "--format", "--jobs", "--quiet", "--stdin-filename"):
        assert option in help_text
