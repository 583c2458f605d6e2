"""The lean ``ftmigrate lint``: no typer, rich or click, and no libcst unless a file needs it.

A pre-commit hook runs on every commit, nearly always over files that hold no legacy code, so
its cost should be close to starting Python; a CI gate walks the whole repository, so the walk
should cost what reading the bytes costs. :func:`lint_fast` runs from ``__main__`` before the
typer CLI is imported: it parses the lint arguments it understands (standard library, no
argparse), loads the settings (``config``: pydantic only when a ``[tool.ftmigrate]`` table
needs it), discovers the files and runs the byte prefilter on each. The few files that may hold
a legacy name go to the engine (which imports libcst); the report is printed with the same
reporters, baseline filter and exit codes as the full CLI.

Everything else returns ``None`` and the full CLI runs: stdin, ``--help``,
``--write-baseline``, an option or value it does not understand, a run that shows a progress
bar, and *any* error (a bad config, an unknown code, a missing path or baseline, an unreadable
file). The full CLI then decides and words the error, so the two paths cannot disagree on what
a run means; the parity tests check that every option of the typer ``lint`` command is either
parsed here with the same arity or makes this path bail out, and that for any command line this
path either bails out or prints and returns exactly what the full CLI does.
"""

from __future__ import annotations

import os
import stat
import sys

#: Options taking a value: their canonical name. Repeatable ones accumulate (as in typer).
VALUE_OPTIONS = {
    "--format": "format",
    "--output-format": "format",
    "--select": "select",
    "--ignore": "ignore",
    "--exclude": "exclude",
    "--config": "config",
    "--baseline": "baseline",
    "--jobs": "jobs",
    "-j": "jobs",
    "--target": "target",
    "--upgrade-from": "upgrade_from",
}
REPEATABLE = frozenset({"select", "ignore", "exclude"})

#: Flags (no value): their canonical name.
FLAGS = {
    "--force-exclude": "force_exclude",
    "--exit-zero": "exit_zero",
    "--statistics": "statistics",
    "--quiet": "quiet",
    "-q": "quiet",
}

#: Options of the typer command this path leaves to it on purpose (and any option not listed
#: anywhere here bails out too).
BAIL = frozenset({"--help", "--write-baseline", "--stdin-filename"})

FORMATS = ("text", "json", "sarif", "github", "junit")


class _Bail(Exception):
    """Leave this run to the full CLI."""


def parse(args: list[str]) -> dict[str, object] | None:
    """The options and paths of a ``lint`` command line, or ``None`` when not understood."""
    try:
        return _parse(args)
    except _Bail:
        return None


def _parse(args: list[str]) -> dict[str, object]:
    opts: dict[str, object] = {"paths": [], "select": None, "ignore": None, "exclude": None}
    i = 0
    only_paths = False
    while i < len(args):
        arg = args[i]
        i += 1
        if only_paths or not arg.startswith("-"):
            opts["paths"].append(arg)  # type: ignore[union-attr]
            continue
        if arg == "--":
            only_paths = True
            continue
        if arg == "-":  # stdin
            raise _Bail
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg[:2], "", arg[2:])
        if name in FLAGS:
            if eq or inline:  # `--quiet=1`, or short flags grouped (`-qj4`)
                raise _Bail
            opts[FLAGS[name]] = True
            continue
        if name not in VALUE_OPTIONS:
            raise _Bail
        key = VALUE_OPTIONS[name]
        if eq or (inline and not name.startswith("--")):
            value = inline
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            raise _Bail
        if key in REPEATABLE:
            opts.setdefault(key, None)
            opts[key] = [*(opts[key] or []), value]  # type: ignore[misc]
        else:
            opts[key] = value
    if not opts["paths"]:
        raise _Bail
    if opts.get("format", "text") not in FORMATS:
        raise _Bail
    jobs = opts.get("jobs", "0")
    if not (str(jobs).isascii() and str(jobs).isdigit()):  # typer's int, min 0
        raise _Bail
    return opts


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    # The same splitting as the CLI's ``_split`` (which lives beside typer).
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def lint_fast(args: list[str]) -> int | None:
    """Run a lint without typer (and, when no file needs parsing, without libcst); ``None``:
    let the full CLI run it."""
    opts = parse(args)
    if opts is None:
        return None
    budget = os.environ.get("FTMIGRATE_FILE_BUDGET", "").strip()
    if budget and not budget.replace(".", "", 1).isdigit():
        return None  # not a plain number of seconds: the full CLI words the error
    code = _bare(opts)
    if code is not None:
        return code
    try:
        scanned = _scan(opts)
    except (_Bail, ValueError):  # ValueError: an exclude glob pathspec rejects; the CLI words it
        return None
    if scanned is None:
        return None
    results, hits, settings, selection, warm = scanned
    try:
        return _finish(opts, results, hits, settings, selection, warm)
    finally:
        if warm is not None:
            warm.close()


def _finish(opts: dict[str, object], results: list, hits: list, settings: object, selection: object, warm: object) -> int | None:
    known = None
    baseline = opts.get("baseline")
    if baseline is not None:
        from ftmigrate import baseline as baselines

        try:
            known = baselines.load(str(baseline))
        except baselines.BaselineError:
            return None
    if hits:
        if len(hits) >= PROGRESS_MIN and sys.stderr.isatty() and not os.environ.get("CI"):
            return None  # the full CLI shows a progress bar for this many
        _run_engine(hits, results, opts, settings, selection, warm)
    from ftmigrate.report import ReportContext, render

    quiet = bool(opts.get("quiet"))
    extra: dict[str, object] = {}
    if known is not None:
        filtered = baselines.apply(results, settings.root, known) if hits else baselines.Filtered(stale=len(known))
        if not quiet:
            sys.stderr.write(filtered.note(str(baseline)))
        extra["baselined"] = filtered.matched
    ctx = ReportContext(command="lint", quiet=quiet, statistics=bool(opts.get("statistics")), checked=len(results), extra=extra)
    sys.stdout.write(render(results, str(opts.get("format", "text")), ctx))
    sys.stdout.flush()
    return _exit_code(results, bool(opts.get("exit_zero")))


#: What the text report says about clean files (``report._summary_line``; the parity tests
#: hold the two together).
ALL_CLEAR = "All clear: no legacy cookbook usage in {} file(s).\n"
#: The defaults the bare path assumes (``prefilter.DEFAULT_ROOTS``, ``fileio.MAX_BYTES``,
#: ``discovery.TEMP_SUFFIX``); a test checks they agree.
BARE_ROOT = b"training"
#: ``prefilter.HINT`` / ``HINT_WINDOW``: a file that may import an unlisted vendored copy.
BARE_HINT = b"InfraConfig"
BARE_HINT_WINDOW = 8192
#: ``prefilter.LEGACY_ATTRIBUTE_SPELLINGS`` (the bare path does not import the prefilter, nor
#: ``re``; a test checks that the two agree).
BARE_LEGACY_ATTRIBUTES = (b".weight_sync.", b".hotload.", b".infra.", b".policy_job_id", b".ref_training_shape_id")
BARE_MAX_BYTES = 20 * 1024 * 1024
BARE_TEMP_SUFFIX = ".ftmigrate.tmp"
BARE_CONFIG_MAX_BYTES = 1024 * 1024


def _bare(opts: dict[str, object]) -> int | None:
    """The pre-commit case with nothing to configure, on ``os`` alone: files named explicitly,
    no ``[tool.ftmigrate]`` table above them, the text report, and no file that mentions the
    cookbook. Loading settings, discovery and the reporters (with ``pathlib``, ``re`` and
    ``dataclasses``) costs more than Python's own start; here the run costs a few ``stat``
    calls and reads. Anything else -- a directory, a symlink, a config, a file naming
    ``training``, a leftover temporary file to sweep, any error -- returns ``None``, and the
    lean path (then, if need be, the full CLI) decides as usual."""
    if opts.get("format", "text") != "text" or opts.get("config") or opts.get("baseline") or opts.get("statistics"):
        return None
    if opts.get("target") is not None or opts.get("upgrade_from") is not None:
        return None  # the lean path checks the value (a bad one is the full CLI's error)
    if opts["select"] is not None or opts["ignore"] is not None or (opts["exclude"] and opts.get("force_exclude")):
        return None
    paths: list[str] = opts["paths"]  # type: ignore[assignment]
    if any(".." in p.split(os.sep) for p in paths):
        return None  # config searches from ``Path.absolute()``, which keeps ``..``: leave it that
    try:
        absolute = [os.path.abspath(p) for p in paths]
        start = os.path.commonpath(absolute)
        found = _ftmigrate_pyproject(start if os.path.isdir(start) else os.path.dirname(start))
        roots = (BARE_ROOT,)
        verdicts: dict[str, bool] | None = None
        if found is not None:
            # A table the lean path validated before: its roots and exclude verdicts are cached.
            from ftmigrate import _cache

            pyproject, content = found
            entry = _cache.load(pyproject, content) if b"tool.ftmigrate" in content else None
            if entry is None:
                return None
            roots = tuple(entry["roots"])
            if entry["has_excludes"] and opts.get("force_exclude"):
                verdicts = entry["excluded"]
            base = os.path.dirname(pyproject)
        seen: set[str] = set()
        folders: set[str] = set()
        for path, key in zip(paths, absolute):
            if key in seen:
                continue
            if verdicts is not None:
                verdict = verdicts.get(os.path.relpath(key, base).replace(os.sep, "/"))
                if verdict is None:
                    return None  # not seen before: pathspec decides, on the lean path
                if verdict:
                    continue  # excluded: not processed, not counted
            seen.add(key)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > BARE_MAX_BYTES:
                return None
            folders.add(os.path.dirname(key))
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
            try:
                opened = os.fstat(fd)
                if not stat.S_ISREG(opened.st_mode) or opened.st_size > BARE_MAX_BYTES:
                    return None
                data = os.read(fd, opened.st_size + 1)
            finally:
                os.close(fd)
            if len(data) != opened.st_size or any(root in data for root in roots) or data.find(BARE_HINT, 0, BARE_HINT_WINDOW) != -1:
                return None
            if any(needle in data for needle in BARE_LEGACY_ATTRIBUTES):
                return None  # a legacy field read on a Config from another module: the full path
            if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
                return None  # not Python source (UTF-16, binary): reported as skipped, not clear
        for folder in folders:  # the lean path sweeps stale temporary files of a killed rewrite
            with os.scandir(folder) as entries:
                if any(e.name.startswith(".") and e.name.endswith(BARE_TEMP_SUFFIX) for e in entries):
                    return None
    except (OSError, ValueError):
        return None
    if not opts.get("quiet"):
        sys.stdout.write(ALL_CLEAR.format(len(seen)))
        sys.stdout.flush()
    return 0


def _ftmigrate_pyproject(folder: str) -> tuple[str, bytes] | None:
    """The closest ``pyproject.toml`` at or above ``folder`` that mentions ftmigrate, with its
    bytes (``config`` looks for a ``[tool.ftmigrate]`` table in the same places)."""
    while True:
        path = os.path.join(folder, "pyproject.toml")
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                st = os.fstat(fd)
                # A FIFO or a device (hostile trees have them) or a huge file: the lean path
                # (config.find_pyproject) words the error.
                if not stat.S_ISREG(st.st_mode) or st.st_size > BARE_CONFIG_MAX_BYTES:
                    raise ValueError(path)
                content = os.read(fd, st.st_size + 1)
            finally:
                os.close(fd)
            if b"ftmigrate" in content:
                return path, content
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


#: As many files to parse as make the full CLI show a progress bar on a terminal.
PROGRESS_MIN = 50


def _exit_code(results: list, exit_zero: bool) -> int:
    # cli.lint_exit's rule (it lives beside typer); the parity test holds the two together.
    if any(r.internal for r in results):
        return 2
    if exit_zero:
        return 0
    return 1 if any(r.diagnostics or r.status == "error" for r in results) else 0


def _scan(opts: dict[str, object]) -> tuple | None:
    """Discover, read and prefilter: a clean result per file, and the (index, candidate) of the
    files that need parsing. ``None`` on anything the full CLI should word (a bad config, an
    unknown code, a missing path, a file that cannot be read)."""
    from ftmigrate import fileio
    from ftmigrate.config import ConfigError, load
    from ftmigrate.diagnostics import SKIPPED, FileResult
    from ftmigrate.discovery import PathError, discover, is_notebook
    from ftmigrate.prefilter import Prefilter, not_python_source
    from ftmigrate.selection import Selection, SelectorError, check_selector

    paths: list[str] = opts["paths"]  # type: ignore[assignment]
    try:
        settings = load(paths, opts.get("config"))  # type: ignore[arg-type]
        select = _split(opts["select"])  # type: ignore[arg-type]
        ignore = _split(opts["ignore"]) or ()  # type: ignore[arg-type]
        for code in (*(select or ()), *ignore):
            check_selector(code)
    except (ConfigError, SelectorError):
        return None
    if opts.get("target") is not None:
        from ftmigrate.api.targets import TARGETS

        if opts["target"] not in TARGETS:
            return None
    target = opts.get("target") or settings.target  # the flag wins over the file
    if opts.get("upgrade_from") is not None:
        from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS

        index = TARGETS.index(target or DEFAULT_TARGET)
        if index == 0 or TARGETS[index - 1] != opts["upgrade_from"]:
            return None  # (the full CLI says what is wrong with it)

    def make_selection() -> Selection:
        return Selection(
            select=select if select is not None else settings.select,
            ignore=(*settings.ignore, *ignore),
            extend_select=settings.extend_select,
            per_file_ignores=settings.per_file_ignores,
        )

    # The rule catalog is loaded only when something needs the enabled codes: per-file
    # ignores to match, or a file to parse (a selector was checked against it above already).
    selection = make_selection() if settings.per_file_ignores else None
    excludes = (*settings.exclude, *(_split(opts["exclude"]) or ()))  # type: ignore[arg-type]
    prefilter = Prefilter(settings.legacy_modules)
    results = []
    hits = []
    # Walking a folder: the engine is imported in a helper process meanwhile (see _warm).
    warm = None
    if any(os.path.isdir(path) for path in paths):
        from ftmigrate import _warm

        warm = _warm.start()
    # Per-file ignores are matched once, as the full CLI matches them (an invalid glob must fail
    # here the same way); for a clean file they change nothing else.
    per_file = bool(settings.per_file_ignores)
    try:
        found = discover(paths, exclude=excludes, root=settings.root, force_exclude=bool(opts.get("force_exclude")), include=settings.includes)
        for cand in found:
            if cand.error:
                return _abandon(warm)
            try:
                data = fileio.read_bytes(cand.path)
            except fileio.FileError:
                return _abandon(warm)
            if per_file:
                _relative(cand.path, settings.root, selection)
                per_file = False
            result = FileResult(path=cand.path)
            if _notebook_wanted(data, prefilter) if is_notebook(cand.path) else prefilter(data):
                hits.append((len(results), cand, data))
            else:
                reason = not_python_source(data)
                if reason is not None:  # UTF-16, binary: skipped, not clean
                    result.status = SKIPPED
                    result.notes.append(reason)
            results.append(result)
    except PathError:
        return _abandon(warm)
    except BaseException:
        _abandon(warm)
        raise
    if hits and selection is None:
        selection = make_selection()
    if settings.source is not None and not opts.get("config"):
        _remember(settings, paths, prefilter, bool(opts.get("force_exclude")))
    opts["target"] = target
    return results, hits, settings, selection, warm


def _notebook_wanted(data: bytes, prefilter: object) -> bool:
    """The prefilter for a notebook (its module is imported only when a walk meets one)."""
    from ftmigrate.notebook import wanted

    return wanted(data, prefilter)  # type: ignore[arg-type]


def _abandon(warm: object) -> None:
    if warm is not None:
        warm.close()  # type: ignore[attr-defined]
    return None


def _remember(settings: object, paths: list[str], prefilter: object, force_exclude: bool) -> None:
    """Cache what the bare path needs from this (now validated) table: see ``_cache``."""
    from ftmigrate import _cache
    from ftmigrate.discovery import compile_globs

    source = str(settings.source.absolute())  # type: ignore[attr-defined]
    from ftmigrate.fileio import FileError, read_regular

    try:
        content = read_regular(source)
    except (OSError, FileError):
        return
    excluded: dict[str, bool] = {}
    if settings.exclude and force_exclude:  # type: ignore[attr-defined]
        spec = compile_globs(settings.exclude)  # type: ignore[attr-defined]
        base = os.path.dirname(source)
        for path in paths:
            absolute = os.path.abspath(path)
            if os.path.isfile(absolute) and not os.path.islink(absolute):
                rel = os.path.relpath(absolute, base).replace(os.sep, "/")
                if not rel.startswith("../"):
                    excluded[rel] = bool(spec.match_file(rel))  # type: ignore[attr-defined]
    _cache.store(source, content, list(prefilter.roots), bool(settings.exclude), excluded)  # type: ignore[attr-defined]


def _relative(path: str, root: object, selection: object) -> frozenset[str]:
    """The codes enabled for ``path`` (relative to the config root, as the full CLI matches)."""
    return selection.for_file(os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/"))  # type: ignore[attr-defined]


def _run_engine(hits: list, results: list, opts: dict[str, object], settings: object, selection: object, warm: object = None) -> None:
    """Run the engine on the files that need parsing; their results replace the clean ones.

    The bytes read by the walk are what the engine parses: no file is read twice. With a warm
    helper (a folder was walked) the engine runs there; without one, or when it fails, here.
    """
    enabled = selection.enabled  # type: ignore[attr-defined]
    enabled_for = {}
    if settings.per_file_ignores:  # type: ignore[attr-defined]
        for _, cand, _ in hits:
            codes = _relative(cand.path, settings.root, selection)  # type: ignore[attr-defined]
            if codes != enabled:
                enabled_for[cand.path] = codes
    raw = {
        "options": {
            "mode": "lint",
            "enabled": enabled,
            "vendored_roots": settings.legacy_modules,  # type: ignore[attr-defined]
            "report_unused_suppressions": "FTM099" in enabled,
            "upgrade_from": opts.get("upgrade_from"),
        },
        "legacy_modules": settings.legacy_modules,  # type: ignore[attr-defined]
        "jobs": int(str(opts.get("jobs", "0"))),
        "enabled_for": enabled_for,
        "target": opts.get("target"),  # None: the default target (engine.lint_read)
    }
    work = [(index, cand.path, data) for index, cand, data in hits]
    outputs = warm.run(work, raw) if warm is not None else None  # type: ignore[attr-defined]
    if outputs is None:
        from ftmigrate.engine import lint_read

        outputs = lint_read(work, raw)
    for index, result, _ in outputs:
        results[index] = result


__all__ = ["lint_fast", "parse", "VALUE_OPTIONS", "FLAGS", "BAIL", "PROGRESS_MIN"]

