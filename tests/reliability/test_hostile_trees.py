"""Trees built to hang, exhaust or mislead ftmigrate: each costs one clear line and the
documented exit code, never a hang, a traceback or a write outside the tree.

(Names and messages that try to forge CI output: ``tests/lint/test_hostile_output.py``;
killed runs: ``test_signals.py``; the time budget: ``tests/engine/test_budget.py``.)
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftmigrate import engine, fileio
from ftmigrate.discovery import PathError, compile_globs
from ftmigrate.rules import registry
from ftmigrate.transform import Options
from tests.reliability.conftest import LEGACY, REWRITTEN, ftmigrate

# --- 2. configuration and ignore files: regular files of bounded size ------------------------


def _project(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "train.py").write_bytes(LEGACY)
    return root


@pytest.mark.parametrize("command", ["lint", "rewrite"])
@pytest.mark.parametrize("name", ["pyproject.toml", ".gitignore"])
def test_config_or_ignore_file_as_a_fifo_is_one_line_exit_2(tmp_path: Path, command: str, name: str) -> None:
    root = _project(tmp_path / "p")
    os.mkfifo(root / name)
    run = ftmigrate(command, ".", cwd=root, timeout=30)  # a hang fails here (it used to block for good)
    assert run.code == 2, run.err
    (line,) = run.err.splitlines()
    assert name in line and "not a regular file" in line
    assert (root / "train.py").read_bytes() == LEGACY


@pytest.mark.parametrize("name", ["pyproject.toml", ".gitignore"])
def test_config_or_ignore_file_linked_to_dev_zero_is_one_line_exit_2(tmp_path: Path, name: str) -> None:
    root = _project(tmp_path / "p")
    (root / name).symlink_to("/dev/zero")
    run = ftmigrate("lint", ".", cwd=root, timeout=30)
    assert run.code == 2, run.err
    (line,) = run.err.splitlines()
    assert name in line and "not a regular file" in line


def test_huge_config_file_is_refused_unread(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    with open(root / "pyproject.toml", "wb") as fh:
        fh.write(b"[tool.ftmigrate]\n")
        fh.truncate(fileio.CONFIG_MAX_BYTES + 1)
    run = ftmigrate("lint", ".", cwd=root, timeout=30)
    assert run.code == 2 and "larger than the 1 MB limit" in run.err, run.err


@pytest.mark.parametrize("where", ["tool", "elsewhere"])
def test_deeply_nested_toml_is_exit_2_not_a_traceback(tmp_path: Path, where: str) -> None:
    root = _project(tmp_path / "p")
    deep = "[" * 5000 + "]" * 5000
    text = f"[tool.ftmigrate]\nx = {deep}\n" if where == "tool" else f"# ftmigrate\n[project]\nname = 'p'\nx = {deep}\n"
    (root / "pyproject.toml").write_text(text)
    run = ftmigrate("lint", ".", cwd=root, timeout=60)
    assert run.code == 2, (run.code, run.err)
    (line,) = run.err.splitlines()
    assert "pyproject.toml" in line and "nested too deeply" in line


def test_baseline_as_a_fifo_or_deeply_nested_is_one_line_exit_2(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    os.mkfifo(root / "fifo.json")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    for name in ("fifo.json", "deep.json"):
        run = ftmigrate("lint", "--baseline", name, ".", cwd=root, timeout=30)
        assert run.code == 2, run.err
        (line,) = run.err.splitlines()
        assert name in line


# --- 3. globs match in linear time, with pathspec's gitignore semantics -----------------------

EVIL = ["*?" * 12 + "*!", "*a" * 25 + "*b"]


@pytest.mark.parametrize("pattern", EVIL)
def test_catastrophic_globs_match_in_linear_time(pattern: str) -> None:
    # In a process of its own, so a backtracking matcher fails the test in seconds instead of
    # running for hours (Python's re: about 20 s, then 60 s and more, per name).
    code = (
        "import sys, time\n"
        "from ftmigrate.discovery import compile_globs\n"
        "spec = compile_globs([sys.argv[1]])\n"
        "start = time.perf_counter()\n"
        "for n in range(100):\n"
        "    spec.match_file('a' * 200)\n"
        "    spec.check_file('a' * 200 + '/x.py')\n"
        "print(time.perf_counter() - start)\n"
    )
    try:
        proc = subprocess.run([sys.executable, "-c", code, pattern], capture_output=True, timeout=20, check=True)
    except subprocess.TimeoutExpired:
        pytest.fail("200 matches of one pattern took more than 20 s")
    assert float(proc.stdout) < 1.0


@pytest.mark.parametrize("where", ["gitignore", "exclude", "per-file-ignores"])
def test_catastrophic_glob_in_a_tree_does_not_stall_the_run(tmp_path: Path, where: str) -> None:
    root = _project(tmp_path / "p")
    (root / ("a" * 60 + ".py")).write_bytes(LEGACY)
    pattern = EVIL[0]
    if where == "gitignore":
        (root / ".gitignore").write_text(pattern + "\n")
    elif where == "exclude":
        (root / "pyproject.toml").write_text(f'[tool.ftmigrate]\nexclude = ["{pattern}"]\n')
    else:
        (root / "pyproject.toml").write_text(f'[tool.ftmigrate]\nper-file-ignores = {{ "{pattern}" = ["FTM001"] }}\n')
    start = time.monotonic()
    run = ftmigrate("lint", ".", cwd=root, timeout=30)  # a stalled run fails here
    assert run.code == 1, run.err
    assert time.monotonic() - start < 20


# Generated gitignore patterns and paths: the RE2 matcher answers as pathspec's own regex
# engine does (on inputs small enough for Python's backtracking `re` to answer quickly).
_SEGMENT = st.text(alphabet="ab.*?![]/\\-", min_size=1, max_size=6)
PATTERNS = st.lists(st.one_of(_SEGMENT, st.sampled_from(["**", "**/", "/**", "!", "/", "#", "\\!", "\\#", " ", "[!a]", "[a-b]"])), min_size=1, max_size=4).map("".join)
PATHS = st.lists(st.text(alphabet="ab.-", min_size=1, max_size=4), min_size=1, max_size=4).map("/".join)


@settings(max_examples=300, deadline=None)
@given(patterns=st.lists(PATTERNS, min_size=1, max_size=4), paths=st.lists(PATHS, min_size=1, max_size=5))
def test_linear_matcher_agrees_with_pathspec(patterns: list[str], paths: list[str]) -> None:
    import pathspec

    try:
        with warnings.catch_warnings():  # `re`'s FutureWarning on `[[`
            warnings.simplefilter("ignore")
            reference = pathspec.GitIgnoreSpec.from_lines(patterns, backend="simple")
    except Exception:  # a malformed pattern (ValueError, or re.error for `[?-.]`): refused in one line
        with pytest.raises(PathError):
            compile_globs(patterns)
        return
    ours = compile_globs(patterns)
    for path in paths:
        for candidate in (path, path + "/"):
            if ours.match_file(candidate) != reference.match_file(candidate):
                # pathspec's two engines disagree here (seen: `!*` then `?` on `a/`): git decides.
                assert ours.match_file(candidate) == _git_ignores(patterns, candidate), (patterns, candidate)
                continue
            assert ours.check_file(candidate).include == reference.check_file(candidate).include, (patterns, candidate)


def _git_ignores(patterns: list[str], path: str) -> bool:
    """What a real git repository says of ``path`` under a .gitignore of ``patterns``."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as repo:
        subprocess.run(["git", "init", "-q", repo], check=True)
        Path(repo, ".gitignore").write_text("\n".join(patterns) + "\n")
        target = Path(repo, path.rstrip("/"))
        if path.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("")
        check = subprocess.run(["git", "-C", repo, "check-ignore", "-q", "--no-index", path], capture_output=True)
        return check.returncode == 0


# --- 7. a trailing slash does not follow a symlink out of the tree ----------------------------


@pytest.mark.parametrize("spelling", ["tree/ext", "tree/ext/", "tree/ext/.", "tree/ext//"])
def test_symlinked_folder_named_with_a_trailing_slash_is_refused(tmp_path: Path, spelling: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_bytes(LEGACY)
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "ext").symlink_to("../outside")
    run = ftmigrate("rewrite", spelling, cwd=tmp_path)
    assert run.code == 1, run.err
    assert (outside / "victim.py").read_bytes() == LEGACY
    assert "is a symlink; not followed" in run.out + run.err


# --- 8. summaries count only what was written ---------------------------------------------------


def _settings() -> engine.RunSettings:
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    return engine.RunSettings(options=Options(mode="rewrite", enabled=enabled), write=True, jobs=1)


def test_a_failed_write_counts_no_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ftmigrate.diagnostics import Summary
    from ftmigrate.discovery import discover
    from ftmigrate.report import ReportContext, render

    for name in ("a.py", "b.py"):
        (tmp_path / name).write_bytes(LEGACY)
    real = fileio.os.fsync

    def disk_full(fd: int) -> None:  # the disk fills up while b.py is written
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1].startswith(".b.py."):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", disk_full)
    results = engine.run(list(discover([str(tmp_path)])), _settings())
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["a.py"].status == "changed" and (tmp_path / "a.py").read_bytes() == REWRITTEN
    failed = by_name["b.py"]
    assert failed.status == "error" and "No space left" in (failed.error or "")
    assert (tmp_path / "b.py").read_bytes() == LEGACY
    assert not any(d.fixed for d in failed.diagnostics)
    applied = sum(d.fixed for d in by_name["a.py"].diagnostics)
    assert Summary.of(results).fixed == applied
    line = render(results, "text", ReportContext(command="rewrite", checked=2)).splitlines()[-1]
    assert f"1 file(s) changed, {applied} fix(es) applied" in line and "1 file(s) could not be processed" in line


def test_two_runs_racing_on_a_file_report_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ftmigrate.diagnostics import Summary
    from ftmigrate.discovery import discover

    (tmp_path / "a.py").write_bytes(LEGACY)
    candidates = list(discover([str(tmp_path)]))
    original = engine._parse_all

    def other_run_first(work, settings, on_result):  # another run writes while this one parses
        outputs = list(original(work, settings, on_result))
        monkeypatch.setattr(engine, "_parse_all", original)
        other = engine.run(candidates, _settings())
        assert other[0].status == "changed" and Summary.of(other).fixed > 0
        yield from outputs

    monkeypatch.setattr(engine, "_parse_all", other_run_first)
    results = engine.run(candidates, _settings())
    (result,) = results
    assert result.status == "error" and "changed while ftmigrate was working on it" in (result.error or "")
    assert Summary.of(results).fixed == 0 and Summary.of(results).changed == 0
    assert (tmp_path / "a.py").read_bytes() == REWRITTEN  # written once, by the other run


# --- 9. small ones ------------------------------------------------------------------------------


def test_form_feed_as_first_byte_is_rewritten(tmp_path: Path) -> None:
    (tmp_path / "ff.py").write_bytes(b"\x0c" + LEGACY)
    (tmp_path / "ff2.py").write_bytes(b"\x0c\x0c" + LEGACY)
    run = ftmigrate("rewrite", ".", cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    assert (tmp_path / "ff.py").read_bytes() == b"\x0c" + REWRITTEN
    assert (tmp_path / "ff2.py").read_bytes() == b"\x0c\x0c" + REWRITTEN
    source = b"\x0cfrom training.utils import InfraConfig; x = InfraConfig()\n"
    lint = ftmigrate("lint", "--format", "json", "-", "--stdin-filename", "ff.py", cwd=tmp_path, input=source)
    import json

    (diag,) = [d for f in json.loads(lint.out)["files"] for d in f["diagnostics"]]
    assert (diag["line"], diag["column"]) == (1, source.rindex(b"InfraConfig") + 1)  # in the file as read


def test_hard_link_is_said_in_the_output(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(LEGACY)
    os.link(tmp_path / "a.py", tmp_path / "other_name.txt")
    run = ftmigrate("rewrite", "a.py", cwd=tmp_path)
    assert run.code == 0
    assert (tmp_path / "a.py").read_bytes() == REWRITTEN
    assert (tmp_path / "other_name.txt").read_bytes() == LEGACY
    (note,) = [line for line in run.out.splitlines() if "hard-linked" in line]
    assert note.startswith("a.py: note: was hard-linked (1 other name)")


def test_extended_attributes_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(LEGACY)
    try:
        os.setxattr(target, "user.origin", b"vendored")
    except OSError:
        pytest.skip("no user extended attributes on this file system")
    run = ftmigrate("rewrite", "a.py", cwd=tmp_path)
    assert run.code == 0 and target.read_bytes() == REWRITTEN
    assert os.getxattr(target, "user.origin") == b"vendored"


@pytest.mark.parametrize("data", ["# training.utils\nx = 1\n".encode("utf-16"), "x = 1\n".encode("utf-16-le"), b"\x00\x01binary"])
def test_a_file_that_cannot_be_python_source_is_skipped_not_all_clear(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "u16.py").write_bytes(data)
    (tmp_path / "ok.py").write_bytes(b"x = 1\n")
    for args in (["lint", "."], ["lint", "u16.py", "ok.py"], ["rewrite", "."]):
        run = ftmigrate(*args, cwd=tmp_path)
        assert "All clear" not in run.out, args
        assert any(line.removeprefix("./").startswith("u16.py: skipped: ") for line in run.out.splitlines()), (args, run.out)
    run = ftmigrate("lint", "-", "--stdin-filename", "u16.py", cwd=tmp_path, input=data)
    assert "u16.py: skipped: " in run.out and "All clear" not in run.out


# --- no traceback for any input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--format", "sarif", "bad\udcff.py"],
        ["lint", "--select", "FTM001\n::error::x", "."],
        ["rewrite", "--jobs", "-1", "."],
        ["lint", "--config", "/dev/null", "."],
    ],
)
def test_bad_invocations_are_one_line_exit_2(tmp_path: Path, args: list[str]) -> None:
    run = ftmigrate(*[os.fsencode(a) for a in args], cwd=_project(tmp_path / "p"))
    assert run.code == 2, (run.code, run.err)
    assert len(run.err.splitlines()) == 1, run.err


def test_bad_budget_value_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTMIGRATE_FILE_BUDGET", "soon")
    run = ftmigrate("lint", ".", cwd=_project(tmp_path / "p"))
    assert run.code == 2 and run.err.strip().endswith("is not a number of seconds (0 turns the budget off)"), run.err


def test_tool_key_that_is_not_a_table(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "pyproject.toml").write_text("tool = 1\n# ftmigrate\n")
    run = ftmigrate("lint", ".", cwd=root)
    assert run.code == 1  # no table: defaults apply, the legacy file is reported


def test_random_bytes_as_pyproject_never_traceback(tmp_path: Path) -> None:
    rng = random.Random(17)
    root = _project(tmp_path / "p")
    for _ in range(5):
        (root / "pyproject.toml").write_bytes(b"[tool.ftmigrate]\n" + bytes(rng.randrange(256) for _ in range(200)))
        run = ftmigrate("lint", ".", cwd=root)
        assert run.code == 2 and len(run.err.splitlines()) == 1, run.err


@pytest.mark.parametrize("where", ["gitignore", "exclude"])
def test_a_glob_the_regex_engine_rejects_is_one_line_exit_2(tmp_path: Path, where: str) -> None:
    root = _project(tmp_path / "p")
    if where == "gitignore":
        (root / ".gitignore").write_text("[?-.]\n")
    else:
        (root / "pyproject.toml").write_text('[tool.ftmigrate]\nexclude = ["[?-.]"]\n')
    run = ftmigrate("lint", ".", cwd=root)
    assert run.code == 2, (run.code, run.err)
    assert len(run.err.splitlines()) == 1 and "[?-.]" not in run.out
