"""Helpers for the lint tests: write a tree, run the real CLI on it in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Run:
    """A finished ``ftmigrate`` process."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)

    def findings(self) -> set[tuple[str, int, str]]:
        """``(path, line, code)`` of every finding in a ``--format json`` report."""
        return {
            (f["path"].replace(os.sep, "/").removeprefix("./"), d["line"], d["code"])
            for f in self.json()["files"]
            for d in f["diagnostics"]
        }


def clean_env(**extra: str) -> dict[str, str]:
    """The environment a user's shell would give: no CI hint, no pytest leftovers."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CI", "FORCE_COLOR")}
    env.update(extra)
    return env


def ftmigrate(*args: str | os.PathLike, cwd: Path, stdin: str | bytes | None = None, env: dict | None = None) -> Run:
    """Run ``python -m ftmigrate ARGS`` in ``cwd`` (the same entry point as the console script)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "ftmigrate", *map(str, args)],
        cwd=cwd,
        input=data,
        capture_output=True,
        env=env or clean_env(),
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def lint(*args: str | os.PathLike, cwd: Path, **kw) -> Run:
    return ftmigrate("lint", *args, cwd=cwd, **kw)


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> dedented text) under ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An empty project folder (a git-less temp dir, so no outer .gitignore applies)."""
    root = tmp_path / "project"
    root.mkdir()
    return root
