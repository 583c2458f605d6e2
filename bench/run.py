"""Measure ftmigrate against the speed targets of issue 7, side by side, as ratios.

    python bench/run.py [--rounds 5] [--quick] [--rebuild]

Run it from a checkout, with the dev venv's Python (``pip install -e '.[test]'``). It builds a
corpus once and caches it under ``bench/.corpus/``: three copies of the ``.py`` files of that
Python's site-packages (about 8,000 files in all), a few dozen legacy files made from
``fixtures/``, and two legacy-heavy corpora for ``rewrite``. The commands measured come from
``bench/.venv-bench/``: ruff, the reference, and ftmigrate installed from the working tree as a
user installs it (its console script, as pre-commit and CI run it). Every case then runs
alternately with its reference, several rounds, and the medians and ratios are printed with a
PASS/FAIL per target. Exit status: 0 all targets pass, 1 one fails, 2 the benchmark itself
could not run.

Times are wall clock until the command exits; CPU is user + system of the command, every process
it waited for (``os.wait4``) and every process it left running (adopted as their subreaper on
Linux, and reaped after the clock stopped), and so is peak memory (max RSS of the largest).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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

# Targets.
LINT_VS_RUFF = 0.5
ONE_FILE_VS_PYTHON = 2.0
WALL_VS_CPU_PER_CORE = 1.25  # wall / (CPU / cores) with --jobs 2: both cores busy
LINEAR_SPREAD = 1.15  # CPU per KB, larger corpus / smaller corpus
MEMORY_MB = 150


class BenchError(Exception):
    """The benchmark cannot run (one line for the user)."""


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_mb: float
    code: int


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


def measure(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run ``cmd`` once with its output discarded; wall time until it exits, and the resource
    use of it and of every process it left behind (reaped here after the clock stopped)."""
    while True:  # leftovers of earlier commands (pip, a check run) are not this sample's
        try:
            if os.wait4(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    while True:  # orphans adopted from the command (see _adopt_orphans)
        try:
            _, _, left = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += left.ru_utime + left.ru_stime
        rss = max(rss, left.ru_maxrss)
    return Sample(wall, cpu, rss / 1024, proc.returncode)


def alternate(cases: dict[str, tuple[list[str], Path | None, set[int]]], rounds: int) -> dict[str, list[Sample]]:
    """Run every case once per round, in an order that rotates each round (after one warm-up
    run each, which also checks the exit codes)."""
    names = list(cases)
    for name in names:
        cmd, cwd, codes = cases[name]
        sample = measure(cmd, cwd)
        if sample.code not in codes:
            out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
            detail = (out.stderr or out.stdout).strip().splitlines()[-1:] or [""]
            raise BenchError(f"{name}: `{' '.join(cmd)}` exited {sample.code} (expected {sorted(codes)}): {detail[0]}")
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            cmd, cwd, _ = cases[name]
            samples[name].append(measure(cmd, cwd))
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
        print(f"creating {venv.relative_to(REPO)} (ruff, and ftmigrate's dependencies) ...", flush=True)
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
    print(f"building the corpus under {CORPUS.relative_to(REPO)} from {site} ...", flush=True)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each case (default 5; the one-file case runs 4x as many)")
    parser.add_argument("--rewrite-rounds", type=int, default=3, help="runs of each rewrite case (default 3: they take minutes)")
    parser.add_argument("--quick", action="store_true", help="a small corpus and 1 round: checks that the benchmark runs, measures nothing")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpus")
    parser.add_argument("--site-packages", type=Path, default=Path(sysconfig.get_paths()["purelib"]), help="where the real .py files come from (default: this Python's)")
    parser.add_argument("--ruff", help="a ruff binary to use instead of the bench venv's")
    parser.add_argument("--venv", type=Path, help="measure the ftmigrate (and ruff) of this venv instead of installing the working tree (e.g. an older release, for before/after numbers)")
    parser.add_argument("--only", choices=("lint", "one", "rewrite"), action="append", help="run only these parts (repeatable)")
    args = parser.parse_args(argv)
    global CORPUS
    if args.quick:
        CORPUS = HERE / ".corpus" / "quick"
        total, sizes, rounds, rewrite_rounds = 150, (4, 8), 1, 1
    else:
        total, sizes, rounds, rewrite_rounds = TARGET_FILES, REWRITE_SIZES, args.rounds, args.rewrite_rounds
    try:
        venv = args.venv.resolve() if args.venv else bench_venv()
        if not (venv / "bin" / "ftmigrate").exists():
            raise BenchError(f"no ftmigrate console script in {venv / 'bin'}")
        ftm = venv / "bin" / "ftmigrate"
        ruff = Path(args.ruff) if args.ruff else venv / "bin" / "ruff"
        if args.rebuild and CORPUS.exists():
            shutil.rmtree(CORPUS)
        info = build_corpus(args.site_packages.resolve(), total, sizes)
        parts = args.only or ["lint", "one", "rewrite"]
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
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    table(
        f"targets ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, {sys.platform}, Python {sys.version.split()[0]})",
        ["target", "measured", "wanted", "verdict"],
        [[v.name, v.measured, v.target, "PASS" if v.ok else "FAIL"] for v in verdicts],
    )
    if args.quick:
        print("(--quick: a tiny corpus; the verdicts mean nothing)")
        return 0
    return 0 if all(v.ok for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
