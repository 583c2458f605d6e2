"""Discovery: which files a run covers, in which order, each once (the walk is tuned for speed:
these pin what it must keep doing)."""

from __future__ import annotations

import os
from pathlib import Path

from ftmigrate.discovery import discover


def tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(*paths: str, **kw) -> list[str]:
    return [c.path.replace(os.sep, "/") for c in discover(list(paths), **kw)]


def test_folders_are_walked_depth_first_in_name_order(tmp_path, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    tree(tmp_path, {"b.py": "", "a/z.py": "", "a/b/c.py": "", "a/a.pyi": "", "c.txt": "", "a/.hidden/x.py": "", "a/__pycache__/x.py": ""})
    monkeypatch.chdir(tmp_path)
    assert found(".") == ["./a/a.pyi", "./a/b/c.py", "./a/z.py", "./b.py"]


def test_gitignore_files_apply_in_their_own_folder_and_below(tmp_path, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    tree(tmp_path, {
        ".gitignore": "gen_*.py\n!gen_keep.py\n",
        "pkg/.gitignore": "/local.py\nbuild/\n",
        "gen_top.py": "", "top.py": "",
        "pkg/local.py": "", "pkg/gen_x.py": "", "pkg/gen_keep.py": "", "pkg/ok.py": "",
        "pkg/sub/local.py": "", "pkg/build/x.py": "",
        "other/local.py": "",
    })
    monkeypatch.chdir(tmp_path)
    assert found(".") == ["./other/local.py", "./pkg/gen_keep.py", "./pkg/ok.py", "./pkg/sub/local.py", "./top.py"]
    # A folder named on the command line still gets the .gitignore files above it (up to the
    # repository root), and its own.
    assert found("pkg") == ["pkg/gen_keep.py", "pkg/ok.py", "pkg/sub/local.py"]


def test_each_file_once_when_paths_overlap(tmp_path, monkeypatch) -> None:
    tree(tmp_path, {"a/x.py": "", "a/sub/y.py": ""})
    monkeypatch.chdir(tmp_path)
    assert found("a", "a/sub", "a/x.py", "./a/sub/y.py", str(tmp_path / "a")) == ["a/sub/y.py", "a/x.py"]
    assert found("a/x.py", "a") == ["a/x.py", "a/sub/y.py"]


def test_a_nested_gitignore_negation_re_includes(tmp_path) -> None:
    """As in git: the deepest .gitignore with a matching pattern decides."""
    from ftmigrate.discovery import discover

    (tmp_path / "sub").mkdir()
    for name in ("keep.py", "drop.py"):
        (tmp_path / "sub" / name).write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("*.py\n")
    (tmp_path / "sub" / ".gitignore").write_text("!keep.py\n")
    found = [c.path for c in discover([str(tmp_path)])]
    assert found == [str(tmp_path / "sub" / "keep.py")]


def test_a_malformed_glob_is_a_usage_error(tmp_path) -> None:
    import subprocess
    import sys

    (tmp_path / "a.py").write_text("from training.utils import InfraConfig\n")
    for args in (["--exclude", "\\"],):
        result = subprocess.run([sys.executable, "-m", "ftmigrate", "lint", *args, "."], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith("ftmigrate: error: exclude:"), result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.ftmigrate]\nper-file-ignores = {"\\\\" = ["FTM001"]}\n')
    result = subprocess.run([sys.executable, "-m", "ftmigrate", "lint", "a.py"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.startswith("ftmigrate: error: per-file-ignores:"), result.stderr


def test_a_named_folder_is_walked_even_when_a_gitignore_above_ignores_it(tmp_path) -> None:
    """`ftmigrate example demo && ftmigrate rewrite demo` inside a checkout that ignores demo/."""
    from ftmigrate.discovery import discover

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/demo/\n*.gen.py\n")
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "train.py").write_text("x = 1\n")
    root = str(tmp_path / "demo")
    assert [c.path for c in discover([root])] == [str(tmp_path / "demo" / "train.py")]
    assert [c.path for c in discover([root], force_exclude=True)] == []
    assert [c.path for c in discover([str(tmp_path)])] == []  # walked from above: still ignored
