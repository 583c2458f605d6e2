"""Helpers for the verify tests: a git project in a temp folder, the real CLI run on it."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.lint.conftest import Run, ftmigrate


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return result.stdout


def write(root: Path, files: dict[str, str | None]) -> None:
    """Write (``None``: delete) files under ``root``, dedented."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` but .git: bytes and mtime (to check that nothing changed)."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture
def repo(tmp_path: Path):
    """``repo(before, after)``: a git repository whose HEAD holds ``before`` and whose work tree
    holds ``after`` on top of it (the state right after ``ftmigrate rewrite``)."""

    def make(before: dict[str, str], after: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir()
        git("init", "-q", cwd=root)
        write(root, before)
        git("add", ".", cwd=root)
        git("commit", "-qm", "legacy", cwd=root)
        if after:
            write(root, after)
        return root

    return make


def verify(*args: str, cwd: Path) -> Run:
    return ftmigrate("verify", *args, cwd=cwd)
