"""The command line (typer). Thin: it parses, loads settings, and hands over to ``engine``.

Exit codes, as in ruff: 0 nothing needs attention; 1 findings, pending changes, diagnostics
left for a person, or a file that could not be processed; 2 usage or configuration errors, a
missing path, or a failure of ftmigrate itself.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand

from ftmigrate import __version__

app = typer.Typer(
    name="ftmigrate",
    help=(
        "Port Fireworks training-cookbook code off the deprecated InfraConfig / setup_infra"
        " surface (rewrite), keep it off (lint), and check that the port kept what the code"
        " builds and provisions (verify)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class UsageError(Exception):
    """A problem with how ftmigrate was called (exit 2)."""


class _Command(TyperCommand):
    """A command whose help shows its arguments plainly (``PATH...``, ``CODE``), not as typer
    renders them (``{PATH}...``, ``PATH <list[str]>``, depending on its version)."""

    def get_help(self, ctx: typer.Context) -> str:
        import re

        text = super().get_help(ctx)
        for param in self.params:
            if param.param_type_name != "argument" or not param.metavar:
                continue
            plain = param.metavar + ("..." if param.nargs != 1 else "")
            name = re.escape(param.metavar)
            text = re.sub(rf"[{{\[]{name}[}}\]](\.\.\.)?", plain if param.required else f"[{plain}]", text)
            # the same width, so that a help text wrapped onto the next line stays aligned
            text = re.sub(
                rf"(?m)^(\s+)({name}(?:\.\.\.)?(?: <[^>\n]*>)?)",
                lambda m: m.group(1) + plain.ljust(len(m.group(2))),
                text,
            )
        return text


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ftmigrate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Port Fireworks training-cookbook code off the deprecated InfraConfig / setup_infra surface."""


class RewriteFormat(str, Enum):
    text = "text"
    json = "json"


Paths = Annotated[list[str], typer.Argument(metavar="PATH", help="Files or folders; `-` reads stdin.", show_default=False)]
Select = Annotated[Optional[list[str]], typer.Option("--select", metavar="CODES", help="Only these codes or prefixes (comma-separated or repeated; ALL for every code).")]
Ignore = Annotated[Optional[list[str]], typer.Option("--ignore", metavar="CODES", help="Skip these codes or prefixes.")]
Exclude = Annotated[Optional[list[str]], typer.Option("--exclude", metavar="GLOBS", help="Skip paths matching these gitignore-style globs (adds to [tool.ftmigrate] exclude).")]
ForceExclude = Annotated[bool, typer.Option("--force-exclude", help="Apply excludes to paths named on the command line too (for pre-commit).")]
StdinFilename = Annotated[Optional[str], typer.Option("--stdin-filename", metavar="PATH", help="The path to report (and to match per-file ignores) for `-`.")]
ConfigFile = Annotated[Optional[str], typer.Option("--config", metavar="FILE", help="Read settings from this pyproject.toml instead of searching for one.")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=0, help="Worker processes for parsing (0: one per core).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print diagnostics only, no summary.")]
Target = Annotated[Optional[str], typer.Option("--target", metavar="TARGET", help="The target surface to port to and check against: 2026-06 (the default) or 2026-08; wins over [tool.ftmigrate] target.")]


UpgradeFrom = Annotated[Optional[str], typer.Option("--upgrade-from", metavar="TARGET", help="Take code that reads the same at both targets as written for this earlier target (2026-06 with --target 2026-08): its old defaults and lifecycle are written out.")]


def _upgrade_from(flag: str | None, target: str) -> str | None:
    """``--upgrade-from``: the target just before ``target`` (the one step the upgrade makes)."""
    if flag is None:
        return None
    from ftmigrate.api.targets import TARGETS, check_target

    try:
        check_target(flag)
    except ValueError as exc:
        raise UsageError(f"--upgrade-from: {exc}") from None
    index = TARGETS.index(target)
    if index == 0 or TARGETS[index - 1] != flag:
        after = TARGETS.index(flag) + 1
        if after == len(TARGETS):
            raise UsageError(f"--upgrade-from {flag}: {flag} is the latest target, there is nothing to upgrade to")
        raise UsageError(f"--upgrade-from {flag} needs --target {TARGETS[after]} (the upgrade goes one target up), not {target}")
    return flag


def _target(flag: str | None, settings) -> str:
    """``--target``, else ``[tool.ftmigrate] target``, else the default target."""
    from ftmigrate.api.targets import DEFAULT_TARGET, check_target

    if flag is None:
        return settings.target or DEFAULT_TARGET
    try:
        return check_target(flag)
    except ValueError:
        from ftmigrate.api.targets import TARGETS

        raise UsageError(f"invalid value '{flag}' for '--target' [possible values: {', '.join(TARGETS)}]") from None


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _prepare(
    paths: list[str],
    *,
    stdin_filename: str | None = None,
    select: list[str] | None,
    ignore: list[str] | None,
    exclude: list[str] | None,
    force_exclude: bool,
    config_file: str | None,
) -> tuple:
    """Settings, selection and candidates for a run; usage problems raise ``UsageError``."""
    from ftmigrate.budget import seconds_from_env
    from ftmigrate.config import ConfigError, load
    from ftmigrate.discovery import PathError, discover
    from ftmigrate.selection import Selection, SelectorError, check_selector

    try:
        seconds_from_env()  # a malformed FTMIGRATE_FILE_BUDGET is a usage error, up front
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        settings = load(paths or ([stdin_filename] if stdin_filename else []), config_file)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    sel = _split(select)
    ign = _split(ignore) or ()
    for option, codes in (("--select", sel or ()), ("--ignore", ign)):
        for code in codes:
            try:
                check_selector(code)
            except SelectorError as exc:
                raise UsageError(f"invalid value '{code}' for '{option}': {exc.reason}") from None
    selection = Selection(
        select=sel if sel is not None else settings.select,
        ignore=(*settings.ignore, *ign),
        extend_select=settings.extend_select,
        per_file_ignores=settings.per_file_ignores,
    )
    excludes = (*settings.exclude, *(_split(exclude) or ()))
    files = [p for p in paths if p != "-"]
    try:
        candidates = list(discover(files, exclude=excludes, root=settings.root, force_exclude=force_exclude, include=settings.includes))
    except PathError as exc:
        raise UsageError(str(exc)) from None
    return settings, selection, candidates


def _per_file(selection, candidates, settings) -> dict[str, frozenset[str]]:
    if not selection._per_file:
        return {}
    from ftmigrate.discovery import PathError

    out = {}
    for cand in candidates:
        rel = os.path.relpath(os.path.abspath(cand.path), settings.root).replace(os.sep, "/")
        try:
            codes = selection.for_file(rel)
        except PathError as exc:  # a malformed per-file-ignores glob
            raise UsageError(str(exc)) from None
        if codes != selection.enabled:
            out[cand.path] = codes
    return out


def _progress(total_hint: int):
    """A progress bar on a terminal for long runs; nothing when piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # stderr: stdout carries the report (and the rewritten source for `-`)
    progress = Progress(
        TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True, console=Console(stderr=True),
    )
    state: dict[str, Any] = {"task": None, "started": False}

    def on_stage(stage: str, n: int) -> None:
        """A stage of the run: its own bar (``reading 812/4,000``, ``rewriting 12/30``)."""
        if state["task"] is not None:
            progress.update(state["task"], visible=False)
            state["task"] = None
        if n >= 50 or (state["started"] and n):
            if not state["started"]:
                progress.start()
                state["started"] = True
            state["task"] = progress.add_task(stage, total=n)

    def on_result(k: int) -> None:
        if state["task"] is not None:
            progress.advance(state["task"], k)

    return progress, on_stage, on_result


def _run_engine(candidates, run_settings, stdin_data):
    from ftmigrate import engine

    if stdin_data is not None:
        data, path = stdin_data
        result, new = engine.process_file(data, path, run_settings)
        return [result], new
    progress, on_stage, on_result = _progress(len(candidates))
    try:
        results = engine.run(candidates, run_settings, on_stage=on_stage, on_result=on_result)
    finally:
        if progress is not None:
            progress.stop()
    return results, None


@app.command(cls=_Command)
def rewrite(
    paths: Paths,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff of what would change; write nothing.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply the fixes that change structure or resource lifecycle (setup_infra, ResourceCleanup, reference helpers).")] = False,
    select: Select = None,
    ignore: Ignore = None,
    exclude: Exclude = None,
    force_exclude: ForceExclude = False,
    output_format: Annotated[str, typer.Option("--format", "--output-format", metavar="FORMAT", help="Report format: text or json.")] = "text",
    jobs: Jobs = 0,
    quiet: Quiet = False,
    stdin_filename: StdinFilename = None,
    config: ConfigFile = None,
    target: Target = None,
    upgrade_from: UpgradeFrom = None,
) -> None:
    """Rewrite legacy cookbook code in place (or show a diff, or check)."""
    fmt = _choice("--format", output_format, [f.value for f in RewriteFormat])
    raise typer.Exit(_rewrite(paths, diff, check, unsafe_fixes, select, ignore, exclude, force_exclude, fmt, jobs, quiet, stdin_filename, config, target=target, upgrade_from=upgrade_from))


def _rewrite(paths, diff, check, unsafe_fixes, select, ignore, exclude, force_exclude, fmt, jobs, quiet, stdin_filename, config, *, target=None, upgrade_from=None) -> int:
    from ftmigrate.engine import RunSettings
    from ftmigrate.report import ReportContext, diff as render_diff, render
    from ftmigrate.transform import Options

    stdin = paths == ["-"]
    if "-" in paths and not stdin:
        raise UsageError("`-` (stdin) cannot be combined with other paths")
    settings, selection, candidates = _prepare(
        [] if stdin else paths, stdin_filename=stdin_filename,
        select=select, ignore=ignore, exclude=exclude, force_exclude=force_exclude, config_file=config,
    )
    mode = "diff" if diff else "check" if check else "write"
    chosen = _target(target, settings)
    options = Options(
        mode="rewrite",
        enabled=selection.enabled,
        unsafe=unsafe_fixes,
        vendored_roots=settings.legacy_modules,
        upgrade_from=_upgrade_from(upgrade_from, chosen),
    )
    run_settings = RunSettings(
        options=options,
        legacy_modules=settings.legacy_modules,
        write=mode == "write" and not stdin,
        keep_sources=diff or stdin,
        jobs=jobs,
        enabled_for=_per_file(selection, _stdin_candidate(stdin_filename) if stdin else candidates, settings),
        target=chosen,
    )
    stdin_data = (sys.stdin.buffer.read(), stdin_filename or "-") if stdin else None
    results, new = _run_engine(candidates, run_settings, stdin_data)
    ctx = ReportContext(command="rewrite", mode=mode, quiet=quiet, checked=len(results))
    report = render(results, fmt, ctx)
    if stdin:
        if diff:
            sys.stdout.write(render_diff(results))
        elif not check:
            sys.stdout.buffer.write(new if new is not None else stdin_data[0])
            sys.stdout.flush()
        sys.stderr.write(report)
    else:
        if diff and fmt == "text":
            sys.stdout.write(render_diff(results))
            sys.stderr.write(report)
        else:  # JSON carries the diffs itself (one parseable document on stdout)
            sys.stdout.write(report)
    return _rewrite_exit(results, mode)


def _rewrite_exit(results, mode: str) -> int:
    if any(r.internal for r in results):
        return 2
    pending = mode in ("diff", "check") and any(r.status == "changed" for r in results)
    remaining = any(d.remaining for r in results for d in r.diagnostics)
    errors = any(r.status == "error" for r in results)
    return 1 if (pending or remaining or errors) else 0


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


@app.command(cls=_Command)
def lint(
    paths: Paths,
    output_format: Annotated[str, typer.Option("--format", "--output-format", metavar="FORMAT", help="Report format: text, json, sarif, github or junit.")] = "text",
    select: Select = None,
    ignore: Ignore = None,
    exclude: Exclude = None,
    force_exclude: ForceExclude = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print a count per code.")] = False,
    baseline: Annotated[Optional[str], typer.Option("--baseline", metavar="FILE", help="Report (and fail on) only the findings not recorded in FILE.")] = None,
    write_baseline: Annotated[Optional[str], typer.Option("--write-baseline", metavar="FILE", help="Record today's findings in FILE (for --baseline) and exit 0.")] = None,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    stdin_filename: StdinFilename = None,
    config: ConfigFile = None,
    target: Target = None,
    upgrade_from: UpgradeFrom = None,
) -> None:
    """Report legacy cookbook usage (a pre-commit hook and CI deprecation gate)."""
    fmt = _choice("--format", output_format, [f.value for f in LintFormat])
    raise typer.Exit(_lint(
        paths, fmt, select, ignore, exclude, force_exclude, exit_zero, statistics, jobs, quiet, stdin_filename, config,
        baseline=baseline, write_baseline=write_baseline, target=target, upgrade_from=upgrade_from,
    ))


def _lint(paths, fmt, select, ignore, exclude, force_exclude, exit_zero, statistics, jobs, quiet, stdin_filename, config, *, baseline=None, write_baseline=None, target=None, upgrade_from=None) -> int:
    from ftmigrate import baseline as baselines
    from ftmigrate.engine import RunSettings
    from ftmigrate.report import ReportContext, render
    from ftmigrate.transform import Options

    stdin = paths == ["-"]
    if "-" in paths and not stdin:
        raise UsageError("`-` (stdin) cannot be combined with other paths")
    if baseline is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be combined (write a new baseline, then gate with it)")
    settings, selection, candidates = _prepare(
        [] if stdin else paths, stdin_filename=stdin_filename,
        select=select, ignore=ignore, exclude=exclude, force_exclude=force_exclude, config_file=config,
    )
    try:
        # Read before the (long) run: a missing or corrupt baseline is a usage error.
        known = baselines.load(baseline) if baseline is not None else None
    except baselines.BaselineError as exc:
        raise UsageError(str(exc)) from None
    chosen = _target(target, settings)
    options = Options(
        mode="lint",
        enabled=selection.enabled,
        vendored_roots=settings.legacy_modules,
        report_unused_suppressions="FTM099" in selection.enabled,
        upgrade_from=_upgrade_from(upgrade_from, chosen),
    )
    run_settings = RunSettings(
        options=options, legacy_modules=settings.legacy_modules, jobs=jobs,
        enabled_for=_per_file(selection, _stdin_candidate(stdin_filename) if stdin else candidates, settings),
        target=chosen,
    )
    stdin_data = (sys.stdin.buffer.read(), stdin_filename or "-") if stdin else None
    results, _ = _run_engine(candidates, run_settings, stdin_data)
    sources = {stdin_data[1]: stdin_data[0]} if stdin_data else None
    if write_baseline is not None:
        found = baselines.entries(results, settings.root, sources)
        try:
            baselines.write(write_baseline, found)
        except baselines.BaselineError as exc:
            raise UsageError(str(exc)) from None
        files = len({e.path for e in found})
        sys.stdout.write(f"Wrote {len(found)} finding(s) in {files} file(s) to {write_baseline}.\n")
        return 2 if any(r.internal for r in results) else 0
    extra: dict[str, object] = {}
    if known is not None:
        outcome = baselines.apply(results, settings.root, known, sources)
        if not quiet:
            sys.stderr.write(outcome.note(baseline))
        extra["baselined"] = outcome.matched
    ctx = ReportContext(command="lint", quiet=quiet, statistics=statistics, checked=len(results), extra=extra)
    sys.stdout.write(render(results, fmt, ctx))
    return lint_exit(results, exit_zero)


def _stdin_candidate(stdin_filename: str | None) -> list:
    """stdin as a candidate named ``--stdin-filename``, so per-file ignores match it."""
    from ftmigrate.discovery import Candidate

    return [Candidate(stdin_filename)] if stdin_filename else []


def lint_exit(results, exit_zero: bool) -> int:
    if any(r.internal for r in results):
        return 2
    if exit_zero:
        return 0
    return 1 if any(r.diagnostics or r.status == "error" for r in results) else 0


@app.command(cls=_Command)
def rules(
    output_format: Annotated[str, typer.Option("--format", "--output-format", metavar="FORMAT", help="text or json.")] = "text",
) -> None:
    """List every code ftmigrate reports, with its fix safety and the targets it applies to."""
    import json

    from ftmigrate.rules import registry

    from ftmigrate.api.targets import TARGETS

    fmt = _choice("--format", output_format, [f.value for f in RewriteFormat])
    rows = registry()
    if fmt == "json":
        typer.echo(json.dumps([
            {"code": r.code, "name": r.name, "fix": r.fix, "default": r.default, "targets": list(r.targets), "summary": r.summary(), "codemod": r.codemod}
            for r in rows.values()
        ], indent=2))
        return
    for rule in rows.values():
        fix = {"safe": "fix", "unsafe": "unsafe fix", "none": "manual"}[rule.fix]
        flag = "" if rule.default else " (off by default)"
        targets = "all" if tuple(rule.targets) == TARGETS else ",".join(rule.targets)
        typer.echo(f"{rule.code}  {rule.name:<38} {fix:<11} {targets:<8} {rule.summary()}{flag}")
    typer.echo(f"(targets: `all` is every target, {', '.join(TARGETS)}; choose one with --target or [tool.ftmigrate] target)")


@app.command(cls=_Command)
def explain(code: Annotated[str, typer.Argument(metavar="CODE", help="A code, e.g. FTM001.")]) -> None:
    """Explain a code: what it detects, why, an example, the replacement, fix safety."""
    from ftmigrate.explain import explain as render
    from ftmigrate.rules import registry

    try:
        typer.echo(render(code.upper()))
    except KeyError:
        raise UsageError(f"unknown code '{code}' (see `ftmigrate rules`){_did_you_mean(code.upper(), list(registry()), cutoff=0.8)}") from None


@app.command(cls=_Command)
def example(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Where to write the example project (must not exist or be empty).")] = Path("ftmigrate-example"),
    force: Annotated[bool, typer.Option("--force", help="Write the example over an earlier copy in FOLDER (its files go back to their legacy form; other files are kept).")] = False,
) -> None:
    """Write a small legacy cookbook project to FOLDER, to try `ftmigrate rewrite` on."""
    from ftmigrate.examples import write_example

    try:
        written = write_example(folder, force=force)
    except (FileExistsError, OSError) as exc:
        raise UsageError(str(exc) if isinstance(exc, FileExistsError) else f"cannot write {folder}: {exc.strerror or exc}") from None
    # Counted as `ftmigrate rewrite` counts what it checks: the Python files.
    python = sum(1 for path in written if path.suffix == ".py")
    others = ", ".join(path.name for path in written if path.suffix != ".py")
    extra = f" (and {others})" if others else ""
    typer.echo(f"wrote {python} Python files{extra} to {folder}; try: ftmigrate rewrite --diff {folder}")


@app.command(cls=_Command)
def verify(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Files or folders of the migrated project.", show_default=False)],
    before: Annotated[Optional[str], typer.Option("--before", metavar="REV", help="Compare with this git revision (default: HEAD, for the files changed since).")] = None,
    before_dir: Annotated[Optional[str], typer.Option("--before-dir", metavar="DIR", help="Compare with a copy of the project from before the migration (DIR mirrors PATH's folder).")] = None,
    target: Annotated[Optional[str], typer.Option("--target", metavar="TARGET", help="The target surface the migrated code runs on (default: [tool.ftmigrate] target, 2026-06).")] = None,
    run_args: Annotated[Optional[str], typer.Option("--run", metavar="ARGS", help='Run files that have an `if __name__ == "__main__":` block as scripts, with these arguments (`--run ""`: none).')] = None,
    call: Annotated[Optional[list[str]], typer.Option("--call", metavar="MODULE:FUNCTION", help="After importing MODULE, call FUNCTION() instead of the config builders (repeatable).")] = None,
    pytest_: Annotated[bool, typer.Option("--pytest", help="Run test files (test_*.py, *_test.py) with pytest and compare each test's outcome.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Stop a run that takes longer (it is then not verified).")] = 60.0,
    output_format: Annotated[str, typer.Option("--format", "--output-format", metavar="FORMAT", help="Report format: text or json.")] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the files that differ or could not be verified; no notes, no summary.")] = False,
) -> None:
    """Run the code before and after the migration and compare what it builds and provisions.

    Each changed Python file runs twice, each time in its own subprocess: the version before the
    migration (git HEAD, --before REV or --before-dir DIR) on ftmigrate's emulation of the legacy
    cookbook, the current one on the target API, both on the embedded local backend. The recipe
    Configs, TrainerConfigs and DeployConfigs they build are compared field by field, the legacy
    values under their target names; so is the provisioning plan (trainers and deployments
    created, reattached, released or left running). A difference is "expected" when a finding of
    ftmigrate at that site explains it, "unexplained" otherwise (exit 1).

    By default a file is imported, and its functions that build configs (build_*config*,
    make_*config*, functions and pytest fixtures annotated to return a Config) are called, with
    placeholder values for simple required arguments.

    This EXECUTES YOUR CODE: offline (sockets are refused), with a timeout, in temporary copies
    of the project with their own HOME and TMPDIR; nothing is written in your tree.
    """
    from ftmigrate import verify as verifying

    fmt = _choice("--format", output_format, ["text", "json"])
    request = verifying.Request(
        paths=paths, before=before, before_dir=before_dir, target=target, run=run_args,
        calls=list(call or []), pytest=pytest_, timeout=timeout,
    )
    try:
        result = verifying.verify(request)
    except verifying.VerifyError as exc:
        raise UsageError(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(verifying.render_json(result))
    else:
        sys.stdout.write(verifying.render_text(result, quiet=quiet))
    raise typer.Exit(result.exit_code())


def _choice(option: str, value: str, allowed: list[str]) -> str:
    """``value`` if it is one of ``allowed``, else a usage error in ruff's words."""
    if value in allowed:
        return value
    raise UsageError(f"invalid value '{value}' for '{option}' [possible values: {', '.join(allowed)}]{_did_you_mean(value, allowed)}")


def _did_you_mean(value: str, allowed: list[str], cutoff: float = 0.7) -> str:
    from ftmigrate.config import did_you_mean

    return did_you_mean(value, allowed, cutoff)


def run(args: list[str]) -> int:
    """Run the CLI; return the exit code (never raise, never print a traceback)."""
    if not args:
        # Bare `ftmigrate`: the help, on stderr, and exit 2 (as ruff does), with no error line.
        import contextlib

        with contextlib.redirect_stdout(sys.stderr):
            run(["--help"])
        return 2
    try:
        code = app(args=args, prog_name="ftmigrate", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except UsageError as exc:
        sys.stderr.write(f"ftmigrate: error: {_one_line(str(exc))}\n")
        return 2
    except KeyboardInterrupt as exc:  # signals not routed (main() not the entry point)
        from ftmigrate import _signals

        return _signals.report(exc)
    except Exception as exc:  # click's usage errors, and anything unexpected
        try:  # typer >= 0.20 vendors click as typer._click; older typer depends on click
            from typer._click import ClickException
        except ImportError:
            from click import ClickException

        if isinstance(exc, typer.Abort):
            from ftmigrate import _signals

            return _signals.report(exc.__cause__ or exc)
        if isinstance(exc, ClickException):
            sys.stderr.write(f"ftmigrate: error: {_one_line(_usage_message(exc, args))}\n")
            return exc.exit_code if exc.exit_code != 1 else 2
        sys.stderr.write(f"ftmigrate: internal error: {type(exc).__name__}: {_one_line(str(exc))} (please report it)\n")
        return 2


def _one_line(text: str) -> str:
    """A message for stderr: whatever a path or value in it holds (a newline, an escape
    sequence, a byte that is not UTF-8), it prints as one line of visible characters."""
    from ftmigrate.report import visible

    return visible(text)


def _usage_message(exc: Exception, args: list[str]) -> str:
    """A click usage error in ruff's words, on one line: what was wrong, what is allowed, and
    the closest valid name when one is close."""
    import re

    ctx = getattr(exc, "ctx", None)
    named = f"ftmigrate {args[0]}" if args and args[0] in _COMMANDS else "ftmigrate"
    command = getattr(ctx, "command_path", None) or named
    see = f"see `{command} --help`"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)  # type: ignore[attr-defined]
    kind = type(exc).__name__
    options = _option_names(ctx)
    if kind == "NoSuchOption":
        name = exc.option_name  # type: ignore[attr-defined]
        hint = _did_you_mean(name, options)
        return f"unexpected argument '{name}' found{hint}" if hint else f"unexpected argument '{name}' found ({see})"
    if kind == "MissingParameter":
        missing = re.search(r"Missing (argument|option) '([^']+)'", message)
        what = missing.group(2) if missing else "an argument"
        if missing and missing.group(1) == "argument":
            param = getattr(exc, "param", None)
            many = getattr(param, "nargs", 1) != 1 and not what.endswith("...")
            return f"missing argument {what}{'...' if many else ''} ({see})"
        return f"missing option '{what}' ({see})"
    if kind == "BadParameter" and getattr(exc, "param", None) is not None:
        param = exc.param  # type: ignore[attr-defined]
        opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(getattr(param, "opts", []))
        name = opts[0] if opts else param.name
        value = _given(args, list(getattr(param, "opts", [])) + list(getattr(param, "secondary_opts", [])))
        reason = _reason(getattr(exc, "message", "") or message)
        shown = f" '{value}'" if value is not None else ""
        return f"invalid value{shown} for '{name}': {reason}"
    if kind == "BadOptionUsage":
        name = getattr(exc, "option_name", None) or ""
        if "requires an argument" in message:
            return f"option '{name}' requires a value ({see})"
        if "does not take a value" in message:
            return f"option '{name}' takes no value"
    unknown = re.match(r"No such command '([^']+)'", message)
    if unknown:
        commands = sorted(getattr(getattr(ctx, "command", None), "commands", {}) or {})
        hint = _did_you_mean(unknown.group(1), commands)
        return f"unrecognized subcommand '{unknown.group(1)}'" + (hint or f" (commands: {', '.join(commands)})")
    return message.strip().splitlines()[0] if message.strip() else kind


_COMMANDS = ("rewrite", "lint", "rules", "explain", "example", "verify", "skill")


def _option_names(ctx: object) -> list[str]:
    names = ["--help"]
    for param in getattr(getattr(ctx, "command", None), "params", []):
        names += [n for n in (*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])) if n.startswith("-")]
    return names


def _given(args: list[str], opts: list[str]) -> str | None:
    """The value given to one of ``opts`` on the command line (the last one), if any."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                value = args[i + 1]
            elif opt.startswith("--") and arg.startswith(opt + "="):
                value = arg[len(opt) + 1 :]
            elif not opt.startswith("--") and arg.startswith(opt) and len(arg) > len(opt):
                value = arg[len(opt) :]
    return value


def _reason(message: str) -> str:
    """What a value should be, from click's or pydantic's wording."""
    import re

    message = message.removeprefix("Value error, ").strip().rstrip(".")
    found = re.match(r"Input should be (.*?)(,|$)", message)
    if found:
        what = found.group(1)
        return f"expected {'a value ' if what.startswith(('greater', 'less')) else ''}{what}"
    found = re.match(r"'.*' is not (a valid .*)$", message)
    if found:
        return f"expected {found.group(1)}"
    found = re.match(r".* is not in the range (.*)$", message)
    if found:
        return f"expected a value in the range {found.group(1)}"
    return message


@app.command(cls=_Command)
def skill(
    install: Annotated[Optional[Path], typer.Option("--install", metavar="DIR", help="Copy the skill into DIR/ftmigrate (DIR: an agent's skills folder, e.g. .claude/skills).")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --install: replace an existing DIR/ftmigrate.")] = False,
) -> None:
    """Print the folder of the bundled agent skill (SKILL.md, references/), or install a copy."""
    import shutil
    from importlib.resources import files

    source = Path(str(files("ftmigrate.skills") / "ftmigrate"))
    if install is None:
        typer.echo(source)
        return
    target = install / "ftmigrate"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists: pass --force to replace it")
    try:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc"))
    except OSError as exc:
        raise UsageError(f"cannot install the skill in {target}: {exc.strerror or exc}") from None
    typer.echo(f"installed the ftmigrate skill in {target} (SKILL.md and references/)")
