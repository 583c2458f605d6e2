"""The wheel is what users install: build it, inspect it, install it in a fresh venv, run it.

Slow (a wheel build and a venv), but part of the default run: packaging mistakes (a missing
package-dir mapping, a stray top-level module) are invisible to every other test, which runs
against the editable checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import ftmigrate

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*args: str | os.PathLike, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, check=check, capture_output=True, text=True, timeout=600
    )


#: Never part of a build; copying them would only cost time (or bring stale build output).
IGNORED = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".corpus")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a clean copy: setuptools' build/ directory in a checkout keeps files that
    # were deleted from src/, and they would end up in the wheel.
    source = tmp_path_factory.mktemp("source") / "ftmigrate"
    shutil.copytree(REPO, source, ignore=IGNORED)
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source, cwd=out)
    (built,) = out.glob("ftmigrate-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh venv with the wheel installed. Its dependencies come from this test's environment
    through a .pth file (no network, no second download of libcst & co); a plain path line in a
    .pth does not run the editable install's import hook, so only the wheel's ftmigrate is seen.
    """
    root = tmp_path_factory.mktemp("venv") / "venv"
    run(sys.executable, "-m", "venv", root, cwd=root.parent)
    python = root / "bin" / "python"
    own_site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root).stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (own_site / "_ftmigrate_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=root)
    return root


def test_wheel_installs_ftmigrate_and_nothing_else(wheel) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert top == {"ftmigrate", f"ftmigrate-{ftmigrate.__version__}.dist-info"}
    assert "ftmigrate/codemods/__init__.py" in names
    assert any(n.startswith("ftmigrate/skills/") for n in names)
    assert any(n.startswith("ftmigrate/examples/") for n in names)
    assert "ftmigrate/api/legacy/recipes/rl_loop.py" in names and "ftmigrate/py.typed" in names


def test_console_script_runs_from_the_installed_wheel(venv, tmp_path) -> None:
    version = run(venv / "bin" / "ftmigrate", "--version", cwd=tmp_path)
    assert ftmigrate.__version__ in version.stdout
    assert "Usage" in run(venv / "bin" / "ftmigrate", "--help", cwd=tmp_path).stdout


def test_installed_packages_import_from_the_venv(venv, tmp_path) -> None:
    code = "import ftmigrate, ftmigrate.api, ftmigrate.codemods; print(ftmigrate.__file__)"
    where = run(venv / "bin" / "python", "-c", code, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), where


@pytest.mark.parametrize("module", ["codemods", "training", "skills"])
def test_no_stray_top_level_modules(venv, tmp_path, module) -> None:
    result = run(venv / "bin" / "python", "-c", f"import {module}", cwd=tmp_path, check=False)
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr


def test_editable_install_maps_codemods_into_the_package() -> None:
    spec = importlib.util.find_spec("ftmigrate.codemods")
    if spec is None or not Path(spec.origin).is_relative_to(REPO):
        pytest.skip("ftmigrate is not installed in editable mode from this checkout")
    assert Path(spec.origin) == REPO / "codemods" / "__init__.py"
