"""Reporters: how results are printed. Plain text (no markup: it is read in terminals, logs and
pre-commit output alike) and JSON; the lint-only formats live beside them.

Every reporter is a function ``(results, context) -> str`` registered in ``FORMATS``; none
imports rich, libcst or typer, so the lint fast path can print a clean result with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ftmigrate.diagnostics import CHANGED, ERROR, SKIPPED, Diagnostic, FileResult, Summary

# --------------------------------------------------------------------------------------------
# Escaping. Paths and messages come from the tree being checked (a file name can hold a
# newline, an escape sequence or bytes that are not UTF-8; a message quotes source values), and
# CI logs are read by machines: GitHub Actions runs any log line that starts with `::` (after
# leading whitespace) as a workflow command, and the legacy `##[command]` form anywhere in a
# line. So every format escapes what its consumer requires, and no output line can start with
# another file's content.

#: What a terminal or a log must never get raw: C0 and C1 controls and DEL, the Unicode line
#: and paragraph separators, bidirectional overrides (they reorder what is shown), and lone
#: surrogates (bytes of a file name that are not UTF-8, as Python decodes them).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, line separator, bidi override and undecodable
    byte shown as a Python-style escape (``\\n``, ``\\x1b``, ``\\xff``, ``\\u2028``): one line of
    printable characters, valid in any encoding that holds the rest."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape_char, text)


#: What .NET's ``TrimStart`` removes before GitHub's runner looks for ``::`` (after ``visible``,
#: only these whitespace characters can be left).
_LEADING_SPACE = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def guard_line(line: str) -> str:
    """A line of plain-text output that GitHub's runner cannot take for a workflow command:
    a leading ``::`` (after whitespace) and a ``##[`` anywhere get their bracket or colon
    escaped. ``line`` holds no line break (it went through :func:`visible`)."""
    body = line.lstrip(_LEADING_SPACE)
    if body.startswith("::"):
        line = line[: len(line) - len(body)] + "\\x3a" + body[1:]
    if "##[" in line:
        line = line.replace("##[", "##\\x5b")
    return line


def guard_json(document: str) -> str:
    """JSON text with ``##[`` spelled ``##\\u005b`` (the same string to a JSON reader)."""
    return document.replace("##[", "##\\u005b") if "##[" in document else document


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
    return f"{visible(result.path)}:{d.where}: {d.code} {visible(d.message)}{suffix}"


def text(results: list[FileResult], ctx: ReportContext) -> str:
    out: list[str] = []
    for result in results:
        path = visible(result.path)
        if result.status == ERROR:
            code = "FTM901 " if ctx.command == "lint" else ""
            out.append(f"{path}: {code}error: {visible(result.error or 'could not be processed')}")
        elif result.status == SKIPPED:
            out.append(f"{path}: skipped: {visible('; '.join(result.notes) or 'not Python source')}")
        for d in sorted(result.diagnostics, key=Diagnostic.sort_key):
            if ctx.command == "lint" or (d.remaining and result.status != ERROR):
                out.append(_line(result, d, ctx.command))
        if result.status != SKIPPED:
            out.extend(f"{path}: note: {visible(note)}" for note in result.notes)
    if ctx.statistics:
        out.extend(_statistics(results))
    if not ctx.quiet:
        out.append(_summary_line(results, ctx))
    return "".join(guard_line(line) + "\n" for line in out)


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
        # With --baseline, what the baseline holds is still there: never "all clear" then.
        baselined = int(ctx.extra.get("baselined", 0))  # type: ignore[call-overload]
        held = f"; {baselined} finding(s) in the baseline not reported" if baselined else ""
        if not findings and s.skipped:
            return (
                f"No {'new ' if baselined else ''}legacy cookbook usage found in {checked} file(s);"
                f" {s.skipped} of them skipped (not Python source, see above){held}."
            )
        if not findings:
            if baselined:
                return f"No new legacy cookbook usage in {checked} file(s){held}."
            return f"All clear: no legacy cookbook usage in {checked} file(s)."
        fixable = sum(d.fix == "safe" for r in results for d in r.diagnostics)
        unsafe = sum(d.fix == "unsafe" for r in results for d in r.diagnostics)
        files = sum(1 for r in results if r.diagnostics or r.status == ERROR)
        text = f"Found {findings} {'new ' if baselined else ''}finding(s) in {files} of {checked} file(s)"
        if fixable or unsafe:
            text += f"; {fixable} fixable with `ftmigrate rewrite`"
            if unsafe:
                text += f", {unsafe} more with `--unsafe-fixes`"
        if s.skipped:
            text += f"; {s.skipped} file(s) skipped (not Python source)"
        if baselined:
            text += f"; {baselined} more in the baseline, not reported"
        return text + "."
    verb = {"write": "changed", "diff": "would change", "check": "would change"}[ctx.mode]
    fixes = "applied" if ctx.mode == "write" else "to apply"
    parts = [f"{s.changed} file(s) {verb}", f"{s.fixed} fix(es) {fixes}"]
    parts.append(f"{s.remaining} left for a person" + (" (see the TODO(ftmigrate) comments)" if s.remaining and ctx.mode == "write" else ""))
    if s.errors:
        parts.append(f"{s.errors} file(s) could not be processed")
    if s.skipped:
        parts.append(f"{s.skipped} file(s) skipped (not Python source)")
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
    # ASCII only (the default): lone surrogates, the bytes of a file name that are not UTF-8,
    # come out as \\udcff escapes, which Python's reader turns back into the same name.
    return guard_json(json.dumps(document, indent=2, ensure_ascii=True)) + "\n"


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
        name = guard_line(visible(result.path.replace(os.sep, "/")))  # header lines: one line each
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
