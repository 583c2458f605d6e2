"""Measure ftmigrate against the speed targets of issues 7 and 13, side by side, as ratios.

    python bench/run.py [--rounds 5] [--quick] [--rebuild] [--only PART]

Run it from a checkout, with the dev venv's Python (``pip install -e '.[test]'``). It builds its
corpora once and caches them under ``bench/.corpus/``: three copies of the ``.py`` files of that
Python's site-packages (about 8,000 files in all), a few dozen legacy files made from
``fixtures/`` and two legacy-heavy corpora for ``rewrite`` (issue 7); and a legacy-dense corpus
(about 3 MB of generated training scripts, recipe forks, test suites, sweeps, runner classes and
launch scripts, see ``legacy_corpus.py``), one 40-80 KB legacy file with versions of it with no
and with 4x the code, and a file of 20,000 recipe ``Config(...)`` calls (issue 13). The
commands measured come from ``bench/.venv-bench/``: ruff, the reference, and ftmigrate
installed from the working tree as a user installs it (its console script, as pre-commit and CI
run it). Every case then runs alternately with its reference, several rounds, and the medians
and ratios are printed with a PASS/FAIL per target. Exit status: 0 all targets pass, 1 one
fails, 2 the benchmark itself could not run.

Times are wall clock until the command exits; CPU is user + system of the command, every process
it waited for (``os.wait4``) and every process it left running (adopted as their subreaper on
Linux, and reaped after the clock stopped), and so is peak memory (max RSS of the largest).
A case whose first run takes more than ``SLOW_RUN_S`` is measured by that run alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import legacy_corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / ".corpus" / "full"
BENCH_VENV = HERE / ".venv-bench"
#: Bumped whenever the corpus layout changes, so a stale cache is rebuilt.
CORPUS_VERSION = 4

#: Folders neither tool walks into (ruff's defaults and ftmigrate's): files under them are not
#: copied, so both tools see the same files.
SKIPPED = {"__pycache__", "__pypackages__", "_build", "buck-out", "dist", "node_modules", "site-packages", "venv"}

TARGET_FILES = 8000
LEGACY_IN_LINT = 36
#: The two legacy-heavy corpora (number of legacy files): cost per KB must not grow with size.
REWRITE_SIZES = (80, 160)
#: Bytes of real code appended to each fixture in the legacy-heavy corpora (the fixtures are a
#: few hundred bytes; legacy training scripts are longer, and a rewrite costs ~0.1 s per KB).
APPEND_BYTES = (300, 1000)
#: Clean files beside the legacy ones in each legacy-heavy corpus: they must cost next to nothing.
CLEAN_IN_REWRITE = 500
#: The [tool.ftmigrate] table of the configured pre-commit case: the README's example.
CONFIG_TABLE = """[tool.ftmigrate]
select = ["FTM"]
ignore = ["FTM031"]
exclude = ["vendor/**"]
per-file-ignores = { "tests/**" = ["FTM064"] }
legacy-modules = ["mypkg.cookbook"]
target = "2026-06"
"""

#: The legacy-dense corpus (issue 13): about this many bytes of generated legacy files, each
#: of a size drawn log-uniform in this range, from this seed. Bump DENSE_VERSION whenever the
#: generator's output changes, so a cached copy is rebuilt.
DENSE_VERSION = 3
DENSE_SEED = 13
DENSE_BYTES = 3_000_000
DENSE_SIZES = (1024, 80 * 1024)
#: The single large file (a recipe fork of this size) and its 4x version.
BIG_BYTES = 64 * 1024
#: The pathological file: this many recipe Config(...) calls, one per line (about 1.5 MB),
#: against the same lines at 1/HUGE_FACTOR of the count.
HUGE_LINES = 20_000
HUGE_FACTOR = 16
#: Upper bound of the time the huge file may take before it is stopped and reported as a FAIL.
HUGE_TIMEOUT_MAX = 240.0
#: A case whose first run takes longer than this is measured by that run alone (a run that long
#: is not moved by caches, and the full benchmark must finish on today's slow code too).
SLOW_RUN_S = 30.0
#: Where the Python files parsed by the reference parsers (ast, libcst) come from.
PARSE_FILES = HERE / "parse_files.py"
#: The environment of every command measured: ftmigrate's per-file time budget off (a file
#: skipped as "too slow to analyse" would look fast; the benchmark has its own timeout).
MEASURED_ENV = {**os.environ, "FTMIGRATE_FILE_BUDGET": "0"}

# Targets.
LINT_VS_RUFF = 0.5
ONE_FILE_VS_PYTHON = 2.0
WALL_VS_CPU_PER_CORE = 1.25  # wall / (CPU / cores) with --jobs 2: both cores busy
LINEAR_SPREAD = 1.15  # CPU per KB, larger corpus / smaller corpus
MEMORY_MB = 150
LINT_VS_AST = 3.0  # lint of the legacy-dense corpus / ast.parse of the same files, one process
LINT_VS_AST_MOONSHOT = 1.5
REWRITE_VS_AST = 15.0  # rewrite --unsafe-fixes of a fresh copy / the same ast.parse time
REWRITE_VS_AST_MOONSHOT = 5.0
BIG_LINT_S = 0.3  # one 40-80 KB legacy file, wall
BIG_REWRITE_S = 1.0
LINEAR_4X = 4.5  # a file 4x larger costs at most this many times as much (CPU beyond start-up)


class BenchError(Exception):
    """The benchmark cannot run (one line for the user)."""


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_mb: float
    code: int
    timed_out: bool = False


@dataclass
class Case:
    """One command to measure: the exit codes it may end with, a step run before each run and
    not timed (``prepare``: a fresh copy for a rewrite), a time limit after which it is stopped
    (``timeout``), and whether to keep the output of its first run (``capture``)."""

    cmd: list[str]
    codes: set[int]
    cwd: Path | None = None
    prepare: Callable[[], None] | None = None
    timeout: float | None = None
    capture: bool = False
    output: str = field(default="", repr=False)


def _adopt_orphans() -> bool:
    """Make this process the reaper of its descendants' orphans (Linux ``PR_SET_CHILD_SUBREAPER``),
    so a helper a command forks and leaves behind (ftmigrate's warm engine) is waited for and
    counted here. False where that is not possible: such helpers are then not counted."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


ADOPTS_ORPHANS = _adopt_orphans()


def measure(cmd: list[str], cwd: Path | None = None, timeout: float | None = None, stdout=None) -> Sample:
    """Run ``cmd`` once with its output discarded (or sent to ``stdout``); wall time until it
    exits, and the resource use of it and of every process it left behind (reaped here after the
    clock stopped). With ``timeout``, the command and its process group are killed when it runs
    longer, and the sample says so."""
    while True:  # leftovers of earlier commands (pip, a check run) are not this sample's
        try:
            if os.wait4(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    killed = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=MEASURED_ENV, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=timeout is not None)
    timer = None
    if timeout is not None:
        def stop() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, stop)
        timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if timer is not None:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    while True:  # orphans adopted from the command (see _adopt_orphans)
        try:
            _, _, left = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += left.ru_utime + left.ru_stime
        rss = max(rss, left.ru_maxrss)
    return Sample(wall, cpu, rss / 1024, proc.returncode, killed.is_set())


def run_case(name: str, case: Case, stdout=None) -> Sample:
    if case.prepare is not None:
        case.prepare()
    sample = measure(case.cmd, case.cwd, case.timeout, stdout)
    if sample.timed_out:
        return sample
    if sample.code not in case.codes:
        if case.prepare is not None:
            case.prepare()
        out = subprocess.run(case.cmd, cwd=case.cwd, env=MEASURED_ENV, capture_output=True, text=True)
        detail = (out.stderr or out.stdout).strip().splitlines()[-1:] or [""]
        raise BenchError(f"{name}: `{' '.join(case.cmd)}` exited {sample.code} (expected {sorted(case.codes)}): {detail[0]}")
    return sample


def alternate(cases: dict[str, Case | tuple[list[str], Path | None, set[int]]], rounds: int) -> dict[str, list[Sample]]:
    """Run every case once per round, in an order that rotates each round, after one first run
    each that checks the exit codes. That first run is the only sample of a case that took
    longer than ``SLOW_RUN_S``, and of every case when ``rounds`` is 0."""
    cases = {name: c if isinstance(c, Case) else Case(cmd=c[0], cwd=c[1], codes=c[2]) for name, c in cases.items()}
    names = list(cases)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    measured_once = set()
    for name in names:
        case = cases[name]
        if case.capture:
            with tempfile.TemporaryFile("w+") as out:
                sample = run_case(name, case, out)
                out.seek(0)
                case.output = out.read()
        else:
            sample = run_case(name, case)
        if rounds == 0 or sample.wall > SLOW_RUN_S or sample.timed_out:
            samples[name].append(sample)
            measured_once.add(name)
    names = [n for n in names if n not in measured_once]
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)] if names else []
        for name in order:
            samples[name].append(run_case(name, cases[name]))
    return samples


def median(samples: list[Sample], what: str = "wall") -> float:
    return statistics.median(getattr(s, what) for s in samples)


# --------------------------------------------------------------------------------------------
# Tools.


def _pip(venv: Path, *args: str) -> None:
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *args], capture_output=True, text=True)
    if pip.returncode != 0:
        last = (pip.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise BenchError(f"pip install {' '.join(args)} into {venv} failed: {last}")


def bench_venv() -> Path:
    """``bench/.venv-bench``: ruff, and ftmigrate installed from this checkout as a user gets it
    (a wheel, not the editable install: an editable install's import hook runs at every Python
    start and makes ``python -c pass`` ~10 ms slower, which flatters the one-file ratio).
    ftmigrate is reinstalled on every run, so the working tree is what gets measured."""
    venv = BENCH_VENV
    if not (venv / "bin" / "python").exists():
        print(f"creating {_shown(venv)} (ruff, and ftmigrate's dependencies) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        _pip(venv, "ruff", str(REPO))
    print("installing ftmigrate from the working tree into the bench venv ...", flush=True)
    _pip(venv, "--no-deps", "--force-reinstall", str(REPO))
    return venv


# --------------------------------------------------------------------------------------------
# The corpus.


def site_python_files(site: Path) -> list[Path]:
    """The ``.py`` files under ``site`` that both tools would walk, sorted."""
    found = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg")))
        found.extend(Path(folder, f) for f in files if f.endswith(".py"))
    return sorted(found)


def spread(items: list, n: int) -> list:
    """``n`` items evenly spread over ``items`` (all of them if there are fewer)."""
    if len(items) <= n:
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def fixtures() -> list[tuple[str, str]]:
    """(name, text) of every legacy fixture (``fixtures/*/*.before.py``), sorted."""
    found = sorted(REPO.glob("fixtures/*/*.before.py"))
    if not found:
        raise BenchError(f"no fixtures under {REPO / 'fixtures'}; run the benchmark from a checkout of ftmigrate")
    # Fixtures named noop_* hold no legacy use, by design.
    return [(f"{p.parent.name}__{p.name.removesuffix('.before.py')}", p.read_text()) for p in found if not p.name.startswith("noop")]


def appendable(path: Path, low: int, high: int) -> str | None:
    """The text of ``path`` if it can follow a fixture in one module: size in range, UTF-8,
    no ``from __future__`` (which must come first), no mention of the legacy root, compiles."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not low <= len(text) <= high or "__future__" in text or "training" in text or "\r" in text:
        return None
    try:
        compile(text, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return text


def write_file(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text)
    else:
        path.write_bytes(text)


def build_corpus(site: Path, total: int, sizes: tuple[int, ...]) -> dict:
    """Build (or reuse) the corpus; return its description."""
    stamp = CORPUS / "corpus.json"
    wanted = {"version": CORPUS_VERSION, "site": str(site), "total": total, "sizes": list(sizes)}
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if {k: info.get(k) for k in wanted} == wanted:
            return info
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    print(f"building the corpus under {_shown(CORPUS)} from {site} ...", flush=True)
    # A repository root of its own: the checkout's .gitignore (which ignores bench/.corpus/) must
    # not apply, and a [tool.ftmigrate] table of its own so the checkout's settings do not either.
    (CORPUS / ".git").mkdir(parents=True)
    write_file(CORPUS / "pyproject.toml", "[tool.ftmigrate]\n")
    sources = site_python_files(site)
    if not sources:
        raise BenchError(f"no .py files under {site}")
    legacy = fixtures()
    per_copy = (total - LEGACY_IN_LINT) // 3
    chosen = spread(sources, per_copy)
    lint_bytes = 0
    for copy in range(1, 4):
        for src in chosen:
            data = src.read_bytes()
            write_file(CORPUS / "lint" / f"copy-{copy}" / src.relative_to(site), data)
            lint_bytes += len(data)
    for i in range(LEGACY_IN_LINT):
        name, text = legacy[i % len(legacy)]
        write_file(CORPUS / "lint" / "legacy" / f"{i:03d}_{name}.py", text)
    # Legacy-heavy corpora: each file a fixture followed by a real module of a few KB. The
    # larger corpus holds the smaller one's files and as many again.
    extra = [t for t in (appendable(p, *APPEND_BYTES) for p in sources) if t is not None]
    if not extra:
        raise BenchError(f"no module of {APPEND_BYTES[0]}-{APPEND_BYTES[1]} bytes under {site} to append to the fixtures")
    extra = spread(extra, max(sizes))
    rewrite = {}
    for size in sizes:
        folder = CORPUS / f"rewrite-{size}"
        nbytes = 0
        for i in range(size):
            name, text = legacy[i % len(legacy)]
            data = f"{text.rstrip()}\n\n\n{extra[i % len(extra)]}".encode()
            write_file(folder / f"{i:04d}_{name}.py", data)
            nbytes += len(data)
        for src in spread(chosen, CLEAN_IN_REWRITE):
            write_file(folder / "clean" / src.relative_to(site), src.read_bytes())
        rewrite[str(size)] = {"path": str(folder), "files": size, "bytes": nbytes}
    # The pre-commit case: one clean file, with and without a [tool.ftmigrate] table beside it.
    one = max((p for p in chosen if 4000 <= p.stat().st_size <= 12000), key=lambda p: p.stat().st_size, default=chosen[0])
    write_file(CORPUS / "one-config" / "clean.py", one.read_bytes())
    write_file(CORPUS / "one-config" / "pyproject.toml", f'[project]\nname = "app"\n\n{CONFIG_TABLE}')
    info = {
        **wanted,
        "lint": {"path": str(CORPUS / "lint"), "files": 3 * len(chosen) + LEGACY_IN_LINT, "bytes": lint_bytes},
        "rewrite": rewrite,
        "one": str(one),
    }
    stamp.write_text(json.dumps(info, indent=1))
    return info


def no_config_dir(one: Path) -> Path:
    """A fresh folder outside any project holding the clean file (no pyproject above it)."""
    folder = Path(tempfile.mkdtemp(prefix="ftmigrate-bench-"))
    for parent in folder.parents:
        if (parent / "pyproject.toml").exists():
            print(f"note: {parent / 'pyproject.toml'} is above {folder}; the no-config case reads it", flush=True)
    shutil.copyfile(one, folder / "clean.py")
    return folder


# --------------------------------------------------------------------------------------------
# The cases.


@dataclass
class Verdict:
    name: str
    measured: str
    target: str
    ok: bool
    info: bool = False  # a moonshot: printed, not counted in the exit status


def row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print(row(header, widths))
    for r in rows:
        print(row(r, widths))


def bench_lint(ftm: Path, ruff: Path, info: dict, rounds: int) -> list[Verdict]:
    corpus = info["lint"]["path"]
    samples = alternate({
        "ftmigrate lint": ([str(ftm), "lint", corpus], None, {1}),
        "ruff F401": ([str(ruff), "check", "--isolated", "--no-cache", "--select", "F401", "--quiet", corpus], None, {0, 1}),
    }, rounds)
    f, r = samples["ftmigrate lint"], samples["ruff F401"]
    ratio = median(f) / median(r)
    rss = max(s.max_rss_mb for s in f)
    table(
        f"lint, {info['lint']['files']} files ({info['lint']['bytes'] / 1e6:.0f} MB), {rounds} rounds",
        ["command", "median s", "min s", "CPU s", "max RSS MB"],
        [[name, f"{median(s):.3f}", f"{min(x.wall for x in s):.3f}", f"{median(s, 'cpu'):.3f}", f"{max(x.max_rss_mb for x in s):.0f}"] for name, s in samples.items()],
    )
    print(f"ratio ftmigrate / ruff: {ratio:.2f}")
    return [
        Verdict("lint corpus vs ruff F401", f"{ratio:.2f}x", f"<= {LINT_VS_RUFF}x", ratio <= LINT_VS_RUFF),
        Verdict("lint corpus peak memory", f"{rss:.0f} MB", f"< {MEMORY_MB} MB", rss < MEMORY_MB),
    ]


def bench_one_file(ftm: Path, info: dict, rounds: int) -> list[Verdict]:
    bare = no_config_dir(Path(info["one"]))
    configured = CORPUS / "one-config"
    try:
        samples = alternate({
            "python -c pass": ([str(ftm.parent / "python"), "-c", "pass"], None, {0}),
            "lint one file": ([str(ftm), "lint", "clean.py"], bare, {0}),
            "lint one file, [tool.ftmigrate]": ([str(ftm), "lint", "clean.py"], configured, {0}),
        }, rounds * 4)  # cheap: more rounds, steadier medians
    finally:
        shutil.rmtree(bare, ignore_errors=True)
    base = median(samples["python -c pass"])
    table(
        f"pre-commit case: one clean file ({Path(info['one']).stat().st_size} bytes), {rounds * 4} rounds",
        ["command", "median ms", "min ms", "x python"],
        [[name, f"{median(s) * 1000:.1f}", f"{min(x.wall for x in s) * 1000:.1f}", f"{median(s) / base:.2f}"] for name, s in samples.items()],
    )
    return [
        Verdict(f"lint {name.removeprefix('lint ')} vs python -c pass", f"{median(samples[name]) / base:.2f}x", f"<= {ONE_FILE_VS_PYTHON}x", median(samples[name]) / base <= ONE_FILE_VS_PYTHON)
        for name in ("lint one file", "lint one file, [tool.ftmigrate]")
    ]


def bench_rewrite(ftm: Path, info: dict, rounds: int) -> list[Verdict]:
    cases = {}
    for size, corpus in info["rewrite"].items():
        for jobs in (1, 2):
            cases[f"{size} files, --jobs {jobs}"] = ([str(ftm), "rewrite", "--check", "--jobs", str(jobs), corpus["path"]], None, {1})
    samples = alternate(cases, rounds)
    rows = []
    per_kb = {}
    for size, corpus in info["rewrite"].items():
        kb = corpus["bytes"] / 1024
        for jobs in (1, 2):
            s = samples[f"{size} files, --jobs {jobs}"]
            wall, cpu = median(s), median(s, "cpu")
            per_kb[(size, jobs)] = (wall / kb, cpu / kb)
            rows.append([f"{size} files ({kb:.0f} KB), --jobs {jobs}", f"{wall:.2f}", f"{cpu:.2f}", f"{wall / (cpu / jobs):.2f}", f"{wall / kb * 1000:.2f}", f"{cpu / kb * 1000:.2f}", f"{max(x.max_rss_mb for x in s):.0f}"])
    table(
        f"rewrite --check on legacy-heavy corpora, {rounds} rounds",
        ["corpus", "wall s", "CPU s", "wall/(CPU/jobs)", "wall ms/KB", "CPU ms/KB", "max RSS MB"],
        rows,
    )
    small, large = sorted(info["rewrite"], key=int)
    s = samples[f"{large} files, --jobs 2"]
    busy = median(s) / (median(s, "cpu") / 2)
    speedup = median(samples[f"{large} files, --jobs 1"]) / median(s)
    spread_ = per_kb[(large, 1)][1] / per_kb[(small, 1)][1]
    print(f"speed-up of --jobs 2 over --jobs 1 ({large} files): {speedup:.2f}")
    return [
        Verdict(f"rewrite {large} files --jobs 2: wall/(CPU/2)", f"{busy:.2f}", f"<= {WALL_VS_CPU_PER_CORE}", busy <= WALL_VS_CPU_PER_CORE),
        Verdict(f"rewrite CPU/KB, {large} vs {small} files", f"{spread_:.2f}x", f"<= {LINEAR_SPREAD}x", spread_ <= LINEAR_SPREAD),
    ]


# --------------------------------------------------------------------------------------------
# Issue 13: legacy-dense code.


def build_dense(root: Path, quick: bool) -> dict:
    """Build (or reuse) the legacy-dense corpora under ``root``; return their description.

    ``dense/``: generated legacy files (``legacy_corpus.corpus``). ``big/``: a recipe fork of
    about ``BIG_BYTES`` (``x1.py``), the same header and main with no section (``base.py``) and
    with 4x the sections (``x4.py``). ``huge/``: the header of a file of recipe Config(...)
    lines (``base.py``), 1/HUGE_FACTOR of the lines (``x1.py``) and all of them
    (``x16.py``). ``root`` is a repository root of its own, with an empty ``[tool.ftmigrate]``
    table, so the checkout's settings and .gitignore do not apply."""
    total, sizes = (24_000, (1024, 6 * 1024)) if quick else (DENSE_BYTES, DENSE_SIZES)
    big, huge = (8 * 1024, 160) if quick else (BIG_BYTES, HUGE_LINES)
    stamp = root / "corpus.json"
    fixture_paths = sorted(REPO.glob("fixtures/*/*.before.py"))
    if not fixture_paths:
        raise BenchError(f"no fixtures under {REPO / 'fixtures'}; run the benchmark from a checkout of ftmigrate")
    wanted = {"version": DENSE_VERSION, "seed": DENSE_SEED, "total": total, "sizes": list(sizes), "big": big, "huge": huge,
              "fixtures": sorted(p.relative_to(REPO).as_posix() for p in fixture_paths)}
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if {k: info.get(k) for k in wanted} == wanted:
            return info
    if root.exists():
        shutil.rmtree(root)
    print(f"building the legacy-dense corpus under {root} ...", flush=True)
    (root / ".git").mkdir(parents=True)
    write_file(root / "pyproject.toml", "[tool.ftmigrate]\n")
    nbytes = 0
    files = legacy_corpus.corpus(DENSE_SEED, total, *sizes, fixture_paths)
    for rel, text in files:
        try:
            compile(text, rel, "exec", dont_inherit=True)
        except SyntaxError as exc:  # a bug of the generator, not of what is measured
            raise BenchError(f"the generated {rel} does not compile ({exc}); fix bench/legacy_corpus.py") from None
        write_file(root / "dense" / rel, text)
        nbytes += len(text.encode())
    family = legacy_corpus.scaled_family(DENSE_SEED, big, 4)
    for name, text in family.items():
        write_file(root / "big" / f"{name}.py", text)
    head = legacy_corpus.config_lines_file(0)
    write_file(root / "huge" / "base.py", head)
    write_file(root / "huge" / "x1.py", legacy_corpus.config_lines_file(huge // HUGE_FACTOR))
    write_file(root / "huge" / f"x{HUGE_FACTOR}.py", legacy_corpus.config_lines_file(huge))
    info = {
        **wanted,
        "root": str(root),
        "dense": {"path": str(root / "dense"), "files": len(files), "bytes": nbytes},
        "big": {name: {"path": str(root / "big" / f"{name}.py"), "bytes": len(text.encode())} for name, text in family.items()},
        "huge": {name: {"path": str(root / "huge" / f"{name}.py"), "bytes": (root / "huge" / f"{name}.py").stat().st_size, "lines": n}
                 for name, n in (("base", 0), ("x1", huge // HUGE_FACTOR), (f"x{HUGE_FACTOR}", huge))},
    }
    stamp.write_text(json.dumps(info, indent=1))
    return info


def fresh_copy(src: Path, dst: Path) -> Callable[[], None]:
    """A ``prepare`` step: ``dst`` becomes a fresh copy of ``src`` (a file or a folder)."""
    def prepare() -> None:
        if dst.is_dir():
            shutil.rmtree(dst)
        elif dst.exists():
            dst.unlink()
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)
    return prepare


FINDING = re.compile(r":\d+:\d+: FTM\d{3} ", re.M)


def rewritten(original: Path, copy: Path) -> tuple[int, int, list[str]]:
    """Files of ``copy`` (a rewritten copy of ``original``) that changed, in all, and those
    that no longer compile (a rewrite must never break code)."""
    changed, total, broken = 0, 0, []
    for path in sorted(original.rglob("*.py")):
        new = copy / path.relative_to(original)
        total += 1
        data = new.read_bytes()
        if data != path.read_bytes():
            changed += 1
            try:
                compile(data, str(new), "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                broken.append(str(path.relative_to(original)))
    return changed, total, broken


def cost_rows(samples: dict[str, list[Sample]], kb: float, floor: str) -> list[list[str]]:
    """Per command: wall, CPU, both per KB, both as a ratio to the floor's (the targets are on
    wall; CPU moves less when other processes share the cores), how busy both cores were
    (ftmigrate's commands only: the references run in one process), memory, runs."""
    rows = []
    floor_wall, floor_cpu = median(samples[floor]), median(samples[floor], "cpu")
    for name, s in samples.items():
        wall, cpu = median(s), median(s, "cpu")
        rows.append([
            name, f"{wall:.2f}", f"{cpu:.2f}", f"{wall / kb * 1000:.2f}", f"{cpu / kb * 1000:.2f}",
            f"{wall / floor_wall:.1f}", f"{cpu / floor_cpu:.1f}",
            f"{wall / (cpu / 2):.2f}" if cpu and name.startswith("ftmigrate") else "-", f"{max(x.max_rss_mb for x in s):.0f}", str(len(s)),
        ])
    return rows


def bench_dense(ftm: Path, python: Path, info: dict, rounds: int) -> list[Verdict]:
    """The legacy-dense corpus: lint and rewrite against CPython's parser (the floor) and
    LibCST's, in one alternation."""
    corpus = Path(info["dense"]["path"])
    scratch = Path(info["root"]) / "scratch" / "dense"
    kb = info["dense"]["bytes"] / 1024
    cases = {
        "ast.parse (the floor)": Case([str(python), str(PARSE_FILES), "ast", str(corpus)], {0}),
        "libcst.parse_module": Case([str(python), str(PARSE_FILES), "libcst", str(corpus)], {0}),
        "ftmigrate lint": Case([str(ftm), "lint", str(corpus)], {1}, capture=True),
        "ftmigrate rewrite --unsafe-fixes": Case([str(ftm), "rewrite", "--unsafe-fixes", str(scratch)], {0, 1}, prepare=fresh_copy(corpus, scratch)),
        "ftmigrate rewrite --check": Case([str(ftm), "rewrite", "--check", str(corpus)], {1}),
    }
    samples = alternate(cases, rounds)
    floor = median(samples["ast.parse (the floor)"])
    findings = len(FINDING.findall(cases["ftmigrate lint"].output))
    skipped = cases["ftmigrate lint"].output.count(" FTM901 ")
    if skipped:  # a file given up on costs nothing: the figures would flatter
        raise BenchError(f"ftmigrate lint skipped {skipped} file(s) of the legacy-dense corpus (FTM901); the measurement would not cover them")
    table(
        f"legacy-dense corpus: {info['dense']['files']} files, {kb:.0f} KB, {findings} findings ({findings / kb:.1f} per KB); up to {rounds} rounds",
        ["command", "wall s", "CPU s", "wall ms/KB", "CPU ms/KB", "x floor", "CPU x floor", "wall/(CPU/2)", "max RSS MB", "runs"],
        cost_rows(samples, kb, "ast.parse (the floor)"),
    )
    changed, total, broken = rewritten(corpus, scratch)
    print(f"rewrite --unsafe-fixes changed {changed} of {total} files" + (f"; {len(broken)} no longer compile: {', '.join(broken[:5])}" if broken else "; every changed file compiles"))
    lint, rewrite = samples["ftmigrate lint"], samples["ftmigrate rewrite --unsafe-fixes"]
    lint_x, rewrite_x = median(lint) / floor, median(rewrite) / floor
    check_x = median(samples["ftmigrate rewrite --check"]) / floor
    lint_busy = median(lint) / (median(lint, "cpu") / 2)
    rewrite_busy = median(rewrite) / (median(rewrite, "cpu") / 2)
    rss = max(s.max_rss_mb for s in lint)
    return [
        Verdict("lint legacy-dense vs ast floor", f"{lint_x:.1f}x", f"<= {LINT_VS_AST:g}x", lint_x <= LINT_VS_AST),
        Verdict("  moonshot", f"{lint_x:.1f}x", f"<= {LINT_VS_AST_MOONSHOT:g}x", lint_x <= LINT_VS_AST_MOONSHOT, info=True),
        Verdict("rewrite --unsafe-fixes legacy-dense vs ast floor", f"{rewrite_x:.1f}x", f"<= {REWRITE_VS_AST:g}x", rewrite_x <= REWRITE_VS_AST),
        Verdict("  moonshot", f"{rewrite_x:.1f}x", f"<= {REWRITE_VS_AST_MOONSHOT:g}x", rewrite_x <= REWRITE_VS_AST_MOONSHOT, info=True),
        Verdict("rewrite --check legacy-dense vs ast floor", f"{check_x:.1f}x", "", True, info=True),
        Verdict("lint legacy-dense: wall/(CPU/2)", f"{lint_busy:.2f}", f"<= {WALL_VS_CPU_PER_CORE}", lint_busy <= WALL_VS_CPU_PER_CORE),
        Verdict("rewrite legacy-dense: wall/(CPU/2)", f"{rewrite_busy:.2f}", f"<= {WALL_VS_CPU_PER_CORE}", rewrite_busy <= WALL_VS_CPU_PER_CORE),
        Verdict("lint legacy-dense peak memory", f"{rss:.0f} MB", f"< {MEMORY_MB} MB", rss < MEMORY_MB),
        Verdict("rewrite: no changed file stops compiling", f"{len(broken)} broken", "0", not broken),
    ]


def net_ratio(samples: dict[str, list[Sample]], large: str, small: str, base: str) -> tuple[float | None, float, float]:
    """CPU of ``large`` and ``small`` beyond ``base`` (start-up, imports, the shared header), and
    their ratio (None when the smaller one's is below what can be told from noise)."""
    b = median(samples[base], "cpu")
    s, l_ = median(samples[small], "cpu") - b, median(samples[large], "cpu") - b
    return (l_ / s if s > 0.005 else None), s, l_


def linear_verdict(name: str, ratio: float | None, factor: float, bound: float, small: float, large: float) -> Verdict:
    if ratio is None:
        return Verdict(name, f"{small * 1000:.0f} ms beyond start-up", f"<= {bound:g}x", True, info=True)
    return Verdict(name, f"{ratio:.2f}x ({small:.2f} s -> {large:.2f} s CPU)", f"<= {bound:g}x for {factor:g}x", ratio <= bound)


def bench_big(ftm: Path, info: dict, rounds: int) -> list[Verdict]:
    """One 40-80 KB legacy file (a pre-commit run on a commit that touches it): lint and rewrite
    wall time, and whether 4x the code costs at most 4.5x."""
    files = {name: Path(v["path"]) for name, v in info["big"].items()}
    scratch = Path(info["root"]) / "scratch" / "big"
    cases = {}
    for name, path in files.items():
        cases[f"lint {name}"] = Case([str(ftm), "lint", str(path)], {1})
        copy = scratch / path.name
        cases[f"rewrite --unsafe-fixes {name}"] = Case([str(ftm), "rewrite", "--unsafe-fixes", str(copy)], {0, 1}, prepare=fresh_copy(path, copy))
    samples = alternate(cases, rounds)
    rows = []
    for name in cases:
        s = samples[name]
        kb = info["big"][name.rsplit(" ", 1)[1]]["bytes"] / 1024
        rows.append([name, f"{kb:.0f}", f"{median(s):.3f}", f"{min(x.wall for x in s):.3f}", f"{median(s, 'cpu'):.3f}", f"{median(s, 'cpu') / kb * 1000:.1f}", f"{max(x.max_rss_mb for x in s):.0f}", str(len(s))])
    table(
        f"one large legacy file (a recipe fork), with no and 4x its sections; up to {rounds} rounds",
        ["command", "KB", "wall s", "min s", "CPU s", "CPU ms/KB", "max RSS MB", "runs"],
        rows,
    )
    kb1 = info["big"]["x1"]["bytes"] / 1024
    lint1, rewrite1 = median(samples["lint x1"]), median(samples["rewrite --unsafe-fixes x1"])
    verdicts = [
        Verdict(f"lint one {kb1:.0f} KB legacy file, wall", f"{lint1:.3f} s", f"< {BIG_LINT_S} s", lint1 < BIG_LINT_S),
        Verdict(f"rewrite --unsafe-fixes one {kb1:.0f} KB legacy file, wall", f"{rewrite1:.3f} s", f"< {BIG_REWRITE_S} s", rewrite1 < BIG_REWRITE_S),
    ]
    for what in ("lint", "rewrite --unsafe-fixes"):
        ratio, small, large = net_ratio(samples, f"{what} x4", f"{what} x1", f"{what} base")
        verdicts.append(linear_verdict(f"{what.split()[0]} CPU, 4x larger file (beyond start-up)", ratio, 4, LINEAR_4X, small, large))
    return verdicts


def bench_huge(ftm: Path, info: dict, rounds: int, timeout_max: float) -> list[Verdict]:
    """20,000 recipe Config(...) calls, one per line (1.3 MB): stopped, and a FAIL, when it runs
    past what linear cost allows (from the same lines at 1/16 the count), or past timeout_max."""
    files = {name: Path(v["path"]) for name, v in info["huge"].items()}
    large = f"x{HUGE_FACTOR}"
    scratch = Path(info["root"]) / "scratch" / "huge"
    allowed = HUGE_FACTOR * LINEAR_4X / 4  # the 4x bound, per unit of size: 18x for 16x
    verdicts = []
    rows = []
    for what in ("lint", "rewrite --unsafe-fixes"):
        def case(name: str, timeout: float | None = None, what: str = what) -> Case:
            path = files[name]
            if what == "lint":
                return Case([str(ftm), "lint", str(path)], {1}, timeout=timeout)
            copy = scratch / path.name
            return Case([str(ftm), "rewrite", "--unsafe-fixes", str(copy)], {0, 1}, prepare=fresh_copy(path, copy), timeout=timeout)

        samples = alternate({f"{what} base": case("base"), f"{what} x1": case("x1")}, rounds)
        base_wall, x1_wall = median(samples[f"{what} base"]), median(samples[f"{what} x1"])
        predicted = base_wall + allowed * max(x1_wall - base_wall, 0.0)
        timeout = min(max(1.5 * predicted, 20.0), timeout_max)
        big = run_case(f"{what} {large}", case(large, timeout))
        samples[f"{what} {large}"] = [big]
        for name in ("base", "x1", large):
            s = samples[f"{what} {name}"]
            meta = info["huge"][name]
            wall = "stopped" if s[0].timed_out else f"{median(s):.2f}"
            rows.append([f"{what} {name}", f"{meta['lines']}", f"{meta['bytes'] / 1024:.0f}", wall, f"{median(s, 'cpu'):.2f}", f"{max(x.max_rss_mb for x in s):.0f}", str(len(s))])
        nbytes = info["huge"][large]["bytes"]
        label = f"{what.split()[0]} {info['huge'][large]['lines']:,} Config lines ({nbytes / 1e6:.1f} MB)" if nbytes > 1e5 else f"{what.split()[0]} {info['huge'][large]['lines']:,} Config lines ({nbytes / 1024:.0f} KB)"
        if big.timed_out:
            verdicts.append(Verdict(label, f"stopped after {timeout:.0f} s (linear: ~{predicted:.0f} s)", f"<= {allowed:g}x the 1/{HUGE_FACTOR} file", False))
        else:
            ratio, small, large_cpu = net_ratio(samples, f"{what} {large}", f"{what} x1", f"{what} base")
            verdicts.append(linear_verdict(label, ratio, HUGE_FACTOR, allowed, small, large_cpu))
    table(
        f"a file of recipe Config(...) calls, one per line: header only, 1/{HUGE_FACTOR}, all; up to {rounds} rounds",
        ["command", "lines", "KB", "wall s", "CPU s", "max RSS MB", "runs"],
        rows,
    )
    return verdicts


PARTS = ("lint", "one", "rewrite", "dense", "big", "huge")


def _shown(path: Path) -> str:
    """``path`` relative to the checkout when it is inside it (``--corpus-dir`` may be anywhere)."""
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each case (default 5; the one-file case runs 4x as many)")
    parser.add_argument("--rewrite-rounds", type=int, default=3, help="runs of each rewrite case and of the legacy-dense corpus (default 3: they take minutes)")
    parser.add_argument("--quick", action="store_true", help="small corpora and one run of each case: checks that every part runs, measures nothing")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpora")
    parser.add_argument("--corpus-dir", type=Path, default=HERE / ".corpus", help="where the corpora are built and cached (default bench/.corpus)")
    parser.add_argument("--site-packages", type=Path, default=Path(sysconfig.get_paths()["purelib"]), help="where the real .py files come from (default: this Python's)")
    parser.add_argument("--ruff", help="a ruff binary to use instead of the bench venv's")
    parser.add_argument("--venv", type=Path, help="measure the ftmigrate (and ruff) of this venv instead of installing the working tree (e.g. an older release, for before/after numbers)")
    parser.add_argument("--huge-timeout", type=float, default=HUGE_TIMEOUT_MAX, help=f"stop the 20,000-line file after at most this many seconds (default {HUGE_TIMEOUT_MAX:g}; less when linear cost predicts less)")
    parser.add_argument(
        "--only", choices=PARTS, action="append",
        help="run only these parts (repeatable): lint (clean corpus vs ruff), one (one clean file vs python -c pass), rewrite (rewrite --check, --jobs 1/2), "
             "dense (legacy-dense corpus vs ast/libcst), big (one 40-80 KB legacy file, and 4x), huge (20,000 Config lines)",
    )
    args = parser.parse_args(argv)
    global CORPUS
    corpus_dir = args.corpus_dir.resolve()
    if args.quick:
        CORPUS = corpus_dir / "quick"
        total, sizes, rounds, rewrite_rounds = 150, (4, 8), 0, 0
    else:
        CORPUS = corpus_dir / "full"
        total, sizes, rounds, rewrite_rounds = TARGET_FILES, REWRITE_SIZES, args.rounds, args.rewrite_rounds
    dense_root = corpus_dir / ("dense-quick" if args.quick else "dense")
    parts = args.only or list(PARTS)
    started = time.perf_counter()
    try:
        venv = args.venv.resolve() if args.venv else bench_venv()
        if not (venv / "bin" / "ftmigrate").exists():
            raise BenchError(f"no ftmigrate console script in {venv / 'bin'}")
        ftm = venv / "bin" / "ftmigrate"
        python = venv / "bin" / "python"
        ruff = Path(args.ruff) if args.ruff else venv / "bin" / "ruff"
        if args.rebuild:
            for folder in (CORPUS, dense_root):
                if folder.exists():
                    shutil.rmtree(folder)
        info = build_corpus(args.site_packages.resolve(), total, sizes) if {"lint", "one", "rewrite"} & set(parts) else {}
        dense = build_dense(dense_root, args.quick) if {"dense", "big", "huge"} & set(parts) else {}
        load = os.getloadavg()[0]
        if load > 0.5:
            print(f"note: load average {load:.1f} before the runs: other processes share the cores, so wall times (and ratios to ruff) come out pessimistic", flush=True)
        verdicts: list[Verdict] = []
        if "lint" in parts:
            verdicts += bench_lint(ftm, ruff, info, rounds)
        if "one" in parts:
            verdicts += bench_one_file(ftm, info, rounds)
        if "rewrite" in parts:
            verdicts += bench_rewrite(ftm, info, rewrite_rounds)
        if "dense" in parts:
            verdicts += bench_dense(ftm, python, dense, rewrite_rounds)
        if "big" in parts:
            verdicts += bench_big(ftm, dense, rounds)
        if "huge" in parts:
            verdicts += bench_huge(ftm, dense, rounds, args.huge_timeout)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    table(
        f"targets ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, {sys.platform}, Python {sys.version.split()[0]}, {time.perf_counter() - started:.0f} s in all)",
        ["target", "measured", "wanted", "verdict"],
        [[v.name, v.measured, v.target, ("info" if not v.target else "info: met" if v.ok else "info: not yet") if v.info else ("PASS" if v.ok else "FAIL")] for v in verdicts],
    )
    if args.quick:
        print("(--quick: tiny corpora, one run each; the verdicts mean nothing)")
        return 0
    return 0 if all(v.ok for v in verdicts if not v.info) else 1


if __name__ == "__main__":
    sys.exit(main())
