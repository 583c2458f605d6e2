"""The lean lint path: a clean run imports none of the heavy libraries, and it never disagrees
with the full (typer) CLI: for any command line it either bails out or gives the same exit
code, stdout and stderr."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ftmigrate import fastpath

from .conftest import clean_env, lint, write

HEAVY = ("libcst", "typer", "rich", "click", "pydantic")


def imported_modules(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    """Exit code and the top-level modules a ``python -X importtime -m ftmigrate`` run imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ftmigrate", *args], cwd=cwd, capture_output=True, text=True, env=clean_env(), timeout=120
    )
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "ftmigrate" in names, proc.stderr[-2000:]  # the probe works
    return proc.returncode, names


CLEAN = {
    "app/__init__.py": "",
    "app/train.py": "import os\n\nprint(os.getcwd())\n",
    "app/models.py": "from mytraining.utils import InfraConfig  # another package's name\n\nInfraConfig()\n",
    "app/notes.py": '"""We moved off training.utils InfraConfig last year."""\n',
}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
@pytest.mark.parametrize("config", ["", "[tool.ftmigrate]\nexclude = ['build/**']\nper-file-ignores = {'tests/*' = ['FTM0']}\nselect = ['FTM0', 'FTM9']\n"])
def test_a_clean_lint_imports_no_heavy_library(tmp_path, fmt, config) -> None:
    write(tmp_path, {**CLEAN, "pyproject.toml": config or "[project]\nname = 'app'\n"})
    code, names = imported_modules(["lint", "--format", fmt, "--exclude", "vendor/**", "app"], tmp_path)
    assert code == 0
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_a_file_with_a_legacy_import_is_analysed_without_libcst_or_typer(tmp_path) -> None:
    # The control for the test above: the probe sees the analysis when a file needs it. The
    # files that need it go to the engine from the lean path: no typer, no second walk, and no
    # LibCST (the analysis runs on CPython's ast). (An explicit file: no folder walk, so no
    # warm helper; the engine runs in this process.)
    write(tmp_path, {**CLEAN, "app/old.py": "from training.utils import InfraConfig\n\nInfraConfig()\n"})
    code, names = imported_modules(["lint", "app/old.py", "app/train.py"], tmp_path)
    assert code == 1  # the finding was made (by the analysis) ...
    assert "libcst" not in names  # ... without LibCST
    assert not names & {"typer", "rich", "click"}, sorted(names & {"typer", "rich", "click"})


def test_a_folder_with_legacy_code_is_parsed_by_the_warm_helper_not_this_process(tmp_path) -> None:
    # Walking a folder, the lean path forks a helper that imports the engine meanwhile
    # (ftmigrate._warm): this process then imports no libcst even though a file needed parsing.
    write(tmp_path, {**CLEAN, "app/old.py": "from training.utils import InfraConfig\n\nInfraConfig()\n"})
    code, names = imported_modules(["lint", "app"], tmp_path)
    assert code == 1
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


@pytest.mark.parametrize("args", [["."], ["--format", "json", "."], ["--statistics", "--jobs", "1", "app", "old"], ["--baseline", "b.json", "."]])
def test_the_warm_helper_reports_what_this_process_would(parity_tree, args) -> None:
    warm = lint(*args, cwd=parity_tree)
    here = lint(*args, cwd=parity_tree, env=clean_env(FTMIGRATE_NO_WARM="1"))
    assert warm.code == 1
    assert (warm.code, warm.out, warm.err) == (here.code, here.out, here.err)
    assert "FTM001" in warm.out


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if marker.encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
@pytest.mark.parametrize("tree", ["clean", "legacy"])
def test_the_warm_helper_leaves_no_process_behind(tmp_path, tree) -> None:
    import time
    import uuid

    files = {**CLEAN, "app/old.py": "from training.utils import InfraConfig\n"} if tree == "legacy" else CLEAN
    write(tmp_path, files)
    marker = f"FTMIGRATE_TEST_MARK=helper-{uuid.uuid4().hex}"
    key, value = marker.split("=")
    run = lint("app", cwd=tmp_path, env=clean_env(**{key: value}))
    assert run.code == (1 if tree == "legacy" else 0)
    deadline = time.monotonic() + 20  # a clean run's helper finishes its imports, then sees the pipe closed
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(marker) == []


def test_a_broken_warm_helper_is_replaced_by_the_engine_here(parity_tree, monkeypatch) -> None:
    from ftmigrate import _warm

    def broken() -> _warm.Warm:
        task_r, task_w = os.pipe()
        reply_r, reply_w = os.pipe()
        os.close(task_r)  # nobody reads the work: the helper died before it started
        os.close(reply_w)
        return _warm.Warm(task_w, reply_r)

    with contextlib.chdir(parity_tree):
        expected = _capture(fastpath.lint_fast, ["--format", "json", "."])
        monkeypatch.setattr(_warm, "start", broken)
        assert _capture(fastpath.lint_fast, ["--format", "json", "."]) == expected
    assert expected[0] == 1 and "FTM001" in expected[1]


# --- parity with the typer command -------------------------------------------------------------


def _typer_options() -> dict[str, object]:
    import typer.main

    from ftmigrate.cli import app

    command = typer.main.get_command(app).commands["lint"]
    options = {}
    for param in command.params:
        for name in (*param.opts, *param.secondary_opts):
            if name.startswith("-"):
                options[name] = param
    return options


def test_every_typer_option_is_parsed_the_same_way_or_bails_out() -> None:
    options = _typer_options()
    known = {**fastpath.VALUE_OPTIONS, **fastpath.FLAGS}
    for name, param in options.items():
        if name in fastpath.BAIL:
            continue
        assert name in known, f"{name}: the fast path neither parses it nor bails out on it"
        if name in fastpath.FLAGS:
            assert param.is_flag and not param.multiple, name
        else:
            assert not param.is_flag, name
            assert param.multiple == (fastpath.VALUE_OPTIONS[name] in fastpath.REPEATABLE), name
    # Nothing stale: every name the fast path knows is an option of the command (or --help).
    assert set(known) | set(fastpath.BAIL) <= set(options) | {"--help"}
    from ftmigrate.cli import LintFormat

    assert set(fastpath.FORMATS) == {f.value for f in LintFormat}


@pytest.fixture(scope="module")
def parity_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parity")
    write(root, {
        **CLEAN,
        "pyproject.toml": "[tool.ftmigrate]\nexclude = ['build/**']\nper-file-ignores = {'app/notes.py' = ['FTM001']}\n",
        "bad.toml": "[tool.ftmigrate]\nselect = ['NOPE']\n",
        "old/legacy.py": "from training.utils import InfraConfig\n\nInfraConfig()\n",
        "broken/bad.py": "from training.utils import InfraConfig\ndef (:\n",
        "b.json": '{"tool": "ftmigrate", "version": 1, "findings": [{"path": "old/legacy.py", "code": "FTM001", "message": "m", "fingerprint": "0", "occurrence": 0}]}\n',
        "corrupt.json": "{",
    })
    return root


#: Command-line pieces the fast path should answer, and pieces that should make it bail out
#: (or that the full CLI rejects); the strategy mixes them, mostly the former.
_GOOD_PATHS = [".", "app", "app/train.py", "app/notes.py", "app/models.py", "old", "old/legacy.py", "broken"]
_BAD_PATHS = ["missing.py", "-", "--", "-x"]
_GOOD_VALUES = {
    "--format": ["text", "json", "sarif", "github", "junit"],
    "--output-format": ["json", "sarif"],
    "--select": ["FTM001", "FTM0", "ALL", "FTM001,FTM010", "FTM9", ""],
    "--ignore": ["FTM001", "FTM0,FTM9", "ALL"],
    "--exclude": ["old/**", "*.py", "app/notes.py", "build"],
    "--config": ["pyproject.toml"],
    "--baseline": ["b.json"],
    "--jobs": ["0", "1", "2", "007"],
    "-j": ["0", "3"],
    "--target": ["2026-06", "2026-08"],
}
_BAD_VALUES = {
    "--format": ["bogus", "TEXT", ""],
    "--select": ["NOPE", "FTM999"],
    "--ignore": ["X1"],
    "--exclude": ["["],
    "--config": ["bad.toml", "nope.toml"],
    "--baseline": ["corrupt.json", "none.json"],
    "--jobs": ["-1", "x"],
    "-j": ["", "x"],
    "--target": ["2026-07", "latest", ""],
    "--stdin-filename": ["a.py"],
    "--write-baseline": ["w.json"],
    "--nope": ["x"],
}
_GOOD_FLAGS = ["--force-exclude", "--exit-zero", "--statistics", "--quiet", "-q"]
_BAD_FLAGS = ["--help", "-qj2", "--quiet=1", "-x", "--exit-zero=yes"]


@st.composite
def command_lines(draw) -> list[str]:
    def pick(good, bad):
        return draw(st.sampled_from(bad if draw(st.integers(0, 11)) == 0 else good))

    args: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["value", "inline", "short", "flag", "path"]))
        if kind == "flag":
            args.append(pick(_GOOD_FLAGS, _BAD_FLAGS))
        elif kind == "path":
            args.append(pick(_GOOD_PATHS, _BAD_PATHS))
        else:
            name = pick(sorted(_GOOD_VALUES), sorted(_BAD_VALUES))
            value = pick(_GOOD_VALUES.get(name, []) or _BAD_VALUES[name], _BAD_VALUES.get(name, []) or _GOOD_VALUES[name])
            if kind == "inline" and name.startswith("--"):
                args.append(f"{name}={value}")
            elif kind == "short" and name == "-j":
                args.append(f"-j{value}")
            else:
                args += [name, value]
    args += [pick(_GOOD_PATHS, _BAD_PATHS) for _ in range(draw(st.integers(1, 2)))]
    return args


def _capture(function, args: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = function(args)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=command_lines())
def test_the_fast_path_never_disagrees_with_the_full_cli(parity_tree, args) -> None:
    from ftmigrate.cli import run

    with contextlib.chdir(parity_tree):
        fast = _capture(fastpath.lint_fast, args)
        event("bailed out" if fast[0] is None else "answered")
        if fast[0] is None:
            assert fast[1:] == ("", ""), "the fast path printed before bailing out"
            return
        full = _capture(run, ["lint", *args])
    assert fast == full, args


def test_the_fast_path_answers_the_pre_commit_command_line(parity_tree) -> None:
    # The property above could pass with a fast path that always bails; this is its purpose.
    with contextlib.chdir(parity_tree):
        code, out, err = _capture(fastpath.lint_fast, ["--force-exclude", "app/train.py", "app/models.py", "app/notes.py"])
    assert (code, out, err) == (0, "All clear: no legacy cookbook usage in 3 file(s).\n", "")


@pytest.mark.parametrize(
    "args",
    [
        ["old"],
        ["broken"],
        [".", "--format", "json"],
        ["--format", "sarif", "old", "app"],
        ["--format", "github", "."],
        ["--format", "junit", "."],
        ["--baseline", "b.json", "."],
        ["--baseline", "b.json", "-q", "old"],
        ["--statistics", "--jobs", "2", "."],
        ["--exit-zero", "old"],
        ["--select", "FTM0", "--ignore", "FTM001", "old"],
        ["--select", "ALL", "old/legacy.py", "app/notes.py"],
    ],
)
def test_the_fast_path_answers_runs_with_findings_as_the_full_cli_does(parity_tree, args) -> None:
    # Files that need parsing no longer make it bail: it hands them to the engine itself.
    from ftmigrate.cli import run

    with contextlib.chdir(parity_tree):
        fast = _capture(fastpath.lint_fast, args)
        full = _capture(run, ["lint", *args])
    assert fast[0] is not None, "bailed out"
    assert fast == full


def test_a_run_that_shows_a_progress_bar_is_left_to_the_full_cli(parity_tree, monkeypatch) -> None:
    monkeypatch.setattr(fastpath, "PROGRESS_MIN", 1)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with contextlib.chdir(parity_tree):
        assert fastpath.lint_fast(["old"]) is None


@pytest.mark.parametrize(
    "args",
    [
        ["-", "--stdin-filename", "a.py"],
        ["--help"],
        ["--write-baseline", "w.json", "app"],
        ["missing.py"],
        ["--config", "bad.toml", "app"],
        ["--select", "FTM999", "app"],
        ["--baseline", "corrupt.json", "app"],
        ["-qj2", "app"],
        ["--format", "xml", "app"],
        [],
    ],
)
def test_the_fast_path_bails_out(parity_tree, args) -> None:
    with contextlib.chdir(parity_tree):
        assert _capture(fastpath.lint_fast, args) == (None, "", "")
    assert not (parity_tree / "w.json").exists()


# --- the bare path: the pre-commit case with no [tool.ftmigrate] table ------------------------


@pytest.fixture(scope="module")
def bare_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bare")
    write(root, {
        **CLEAN,
        "pyproject.toml": "[project]\nname = 'app'\n",
        "old/legacy.py": "from training.utils import InfraConfig\n\nInfraConfig()\n",
        "lib/pyproject.toml": "[tool.ftmigrate]\nlegacy-modules = ['mypkg.cookbook']\n",
        "lib/uses_vendored.py": "from mypkg.cookbook import InfraConfig\n\nInfraConfig()\n",
        "lib/clean.py": "x = 1\n",
        "tmpdir/.a.py.123.ab.ftmigrate.tmp": "",
        "tmpdir/ok.py": "y = 2\n",
    })
    (root / "link.py").symlink_to(root / "app" / "train.py")
    return root


_BARE_PATHS = ["app/train.py", "app/models.py", "app/notes.py", "./app/train.py", "old/legacy.py", "lib/clean.py",
               "lib/uses_vendored.py", "tmpdir/ok.py", "link.py", "app", "missing.py", "../bare/app/train.py", "pyproject.toml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    paths=st.lists(st.sampled_from(_BARE_PATHS), min_size=1, max_size=3),
    options=st.lists(st.sampled_from([["-q"], ["--exit-zero"], ["--force-exclude"], ["--exclude", "app/**"], ["--jobs", "2"], ["--statistics"], ["--format", "json"], ["--target", "2026-08"], ["--target", "1999"]]), max_size=2),
)
def test_the_bare_path_never_disagrees_with_the_full_cli(bare_tree, paths, options) -> None:
    from ftmigrate.cli import run

    args = [a for option in options for a in option] + paths
    with contextlib.chdir(bare_tree / "app"):  # paths relative to the tree, from a folder inside it
        args = [a if a.startswith("-") or a in ("app/**", "2", "json", "2026-08", "1999") else os.path.join("..", a) for a in args]
        fast = _capture(fastpath.lint_fast, args)
        event("bailed out" if fast[0] is None else "answered")
        if fast[0] is None:
            return
        full = _capture(run, ["lint", *args])
    assert fast == full, args


def test_the_bare_path_answers_the_pre_commit_case_on_os_alone(bare_tree) -> None:
    # The property above could pass with a bare path that never answers; the lean modules it
    # exists to skip (and the pathlib, re and dataclasses they load) are the proof that it did.
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ftmigrate", "lint", "app/train.py", "app/__init__.py", "./app/train.py"],
        cwd=bare_tree, capture_output=True, text=True, env=clean_env(), timeout=120,
    )
    names = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    assert (proc.returncode, proc.stdout) == (0, "All clear: no legacy cookbook usage in 2 file(s).\n")
    assert "ftmigrate.fastpath" in names  # the probe works
    assert not names & {"ftmigrate.config", "ftmigrate.discovery", "ftmigrate.report"}, sorted(names)


def test_the_bare_paths_defaults_are_the_lean_paths() -> None:
    from ftmigrate import discovery, fileio, prefilter
    from ftmigrate.diagnostics import FileResult
    from ftmigrate.report import ReportContext, render

    assert (fastpath.BARE_ROOT,) == tuple(r.encode() for r in prefilter.DEFAULT_ROOTS)
    assert (fastpath.BARE_HINT, fastpath.BARE_HINT_WINDOW) == (prefilter.HINT, prefilter.HINT_WINDOW)
    assert fastpath.BARE_MAX_BYTES == fileio.MAX_BYTES
    assert fastpath.BARE_TEMP_SUFFIX == discovery.TEMP_SUFFIX
    results = [FileResult(path="a.py"), FileResult(path="b.py")]
    assert render(results, "text", ReportContext(command="lint", checked=2)) == fastpath.ALL_CLEAR.format(2)
