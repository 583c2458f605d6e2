"""The engine: read, prefilter, parse, run the codemods, verify, write. Per file, never fatal.

``lint`` and ``rewrite`` share all of it; they differ only in the mode passed to the codemods
(lint reports, rewrite also applies fixes) and in what happens to the result. Work that needs
LibCST is spread over worker processes when there is enough of it; reading, the byte
prefilter and all writes stay in the parent, so output order and writes are deterministic.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import libcst as cst

from ftmigrate import fileio
from ftmigrate.diagnostics import CHANGED, ERROR, UNCHANGED, Diagnostic, FileResult
from ftmigrate.discovery import Candidate
from ftmigrate.prefilter import Prefilter
from ftmigrate.transform import TODO_PREFIX, Options, run_codemods

#: Code reported (in lint) for a file that cannot be read or parsed.
UNREADABLE = "FTM901"
#: Code of the optional check for suppression comments that suppress nothing.
UNUSED_SUPPRESSION = "FTM099"

#: Below this much LibCST work (bytes to parse), a worker pool costs more than it saves.
PARALLEL_MIN_BYTES = 192 * 1024


@dataclass
class RunSettings:
    """Everything a worker needs to process a file (picklable)."""

    options: Options
    legacy_modules: tuple[str, ...] = ()
    write: bool = False  # rewrite in place
    keep_sources: bool = False  # keep before/after text (for --diff, stdin)
    jobs: int = 0  # 0: one per core
    enabled_for: dict[str, frozenset[str]] = field(default_factory=dict)  # per-file selections


def process_source(data: bytes, path: str, settings: RunSettings, prefiltered: bool = False) -> tuple[FileResult, bytes | None]:
    """Process one file's bytes. Returns the result and the new bytes when they changed."""
    from ftmigrate.codemods import CODEMODS

    result = FileResult(path=path)
    if not prefiltered and not Prefilter(settings.legacy_modules)(data):
        return result, None
    options = settings.options
    if path in settings.enabled_for:
        options = Options(**{**vars(options), "enabled": settings.enabled_for[path]})
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        return _error(result, f"syntax error at line {exc.raw_line}:{exc.raw_column + 1}: {exc.message}"), None
    except UnicodeDecodeError as exc:
        return _error(result, f"cannot decode ({exc.encoding}: {exc.reason} at byte {exc.start})"), None
    except (LookupError, SyntaxError) as exc:  # unknown coding cookie, and the like
        return _error(result, f"cannot decode ({exc})"), None
    except RecursionError:
        return _error(result, "nesting too deep to parse"), None
    if options.mode == "rewrite" and module.bytes != data:
        return _error(result, "cannot be rewritten byte for byte (unusual line endings); left as it is"), None
    try:
        outcome = run_codemods(module, options, CODEMODS, path)
    except RecursionError:
        return _error(result, "nesting too deep to analyse"), None
    except Exception as exc:  # a bug in ftmigrate: report it for this file, go on with the others
        result = _error(result, f"internal error ({type(exc).__name__}: {exc}); please report it")
        result.internal = True
        return result, None
    result.diagnostics = outcome.diagnostics
    for line in outcome.unused_suppressions:
        if UNUSED_SUPPRESSION in options.enabled:
            result.diagnostics.append(
                Diagnostic(UNUSED_SUPPRESSION, "suppression comment suppresses nothing", line, 1, line, 1)
            )
    if not outcome.changed:
        return result, None
    new_module = outcome.module
    new = new_module.bytes
    problem = _verify(new, path)
    if problem:
        result = _error(result, f"internal error: the rewrite would not compile ({problem}); left as it is, please report it")
        result.internal = True
        return result, None
    _locate_todos(result.diagnostics, new_module.code)
    result.status = CHANGED
    if settings.keep_sources:
        result.before, result.after = module.code, new_module.code
    return result, new


def _error(result: FileResult, message: str) -> FileResult:
    result.status = ERROR
    result.error = message
    return result


def _verify(new: bytes, path: str) -> str | None:
    try:
        cst.parse_module(new)
        compile(new, path, "exec", dont_inherit=True)
    except cst.ParserSyntaxError as exc:
        return f"line {exc.raw_line}: {exc.message}"
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError) as exc:
        return str(exc)
    return None


def _locate_todos(diagnostics: list[Diagnostic], code: str) -> None:
    """Point each diagnostic that left a TODO at the line of its comment in the new file."""
    lines: dict[str, list[int]] = {}
    for number, text in enumerate(code.splitlines(), start=1):
        stripped = text.strip()
        if stripped.startswith(TODO_PREFIX):
            lines.setdefault(stripped, []).append(number)
    for diag in sorted(diagnostics, key=Diagnostic.sort_key):
        if diag.fixed:
            continue
        candidates = lines.get(f"{TODO_PREFIX}{diag.code} {diag.message}")
        if candidates:
            diag.todo_line = candidates.pop(0) if len(candidates) > 1 else candidates[0]


def _process_chunk(chunk: list[tuple[int, str, bytes]], settings: RunSettings) -> list[tuple[int, FileResult, bytes | None]]:
    out = []
    for index, path, data in chunk:
        result, new = process_source(data, path, settings, prefiltered=True)
        out.append((index, result, new))
    return out


def _chunks(items: list[tuple[int, str, bytes]], n: int) -> list[list[tuple[int, str, bytes]]]:
    """Split into ``n`` chunks of about equal bytes (largest first, greedy)."""
    buckets: list[list[tuple[int, str, bytes]]] = [[] for _ in range(n)]
    sizes = [0] * n
    for item in sorted(items, key=lambda it: len(it[2]), reverse=True):
        i = sizes.index(min(sizes))
        buckets[i].append(item)
        sizes[i] += len(item[2])
    return [b for b in buckets if b]


def run(
    candidates: Iterable[Candidate],
    settings: RunSettings,
    *,
    on_result: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[FileResult]:
    """Process every candidate; results come back in discovery order."""
    prefilter = Prefilter(settings.legacy_modules)
    results: list[FileResult] = []
    work: list[tuple[int, str, bytes]] = []
    for cand in candidates:
        index = len(results)
        result = FileResult(path=cand.path)
        results.append(result)
        if cand.error:
            _error(result, cand.error)
            continue
        try:
            data = fileio.read_bytes(cand.path)
        except fileio.FileError as exc:
            _error(result, str(exc))
            continue
        if prefilter(data):
            work.append((index, cand.path, data))
    if on_total:
        on_total(len(work))
    outputs = _parse_all(work, settings, on_result)
    originals = {index: data for index, _, data in work}
    for index, result, new in outputs:
        results[index] = result
        if new is not None and settings.write:
            try:
                fileio.write_atomic(result.path, new, originals[index])
            except fileio.FileError as exc:
                _error(result, str(exc))
    return results


def _parse_all(
    work: list[tuple[int, str, bytes]],
    settings: RunSettings,
    on_result: Callable[[int], None] | None,
) -> list[tuple[int, FileResult, bytes | None]]:
    jobs = settings.jobs or os.cpu_count() or 1
    total = sum(len(data) for _, _, data in work)
    if jobs <= 1 or len(work) < 2 or total < PARALLEL_MIN_BYTES:
        out = []
        for item in work:
            out.extend(_process_chunk([item], settings))
            if on_result:
                on_result(1)
        return out
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    chunks = _chunks(work, min(len(work), jobs * 4))
    out = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        futures = [pool.submit(_process_chunk, chunk, settings) for chunk in chunks]
        for future in futures:
            part = future.result()
            out.extend(part)
            if on_result:
                on_result(len(part))
    out.sort(key=lambda item: item[0])
    return out


__all__ = ["RunSettings", "process_source", "run", "UNCHANGED"]
