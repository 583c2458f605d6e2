"""The lean ``ftmigrate lint``: a clean run without importing libcst, typer, rich or click.

A pre-commit hook runs on every commit, nearly always over files that hold no legacy code, so
its cost should be close to starting Python. :func:`lint_fast` runs from ``__main__`` before
the typer CLI is imported: it parses the lint arguments it understands (standard library, no
argparse), loads the settings (``config``: pydantic only when a ``[tool.ftmigrate]`` table
exists), discovers the files and runs the byte prefilter on each. When no file can hold a
legacy name, it prints the clean result with the same reporters the full CLI uses and returns
the exit code.

Everything else returns ``None`` and the full CLI runs: a file that needs parsing, stdin,
``--help``, ``--write-baseline``, an option or value it does not understand, and *any* error
(a bad config, an unknown code, a missing path or baseline, an unreadable file). The full CLI
then decides and words the error, so the two paths cannot disagree on what a run means; the
parity test checks that every option of the typer ``lint`` command is either parsed here with
the same arity or makes this path bail out.
"""

from __future__ import annotations

import re
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
_JOBS = re.compile(r"[0-9]+")


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
    if not _JOBS.fullmatch(str(jobs)):
        raise _Bail
    return opts


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    # The same splitting as the CLI's ``_split`` (which lives beside typer).
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def lint_fast(args: list[str]) -> int | None:
    """Run a clean lint without the heavy imports; ``None``: let the full CLI run it."""
    opts = parse(args)
    if opts is None:
        return None
    try:
        results = _clean_results(opts)
    except _Bail:
        return None
    if results is None:
        return None
    from ftmigrate.report import ReportContext, render

    baseline = opts.get("baseline")
    if baseline is not None:
        from ftmigrate import baseline as baselines

        try:
            known = baselines.load(str(baseline))
        except baselines.BaselineError:
            return None
        if not opts.get("quiet"):
            sys.stderr.write(baselines.Filtered(matched=0, stale=len(known)).note(str(baseline)))
    ctx = ReportContext(command="lint", quiet=bool(opts.get("quiet")), statistics=bool(opts.get("statistics")), checked=len(results))
    sys.stdout.write(render(results, str(opts.get("format", "text")), ctx))
    sys.stdout.flush()
    return 0


def _clean_results(opts: dict[str, object]) -> list | None:
    """A clean result per file, or ``None`` as soon as one file needs the full engine."""
    import os

    from ftmigrate import fileio
    from ftmigrate.config import ConfigError, load
    from ftmigrate.diagnostics import FileResult
    from ftmigrate.discovery import PathError, discover
    from ftmigrate.prefilter import Prefilter
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
    selection = Selection(
        select=select if select is not None else settings.select,
        ignore=(*settings.ignore, *ignore),
        extend_select=settings.extend_select,
        per_file_ignores=settings.per_file_ignores,
    )
    excludes = (*settings.exclude, *(_split(opts["exclude"]) or ()))  # type: ignore[arg-type]
    prefilter = Prefilter(settings.legacy_modules)
    results = []
    # Per-file ignores are matched once, as the full CLI matches them (an invalid glob must fail
    # here the same way); on a clean file they change nothing else.
    per_file = bool(settings.per_file_ignores)
    try:
        for cand in discover(paths, exclude=excludes, root=settings.root, force_exclude=bool(opts.get("force_exclude"))):
            if cand.error:
                return None
            try:
                data = fileio.read_bytes(cand.path)
            except fileio.FileError:
                return None
            if prefilter(data):
                return None
            if per_file:
                selection.for_file(os.path.relpath(os.path.abspath(cand.path), settings.root).replace(os.sep, "/"))
                per_file = False
            results.append(FileResult(path=cand.path))
    except PathError:
        return None
    return results


__all__ = ["lint_fast", "parse", "VALUE_OPTIONS", "FLAGS", "BAIL"]
