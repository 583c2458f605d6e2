"""The pre-commit case with a ``[tool.ftmigrate]`` table: the second run reads what the first
validated from a cache (``ftmigrate._cache``) and imports no TOML parser, rule catalog or glob
matcher -- and it prints exactly what a run without the cache prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TABLE = """\
[tool.ftmigrate]
select = ["FTM"]
ignore = ["FTM031"]
exclude = ["vendor/**"]
legacy-modules = ["mypkg.cookbook"]
"""


def lint(cwd: Path, cache: Path, *args: str, importtime: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "ftmigrate", "lint", *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env={**os.environ, "FTMIGRATE_CACHE_DIR": str(cache), **env}
    )


def imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(TABLE)
    (tmp_path / "clean.py").write_text("import os\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "old.py").write_text("from training.utils import InfraConfig\n")
    (tmp_path / "uses_vendored.py").write_text("from mypkg.cookbook.training.utils import setup_infra\n")
    return tmp_path


def test_second_run_reads_the_cache(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = lint(project, cache, "--force-exclude", "clean.py", "vendor/old.py")
    second = lint(project, cache, "--force-exclude", "clean.py", "vendor/old.py", importtime=True)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout == "All clear: no legacy cookbook usage in 1 file(s).\n"
    assert not imported(second.stderr) & {"tomllib", "pathspec", "ftmigrate.rules", "ftmigrate.config", "libcst"}


def test_cached_runs_agree_with_uncached_ones(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for args in (["clean.py"], ["--force-exclude", "vendor/old.py"], ["uses_vendored.py"], ["vendor/old.py"], ["--force-exclude", "clean.py", "uses_vendored.py"]):
        lint(project, cache, *args)
        cached = lint(project, cache, *args)
        fresh = lint(project, cache, *args, FTMIGRATE_NO_CACHE="1")
        assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout), args


def test_an_edited_table_is_read_again(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert lint(project, cache, "clean.py").returncode == 0
    (project / "pyproject.toml").write_text(TABLE + "selct = []\n")
    broken = lint(project, cache, "clean.py")
    assert broken.returncode == 2 and "unknown key 'selct'" in broken.stderr


def test_no_cache_writes_nothing(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    lint(project, cache, "clean.py", FTMIGRATE_NO_CACHE="1")
    assert not cache.exists()
