"""``ftmigrate verify``: run the code before and after its migration, and compare what it built.

For each Python file that the migration changed, the version before it (git ``HEAD`` by
default, ``--before REV``, or a copy with ``--before-dir``) runs under the legacy emulation
(``ftmigrate.api.mount(surface="legacy")``) and the current version under the target API
(``mount(target=...)``), both on the embedded local backend, each in its own subprocess
(:mod:`ftmigrate.verify_runner`). Compared:

- every recipe ``Config``, ``TrainerConfig`` and ``DeployConfig`` the code built, matched by the
  lines that built it, field by field, the legacy values under their target names (read from
  the bundled API: ``migration_target`` and the recipe keyword table, as the codemods do);
- the provisioning plan from the local backend's event log: trainers and deployments created,
  reattached, released on exit or left running, and the reference strategy;
- how each step ended (the import, each builder call, ``__main__``, each test).

A difference is *expected* when a finding of ftmigrate at that site explains it -- one the
rewrite left for a person (a dropped value, a lifecycle change) or that ``ftmigrate lint`` still
reports -- and *unexplained* otherwise. Exit 0 when nothing is unexplained, 1 otherwise.

This executes the user's code: offline (sockets refused), with a timeout, in temporary copies of
the project with their own ``HOME`` and ``TMPDIR``; nothing is written in the user's tree.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS

#: Default seconds each run may take.
DEFAULT_TIMEOUT = 60.0

#: Statuses of a file, in the order the summary lists them.
SAME, EXPECTED, UNEXPLAINED, NOT_VERIFIED, UNCHANGED, ADDED = (
    "same", "expected", "unexplained", "not verified", "unchanged", "added",
)

#: Folders never copied into the temporary project (caches, version control, virtualenvs).
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "node_modules", ".tox", ".nox", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", ".venv", "venv", ".eggs"}
)

_MAIN_BLOCK = re.compile(rb"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)
_TEST_FILE = re.compile(r"^(test_.*|.*_test)\.py$")
_GENERATED_ID = re.compile(r"^trainer-\d{4}$")
#: Words a finding uses for how a run leaves a resource (``_resources``' end states).
_STATE_WORDS = {
    "running": ["running", "leave", "left", "keep", "kept"],
    "released": ["release", "delet", "cancel", "clean"],
    "deleted": ["delet", "release", "clean"],
    "scaled to zero": ["scale", "zero"],
}
_IMPORT_NAME = re.compile(r"^cannot import name '(\w+)' from '(?:training|fireworks)\b")
#: A recipe Config refusing a legacy keyword (``rl_loop.Config(policy_job_id=...): moved to ...``).
_REFUSED_KEYWORD = re.compile(r"^\w+\.Config\((\w+)=\.\.\.\): ")


class VerifyError(Exception):
    """A usage problem, phrased for the user (one line): exit 2."""


# --- what to compare ----------------------------------------------------------------------------


@dataclass
class Case:
    """One file: its path relative to the project root, and what happens to it."""

    rel: str
    status: str = ""  # UNCHANGED / ADDED / NOT_VERIFIED, or empty: to run
    mode: str = "import"  # import, run or pytest
    calls: list[str] = field(default_factory=list)
    reason: str | None = None


@dataclass
class Request:
    """What ``ftmigrate verify`` was asked to do."""

    paths: list[str]
    before: str | None = None
    before_dir: str | None = None
    target: str | None = None
    run: str | None = None
    calls: list[str] = field(default_factory=list)
    pytest: bool = False
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class Project:
    """The two trees to compare: ``root`` (the user's, never written) and the copies."""

    root: Path
    label: str  # what "before" is: "HEAD", "abc123", "the copy in old/"
    cases: list[Case]
    settings: Any
    git_rev: str | None = None
    before_dir: Path | None = None
    #: Files named on the command line (or by --call): run even when unchanged, as they may
    #: use changed code.
    explicit: set[str] = field(default_factory=set)


def _git(args: list[str], cwd: Path, *, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary, check=False)
    except FileNotFoundError:
        raise VerifyError("git is not installed: pass --before-dir DIR (a copy of the code from before the migration)") from None


def _common_folder(paths: list[str]) -> Path:
    absolute = [os.path.abspath(p) for p in paths]
    common = Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


def prepare(request: Request) -> Project:
    """Check the request and find the files to compare; usage problems raise ``VerifyError``."""
    from ftmigrate.config import ConfigError, load
    from ftmigrate.discovery import PathError, discover

    if request.before is not None and request.before_dir is not None:
        raise VerifyError("--before and --before-dir cannot be combined (one says where the code before the migration is)")
    for spec in request.calls:
        module, sep, function = spec.partition(":")
        if not sep or not module or not function.isidentifier():
            raise VerifyError(f"invalid value '{spec}' for '--call': expected module:function (e.g. train:build_config)")
    if request.timeout <= 0:
        raise VerifyError(f"invalid value '{request.timeout:g}' for '--timeout': expected a number of seconds > 0")
    try:
        settings = load(request.paths)
    except ConfigError as exc:
        raise VerifyError(str(exc)) from None
    target = request.target or settings.target or DEFAULT_TARGET
    if target not in TARGETS:
        raise VerifyError(f"invalid value '{target}' for '--target' [possible values: {', '.join(TARGETS)}]")
    request.target = target
    for path in request.paths:
        if not os.path.exists(path):
            raise VerifyError(f"{path}: no such file or directory")
    common = _common_folder(request.paths)
    if request.before_dir is not None:
        before_dir = Path(request.before_dir)
        if not before_dir.is_dir():
            raise VerifyError(f"--before-dir {request.before_dir}: no such folder (give a copy of the code from before the migration)")
        root, label, rev = common, f"the copy in {request.before_dir}", None
    else:
        found = _git(["rev-parse", "--show-toplevel"], common)
        if found.returncode != 0:
            raise VerifyError(
                f"{_shown(common)} is not in a git repository: pass --before-dir DIR (a copy of the code"
                " from before the migration), or commit the legacy code first"
            )
        root = Path(found.stdout.strip())
        rev = request.before or "HEAD"
        if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).returncode != 0:
            if request.before is None:
                raise VerifyError(f"{_shown(root)}: the repository has no commit yet: commit the code from before the migration, or pass --before-dir DIR")
            raise VerifyError(f"invalid value '{rev}' for '--before': not a revision of {_shown(root)} (see `git log`)")
        label, before_dir = rev, None
    try:
        candidates = list(discover(request.paths, exclude=settings.exclude, root=settings.root))
    except PathError as exc:
        raise VerifyError(str(exc)) from None
    calls = _calls(request.calls, root)
    cases: dict[str, Case] = {}
    explicit: set[str] = set()
    for cand in candidates:
        if cand.error or not cand.path.endswith((".py", ".ipynb")):
            continue
        rel = _relative(cand.path, root)
        if rel is None:
            raise VerifyError(f"{cand.path}: outside {_shown(root)}, the project being compared")
        cases[rel] = Case(rel)
        if cand.explicit:
            explicit.add(rel)
    for rel in calls:
        cases.setdefault(rel, Case(rel))
        explicit.add(rel)
    project = Project(
        root=root, label=label, cases=sorted(cases.values(), key=lambda c: c.rel), settings=settings,
        git_rev=rev, before_dir=before_dir, explicit=explicit,
    )
    for case in project.cases:
        case.calls = calls.get(case.rel, [])
        if request.pytest and _TEST_FILE.match(os.path.basename(case.rel)):
            case.mode = "pytest"
        elif request.run is not None and _MAIN_BLOCK.search(_read(root / case.rel) or b""):
            case.mode = "run"
    return project


def _shown(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def _relative(path: str | Path, root: Path) -> str | None:
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    if rel.startswith(".." + os.sep) or rel == ".." or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _calls(specs: list[str], root: Path) -> dict[str, list[str]]:
    """``--call module:function`` values, by the file of the module (relative to the root)."""
    out: dict[str, list[str]] = {}
    for spec in specs:
        module, _, function = spec.partition(":")  # checked in ``prepare``
        if module.endswith(".py") or "/" in module or os.sep in module:
            rel = _relative(module, root) if os.path.isfile(module) else None
        else:
            base = root.joinpath(*module.split("."))
            rel = next((_relative(p, root) for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)
        if rel is None:
            raise VerifyError(f"invalid value '{spec}' for '--call': no module {module} in {_shown(root)}")
        out.setdefault(rel, []).append(function)
    return out


# --- the two trees --------------------------------------------------------------------------------


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in SKIPPED_DIRS or os.path.isfile(os.path.join(folder, n, "pyvenv.cfg"))}


def copy_trees(project: Project, work: Path) -> tuple[Path, Path]:
    """Copies of the project before (``work/before``) and after (``work/after``) the migration."""
    before, after = work / "before" / project.root.name, work / "after" / project.root.name
    before.parent.mkdir()
    after.parent.mkdir()
    if project.git_rev is None:
        shutil.copytree(project.root, after, ignore=_ignore, symlinks=False, ignore_dangling_symlinks=True)
        shutil.copytree(project.before_dir, before, ignore=_ignore, symlinks=False, ignore_dangling_symlinks=True)  # type: ignore[arg-type]
        return before, after
    listed = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], project.root, binary=True)
    names = [os.fsdecode(raw) for raw in listed.stdout.split(b"\0") if raw]
    # a virtualenv that .gitignore does not hide is not the project's code
    venvs = tuple(rel.removesuffix("pyvenv.cfg") for rel in names if rel.endswith("/pyvenv.cfg"))
    after.mkdir()
    for rel in names:
        source = project.root / rel
        if any(part in SKIPPED_DIRS for part in Path(rel).parts) or (venvs and rel.startswith(venvs)) or not source.is_file():
            continue
        dest = after / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        shutil.copymode(source, dest)
    before.mkdir()
    archive = subprocess.Popen(["git", "archive", "--format=tar", project.git_rev], cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        try:
            tar.extractall(before, filter="data")
        except TypeError:  # Python 3.11 before 3.11.4 has no extraction filters
            tar.extractall(before)
    _, err = archive.communicate()
    if archive.returncode != 0:
        raise VerifyError(f"git archive {project.git_rev} failed: {err.decode(errors='replace').strip()}")
    return before, after


def classify(project: Project, before: Path) -> None:
    """Mark the files that are new, or unchanged and not asked for by name."""
    for case in project.cases:
        old = _read(before / case.rel)
        new = _read(project.root / case.rel)
        if old is None:
            case.status = ADDED
        elif old == new and case.rel not in project.explicit:
            case.status = UNCHANGED
        elif case.rel.endswith(".ipynb"):
            case.status = NOT_VERIFIED
            case.reason = "a notebook: verify runs .py files (`jupyter nbconvert --to script` makes one of each version)"


# --- running ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One run: the runner's result, or why there is none."""

    result: dict[str, Any] | None = None
    timeout: bool = False
    failure: str | None = None  # the run ended without a result
    internal: str | None = None  # the runner itself failed


def _environment(home: Path, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONSTARTUP", "PYTHONINSPECT"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp),
        TEMP=str(tmp),
        TMP=str(tmp),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        # A dry run never needs the real key; code that reads it finds a placeholder.
        FIREWORKS_API_KEY="ftmigrate-verify",
    )
    return env


def run_one(tree: Path, case: Case, surface: str, target: str, request: Request, work: Path, name: str, user_root: Path) -> Outcome:
    """Run ``case`` in ``tree`` on ``surface`` in a subprocess; wait at most the timeout."""
    folder = work / name
    home, tmp = folder / "home", folder / "tmp"
    home.mkdir(parents=True)
    tmp.mkdir()
    import shlex

    spec = {
        "root": str(tree),
        "file": case.rel,
        "surface": surface,
        "target": target,
        "default_target": DEFAULT_TARGET,
        "mode": case.mode,
        "args": shlex.split(request.run or "") if case.mode == "run" else [],
        "calls": case.calls,
        "tmp": str(tmp),
        "user_root": str(user_root),
    }
    spec_path, result_path = folder / "spec.json", folder / "result.json"
    spec_path.write_text(json.dumps(spec))
    with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "ftmigrate.verify_runner", str(spec_path), str(result_path)],
            cwd=tree, env=_environment(home, tmp), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
        )
        try:
            timed_out = not _wait(proc, request.timeout)
        finally:
            _kill_group(proc)
    if timed_out:
        return Outcome(timeout=True)
    try:
        result = json.loads(result_path.read_text())
    except (OSError, ValueError):
        tail = (folder / "stderr").read_bytes().decode(errors="replace").strip().splitlines()
        last = f": {tail[-1].strip()}" if tail else ""
        return Outcome(failure=f"the run ended without a result (exit status {proc.returncode}){last}")
    if "internal" in result:
        return Outcome(internal=result["internal"])
    return Outcome(result=result)


def _wait(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for the run to end, at most ``timeout`` seconds; False if it did not. Where the
    system allows, the ended run is left unreaped, so that its process group cannot be reused
    before ``_kill_group`` ends what the run left behind."""
    if not hasattr(os, "waitid"):
        try:
            proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    delay = 0.005
    while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    return True


def _kill_group(proc: subprocess.Popen) -> None:
    """End whatever the run started and left (its own process group), then reap the run."""
    try:
        if proc.returncode is None and hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)  # the run is unreaped: its group is still ours
        elif proc.returncode is None:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


# --- findings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    help: str
    path: str
    line: int
    end_line: int
    side: str  # "before" (reported by the rewrite) or "after" (still reported by lint)
    fixed: bool = False  # a fix the rewrite applied

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "help": self.help, "path": self.path, "line": self.line, "side": self.side}


class Findings:
    """ftmigrate's findings per file and side, computed on first use.

    Before: the rewrite (unsafe fixes on, every code) of the old source; what it left for a
    person explains a difference at its site, a fix it applied never does (it claims to keep
    behaviour, and where its message describes a lifecycle, a hand edit may have undone it).
    After: the lint of the current source, every code.
    """

    def __init__(self, settings: Any, before: Path, after: Path, target: str = DEFAULT_TARGET) -> None:
        self.settings = settings
        self.target = target  # what the rewrite and lint are asked about: the target verified
        self.trees = {"before": before, "after": after}
        self._cache: dict[tuple[str, str], list[Finding]] = {}

    def of(self, side: str, rel: str) -> list[Finding]:
        key = (side, rel)
        if key not in self._cache:
            self._cache[key] = self._compute(side, rel)
        return self._cache[key]

    def _compute(self, side: str, rel: str) -> list[Finding]:
        from ftmigrate import engine
        from ftmigrate.rules import registry
        from ftmigrate.transform import Options

        data = _read(self.trees[side] / rel)
        if data is None:
            return []
        options = Options(
            mode="rewrite" if side == "before" else "lint",
            enabled=frozenset(registry()),
            unsafe=side == "before",
            vendored_roots=self.settings.legacy_modules,
        )
        settings = engine.RunSettings(options=options, legacy_modules=self.settings.legacy_modules, target=self.target)
        result, _ = engine.process_source(data, rel, settings)
        return [Finding(d.code, d.message, d.help, rel, d.line, d.end_line, side, d.fixed) for d in result.diagnostics]

    def explain(self, sites: dict[str, list[dict[str, Any]]], mentions: Iterable[Iterable[str]] = ()) -> Finding | None:
        """A finding left for a person within one of ``sites`` (per side) whose text mentions a
        word of each group of ``mentions`` (a word matches at its start: ``delet`` matches
        "deletes")."""
        groups = [[re.compile(rf"\b{re.escape(w)}", re.I) for w in group if w] for group in mentions]
        for side in ("before", "after"):
            for site in sites.get(side, ()):
                if not site:
                    continue
                for finding in self.of(side, site["path"]):
                    if finding.fixed:
                        continue
                    if finding.line > site["end_line"] or finding.end_line < site["line"]:
                        continue
                    text = f"{finding.message} {finding.help}"
                    if all(any(w.search(text) for w in group) for group in groups):
                        return finding
        return None


# --- comparing ----------------------------------------------------------------------------------


_MISSING = object()


@dataclass
class Difference:
    """One thing the two runs did differently."""

    kind: str  # value, dropped, built, plan, outcome, test
    what: str
    before: Any
    after: Any
    site: dict[str, Any] | None  # where, after the migration (or before, when gone)
    before_site: dict[str, Any] | None = None
    finding: Finding | None = None
    #: For a config value: the config, the field at the target, and its legacy name if other.
    config: str | None = None
    field: str | None = None
    legacy_field: str | None = None

    @property
    def expected(self) -> bool:
        return self.finding is not None

    def to_json(self) -> dict[str, Any]:
        data = {
            "kind": self.kind,
            "what": self.what,
            "before": _json_value(self.before),
            "after": _json_value(self.after),
            "site": self.site,
            "before_site": self.before_site,
            "expected": self.expected,
            "finding": self.finding.to_json() if self.finding else None,
        }
        if self.config is not None:
            data.update(config=self.config, field=self.field, legacy_field=self.legacy_field)
        return data


def _json_value(value: Any) -> Any:
    return None if value is _MISSING else value


class LineMap:
    """Lines of a file before the migration -> lines after.

    ``difflib`` over the two texts; inside a block of changed lines, each old line goes to the
    most similar new line at or after the previous one's (a rewritten call stays a call; the
    TODO comment the rewrite put above it is never its match)."""

    def __init__(self, old: bytes | None, new: bytes | None) -> None:
        a = (old or b"").decode("utf-8", "replace").splitlines()
        b = (new or b"").decode("utf-8", "replace").splitlines()
        self.lines: dict[int, int] = {}
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    self.lines[i1 + k + 1] = j1 + k + 1
                continue
            candidates = [j for j in range(j1, j2) if not b[j].lstrip().startswith("#")] or list(range(j1, j2))
            low = 0
            for i in range(i1, i2):
                if not candidates:
                    self.lines[i + 1] = min(j1 + 1, max(len(b), 1))  # deleted: the line that follows
                    continue
                scores = [
                    (difflib.SequenceMatcher(None, a[i].strip(), b[j].strip(), autojunk=False).ratio(), -k)
                    for k, j in enumerate(candidates[low:], low)
                ]
                best = -max(scores)[1]
                self.lines[i + 1] = candidates[best] + 1
                low = best
        self.size = len(a)

    def __call__(self, line: int) -> int:
        return self.lines.get(line, line)


class Comparison:
    """Compare the two results of one file."""

    def __init__(self, findings: Findings, maps: dict[str, LineMap]) -> None:
        self.findings = findings
        self.maps = maps
        self.differences: list[Difference] = []

    def map(self, site: dict[str, Any] | None) -> dict[str, Any] | None:
        """A site before the migration, at its lines after it."""
        if site is None:
            return None
        lines = self.maps.get(site["path"])
        if lines is None:
            return site
        line = lines(site["line"])
        return {"path": site["path"], "line": line, "end_line": max(line, lines(site["end_line"]))}

    @staticmethod
    def origins(records: list[dict[str, Any]], i: int) -> list[dict[str, Any]]:
        """Where record ``i`` was built, and where what it is a ``dataclasses.replace`` copy of
        was built (its unchanged values come from there)."""
        out, seen = [], set()
        while i is not None and i not in seen:
            seen.add(i)
            out.append(records[i]["site"])
            i = records[i].get("copy_of")
        return out

    def _kept_by_target(self, kind: str, field: str, value: Any) -> bool:
        """Whether the target removed ``kind``'s ``field`` and behaves as ``value`` did
        (rl_loop's ``weight_sync_before_training=True`` at 2026-08: it always syncs first)."""
        from ftmigrate.api import profiles

        entry = profiles.get(self.findings.target).removed(kind).get(field)
        return entry is not None and entry.kept_by(value)

    def unmap(self, site: dict[str, Any] | None) -> dict[str, Any] | None:
        """A site after the migration, at the lines before it that became its lines."""
        if site is None:
            return None
        lines = self.maps.get(site["path"])
        if lines is None:
            return site
        old = [a for a, b in lines.lines.items() if site["line"] <= b <= site["end_line"]]
        return {"path": site["path"], "line": min(old), "end_line": max(old)} if old else None

    def add(self, diff: Difference, sites: dict[str, list], mentions: Iterable[Iterable[str]] = ()) -> None:
        # What the rewrite said about the lines that became an after-side site explains too (a
        # value built after the port at a line the rewrite reported on before it).
        # (Tried second: a finding at the sites themselves, lint's included, names it first.)
        diff.finding = self.findings.explain(sites, mentions)
        if diff.finding is None:
            back = [b for b in (self.unmap(site) for site in sites.get("after", ()) if site) if b]
            diff.finding = self.findings.explain({"before": back}, mentions) if back else None
        self.differences.append(diff)

    # configs ---------------------------------------------------------------------------------

    def configs(self, old: list[dict[str, Any]], new: list[dict[str, Any]], stopped: dict[str, bool]) -> int:
        """Compare the configs built at the same sites; return how many pairs were compared.

        ``stopped``: whether each side's run stopped on an error (then what one side built and
        the other did not is no difference of its own: the error is)."""
        pairs = self._match(old, new)
        matched_old = {i for i, _ in pairs}
        matched_new = {j for _, j in pairs}
        compared = 0
        for i, j in pairs:
            a, b = old[i], new[j]
            if a.get("held") or b.get("held"):
                continue  # compared where it is used, inside the recipe Config that holds it
            compared += 1
            self._values(i, j, old, new)
        for side, records, matched in (("before", old, matched_old), ("after", new, matched_new)):
            if stopped["before"] or stopped["after"]:
                break  # one run stopped on an error (the difference): what each built is not comparable
            for i, rec in enumerate(records):
                if i in matched or rec.get("held") or rec["kind"] == "cadence":
                    continue
                site = rec["site"]
                shown = f"{rec['kind']} built at {site['path']}:{site['line']}"
                self.add(
                    Difference(
                        "built", rec["kind"],
                        shown if side == "before" else _MISSING,
                        shown if side == "after" else _MISSING,
                        self.map(site) if side == "before" else site,
                        site if side == "before" else None,
                    ),
                    {side: self.origins(records, i)},
                )
        return compared

    def _match(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        free = set(range(len(new)))
        by_key: dict[tuple[str, str, int], list[int]] = {}
        for j, rec in enumerate(new):
            by_key.setdefault((rec["kind"], rec["site"]["path"], rec["site"]["line"]), []).append(j)
        left = []
        for i, rec in enumerate(old):
            mapped = self.map(rec["site"])
            queue = by_key.get((rec["kind"], mapped["path"], mapped["line"]), [])
            queue[:] = [j for j in queue if j in free]
            if queue:
                j = queue.pop(0)
                free.discard(j)
                pairs.append((i, j))
            else:
                left.append(i)
        rest = []
        for i in left:  # the call's lines overlap (a line inside a rewritten call moved)
            mapped = self.map(old[i]["site"])
            near = [
                j for j in sorted(free)
                if new[j]["kind"] == old[i]["kind"] and new[j]["site"]["path"] == mapped["path"]
                and new[j]["site"]["line"] <= mapped["end_line"] and new[j]["site"]["end_line"] >= mapped["line"]
            ]
            if near:
                j = min(near, key=lambda j: abs(new[j]["site"]["line"] - mapped["line"]))
                free.discard(j)
                pairs.append((i, j))
            else:
                rest.append(i)
        groups: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        for i in rest:
            groups.setdefault((old[i]["kind"], old[i]["site"]["path"]), ([], []))[0].append(i)
        for j in sorted(free):
            key = (new[j]["kind"], new[j]["site"]["path"])
            if key in groups:
                groups[key][1].append(j)
        for olds, news in groups.values():
            if len(olds) == 1 and len(news) == 1:  # one of a kind left in the file on each side
                pairs.append((olds[0], news[0]))
        return pairs

    def _values(self, i: int, j: int, old: list, new: list) -> None:
        a, b = old[i], new[j]
        va, vb = a["view"], b["view"]
        for path in list(dict.fromkeys([*va, *vb])):
            ea, eb = va.get(path), vb.get(path)
            sites = {"before": self.origins(old, i), "after": self.origins(new, j)}
            for side, entry, records in (("before", ea, old), ("after", eb, new)):
                if entry is not None and "via" in entry:
                    sites[side] += self.origins(records, entry["via"])
                if entry is not None:
                    sites[side] += entry.get("written", [])
            legacy = (ea or {}).get("legacy") or (eb or {}).get("legacy")
            names = {path.rsplit(".", 1)[-1], *([legacy.rsplit(".", 1)[-1]] if legacy else [])}
            renamed = legacy if legacy and legacy != path else None
            what = f"{b['kind']} {path}" + (f" (was {legacy})" if renamed else "")
            named = {"config": b["kind"], "field": path, "legacy_field": renamed}
            if (ea or {}).get("dropped") or (eb or {}).get("dropped"):
                entry = ea if (ea or {}).get("dropped") else eb
                if entry.get("default", _MISSING) != entry["value"]:
                    before = entry["value"] if entry is ea else _MISSING
                    after = "(dropped)" if entry is ea else entry["value"]
                    named.update(field=None, legacy_field=legacy or path)
                    self.add(Difference("dropped", f"{b['kind']} {legacy or path}", before, after, b["site"], a["site"], **named), sites, [names])
                continue
            before = ea["value"] if ea is not None else _MISSING
            after = eb["value"] if eb is not None else _MISSING
            if ea is not None and eb is not None:
                if before == after:
                    continue
            else:
                present = ea if ea is not None else eb
                if present.get("default", _MISSING) == present["value"]:
                    continue  # only one side has the field, at its default
                if eb is None and self._kept_by_target(b["kind"], path, before):
                    continue  # a field the target removed, whose value is what it always does now
            self.add(Difference("value", what, before, after, b["site"], a["site"], **named), sites, [names])

    # the provisioning plan ---------------------------------------------------------------------

    def plan(self, old: list[dict[str, Any]], new: list[dict[str, Any]], stopped: dict[str, bool]) -> None:
        """Compare what each run provisioned (``stopped``: as for :meth:`configs`)."""
        ra, rb = _resources(old), _resources(new)
        for key in list(dict.fromkeys([*ra, *rb])):
            a, b = ra.get(key), rb.get(key)
            if a is not None and b is not None and a["compare"] == b["compare"]:
                continue
            if (a is None and stopped["before"]) or (b is None and stopped["after"]):
                continue  # never reached on the side that stopped: the error is the difference
            shown = (b or a)["shown"]
            sites = {"before": (a or {}).get("sites", []), "after": (b or {}).get("sites", [])}
            site = (b or {}).get("sites", [None])[0] or self.map((a or {}).get("sites", [None])[0])
            # Explained by a finding at the call that provisioned or released it which says what
            # happens to this resource now: its kind, and how the run leaves it.
            role = (b or a)["role"]
            resource = ["reference"] if role == "reference" else [key[0], *([role] if role else [])]
            self.add(
                Difference(
                    "plan", shown,
                    a["state"] if a else "(not provisioned)",
                    b["state"] if b else "(not provisioned)",
                    site, (a or {}).get("sites", [None])[0],
                ),
                sites,
                [resource, *([_STATE_WORDS[b["end"]]] if b else [])],
            )
        refs_a = [e for e in old if e["kind"] == "reference"]
        refs_b = [e for e in new if e["kind"] == "reference"]
        if (not refs_a and stopped["before"]) or (not refs_b and stopped["after"]):
            return
        if [e["detail"] for e in refs_a] != [e["detail"] for e in refs_b]:
            sites = {"before": [e["site"] for e in refs_a if e["site"]], "after": [e["site"] for e in refs_b if e["site"]]}
            self.add(
                Difference(
                    "plan", "reference strategy",
                    ", ".join(e["detail"] for e in refs_a) or "(no reference)",
                    ", ".join(e["detail"] for e in refs_b) or "(no reference)",
                    (sites["after"] or [None])[0] or self.map((sites["before"] or [None])[0]),
                    (sites["before"] or [None])[0],
                ),
                sites,
                [["reference"], [e["detail"] for e in refs_b] or ["reference"]],
            )

    # how each step ended -----------------------------------------------------------------------

    def steps(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        sa = {s["step"]: s for s in old}
        sb = {s["step"]: s for s in new}
        stopped_a, stopped_b = (any(s.get("error") for s in steps) for steps in (old, new))
        for name in list(dict.fromkeys([*sa, *sb])):
            a, b = sa.get(name), sb.get(name)
            if (a is None and stopped_a) or (b is None and stopped_b):
                continue  # never reached on the side that stopped: the error is the difference
            if a is not None and b is not None:
                ea, eb = a.get("error"), b.get("error")
                if (ea is None) == (eb is None) and (ea is None or ea["type"] == eb["type"]):
                    continue
                if a.get("skipped") and b.get("skipped"):
                    continue
            self._outcome("outcome", name, a, b)

    def tests(self, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> None:
        for nodeid in list(dict.fromkeys([*old, *new])):
            a, b = old.get(nodeid), new.get(nodeid)
            if a is not None and b is not None and a.get("outcome") == b.get("outcome"):
                continue
            self._outcome("test", nodeid, a, b, test=True)

    def _outcome(self, kind: str, name: str, a: dict | None, b: dict | None, test: bool = False) -> None:
        ea, eb = (a or {}).get("error"), (b or {}).get("error")
        sites = {"before": [ea["site"]] if ea and ea.get("site") else [], "after": [eb["site"]] if eb and eb.get("site") else []}
        site = sites["after"][0] if sites["after"] else self.map(sites["before"][0]) if sites["before"] else None
        diff = Difference(kind, name, _ending(a, test), _ending(b, test), site, sites["before"][0] if sites["before"] else None)
        names = None
        for side, error in (("before", ea), ("after", eb)):
            missing = _IMPORT_NAME.search(error["message"]) if error and error["type"] == "ImportError" else None
            if missing and error.get("site"):
                # A cookbook name that is not there: explained by a finding on that name anywhere
                # in the file (lint reports its uses, not only the import).
                names = [missing.group(1)]
                sites[side] = [{"path": error["site"]["path"], "line": 1, "end_line": sys.maxsize}]
            refused = _REFUSED_KEYWORD.search(error["message"]) if error and error["type"] == "RemovedKeywordError" else None
            if refused and error.get("site"):
                # A legacy key that reaches the Config through **mapping: the finding is where the
                # mapping is built (the line that causes it), and says that it reaches the Config.
                diff.finding = self.findings.explain(
                    {side: [{"path": error["site"]["path"], "line": 1, "end_line": sys.maxsize}]}, [[refused.group(1)], ["reaches"]]
                )
                if diff.finding is not None:
                    self.differences.append(diff)
                    return
        self.add(diff, sites, [names] if names else [])


def _ending(step: dict[str, Any] | None, test: bool) -> str:
    if step is None:
        return "(not run)"
    if step.get("skipped"):
        return step["skipped"]
    error = step.get("error")
    outcome = step.get("outcome", "passed") if test else "finished"
    if error is None:
        return outcome
    where = f" at {error['site']['path']}:{error['site']['line']}" if error.get("site") else ""
    text = f"{error['type']}: {error['message']}" if error.get("message") else error["type"]
    return (f"{outcome}: " if test else "raised ") + text + where


def _resources(events: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What one run did with each trainer and deployment: how it got it, how it left it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    created: dict[str, int] = {}
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for e in events:
        if e["resource"] not in ("trainer", "deployment") or e["kind"] == "reference":
            continue
        rid = (e["resource"], e["id"])
        if rid not in keys:
            if e["resource"] == "trainer" and _GENERATED_ID.match(e["id"]):
                # An id the backend made up: matched by role and order, not by its number.
                role = e["role"] or "trainer"
                created[role] = created.get(role, 0) + 1
                keys[rid] = ("trainer", f"new {role} #{created[role]}")
            else:
                keys[rid] = rid
        key = keys[rid]
        entry = out.setdefault(key, {"action": None, "role": e["role"], "detail": None, "end": "running", "sites": [], "how": []})
        if e["site"] and e["site"] not in entry["sites"]:
            entry["sites"].append(e["site"])
        if e["kind"] in ("created", "reattached"):
            if entry["action"] is None:
                entry["action"], entry["detail"] = e["kind"], e["detail"]
            entry["end"] = "running"
        elif e["kind"] in ("cancelled", "deleted"):
            entry["end"] = "released" if e["resource"] == "trainer" else "deleted"
            entry["how"].append(e["kind"])
        elif e["kind"] == "scaled_to_zero":
            entry["end"] = "scaled to zero"
        entry["role"] = entry["role"] or e["role"]
    for (resource, rid), entry in out.items():
        role = f" ({entry['role']})" if entry["role"] else ""
        name = rid if not rid.startswith("new ") else f"{entry['role'] or 'trainer'} created by the run"
        entry["shown"] = f"{resource} {name}{role if not rid.startswith('new ') else ''}"
        end = {"running": "left running on exit", "released": "released on exit", "deleted": "deleted on exit", "scaled to zero": "scaled to zero on exit"}[entry["end"]]
        if entry["end"] == "released" and entry["how"]:
            end = f"released on exit ({entry['how'][-1]})"
        detail = f" ({entry['detail']})" if entry["detail"] else ""
        entry["state"] = f"{entry['action'] or 'used'}{detail}, {end}"
        entry["compare"] = (entry["action"], entry["role"], entry["detail"], entry["end"])
    return out


# --- one file -------------------------------------------------------------------------------------


@dataclass
class FileReport:
    path: str
    status: str
    mode: str = "import"
    reason: str | None = None
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    compared: int = 0
    internal: bool = False  # ftmigrate verify itself failed on this file

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "mode": self.mode,
            "reason": self.reason,
            "configs_compared": self.compared,
            "differences": [d.to_json() for d in self.differences],
            "notes": self.notes,
        }


def _not_verified(result: dict[str, Any]) -> str | None:
    """Why a run cannot be compared: a module that is not installed, or the network."""
    for step in result["steps"]:
        error = step.get("error") or {}
        if "missing" in error:
            name = error["missing"]
            if name.split(".")[0] in ("training", "fireworks"):
                return f"needs {name}, which ftmigrate's bundled cookbook API does not provide"
            return f"needs module '{name}', which is not installed here (install it in this environment to verify this file)"
        if error.get("network"):
            return error["message"]
    return None


def report_file(case: Case, old: Outcome, new: Outcome, findings: Findings, maps_for: Any, timeout: float) -> FileReport:
    report = FileReport(case.rel, SAME, mode=case.mode)
    reasons = {}
    for side, outcome in (("before", old), ("after", new)):
        if outcome.internal:
            report.internal = True
            reasons[side] = f"ftmigrate verify itself failed ({outcome.internal}); please report it"
        elif outcome.timeout:
            reasons[side] = f"timed out after {timeout:g} s (--timeout); if it runs for long on purpose, choose what runs with --call"
        elif outcome.failure:
            reasons[side] = outcome.failure
        elif outcome.result is not None:
            why = _not_verified(outcome.result)
            if why:
                reasons[side] = why
    if reasons:
        report.status = NOT_VERIFIED
        if len(reasons) == 2 and reasons["before"] == reasons["after"]:
            report.reason = reasons["before"]
        else:
            report.reason = "; ".join(
                f"{why} ({'the code before the migration' if side == 'before' else 'the migrated code'})"
                for side, why in reasons.items()
            )
        return report
    a, b = old.result, new.result
    assert a is not None and b is not None
    leaked = sorted({*a.get("imported_from_tree", []), *b.get("imported_from_tree", [])})
    if leaked:
        report.status = NOT_VERIFIED
        report.reason = (
            f"imported {', '.join(leaked)} from your tree, not from the copy being compared (PYTHONPATH"
            " or an editable install points into it): run verify without it"
        )
        return report
    paths = {c["site"]["path"] for c in (*a["configs"], *b["configs"])}
    paths |= {e["site"]["path"] for e in (*a["events"], *b["events"]) if e["site"]}
    paths.add(case.rel)
    comparison = Comparison(findings, {p: maps_for(p) for p in paths})
    stopped = {side: any("error" in s for s in r["steps"]) for side, r in (("before", a), ("after", b))}
    report.compared = comparison.configs(a["configs"], b["configs"], stopped)
    comparison.plan(a["events"], b["events"], stopped)
    comparison.steps(a["steps"], b["steps"])
    comparison.tests(a.get("tests", {}), b.get("tests", {}))
    report.differences = comparison.differences
    if report.differences:
        report.status = UNEXPLAINED if any(not d.expected for d in report.differences) else EXPECTED
    attempts: dict[str, list[str]] = {}
    for side, result in (("before", a), ("after", b)):
        for attempt in result.get("network", []):
            where = f" at {attempt['site']['path']}:{attempt['site']['line']}" if attempt.get("site") else ""
            attempts.setdefault(f"the code called {attempt['what']}{where}: refused (verify runs offline), and it went on", []).append(side)
    for text, sides in attempts.items():
        report.notes.append(text if len(sides) == 2 else f"{text} ({sides[0]} the migration)")
    for w in b.get("config_warnings", []):  # the ported code, on the target surface
        where = f" at {w['site']['path']}:{w['site']['line']}" if w.get("site") else ""
        report.notes.append(f"ConfigWarning{where}: {w['message']} (the real cookbook accepts it, but it will not work as written)")
    for sa, sb in zip(a["steps"], b["steps"]):
        ea, eb = sa.get("error"), sb.get("error")
        if sa["step"] == sb["step"] and ea and eb and ea["type"] == eb["type"]:
            where = f" at {eb['site']['path']}:{eb['site']['line']}" if eb.get("site") else ""
            message = eb["message"] if len(eb["message"]) <= 100 else eb["message"][:97] + "..."
            report.notes.append(f"{sb['step']}: both runs raised {eb['type']}{where} ({message}); compared up to there")
    steps = [s["step"] for s in b["steps"]]
    if case.mode == "import":
        called = [s for s in steps[1:] if not s.endswith("(...)")]
        skipped = [s for s in b["steps"][1:] if s.get("skipped")]
        if called:
            report.notes.append("called " + ", ".join(called))
        for s in skipped:
            report.notes.append(f"{s['step'].removesuffix('(...)')}: {s['skipped']}")
    if case.mode == "pytest" and b.get("tests"):
        outcomes: dict[str, int] = {}
        for t in b["tests"].values():
            outcomes[t.get("outcome", "?")] = outcomes.get(t.get("outcome", "?"), 0) + 1
        report.notes.append("tests: " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))
    return report


# --- the whole run ------------------------------------------------------------------------------


@dataclass
class Verification:
    label: str
    target: str
    files: list[FileReport]

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in (SAME, EXPECTED, UNEXPLAINED, NOT_VERIFIED, UNCHANGED, ADDED)}
        for f in self.files:
            counts[f.status] += 1
        return counts

    @property
    def internal(self) -> bool:
        return any(f.internal for f in self.files)

    def exit_code(self) -> int:
        if self.internal:
            return 2
        return 1 if any(f.status == UNEXPLAINED for f in self.files) else 0


def verify(request: Request, *, on_file: Any = None) -> Verification:
    """Run the comparison (see the module doc)."""
    project = prepare(request)
    target = request.target or DEFAULT_TARGET
    with tempfile.TemporaryDirectory(prefix="ftmigrate-verify-") as tmp:
        work = Path(tmp)
        before, after = copy_trees(project, work)
        classify(project, before)
        findings = Findings(project.settings, before, after, target)
        maps: dict[str, LineMap] = {}

        def maps_for(rel: str) -> LineMap:
            if rel not in maps:
                maps[rel] = LineMap(_read(before / rel), _read(after / rel))
            return maps[rel]

        reports = []
        for n, case in enumerate(project.cases):
            if case.status:
                reports.append(FileReport(case.rel, case.status, mode=case.mode, reason=case.reason))
                continue
            outcomes: dict[str, Outcome] = {}

            def side(surface: str, tree: Path, name: str, case: Case = case, n: int = n) -> None:
                outcomes[surface] = run_one(tree, case, surface, target, request, work / "runs", f"{n}-{name}", project.root)

            # The two sides run at once; the files one after the other, so that two runs never
            # share a copy of the project at the same time.
            thread = threading.Thread(target=side, args=("legacy", before, "before"))
            thread.start()
            side("target", after, "after")
            thread.join()
            report = report_file(case, outcomes["legacy"], outcomes["target"], findings, maps_for, request.timeout)
            reports.append(report)
            if on_file is not None:
                on_file(report)
    return Verification(project.label, target, reports)


# --- reports --------------------------------------------------------------------------------------


def _show_value(value: Any) -> str:
    if value is _MISSING:
        return "(not set)"
    if isinstance(value, dict) and set(value) == {"repr"}:
        return str(value["repr"])
    if value == "(dropped)":
        return value
    return repr(value)


def render_text(v: Verification, quiet: bool = False) -> str:
    lines = []
    for f in v.files:
        if f.status in (UNCHANGED, ADDED) or (quiet and f.status == SAME):
            continue
        head = f"{f.path}: {f.status}"
        if f.reason:
            head += f": {f.reason}"
        elif f.status in (SAME, EXPECTED, UNEXPLAINED):
            head += f" ({_what_ran(f)})"
        lines.append(head)
        for d in f.differences:
            lines.append("  " + _difference_line(d))
        if not quiet:
            lines.extend(f"  note: {note}" for note in f.notes)
    if not quiet:
        counts = v.counts()
        compared = counts[SAME] + counts[EXPECTED] + counts[UNEXPLAINED]
        parts = [f"{counts[s]} {s}" for s in (SAME, EXPECTED, UNEXPLAINED) if counts[s] or s == UNEXPLAINED]
        text = f"Compared {compared} file(s) with {_before_label(v.label)} on target {v.target}: " + ", ".join(parts)
        extra = [f"{counts[s]} {s}" for s in (NOT_VERIFIED, UNCHANGED, ADDED) if counts[s]]
        if extra:
            text += "; " + ", ".join(extra)
        unfinished = sum(1 for f in v.files for d in f.differences if d.finding is not None and d.finding.side == "after")
        if unfinished:
            text += f". {unfinished} difference(s) come from legacy code `ftmigrate lint` still reports: the port is not finished"
        lines.append(text + ".")
    from ftmigrate.report import guard_line, visible

    # Paths, values and messages come from the user's code: one printable line each, never a
    # CI workflow command.
    return "".join(guard_line(visible(line)) + "\n" for line in lines)


def _before_label(label: str) -> str:
    return label if label.startswith("the copy") else f"git {label}"


def _what_ran(f: FileReport) -> str:
    ran = {"import": "imported", "run": "ran __main__", "pytest": "ran its tests"}[f.mode]
    return f"{ran}; {f.compared} config(s) compared"


def _difference_line(d: Difference) -> str:
    where = f"{d.site['path']}:{d.site['line']}: " if d.site else ""
    if d.kind in ("value", "dropped"):
        body = f"{d.what}: {_show_value(d.before)} before, {_show_value(d.after)} after"
    elif d.kind == "built":
        body = f"{d.what}: built only {'before' if d.after is _MISSING else 'after'} the migration"
    else:
        body = f"{d.what}: {d.before} before; {d.after} after"
    if d.finding is None:
        return f"{where}{body} -- unexplained"
    f = d.finding
    when = "reported by the rewrite" if f.side == "before" else "reported by lint"
    return f"{where}{body} -- expected: {f.code} at {f.path}:{f.line} ({when})"


def render_json(v: Verification) -> str:
    return json.dumps(
        {
            "before": v.label,
            "target": v.target,
            "files": [f.to_json() for f in v.files],
            "summary": v.counts(),
        },
        indent=2,
    ) + "\n"
