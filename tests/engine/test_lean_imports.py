"""What the speed work must not change: lint never loads LibCST (the analysis runs on CPython's
``ast``), and a rewrite loads LibCST's parser but not its codemod framework."""

from __future__ import annotations

import subprocess
import sys


def imported(args: list[str], cwd) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ftmigrate", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}


def test_a_lint_that_analyses_loads_no_libcst(tmp_path) -> None:
    (tmp_path / "old.py").write_text("from training.utils import InfraConfig\n\nInfraConfig(region='x')\n")
    names = imported(["lint", "old.py"], tmp_path)
    assert "ftmigrate.analysis" in names and "ftmigrate.codemods" in names  # the probe sees the analysis
    assert not {n for n in names if n == "libcst" or n.startswith("libcst.")}


def test_a_rewrite_loads_libcst_but_not_its_codemod_framework(tmp_path) -> None:
    # A structural edit (managed_by is dropped): LibCST parses that statement.
    (tmp_path / "old.py").write_text("from training.utils import InfraConfig\n\nInfraConfig(region='x', managed_by='t')\n")
    names = imported(["rewrite", "--check", "old.py"], tmp_path)
    assert "libcst" in names
    assert not {"libcst.codemod", "libcst.matchers"} & names


def test_a_rewrite_of_names_only_loads_no_libcst(tmp_path) -> None:
    # Renames are text edits: no statement needs LibCST.
    (tmp_path / "old.py").write_text("from training.utils import InfraConfig\n\nInfraConfig(region='x', trainer_timeout_s=5)\n")
    names = imported(["rewrite", "--check", "old.py"], tmp_path)
    assert "ftmigrate.apply" in names or "ftmigrate.transform" in names
    assert "libcst" not in names
