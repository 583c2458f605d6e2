"""The engine: read, prefilter, parse, analyse, apply, verify, write. Per file, never fatal.

``lint`` and ``rewrite`` share all of it; they differ only in the mode passed to the codemods
(lint reports, rewrite also applies fixes) and in what happens to the result. Every file is
parsed with CPython's ``ast`` (C speed, its precise syntax errors, its nesting limits) and
analysed on that tree (:mod:`ftmigrate.transform`); a rewrite hands LibCST only the statements
that change, after a depth guard (LibCST's native parser overflows the C stack, and kills the
process, on input CPython accepts: 10,000 chained ``and``). Work is spread over worker
processes when there is enough of it; reading, the byte prefilter and all writes stay in the
parent, so output order and writes are deterministic.

Whatever a file holds, it costs only that file: bad input becomes a one-line error on its
result, never an exception out of ``run``. LibCST's native parse runs on a thread with a large
stack, and a worker process that dies anyway is replaced and its files are retried one by one,
so one crash costs one file.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import gc
import io
import os
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


from ftmigrate import budget, fileio
from ftmigrate._lifeline import Lifeline, attach
from ftmigrate.api.targets import DEFAULT_TARGET
from ftmigrate.diagnostics import CHANGED, ERROR, SKIPPED, UNCHANGED, Diagnostic, FileResult
from ftmigrate.discovery import Candidate, is_notebook
from ftmigrate.prefilter import Prefilter, not_python_source
from ftmigrate.todo import locate as todo_locate
from ftmigrate.transform import Options, run_codemods

#: Code reported (in lint) for a file that cannot be read or parsed.
UNREADABLE = "FTM901"
#: Code of the optional check for suppression comments that suppress nothing.
UNUSED_SUPPRESSION = "FTM099"

#: Below this much work (bytes to analyse), a worker pool costs more than it saves: starting two
#: forked workers costs ~30 ms.
PARALLEL_MIN_BYTES = 4 * 1024

#: About how many bytes of source a worker takes at a time (see ``_parse_all``).
CHUNK_BYTES = 64 * 1024

#: Deepest syntax tree handed to LibCST (a statement a rewrite changes). Its Python-side
#: traversal stops at a few hundred levels anyway (the recursion limit); its native parser
#: crashes the process somewhere past 5,000 on an 8 MB stack. Real code stays far below 100.
MAX_DEPTH = 1000

#: C stack for the thread that runs LibCST (reserved, not committed: only touched pages cost).
PARSER_STACK_BYTES = 256 * 1024 * 1024

#: How long a file's thread gets to stop once the budget's backstop told it to.
STOP_GRACE_S = 1.0
#: What a parent adds to a file's hard limit before it gives up on a worker process (one stuck
#: in a native call that never lets its own backstop run), kills it and retries the files.
WORKER_GRACE_S = 10.0

_PYTHON = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
_LONE_CR = re.compile(rb"\r(?!\n)")
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)  # PEP 263


@dataclass
class RunSettings:
    """Everything a worker needs to process a file (picklable)."""

    options: Options
    legacy_modules: tuple[str, ...] = ()
    write: bool = False  # rewrite in place
    keep_sources: bool = False  # keep before/after text (for --diff, stdin)
    jobs: int = 0  # 0: one per core
    enabled_for: dict[str, frozenset[str]] = field(default_factory=dict)  # per-file selections
    #: The target surface to port to / check against (``--target``, else ``[tool.ftmigrate]
    #: target``, else ``ftmigrate.api.targets.DEFAULT_TARGET``).
    target: str = DEFAULT_TARGET
    #: Seconds one file may take (``budget``); ``None``: ``FTMIGRATE_FILE_BUDGET`` or the
    #: default; ``0``: no limit.
    file_budget: float | None = None

    def budget_seconds(self) -> float:
        if self.file_budget is not None:
            return self.file_budget
        try:
            return budget.seconds_from_env()
        except ValueError:  # the CLI refuses such a value up front; a library caller gets the default
            return budget.DEFAULT_SECONDS

    def __post_init__(self) -> None:
        # The analysis reads the target from its options (``ctx.options.target``): one value.
        if self.options.target != self.target:
            self.options = dataclasses.replace(self.options, target=self.target)


class _Refused(Exception):
    """The file cannot be processed; the message says why, in one line."""


def process_source(data: bytes, path: str, settings: RunSettings, prefiltered: bool = False) -> tuple[FileResult, bytes | None]:
    """Process one file's bytes. Returns the result and the new bytes when they changed.

    Never raises for anything a file may contain: bad input is reported on the result
    (``status == "error"``), a failure of ftmigrate itself too, with ``internal`` set.
    """
    if not prefiltered and not Prefilter(settings.legacy_modules)(data):
        return _clean(FileResult(path=path), data), None
    import ftmigrate.codemods  # noqa: F401  (imported before the clock starts: not the file's cost)

    deadline = budget.Deadline(settings.budget_seconds())
    try:
        with budget.armed(deadline), _no_cyclic_gc():
            return _on_big_stack(deadline, _process_page_break, data, path, settings)
    except budget.TooSlow:
        return _error(FileResult(path=path), budget.TooSlow(deadline.seconds).message), None
    except _Refused as exc:
        return _error(FileResult(path=path), str(exc)), None
    except RecursionError:
        return _error(FileResult(path=path), _too_deep("Python's recursion limit was reached")), None
    except MemoryError:
        return _error(FileResult(path=path), "not enough memory to process it; left as it is"), None
    except Exception as exc:  # a bug in ftmigrate: report it for this file, go on with the others
        detail = " ".join(str(exc).split())  # one line, whatever the exception says
        result = _error(FileResult(path=path), f"internal error ({type(exc).__name__}: {detail}); left as it is, please report it")
        result.internal = True
        return result, None


def _clean(result: FileResult, data: bytes) -> FileResult:
    """The result for a file the prefilter let go: clean, or skipped when its bytes cannot be
    Python source at all (UTF-16, binary): those are not "all clear", they were not checked."""
    reason = not_python_source(data)
    if reason is not None:
        result.status = SKIPPED
        result.notes.append(reason)
    return result


def _process_page_break(data: bytes, path: str, settings: RunSettings) -> tuple[FileResult, bytes | None]:
    """``_process``, for a file that starts with form feeds (a page break before the first
    line, as Emacs writes them) too: LibCST drops a form feed that precedes code on its line,
    so those are set aside, the rest is processed, and they are put back in front. Python
    ignores them there (a form feed resets the indentation count), so nothing else changes;
    positions on line 1 are shifted back."""
    lead = len(data) - len(data.lstrip(b"\x0c"))
    if not lead or data[lead : lead + 1] in (b"\n", b"\r"):  # alone on its line: LibCST keeps it
        return _process(data, path, settings)
    result, new = _process(data[lead:], path, settings)
    for d in result.diagnostics:
        if d.line == 1:
            d.column += lead
        if d.end_line == 1:
            d.end_column += lead
    if result.before is not None and result.after is not None:
        result.before, result.after = "\f" * lead + result.before, "\f" * lead + result.after
    return result, (data[:lead] + new if new is not None else None)


def _process(data: bytes, path: str, settings: RunSettings) -> tuple[FileResult, bytes | None]:
    from ftmigrate.codemods import CODEMODS

    result = FileResult(path=path)
    options = settings.options
    if path in settings.enabled_for:
        options = Options(**{**vars(options), "enabled": settings.enabled_for[path]})
    text, encoding, tree = _check_source(data)
    if options.mode == "rewrite" and _LONE_CR.search(data):
        raise _Refused(
            "uses lone CR (classic Mac) line endings, which ftmigrate cannot rewrite byte for byte;"
            " convert them to LF or CRLF first"
        )
    try:
        outcome = run_codemods(text, options, CODEMODS, path, tree=tree)
    except Exception as exc:
        from ftmigrate.apply import TooDeep, Unreproducible

        if isinstance(exc, TooDeep):
            raise _Refused(_too_deep(f"more than {MAX_DEPTH} levels of nested expressions or blocks")) from None
        if isinstance(exc, Unreproducible):
            raise _Refused(f"{exc}, so it is not rewritten; please report it") from None
        raise
    result.diagnostics = outcome.diagnostics
    for line in outcome.unused_suppressions:
        if UNUSED_SUPPRESSION in options.enabled:
            result.diagnostics.append(
                Diagnostic(
                    UNUSED_SUPPRESSION, "suppression comment suppresses nothing", line, 1, line, 1,
                    help=f"remove the suppression comment on line {line}: nothing on that line needs it",
                )
            )
    if not outcome.changed:
        return result, None
    try:
        new = outcome.text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise _Refused(f"the rewrite cannot be written in the file's encoding ({encoding}: {exc.reason})") from None
    problem, internal = _verify(new, data, path)
    if problem:
        result = _error(result, problem)
        result.internal = internal
        return result, None
    _locate_todos(result.diagnostics, outcome.text)
    result.status = CHANGED
    if settings.keep_sources:
        result.before, result.after = text, outcome.text
    return result, new


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Processing a file allocates a tree of nodes, and then some, which the cyclic garbage
    collector would scan again and again as it grows (parsing a 300 KB file then costs three
    times what a 100 KB one costs). None of it needs collecting before the file is done: the
    collector is off for the file, and its cycles go at the next collection after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _error(result: FileResult, message: str) -> FileResult:
    result.status = ERROR
    result.error = message
    return result


def _too_deep(detail: str) -> str:
    return f"nesting too deep to process ({detail}); left as it is"


# --------------------------------------------------------------------------------------------
# Checks before LibCST: decoding, syntax, depth.


def _check_source(data: bytes) -> tuple[str, str, ast.Module]:
    """The decoded text, its encoding and its syntax tree; ``_Refused`` with a one-line reason
    when ``data`` cannot be processed. (The nesting LibCST can take is checked where LibCST
    parses: the statements a rewrite changes, see ``ftmigrate.apply``.)"""
    text, encoding = _decode(data)
    try:
        with _quiet():
            tree = ast.parse(text)
    except SyntaxError as exc:
        if "too many nested" in (exc.msg or ""):
            raise _Refused(_too_deep(f"{exc.msg} at line {exc.lineno}")) from None
        where = f"line {exc.lineno}:{exc.offset}" if exc.offset else f"line {exc.lineno}"
        raise _Refused(f"syntax error at {where}: {exc.msg} (as {_PYTHON} reads it)") from None
    except (RecursionError, MemoryError):  # CPython's parser stack, on pathological nesting
        raise _Refused(_too_deep("CPython's parser gave up")) from None
    return text, encoding, tree


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise _Refused(f"not Python source (a NUL byte at line {line}); is it a binary file?")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if not _COOKIE.search(b"\n".join(data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 2)[:2])):
            encoding = "utf-8"  # no cookie: the first lines just do not decode; say where below
        else:  # "unknown encoding: latin-9", "encoding problem: utf-8" (a BOM and another cookie)
            raise _Refused(f"bad coding cookie ({exc}); fix the `# -*- coding: ... -*-` line") from None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Refused(
            f"cannot decode byte 0x{data[exc.start]:02x} at line {line}:{column} as {encoding} ({exc.reason});"
            " a binary file, or a missing or wrong coding cookie?"
        ) from None


def syntax_depth(tree: ast.AST, text: str, limit: int = MAX_DEPTH) -> int:
    """About how deep LibCST's tree for this module will be: CPython's tree, with the chains
    CPython keeps flat counted as LibCST nests them (``a and b and c``, dotted import names,
    implicitly concatenated strings). Stops counting past ``limit``. Iterative: it must not
    recurse on the very input it guards against."""
    deepest = 0
    lines: list[str] = []
    stack: list[tuple[ast.AST, int, bool]] = [(tree, 1, False)]
    while stack:
        node, depth, in_fstring = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 1
        elif isinstance(node, ast.alias):
            depth += node.name.count(".")
        elif isinstance(node, ast.ImportFrom) and node.module:
            depth += node.module.count(".")
        elif not in_fstring and isinstance(node, (ast.Constant, ast.JoinedStr)) and not isinstance(
            getattr(node, "value", ""), (int, float, complex, type(None), type(...))
        ):
            lines = lines or text.splitlines(keepends=True)
            span = _span(node, lines)
            # Each part of an implicit concatenation takes at least two characters ('').
            if depth + len(span) // 2 > limit:
                depth += _string_parts(span)
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        inside = in_fstring or isinstance(node, ast.JoinedStr)
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1, inside))
    return deepest


def _span(node: ast.AST, lines: list[str]) -> str:
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    if first == last:
        # Offsets count UTF-8 bytes, not characters: close enough for a bound.
        return lines[first][node.col_offset : node.end_col_offset] if first < len(lines) else ""  # type: ignore[attr-defined]
    return "".join(lines[first : last + 1])


def _string_parts(span: str) -> int:
    try:
        return sum(tok.type == tokenize.STRING for tok in tokenize.generate_tokens(io.StringIO(span).readline))
    except (tokenize.TokenError, SyntaxError):
        return len(span) // 2


def _on_big_stack(deadline: budget.Deadline, fn: Callable[..., tuple], *args: object) -> tuple:
    """Run ``fn`` on a thread with ``PARSER_STACK_BYTES`` of C stack; re-raise what it raises.

    One such thread per process serves every file (starting a thread with that stack costs
    ~5 ms, as much as linting a small file). Where no such thread can be had (a platform
    without settable stack sizes, a tight address space limit), ``fn`` runs here: the depth
    guard still holds (and the cooperative deadline, without the backstop).

    The hard backstop of the per-file budget: this thread waits for ``fn`` until
    ``budget.hard_limit`` of the deadline, then stops it (see :meth:`_BigStack.run`).
    """
    worker = _BigStack.get()
    if worker is None:
        return fn(*args)
    limit = None if deadline.unlimited else budget.hard_limit(deadline.seconds)
    return worker.run(fn, args, limit, deadline.seconds)


class _BigStack:
    """A daemon thread with a large C stack that runs one call at a time."""

    _instance: _BigStack | None = None
    _unavailable_in: int | None = None  # a pid where no such thread could be started

    @classmethod
    def get(cls) -> _BigStack | None:
        pid = os.getpid()
        instance = cls._instance
        if instance is not None and instance.pid == pid and instance.thread.is_alive():
            return instance  # (after a fork the parent's thread is gone: make one here)
        if cls._unavailable_in == pid:
            return None
        try:
            cls._instance = cls(pid)
        except (ValueError, RuntimeError):  # no settable stack size / "can't start new thread"
            cls._unavailable_in = pid
            return None
        return cls._instance

    def __init__(self, pid: int) -> None:
        import queue

        self.pid = pid
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        previous = threading.stack_size(PARSER_STACK_BYTES)
        try:
            self.thread = threading.Thread(target=self._serve, name="ftmigrate-parse", daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)

    def _serve(self) -> None:
        while True:
            try:
                if not self._serve_one():
                    return
            except budget.TooSlow:
                # A stop (see :meth:`run`) that landed after its file ended, between tasks: this
                # thread is abandoned already; it ends at the None queued for it.
                continue

    def _serve_one(self) -> bool:
        task = self.tasks.get()
        if task is None:
            return False
        fn, args, reply = task
        try:
            reply.put((True, fn(*args)))
        except BaseException as exc:  # handed to the caller's thread
            reply.put((False, exc))
        return True

    def run(self, fn: Callable[..., tuple], args: tuple, limit: float | None = None, seconds: float = 0.0) -> tuple:
        """``fn(*args)`` on this thread. Past ``limit`` seconds (code that does not check its
        deadline): ``TooSlow`` is raised *in* the thread (it stops at its next Python
        instruction, wherever it is) and here; a thread stuck in one native call that long is
        left behind, and the next file gets a new one. Nothing of that file is written."""
        import queue

        reply: queue.SimpleQueue = queue.SimpleQueue()
        self.tasks.put((fn, args, reply))
        try:
            ok, value = reply.get(timeout=limit)
        except queue.Empty:
            self._stop()
            try:
                reply.get(timeout=STOP_GRACE_S)
            except queue.Empty:  # still inside one native call: left behind (a daemon thread)
                pass
            # Either way the next file gets a new thread: this one may still have the stop
            # pending (it can land after the file ended), and must not take it into the next.
            if _BigStack._instance is self:
                _BigStack._instance = None
            self.tasks.put(None)  # let it end once it is back in its loop
            raise budget.TooSlow(seconds) from None
        if not ok:
            raise value
        return value

    def _stop(self) -> None:
        import ctypes

        ident = self.thread.ident
        if ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(budget.TooSlow))


# --------------------------------------------------------------------------------------------
# Verification.


def _verify(new: bytes, old: bytes, path: str) -> tuple[str | None, bool]:
    """Why ``new`` must not be written (and whether that is ftmigrate's fault), or None.

    The rewrite must compile. When the original does not compile either (``return`` outside a
    function, say), the file is to blame.
    """
    try:
        with _quiet():
            compile(new, path, "exec", dont_inherit=True)
        return None, False
    except SyntaxError as exc:
        problem = f"line {exc.lineno}: {exc.msg}"
        try:
            with _quiet():
                compile(old, path, "exec", dont_inherit=True)
        except SyntaxError as before:
            return f"does not compile (line {before.lineno}: {before.msg}), so it is not rewritten; fix that first", False
        except (ValueError, RecursionError, MemoryError):
            pass
    except (ValueError, RecursionError, MemoryError) as exc:
        problem = str(exc) or type(exc).__name__
    return f"internal error: the rewrite would not compile ({problem}); left as it is, please report it", True


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Checking that the user's code compiles must not print its SyntaxWarnings (``1()``,
    ``assert (x, "m")``) or DeprecationWarnings (``"\\d"``) as if they were ftmigrate's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _locate_todos(diagnostics: list[Diagnostic], code: str) -> None:
    """Point each diagnostic that left a TODO at the line of its entry in the new file (the
    first line of a block or one under it: ``ftmigrate.todo``)."""
    lines = todo_locate(code)
    for diag in sorted(diagnostics, key=Diagnostic.sort_key):
        if diag.fixed or diag.todo is None:
            continue
        candidates = lines.get(diag.todo)
        if candidates:
            diag.todo_line = candidates.pop(0) if len(candidates) > 1 else candidates[0]


# --------------------------------------------------------------------------------------------
# Runs: read in the parent, parse in workers, write in the parent.

Work = tuple[int, str, bytes]
Output = tuple[int, FileResult, "bytes | None"]


def process_file(data: bytes, path: str, settings: RunSettings, prefiltered: bool = False) -> tuple[FileResult, bytes | None]:
    """``process_source`` for any file a run covers: a Jupyter notebook (``.ipynb``) goes
    through its format layer (``notebook``), which hands its code cells, joined, to
    ``process_source`` and puts the result back into the notebook."""
    if is_notebook(path):
        from ftmigrate import notebook

        if not prefiltered and not notebook.wanted(data, Prefilter(settings.legacy_modules)):
            return FileResult(path=path), None
        return notebook.process(data, path, settings)
    return process_source(data, path, settings, prefiltered=prefiltered)


def wanted(path: str, data: bytes, prefilter: Prefilter) -> bool:
    """The byte prefilter for any file (for a notebook, on its raw JSON first)."""
    if is_notebook(path):
        from ftmigrate import notebook

        return notebook.wanted(data, prefilter)
    return prefilter(data)


def _process_chunk(chunk: list[Work], settings: RunSettings) -> list[Output]:
    out = []
    for index, path, data in chunk:
        result, new = process_file(data, path, settings, prefiltered=True)
        out.append((index, result, new))
    return out


def _chunks(items: list[Work], n: int) -> list[list[Work]]:
    """Split into ``n`` chunks of about equal bytes (largest first, greedy)."""
    buckets: list[list[Work]] = [[] for _ in range(n)]
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
    on_stage: Callable[[str, int], None] | None = None,
) -> list[FileResult]:
    """Process every candidate; results come back in discovery order.

    Each rewrite is written as soon as its chunk of work comes back (chunks in a fixed order),
    so an interrupted run keeps what it finished; every single write is atomic. A result counts
    a fix as applied only once its file is written: when the write fails (the disk is full,
    the file changed underneath, another run got there first), the file is an error and its
    fixes are not applied. An interruption (``_signals.Interrupted``, ``KeyboardInterrupt``)
    ends the worker pool and passes on with ``written`` set: how many files were replaced.
    ``on_stage`` hears of each stage (``reading`` every file, then ``analysing`` / ``rewriting``
    the files that may hold legacy code) with its number of files; ``on_result`` of each file
    done.
    """
    prefilter = Prefilter(settings.legacy_modules)
    results: list[FileResult] = []
    work: list[Work] = []
    written = 0
    try:
        candidates = list(candidates)
        if on_stage:
            on_stage("reading", len(candidates))
        for cand in candidates:
            if on_result:
                on_result(1)
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
            if wanted(cand.path, data, prefilter):
                work.append((index, cand.path, data))
            else:
                _clean(result, data)
        if on_stage:
            on_stage("rewriting" if settings.options.mode == "rewrite" else "analysing", len(work))
        originals = {index: data for index, _, data in work}
        for index, result, new in _parse_all(work, settings, on_result):
            results[index] = result
            if new is not None and settings.write:
                with _signals_held():  # a stop signal waits for the write and its count
                    try:
                        notes = fileio.write_atomic(result.path, new, originals[index])
                    except fileio.FileError as exc:
                        _not_written(result, str(exc))
                    else:
                        written += 1
                        result.notes.extend(notes)
    except BaseException as exc:
        from ftmigrate._signals import Interrupted

        if isinstance(exc, (KeyboardInterrupt, Interrupted)):
            exc.written = written  # type: ignore[attr-defined]
        raise
    return results


def _not_written(result: FileResult, reason: str) -> None:
    """The rewrite of this file was not written: nothing of it was applied."""
    _error(result, reason)
    result.before = result.after = None
    for d in result.diagnostics:
        d.fixed = False
        d.todo_line = None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals back (they are delivered right after) while a file is replaced
    and counted, so an interrupted run reports exactly what it wrote."""
    import signal

    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    from ftmigrate._signals import signals

    previous = block(signal.SIG_BLOCK, signals())
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def lint_read(work: list[Work], raw: dict[str, Any]) -> list[Output]:
    """Lint files the caller has read already, with settings as plain values (the lean lint
    path builds them without importing this module; its warm helper gets them pickled)."""
    settings = RunSettings(
        options=Options(**raw["options"]),
        legacy_modules=raw["legacy_modules"],
        jobs=raw["jobs"],
        enabled_for=raw["enabled_for"],
        target=raw.get("target") or DEFAULT_TARGET,
        file_budget=raw.get("file_budget"),
    )
    return list(_parse_all(work, settings, None))


class _Pool:
    """A process pool whose workers die with this process (``_lifeline``), and that this
    process can end at once: :meth:`kill` on an interruption or a stuck worker, where the
    executor's own shutdown would wait for every queued chunk."""

    def __init__(self, workers: int, context: object) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.lifeline = Lifeline()
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=attach, initargs=self.lifeline.args()  # type: ignore[arg-type]
        )

    def submit(self, fn: Callable[..., Any], *args: object) -> Any:
        return self.executor.submit(fn, *args)

    def close(self) -> None:
        """The normal end: every future is done."""
        self.executor.shutdown(wait=True)
        self.lifeline.cut()

    def kill(self) -> None:
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.lifeline.cut()  # each worker's lifeline thread sees the end and exits at once
        self.executor.shutdown(wait=False, cancel_futures=True)
        import time

        until = time.monotonic() + 1.0
        for process in processes:
            process.join(max(0.0, until - time.monotonic()))
        for process in processes:  # no lifeline there (Windows), or a worker that ignored it
            if process.is_alive():
                process.kill()
                process.join(1.0)


def _wait_limit(files: list[Work], settings: RunSettings) -> float | None:
    """How long a parent waits for a chunk before it takes its worker for stuck: the chunk's
    files each get their hard limit (their worker stops them itself by then), plus a grace."""
    seconds = settings.budget_seconds()
    if seconds <= 0:
        return None
    return len(files) * budget.hard_limit(seconds) + WORKER_GRACE_S


def _parse_all(work: list[Work], settings: RunSettings, on_result: Callable[[int], None] | None) -> Iterator[Output]:
    """The outputs for ``work``, chunk by chunk as workers finish them (in submission order)."""
    jobs = settings.jobs or os.cpu_count() or 1
    total = sum(len(data) for _, _, data in work)
    if jobs <= 1 or len(work) < 2 or total < PARALLEL_MIN_BYTES:
        for item in work:
            yield from _process_chunk([item], settings)
            if on_result:
                on_result(1)
        return
    import multiprocessing
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    # Chunks of about CHUNK_BYTES (at least four per worker): the cost of a byte varies from
    # file to file, and small chunks keep both workers busy to the end.
    chunks = _chunks(work, min(len(work), max(jobs * 4, total // CHUNK_BYTES)))
    orphaned: list[Work] = []
    pool = _Pool(min(jobs, len(chunks)), context)
    finished = False
    try:
        futures = [pool.submit(_process_chunk, chunk, settings) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                part = future.result(timeout=_wait_limit(chunk, settings))
            except BrokenProcessPool:  # a worker died (a native crash, or killed): retry its files
                orphaned.extend(chunk)
                continue
            except FutureTimeout:  # a worker stuck past every limit: end them all, retry one by one
                pool.kill()
                orphaned.extend(chunk)
                continue
            yield from part
            if on_result:
                on_result(len(part))
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # interrupted (a signal, or the consumer stopped): end the workers now
            pool.kill()
    for item in orphaned:
        yield _isolated(item, settings, context)
        if on_result:
            on_result(1)


def _isolated(item: Work, settings: RunSettings, context: object) -> Output:
    """Process one file in a process of its own; a crash there is that file's error, and so
    is a process stuck past the file's time budget (it is killed)."""
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    index, path, _ = item
    pool = _Pool(1, context)
    finished = False
    try:
        try:
            output = pool.submit(_process_chunk, [item], settings).result(timeout=_wait_limit([item], settings))[0]
            finished = True
            return output
        except BrokenProcessPool:
            result = _error(FileResult(path=path), "ftmigrate crashed while processing it; left as it is, please report it")
            result.internal = True
            return index, result, None
        except FutureTimeout:
            return index, _error(FileResult(path=path), budget.TooSlow(settings.budget_seconds()).message), None
    finally:
        if finished:
            pool.close()
        else:
            pool.kill()


__all__ = ["RunSettings", "lint_read", "process_file", "process_source", "run", "wanted", "syntax_depth", "UNCHANGED", "ERROR"]
