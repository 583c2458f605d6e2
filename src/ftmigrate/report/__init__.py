"""Reporters: how results are printed. Plain text (no markup: it is read in terminals, logs and
pre-commit output alike) and JSON; the lint-only formats live beside them.

Every reporter is a function ``(results, context) -> str`` registered in ``FORMATS``; none
imports rich, libcst or typer, so the lint fast path can print a clean result with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ftmigrate.diagnostics import CHANGED, ERROR, Diagnostic, FileResult, Summary


@dataclass
class ReportContext:
    """What a reporter needs besides the results."""

    command: str  # "lint" or "rewrite"
    mode: str = "write"  # rewrite: "write", "diff" or "check"
    quiet: bool = False
    statistics: bool = False
    checked: int = 0  # files looked at (including those the prefilter skipped)
    extra: dict[str, object] = field(default_factory=dict)


Reporter = Callable[[list[FileResult], ReportContext], str]


def _line(result: FileResult, d: Diagnostic, command: str) -> str:
    suffix = ""
    if command == "lint" and d.fix == "safe":
        suffix = " [*]"
    elif command == "lint" and d.fix == "unsafe":
        suffix = " [unsafe fix]"
    elif command == "rewrite" and d.fix == "unsafe" and not d.fixed:
        suffix = " (fix with --unsafe-fixes)"
    return f"{result.path}:{d.where}: {d.code} {d.message}{suffix}"


def text(results: list[FileResult], ctx: ReportContext) -> str:
    out: list[str] = []
    for result in results:
        if result.status == ERROR:
            code = "FTM901 " if ctx.command == "lint" else ""
            out.append(f"{result.path}: {code}error: {result.error}")
        for d in sorted(result.diagnostics, key=Diagnostic.sort_key):
            if ctx.command == "lint" or d.remaining:
                out.append(_line(result, d, ctx.command))
    if ctx.statistics:
        out.extend(_statistics(results))
    if not ctx.quiet:
        out.append(_summary_line(results, ctx))
    return "\n".join(out) + ("\n" if out else "")


def _statistics(results: list[FileResult]) -> list[str]:
    counts: dict[str, int] = {}
    for result in results:
        for d in result.diagnostics:
            counts[d.code] = counts.get(d.code, 0) + 1
        if result.status == ERROR:
            counts["FTM901"] = counts.get("FTM901", 0) + 1
    from ftmigrate.rules import registry

    rules = registry()
    lines = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rules.get(code)
        name = rule.name if rule else ""
        fix = f"[{rule.fix}]" if rule and rule.fix != "none" else ""
        lines.append(f"{count:>6} {code} {name} {fix}".rstrip())
    return lines


def _summary_line(results: list[FileResult], ctx: ReportContext) -> str:
    s = Summary.of(results)
    checked = ctx.checked or s.files
    if ctx.command == "lint":
        findings = s.diagnostics + s.errors
        if not findings:
            return f"All clear: no legacy cookbook usage in {checked} file(s)."
        fixable = sum(d.fix == "safe" for r in results for d in r.diagnostics)
        unsafe = sum(d.fix == "unsafe" for r in results for d in r.diagnostics)
        files = sum(1 for r in results if r.diagnostics or r.status == ERROR)
        text = f"Found {findings} finding(s) in {files} of {checked} file(s)"
        if fixable or unsafe:
            text += f"; {fixable} fixable with `ftmigrate rewrite`"
            if unsafe:
                text += f", {unsafe} more with `--unsafe-fixes`"
        return text + "."
    verb = {"write": "changed", "diff": "would change", "check": "would change"}[ctx.mode]
    fixes = "applied" if ctx.mode == "write" else "to apply"
    parts = [f"{s.changed} file(s) {verb}", f"{s.fixed} fix(es) {fixes}"]
    parts.append(f"{s.remaining} left for a person" + (" (see the TODO(ftmigrate) comments)" if s.remaining and ctx.mode == "write" else ""))
    if s.errors:
        parts.append(f"{s.errors} file(s) could not be processed")
    return f"{checked} file(s) checked: " + ", ".join(parts) + "."


def as_json(results: list[FileResult], ctx: ReportContext) -> str:
    import json  # here, not at the top: the text report of a clean pre-commit run needs none

    files = []
    for r in results:
        entry = r.to_json()
        if ctx.mode == "diff" and r.status == CHANGED:
            entry["diff"] = diff([r])  # with --diff the JSON carries each file's diff
        files.append(entry)
    document = {
        "version": _version(),
        "command": ctx.command,
        "files": files,
        "summary": {**Summary.of(results).to_json(), "checked": ctx.checked or len(results)},
    }
    return json.dumps(document, indent=2) + "\n"


def _version() -> str:
    from ftmigrate import __version__

    return __version__


def diff(results: list[FileResult]) -> str:
    """Unified diffs of the changed files (plain text, no markup)."""
    import difflib
    import os

    out = []
    for result in results:
        if result.status != CHANGED or result.before is None or result.after is None:
            continue
        name = result.path.replace(os.sep, "/")
        relative = not os.path.isabs(result.path) and not name.startswith("../")
        # A notebook: one diff per changed code cell, of its source (not of the JSON).
        pieces = [("", result.before, result.after)] if result.cells is None else [
            # A cell's last line has no newline as a rule: no "\ No newline" noise for it.
            (f":cell {number}", _terminated(before), _terminated(after)) for number, before, after in result.cells
        ]
        for cell, before, after in pieces:
            lines = difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=(f"a/{name}" if relative else name) + cell,
                tofile=(f"b/{name}" if relative else name) + cell,
            )
            for line in lines:
                out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _terminated(text: str) -> str:
    return text if not text or text.endswith(("\n", "\r")) else text + "\n"


FORMATS: dict[str, Reporter] = {"text": text, "json": as_json}


def formats_for(command: str) -> list[str]:
    """The formats a command accepts (lint has the CI formats too)."""
    if command == "lint":
        _load_ci_formats()
    return list(FORMATS) if command == "lint" else ["text", "json"]


def render(results: list[FileResult], fmt: str, ctx: ReportContext) -> str:
    if fmt not in FORMATS:
        _load_ci_formats()
    return FORMATS[fmt](results, ctx)


def _load_ci_formats() -> None:
    try:
        from ftmigrate.report import ci  # noqa: F401  (registers sarif, github, junit)
    except ModuleNotFoundError as exc:
        if exc.name != "ftmigrate.report.ci":
            raise
