"""The CI formats of ``ftmigrate lint``: SARIF 2.1.0, GitHub workflow commands, JUnit XML.

Each reporter registers itself in :data:`ftmigrate.report.FORMATS`. Like the other reporters
they use the standard library only (``json``, ``os``, ``urllib.parse``): the lint fast path
prints a clean run with them before libcst, typer or rich could be imported.

Paths are written relative to the working directory (POSIX separators), which is what GitHub
code scanning, workflow annotations and CI dashboards resolve against when ftmigrate runs at
the repository root. Files that could not be read or parsed are findings of ``FTM901``, as in
the text report.

- ``sarif``: one run; ``tool.driver.rules`` is generated from the rule classes (every code
  ftmigrate knows, so ``ruleIndex`` is stable across runs), columns are Unicode code points
  (what LibCST counts), end columns exclusive as SARIF defines them.
- ``github``: one ``::error`` (``::warning`` for suppression hygiene) workflow command per
  finding, escaped per GitHub's rules (``%``, CR and LF in the message; ``,`` and ``:`` too in
  property values). A clean run prints nothing.
- notebooks (``.ipynb``): as ruff reports them, the finding is on the notebook file at its
  first line (the lines of a cell are not lines of the JSON file) and its message starts with
  the cell position, ``cell 3:2:5: ...``; SARIF has it in the result's ``properties`` too
  (``cell``, ``cellLine``, ``cellColumn`` ...), JUnit in the test name and text.
- ``junit``: a ``<testsuites>`` document with one ``<testsuite>`` per file (the layout ruff
  uses): a ``<testcase>`` with a ``<failure>`` per finding, an ``<error>`` for a file that
  could not be processed, one passing ``<testcase>`` for a clean file.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from urllib.parse import quote

from ftmigrate.diagnostics import ERROR, SKIPPED, Diagnostic, FileResult
from ftmigrate.report import FORMATS, ReportContext, _version, guard_json, visible

#: Where the project lives (the SARIF ``informationUri``; the same URL as pyproject's).
INFORMATION_URI = "https://github.com/fw-ai/ftmigrate"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
UNREADABLE = "FTM901"

#: Codes about the suppression comments themselves are hygiene, not legacy code: warnings.
_WARNING_CODES = frozenset({"FTM099"})


def level(code: str) -> str:
    """The SARIF level (and GitHub command) of a code: ``error`` except for hygiene codes."""
    return "warning" if code in _WARNING_CODES else "error"


def display_path(path: str) -> str:
    """``path`` relative to the working directory with ``/`` separators (absolute if outside)."""
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive (Windows)
        return absolute.replace(os.sep, "/")
    if rel == ".." or rel.startswith(".." + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def _findings(results: list[FileResult]):
    """``(result, diagnostic)`` pairs in report order (files as given, positions within)."""
    for result in results:
        for d in sorted(result.diagnostics, key=Diagnostic.sort_key):
            yield result, d


# --- SARIF ------------------------------------------------------------------------------------


def _quote(path: str) -> str:
    """A path as a URI path: every byte outside the unreserved set percent-encoded, the bytes
    of a name that are not UTF-8 too (``bad\\xff.py`` -> ``bad%FF.py``): lossless and valid."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate no file system name decodes to (not from a real path)
        raw = path.encode("utf-8", "surrogatepass")
    return quote(raw)


def _uri(path: str) -> dict[str, str]:
    shown = display_path(path)
    if shown.startswith("/"):
        return {"uri": "file://" + _quote(shown)}
    return {"uri": _quote(shown), "uriBaseId": "%SRCROOT%"}


def _description(rule: type) -> str:
    """Every paragraph of the rule's docstring but the "Why" one, unwrapped."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
    return "\n\n".join(p for p in paragraphs if not p.startswith("Why"))


def _help_markdown(rule: type) -> str:
    _, why = rule.sections()
    parts = [f"**{rule.code} ({rule.name})**", "", "## What it does", _description(rule)]
    if why:
        parts += ["", "## Why it matters", why]
    if rule.INVALID:
        parts += ["", "## Example", "```python", rule.INVALID[0].before.rstrip(), "```"]
    parts += ["", "## Use instead", rule.replacement, "", "## Fix safety", rule.fix_safety()]
    return "\n".join(parts)


def _help_text(rule: type) -> str:
    _, why = rule.sections()
    parts = [_description(rule)]
    if why:
        parts.append(f"Why: {why}")
    parts += [f"Use instead: {rule.replacement}", f"Fix safety: {rule.fix_safety()}"]
    return "\n\n".join(parts)


def sarif_rules() -> list[dict[str, object]]:
    """``reportingDescriptor`` objects for every rule, in code order, from the rule classes."""
    from ftmigrate.rules import registry

    out = []
    for code, rule in registry().items():
        out.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": _description(rule)},
                "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
                "defaultConfiguration": {"level": level(code), "enabled": bool(rule.default)},
                "properties": {
                    "fix": rule.fix,
                    "fixSafety": rule.fix_safety(),
                    "tags": ["ftmigrate", "deprecation", f"fix-{rule.fix}"],
                },
            }
        )
    return out


def _sarif_result(path: str, code: str, message: str, index: int | None, region: dict | None) -> dict:
    location: dict[str, object] = {"artifactLocation": _uri(path)}
    if region is not None:
        location["region"] = region
    result: dict[str, object] = {
        "ruleId": code,
        "level": level(code),
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }
    if index is not None:
        result["ruleIndex"] = index
    return result


def sarif(results: list[FileResult], ctx: ReportContext) -> str:
    """A SARIF 2.1.0 log with one run."""
    rules = sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    out = []
    for result in results:
        if result.status == ERROR:
            out.append(_sarif_result(result.path, UNREADABLE, result.error or "could not be processed", index.get(UNREADABLE), None))
    for result, d in _findings(results):
        if d.cell is not None:
            # A notebook, as ruff reports one: the .ipynb file at its first line (a cell's lines
            # are not lines of the file); the cell position in the message and in properties.
            entry = _sarif_result(result.path, d.code, f"{d.where}: {d.message}", index.get(d.code), {"startLine": 1})
            entry["properties"] = {
                "cell": d.cell, "cellLine": d.line, "cellColumn": d.column, "cellEndLine": d.end_line, "cellEndColumn": d.end_column,
            }
            out.append(entry)
            continue
        region = {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}
        out.append(_sarif_result(result.path, d.code, d.message, index.get(d.code), region))
    internal = [r for r in results if r.internal]
    invocation: dict[str, object] = {"executionSuccessful": not internal}
    notifications = [
        {"level": "error", "message": {"text": f"{display_path(r.path)}: {r.error}"}} for r in internal
    ] + [
        {
            "level": "note",
            "message": {"text": f"{display_path(r.path)}: skipped: {'; '.join(r.notes) or 'not Python source'}"},
            "locations": [{"physicalLocation": {"artifactLocation": _uri(r.path)}}],
        }
        for r in results
        if r.status == SKIPPED
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    cwd = os.getcwd().replace(os.sep, "/")
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ftmigrate",
                        "version": _version(),
                        "semanticVersion": _version(),
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + _quote(cwd.rstrip("/") + "/")}},
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": out,
            }
        ],
    }
    return guard_json(json.dumps(document, indent=2, ensure_ascii=True)) + "\n"


# --- GitHub workflow commands -----------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``escapeProperty``): ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: object) -> str:
    """One workflow command. Values are made :func:`visible` first (an escape sequence or a
    byte that is not UTF-8 must not reach the log raw; GitHub has no escape for them), then
    escaped as GitHub's toolkit does, so the line is one command and says what it should."""
    shown = ",".join(f"{key}={escape_property(visible(str(value)))}" for key, value in props.items())
    return f"::{kind} {shown}::{escape_data(visible(message))}"


def github(results: list[FileResult], ctx: ReportContext) -> str:
    """One workflow command per finding (GitHub shows them as annotations on the diff)."""
    lines = []
    for result in results:
        if result.status == ERROR:
            lines.append(_command("error", result.error or "could not be processed", file=display_path(result.path), title=UNREADABLE))
        elif result.status == SKIPPED:
            lines.append(_command("notice", "skipped: " + ("; ".join(result.notes) or "not Python source"), file=display_path(result.path), title="skipped"))
    for result, d in _findings(results):
        if d.cell is not None:
            # A notebook, as ruff annotates one: the file at its first line (a cell's lines are
            # not lines of the .ipynb), the cell position in the message.
            lines.append(_command(level(d.code), f"{d.where}: {d.message}", file=display_path(result.path), line=1, col=1, title=d.code))
            continue
        lines.append(
            _command(
                level(d.code),
                d.message,
                file=display_path(result.path),
                line=d.line,
                col=d.column,
                endLine=d.end_line,
                endColumn=d.end_column,
                title=d.code,
            )
        )
    return "".join(line + "\n" for line in lines)


# --- JUnit XML --------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold at all (even as references) that ``visible`` lets through.
_NOT_XML = re.compile("[\ufffe\uffff]")


def _xml(text: str, attribute: bool = True) -> str:
    """``text`` for an XML attribute value or element content: made :func:`visible` first
    (control characters and bytes that are not UTF-8, which XML 1.0 cannot hold, shown as
    escapes; no line breaks), then escaped; ``##[`` as ``##&#91;`` (the same text to an XML
    reader, nothing GitHub's log reader acts on)."""
    text = _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("##[", "##&#91;")
    if attribute:
        text = text.replace('"', "&quot;")
    return text


def _attrs(**values: object) -> str:
    return "".join(f' {key}="{_xml(str(value))}"' for key, value in values.items())


def junit(results: list[FileResult], ctx: ReportContext) -> str:
    """A JUnit XML report: a testsuite per file, a failing testcase per finding."""
    suites = []
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in results:
        path = display_path(result.path)
        cases = []
        failures = errors = skipped = 0
        if result.status == ERROR:
            errors += 1
            message = result.error or "could not be processed"
            cases.append(
                f'    <testcase{_attrs(classname=path, name=UNREADABLE, time="0")}>\n'
                f'      <error{_attrs(type=UNREADABLE, message=message)}>{_xml(f"{path}: {UNREADABLE} {message}", False)}</error>\n'
                "    </testcase>\n"
            )
        elif result.status == SKIPPED:
            skipped += 1
            message = "; ".join(result.notes) or "not Python source"
            cases.append(
                f'    <testcase{_attrs(classname=path, name="skipped", time="0")}>\n'
                f'      <skipped{_attrs(message=message)}/>\n'
                "    </testcase>\n"
            )
        seen: dict[str, int] = {}
        for d in sorted(result.diagnostics, key=Diagnostic.sort_key):
            failures += 1
            name = f"{d.code} at {d.where}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # test names are unique within a class for most dashboards
                name = f"{name} ({seen[name]})"
            text = f"{path}:{d.where}: {d.code} {d.message}"
            cases.append(
                f'    <testcase{_attrs(classname=path, name=name, time="0")}>\n'
                f'      <failure{_attrs(type=d.code, message=d.message)}>{_xml(text, False)}</failure>\n'
                "    </testcase>\n"
            )
        if not cases:
            cases.append(f"    <testcase{_attrs(classname=path, name='no legacy cookbook usage', time='0')}/>\n")
        tests = len(cases)
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
        suites.append(
            f"  <testsuite{_attrs(name=path, tests=tests, failures=failures, errors=errors, skipped=skipped, time='0', file=path)}>\n"
            + "".join(cases)
            + "  </testsuite>\n"
        )
    head = f"<testsuites{_attrs(name='ftmigrate lint', tests=totals['tests'], failures=totals['failures'], errors=totals['errors'], time='0')}"
    body = "".join(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + (f"{head}>\n{body}</testsuites>\n" if body else f"{head}/>\n")


FORMATS.update({"sarif": sarif, "github": github, "junit": junit})

__all__ = ["sarif", "github", "junit", "sarif_rules", "escape_data", "escape_property", "display_path", "level"]
