"""The pre-commit hooks, run for real: ``pre-commit try-repo`` installs ftmigrate from a git
copy of this working tree into its own virtualenv (from PyPI; it takes a while) and runs the
hooks in a temporary git repository on staged files, as a commit would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
#: Never part of a build; copying them would only cost time (or bring stale build output).
IGNORED = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".corpus")

CLEAN = "import os\n\nprint(os.getcwd())\n"
LEGACY = 'from training.utils import InfraConfig\n\ntrainer = InfraConfig(trainer_timeout_s=600)\n'
PORTED = 'from training.utils import TrainerConfig\n\ntrainer = TrainerConfig(timeout_s=600)\n'


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CI")}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def _git(*args: str, cwd: Path, env: dict) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory) -> tuple[Path, dict]:
    """This working tree as a committed git repository, and an environment with a private
    PRE_COMMIT_HOME (so the hook env is built once for the module and never leaks)."""
    base = tmp_path_factory.mktemp("precommit")
    env = _env(base / "pre-commit-home")
    source = base / "ftmigrate"
    shutil.copytree(REPO, source, ignore=IGNORED)
    _git("init", "-q", "-b", "main", cwd=source, env=env)
    _git("add", "-A", cwd=source, env=env)
    _git("commit", "-q", "-m", "snapshot of the working tree", cwd=source, env=env)
    return source, env


@pytest.fixture
def project(tmp_path, hooks_repo) -> Path:
    _, env = hooks_repo
    root = tmp_path / "project"
    root.mkdir()
    _git("init", "-q", "-b", "main", cwd=root, env=env)
    (root / "clean.py").write_text(CLEAN)
    return root


def try_repo(hook: str, hooks_repo, cwd: Path) -> subprocess.CompletedProcess[str]:
    source, env = hooks_repo
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(source), hook, "--color", "never"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1200,
    )


def test_the_lint_hook_passes_a_clean_commit_and_fails_one_that_adds_legacy_code(project, hooks_repo) -> None:
    _, env = hooks_repo
    # pre-commit names every staged file; --force-exclude makes [tool.ftmigrate] exclude apply
    # to them, so the vendored legacy file does not fail the clean commit.
    (project / "pyproject.toml").write_text("[tool.ftmigrate]\nexclude = ['vendor/**']\n")
    (project / "vendor").mkdir()
    (project / "vendor" / "old.py").write_text(LEGACY)
    _git("add", "-A", cwd=project, env=env)
    run = try_repo("ftmigrate-lint", hooks_repo, project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ftmigrate lint" in run.stdout and "Passed" in run.stdout
    _git("commit", "-q", "-m", "clean", cwd=project, env=env)

    (project / "train.py").write_text(LEGACY)
    _git("add", "train.py", cwd=project, env=env)
    run = try_repo("ftmigrate-lint", hooks_repo, project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Failed" in run.stdout
    assert "train.py:3:11: FTM001 InfraConfig is deprecated: use TrainerConfig [*]" in run.stdout
    assert (project / "train.py").read_text() == LEGACY  # lint never writes


def test_the_rewrite_hook_ports_the_staged_file_and_fails_the_commit(project, hooks_repo) -> None:
    _, env = hooks_repo
    (project / "train.py").write_text(LEGACY)
    _git("add", "clean.py", "train.py", cwd=project, env=env)
    run = try_repo("ftmigrate-rewrite", hooks_repo, project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "files were modified by this hook" in run.stdout
    assert (project / "train.py").read_text() == PORTED
    assert (project / "clean.py").read_text() == CLEAN
    # Staging the result makes the commit pass, as with a formatter's hook.
    _git("add", "train.py", cwd=project, env=env)
    run = try_repo("ftmigrate-rewrite", hooks_repo, project)
    assert run.returncode == 0, run.stdout + run.stderr


def readme_config(*, rewrite: bool = False) -> str:
    """The README's `.pre-commit-config.yaml` snippet, as written (or with its commented-out
    rewrite hook turned on instead of the lint hook)."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("<!-- pre-commit-config -->\n```yaml\n", 1)[1].split("```", 1)[0]
    if not rewrite:
        return block
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if "- id: ftmigrate-lint" in line)
    end = next(i for i, line in enumerate(lines) if "# - id: ftmigrate-rewrite" in line)
    hooks = [line.replace("# ", "", 1) if line.lstrip().startswith("#") else line for line in lines[end:]]
    return "\n".join(lines[:start] + hooks) + "\n"


def run_readme_hook(project: Path, env: dict, config: str) -> subprocess.CompletedProcess[str]:
    (project / ".pre-commit-config.yaml").write_text(config)
    # language: system runs the ftmigrate the environment has (this venv's).
    env = {**env, "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def test_the_readme_snippet_works_as_written(tmp_path) -> None:
    env = _env(tmp_path / "pre-commit-home")
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", "-b", "main", cwd=project, env=env)
    (project / "clean.py").write_text(CLEAN)
    _git("add", "-A", cwd=project, env=env)
    run = run_readme_hook(project, env, readme_config())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ftmigrate lint" in run.stdout and "Passed" in run.stdout

    (project / "train.py").write_text(LEGACY)
    _git("add", "train.py", cwd=project, env=env)
    run = run_readme_hook(project, env, readme_config())
    assert run.returncode == 1 and "train.py:3:11: FTM001" in run.stdout, run.stdout + run.stderr

    run = run_readme_hook(project, env, readme_config(rewrite=True))
    assert run.returncode == 1 and "ftmigrate rewrite" in run.stdout, run.stdout + run.stderr
    assert (project / "train.py").read_text() == PORTED


def test_both_hooks_run_on_a_staged_notebook(project, hooks_repo) -> None:
    """pre-commit tags a .ipynb `jupyter`: the hooks take notebooks (types_or), and a notebook's
    findings name their cell; the rewrite hook ports its code cells and leaves the rest."""
    import json

    from tests.notebooks.helpers import code_cells, notebook, outside_sources

    _, env = hooks_repo
    before = notebook(["%pip install -q fireworks-ai", LEGACY.replace("\n\n", "\n").rstrip("\n")])
    (project / "train.ipynb").write_bytes(before)
    _git("add", "train.ipynb", "clean.py", cwd=project, env=env)
    run = try_repo("ftmigrate-lint", hooks_repo, project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "train.ipynb:cell 3:2:11: FTM001 InfraConfig is deprecated: use TrainerConfig [*]" in run.stdout
    assert (project / "train.ipynb").read_bytes() == before

    run = try_repo("ftmigrate-rewrite", hooks_repo, project)
    assert run.returncode == 1, run.stdout + run.stderr
    after = (project / "train.ipynb").read_bytes()
    assert code_cells(after) == ["%pip install -q fireworks-ai", PORTED.replace("\n\n", "\n").rstrip("\n")]
    assert outside_sources(after) == outside_sources(before)
    json.loads(after)
    _git("add", "train.ipynb", cwd=project, env=env)
    assert try_repo("ftmigrate-lint", hooks_repo, project).returncode == 0
