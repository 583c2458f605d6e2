"""Bad input costs only the file that holds it.

Each case puts one bad thing in a folder next to a legacy file and a clean one; the real CLI
runs (``lint``, then ``rewrite``) over all the folders at once, and each case checks: the bad file is reported in one line with
its path and the reason, it is left byte for byte (and mtime, inode, mode) as it was, the legacy
file next to it is still rewritten (or reported), the exit code is 1, and there is no traceback.

What only a file the byte prefilter lets through can be: a file that cannot import the cookbook
(no ``training`` in its bytes) is never parsed, so a syntax error or binary content there is not
reported -- the lint fast path depends on that. Every bad file below therefore also holds a
legacy import.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ftmigrate.engine import PARALLEL_MIN_BYTES
from tests.reliability.conftest import (
    CLEAN,
    LEGACY,
    LEGACY_IMPORT,
    REWRITTEN,
    Run,
    State,
    Unprivileged,
    ftmigrate,
    state,
    state_as_root,
)


@dataclass
class Case:
    """One bad thing: how to make it in a folder, its name, and the reason to report."""

    name: str
    make: Callable[[Path, Path], None]  # (folder, a folder outside the tree)
    reason: str
    #: Commands that must refuse it; under the others it is processed as usual.
    refused_by: tuple[str, ...] = ("rewrite", "lint")


def _file(name: str, data: bytes, mode: int | None = None) -> Callable[[Path, Path], None]:
    def make(folder: Path, outside: Path) -> None:
        (folder / name).write_bytes(data)
        if mode is not None:
            (folder / name).chmod(mode)

    return make


def _fifo(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "pipe.py")


def _outside_link(folder: Path, outside: Path) -> None:
    (outside / "target.py").write_bytes(LEGACY)
    (folder / "link.py").symlink_to(outside / "target.py")


def _deep(expr: str) -> bytes:
    return LEGACY_IMPORT + b"cfg = InfraConfig()\nx = " + expr.encode() + b"\n"


def _deep_site(expr: str) -> bytes:
    """``expr`` inside a call the rewrite restructures (so LibCST must parse that statement)."""
    return LEGACY_IMPORT + b"cfg = InfraConfig(managed_by='team', region=" + expr.encode() + b")\n"


CASES = [
    Case("syntax.py", _file("syntax.py", LEGACY_IMPORT + b"cfg = InfraConfig(\n"), "syntax error at line 2:18: '(' was never closed"),
    Case("indent.py", _file("indent.py", LEGACY_IMPORT + b"def f():\nreturn 1\n"), "syntax error at line 3"),
    Case("binary.py", _file("binary.py", b"\x89PNG\r\n\x1a\n" + LEGACY_IMPORT + bytes(range(256))), "not Python source (a NUL byte at line 4)"),
    Case("png.py", _file("png.py", b"\x89PNG\r\n\x1a\n" + LEGACY_IMPORT + b"\xff\xd8\xff"), "cannot decode byte 0x89 at line 1:1 as utf-8"),
    Case("nul.py", _file("nul.py", LEGACY_IMPORT + b"x = 1\x00\n"), "not Python source (a NUL byte at line 2)"),
    Case("latin1.py", _file("latin1.py", LEGACY_IMPORT + b"# caf\xe9\n"), "cannot decode byte 0xe9 at line 2:6 as utf-8"),
    Case("cookie.py", _file("cookie.py", b"# -*- coding: klingon -*-\n" + LEGACY_IMPORT), "bad coding cookie (unknown encoding: klingon)"),
    Case("bomcookie.py", _file("bomcookie.py", b"\xef\xbb\xbf# coding: latin-1\n" + LEGACY_IMPORT), "bad coding cookie"),
    # Nesting: CPython's limits (both commands), then -- only where a rewrite hands the statement
    # to LibCST -- the depth guard before LibCST's native parser (which crashed the process on
    # these) and Python's recursion limit inside LibCST. Lint never parses with LibCST.
    Case("parens.py", _file("parens.py", _deep("(" * 2000 + "1" + ")" * 2000)), "nesting too deep"),
    Case("brackets.py", _file("brackets.py", _deep("[" * 2000 + "]" * 2000)), "nesting too deep"),
    Case("ands.py", _file("ands.py", _deep_site("a and " * 10000 + "a")), "nesting too deep", refused_by=("rewrite",)),
    Case("minus.py", _file("minus.py", _deep("-" * 10000 + "1")), "nesting too deep"),
    Case(
        "dotted.py",
        _file("dotted.py", LEGACY_IMPORT + b"import a" + b".b" * 6000 + b"; cfg = InfraConfig(managed_by='team')\n"),
        "nesting too deep",
        refused_by=("rewrite",),
    ),
    Case("strings.py", _file("strings.py", _deep_site("'a' " * 8000)), "nesting too deep", refused_by=("rewrite",)),
    Case("recursion.py", _file("recursion.py", _deep_site("-" * 700 + "1")), "nesting too deep", refused_by=("rewrite",)),
    Case(
        "lonecr.py",
        _file("lonecr.py", LEGACY.replace(b"\n", b"\r")),
        "lone CR (classic Mac) line endings",
        refused_by=("rewrite",),
    ),
    Case("readonly.py", _file("readonly.py", LEGACY, mode=0o444), "cannot write (read-only", refused_by=("rewrite",)),
    Case("pipe.py", _fifo, "is not a regular file"),
    Case("link.py", _outside_link, "symlink points outside the given paths; not followed"),
    Case("huge.py", _file("huge.py", LEGACY + b"#" * (21 * 1024 * 1024) + b"\n"), "larger than the 20 MB limit"),
]


@dataclass
class BadTree:
    root: Path
    outside: Path
    before: dict[Path, State]
    runs: dict[str, Run]


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory: pytest.TempPathFactory) -> BadTree:
    """Every case in a folder of its own, next to a legacy and a clean file; one lint run, then
    one rewrite run, over the whole tree (each bad file must cost only itself)."""
    root, outside = tmp_path_factory.mktemp("tree"), tmp_path_factory.mktemp("outside")
    before = {}
    for case in CASES:
        folder = root / case.name.removesuffix(".py")
        folder.mkdir()
        (folder / "ok.py").write_bytes(LEGACY)
        (folder / "clean.py").write_bytes(CLEAN)
        case.make(folder, outside)
        for path in (folder / case.name, (folder / case.name).resolve(), folder / "clean.py"):
            before[path] = state_as_root(path)
    lint = ftmigrate("lint", ".", cwd=root)
    lint_ok = {case.name: (root / case.name.removesuffix(".py") / "ok.py").read_bytes() for case in CASES}
    assert set(lint_ok.values()) == {LEGACY}
    rewrite = ftmigrate("rewrite", ".", cwd=root)
    return BadTree(root, outside, before, {"lint": lint, "rewrite": rewrite})


@pytest.mark.parametrize("command", ["rewrite", "lint"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_costs_only_its_file(bad_tree: BadTree, case: Case, command: str) -> None:
    run = bad_tree.runs[command]
    folder = case.name.removesuffix(".py")
    assert run.code == 1, run.lines
    about = run.about(f"{folder}/{case.name}")
    if command in case.refused_by:
        assert len(about) == 1, run.lines
        assert "error" in about[0] and case.reason in about[0], about[0]
    else:
        assert not any("error" in line for line in about), about
    for path, was in bad_tree.before.items():
        if path.is_relative_to(bad_tree.root / folder) or path.is_relative_to(bad_tree.outside):
            assert state_as_root(path) == was, f"{path} was touched"
    assert any("FTM001" in line for line in bad_tree.runs["lint"].about(f"{folder}/ok.py"))
    assert (bad_tree.root / folder / "ok.py").read_bytes() == REWRITTEN


def test_a_folder_named_like_a_module_is_walked_as_a_folder(tmp_path: Path) -> None:
    """``x.py/`` is a folder: walked like any other, never opened as a file, never reported."""
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "inner.py").write_bytes(LEGACY)
    (tmp_path / "x.py" / "y.py").mkdir()
    for target in (".", "x.py"):
        run = ftmigrate("lint", target, cwd=tmp_path)
        assert run.code == 1 and not any("error" in line for line in run.lines), run.lines
        assert any(line.startswith(("./x.py/inner.py:", "x.py/inner.py:")) and "FTM001" in line for line in run.lines)
    run = ftmigrate("rewrite", "x.py", cwd=tmp_path)
    assert run.code == 0, run.lines
    assert (tmp_path / "x.py" / "inner.py").read_bytes() == REWRITTEN


def test_an_empty_file_is_left_alone_and_not_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "ok.py").write_bytes(LEGACY)
    was = state(tmp_path / "empty.py")
    run = ftmigrate("rewrite", ".", cwd=tmp_path)
    assert run.code == 0 and run.about("empty.py") == [], run.lines
    assert state(tmp_path / "empty.py") == was
    assert (tmp_path / "ok.py").read_bytes() == REWRITTEN
    run = ftmigrate("lint", "empty.py", cwd=tmp_path)
    assert run.code == 0, run.lines


def test_a_symlink_inside_the_tree_stays_a_link_and_its_target_is_rewritten_once(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "real.py").write_bytes(LEGACY)
    (tmp_path / "alias.py").symlink_to(Path("pkg") / "real.py")
    run = ftmigrate("rewrite", ".", cwd=tmp_path)
    assert run.code == 0, run.lines
    assert "1 file(s) changed" in run.out and run.about("alias.py") == []
    assert (tmp_path / "alias.py").is_symlink() and os.readlink(tmp_path / "alias.py") == str(Path("pkg") / "real.py")
    assert (tmp_path / "pkg" / "real.py").read_bytes() == REWRITTEN
    # Named on the command line, a link is reported and never written through.
    (tmp_path / "pkg" / "real.py").write_bytes(LEGACY)
    run = ftmigrate("rewrite", "alias.py", cwd=tmp_path)
    assert run.code == 1 and run.about("alias.py") == ["alias.py: error: is a symlink; not followed (name its target)"]
    assert (tmp_path / "pkg" / "real.py").read_bytes() == LEGACY


def test_a_file_of_several_megabytes_is_rewritten_correctly(tmp_path: Path) -> None:
    """5 MB: 200 legacy statements between clean functions and large data blocks."""
    parts = [b"from training.utils import InfraConfig\n\n"]
    blob = (b"abcdefghijklmnopqrstuvwxyz0123456789 " * 2 + b"\n") * 1400  # ~105 KB
    for i in range(200):
        parts.append(f'cfg_{i} = InfraConfig(region="r{i}", trainer_timeout_s={i + 1})  # run {i}\n\n\n'.encode())
        parts.append(f"def helper_{i}(x):\n    return [x * {i}, len(str(x))]\n\n\n".encode())
        if i % 4 == 0:
            parts.append(f'DATA_{i} = """\\\n'.encode() + blob + b'"""\n\n\n')
    data = b"".join(parts)
    assert len(data) > 5_000_000
    expected = (
        data.replace(b"import InfraConfig", b"import TrainerConfig")
        .replace(b"= InfraConfig(", b"= TrainerConfig(")
        .replace(b"trainer_timeout_s=", b"timeout_s=")
    )
    (tmp_path / "big.py").write_bytes(data)
    (tmp_path / "ok.py").write_bytes(LEGACY)
    run = ftmigrate("rewrite", ".", cwd=tmp_path)
    assert run.code == 0, run.lines
    assert (tmp_path / "big.py").read_bytes() == expected
    assert (tmp_path / "ok.py").read_bytes() == REWRITTEN


def test_recursion_in_a_forked_worker_is_that_files_error(tmp_path: Path) -> None:
    """With --jobs 2 and enough bytes the files are parsed in worker processes; a file that
    exhausts the recursion limit there is reported, and the others are rewritten."""
    blob = b'DATA = """\\\n' + (b"x" * 99 + b"\n") * 700 + b'"""\n'  # 70 KB, cheap to parse
    assert 5 * len(blob) > PARALLEL_MIN_BYTES
    for i in range(4):
        (tmp_path / f"ok{i}.py").write_bytes(LEGACY + blob)
    (tmp_path / "recursion.py").write_bytes(_deep_site("-" * 700 + "1") + blob)
    was = state(tmp_path / "recursion.py")
    run = ftmigrate("rewrite", "--jobs", "2", ".", cwd=tmp_path)
    assert run.code == 1, run.lines
    assert len(run.about("recursion.py")) == 1 and "nesting too deep" in run.about("recursion.py")[0]
    assert state(tmp_path / "recursion.py") == was
    for i in range(4):
        assert (tmp_path / f"ok{i}.py").read_bytes() == REWRITTEN + blob


def test_the_warnings_of_the_code_read_are_not_printed(tmp_path: Path) -> None:
    """Checking that a file compiles must not print its SyntaxWarnings as ftmigrate's own."""
    (tmp_path / "noisy.py").write_bytes(LEGACY + b'y = 1()\nz = "\\d"\nassert (y, "message")\n')
    for command in ("lint", "rewrite"):
        run = ftmigrate(command, "noisy.py", cwd=tmp_path)
        assert "Warning" not in run.err, run.err
    assert (tmp_path / "noisy.py").read_bytes().startswith(REWRITTEN)


def test_a_deep_folder_tree_is_walked(tmp_path: Path) -> None:
    """Discovery is iterative: a tree deeper than the recursion limit is still walked."""
    folders = [tmp_path / "d"]
    for _ in range(1100):
        folders[-1].mkdir()
        folders.append(folders[-1] / "d")
    (folders[-2] / "deep.py").write_bytes(LEGACY)
    try:
        run = ftmigrate("lint", "--format", "json", ".", cwd=tmp_path)
        assert run.code == 1 and '"FTM001"' in run.out
    finally:  # shutil.rmtree (pytest's cleanup) recurses, and would fail on this tree
        (folders[-2] / "deep.py").unlink()
        for folder in reversed(folders[:-1]):
            folder.rmdir()


# --------------------------------------------------------------------------------------------
# Permissions, with a process that permission bits apply to.


def test_unreadable_and_unwritable_files_are_reported(shared_tmp: Path, unprivileged: Unprivileged) -> None:
    as_root = os.geteuid() == 0  # only root can hand a file to another user
    root = shared_tmp / "tree"
    root.mkdir()
    files = {
        "ok.py": LEGACY,
        "secret.py": LEGACY,  # no read permission
        "theirs.py": LEGACY,  # writable by its owner, who is someone else
        "locked/inner.py": LEGACY,  # in a folder that cannot be listed
        "sealed/mine.py": LEGACY,  # in a folder where no temporary file can be created
    }
    if not as_root:
        del files["theirs.py"]
    for name, data in files.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_bytes(data)
    for path in [root, *root.rglob("*")]:
        if as_root:
            os.chown(path, unprivileged.uid, unprivileged.uid)
        path.chmod(0o777 if path.is_dir() else 0o666)
    (root / "secret.py").chmod(0o000)
    (root / "locked").chmod(0o000)
    if as_root:
        os.chown(root / "theirs.py", unprivileged.other_uid, unprivileged.other_uid)
        (root / "theirs.py").chmod(0o644)
        os.chown(root / "sealed", unprivileged.other_uid, unprivileged.other_uid)
        (root / "sealed").chmod(0o755)
    else:
        (root / "sealed").chmod(0o555)
    watched = [root / name for name in ("secret.py", "theirs.py", "locked", "sealed") if (root / name).exists()]
    before = {path: path.lstat() for path in watched}

    lint = ftmigrate("lint", ".", cwd=root, **unprivileged.popen)
    rewrite = ftmigrate("rewrite", ".", cwd=root, **unprivileged.popen)

    assert lint.code == 1 and rewrite.code == 1, (lint.lines, rewrite.lines)
    for run in (lint, rewrite):
        assert run.about("secret.py") == [f"./secret.py: {'FTM901 ' if run is lint else ''}error: cannot read (permission denied)"]
        assert len(run.about("locked")) == 1 and "cannot list folder (Permission denied)" in run.about("locked")[0]
    if as_root:
        assert rewrite.about("theirs.py") == ["./theirs.py: error: cannot write (permission denied)"]
    assert rewrite.about("sealed/mine.py") == [
        "./sealed/mine.py: error: cannot write (no permission to create a temporary file in its folder)"
    ]
    for path, was in before.items():
        now = path.lstat()
        assert (now.st_mtime_ns, now.st_ctime_ns, now.st_ino, now.st_mode) == (was.st_mtime_ns, was.st_ctime_ns, was.st_ino, was.st_mode), path
    for folder in ("locked", "sealed"):
        (root / folder).chmod(0o777)
    (root / "secret.py").chmod(0o666)
    for name, data in files.items():
        assert (root / name).read_bytes() == (REWRITTEN if name == "ok.py" else data), name
