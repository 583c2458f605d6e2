"""Run a corpus script on the local backend, under the legacy emulation or the target API, and
record what it did: the recipe Configs it built (their final state), the trainers and
deployments it created or reattached and what became of each on exit, the script lines that
caused each of those, and the error it raised, if any.

A script says how it is run in ``# corpus:`` comments (they are comments: the rewrite keeps
them, and nothing else reads them):

* ``argv=--steps 2 --shape s`` -- run as ``__main__`` with that command line;
* ``run=train_all()`` -- import it as a module, then evaluate the expression (what the
  project's other code would call);
* ``pytest`` -- a test module: each ``test_*`` function is called with its fixtures, as pytest
  does (yield fixtures torn down after the test, ``tmp_path`` and ``monkeypatch`` provided);
* ``static`` -- not run (it imports something only the real world has: a vendored copy, a
  recipe the emulation does not have); only the static checks apply;
* ``existing-trainers=a,b`` / ``existing-deployments=d`` -- resources that exist before the run
  (the ids a resume flow reattaches to).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import re
import shlex
import sys
import tempfile
import threading
import traceback
import types
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ftmigrate.api.backend import TRAINING_CALLS, LocalBackend, LocalTrainingClient, local_backend
from ftmigrate.api.legacy.surface import RECIPES
from ftmigrate.api.mount import mount

SCRIPTS = Path(__file__).resolve().parent / "scripts"
LOCAL = "local://"
KEY = "fw-corpus-key"
BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
RELEASES = ("cancelled", "deleted", "scaled_to_zero")
_DIRECTIVE = re.compile(r"^# corpus: (?P<body>.*)$", re.M)


@dataclass
class Script:
    path: Path
    source: str
    directives: dict[str, str]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def runnable(self) -> bool:
        return "static" not in self.directives


def scripts() -> list[Script]:
    found = []
    for path in sorted(SCRIPTS.glob("*.py")):
        source = path.read_text()
        directives: dict[str, str] = {}
        for m in _DIRECTIVE.finditer(source):
            key, _, value = m.group("body").strip().partition("=")
            directives[key.strip()] = value.strip()
        found.append(Script(path, source, directives))
    return found


@dataclass
class Outcome:
    """What one run did."""

    configs: list[Any] = field(default_factory=list)
    #: (resource, role, created|reattached, fate): fate is how it was released, or "running".
    resources: Counter = field(default_factory=Counter)
    #: (resource, role) -> the script lines on the stack when it was provisioned or released.
    lines: dict[tuple[str, str | None], set[int]] = field(default_factory=dict)
    error: BaseException | None = None
    #: The innermost line of the script in the error's traceback.
    error_line: int | None = None
    output: str = ""
    #: The ``tmp_path`` each test of a ``pytest`` script got -> a label naming the test (the
    #: legacy run and the rewrite's run get different directories; ``config_diff`` compares
    #: a path under one by its label, so a Config is still told apart by which test's
    #: ``tmp_path`` it used and by the rest of the path).
    tmp_paths: dict[str, str] = field(default_factory=dict)


def execute(script: Script, source: str, surface: str) -> Outcome:
    """Run ``source`` (the script, or its rewrite) under ``surface``'s mount on a fresh local
    backend, the way its directives say."""
    filename = str(script.path) if surface == "legacy" else str(script.path.with_suffix(".rewritten.py"))
    backend = local_backend(LOCAL)
    backend.reset()
    for job in filter(None, script.directives.get("existing-trainers", "").split(",")):
        backend.register_trainer(job, base_model=BASE_MODEL)
    for dep in filter(None, script.directives.get("existing-deployments", "").split(",")):
        backend.register_deployment(dep, base_model=BASE_MODEL)
    outcome = Outcome()
    patches = _Patches(filename, outcome)
    saved_env = {k: os.environ.get(k) for k in ("FIREWORKS_API_KEY", "FIREWORKS_BASE_URL")}
    saved_argv = sys.argv
    os.environ["FIREWORKS_API_KEY"] = KEY
    os.environ["FIREWORKS_BASE_URL"] = LOCAL
    argv = script.directives.get("argv")
    # A module of its own in sys.modules, as an imported or run script has (dataclasses and
    # pickling look the module up by name).
    module = types.ModuleType("__main__" if argv is not None else f"corpus_{script.name}")
    module.__file__ = filename
    namespace: dict[str, Any] = module.__dict__
    saved_module = sys.modules.get(module.__name__)
    sys.modules[module.__name__] = module
    try:
        with mount(surface=surface, bundled_sdk=True), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            patches.install(backend)
            sys.argv = [filename, *shlex.split(argv or "")]
            try:
                exec(compile(source, filename, "exec"), namespace)
                if "run" in script.directives:
                    eval(script.directives["run"], namespace)
                if "pytest" in script.directives:
                    _run_tests(namespace, outcome.tmp_paths)
            except SystemExit as exc:
                if exc.code not in (0, None):
                    outcome.error = exc
            except Exception as exc:  # noqa: BLE001 - the script's failure is what is examined
                outcome.error = exc
                outcome.error_line = _script_line(exc, filename)
                outcome.output = "".join(traceback.format_exception(exc))
            finally:
                patches.remove()
    finally:
        if saved_module is None:
            sys.modules.pop(module.__name__, None)
        else:
            sys.modules[module.__name__] = saved_module
        sys.argv = saved_argv
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    _resources(backend, patches.event_lines, outcome)
    backend.reset()
    return outcome


class _Patches:
    """The recording hooks: recipe ``Config`` construction, the backend's event log, and the
    training calls (the local backend provisions but does not train)."""

    def __init__(self, filename: str, outcome: Outcome) -> None:
        self.filename = filename
        self.outcome = outcome
        self.saved: list[tuple[Any, str, Any]] = []
        self.event_lines: list[set[int]] = []

    def _set(self, owner: Any, name: str, value: Any) -> None:
        self.saved.append((owner, name, owner.__dict__.get(name, _MISSING)))
        setattr(owner, name, value)

    def install(self, backend: LocalBackend) -> None:
        configs = self.outcome.configs
        for recipe in RECIPES:
            cls = importlib.import_module(f"training.recipes.{recipe}").Config
            original = cls.__init__

            def record(self_: Any, *args: Any, __original: Any = original, __cls: Any = cls, **kwargs: Any) -> None:
                __original(self_, *args, **kwargs)
                if type(self_) is __cls:  # a script's own subclass is compared by its fields too
                    configs.append(self_)
                elif isinstance(self_, __cls):
                    configs.append(self_)

            self._set(cls, "__init__", record)
        original_record = LocalBackend.record
        lines = self.event_lines
        filename = self.filename

        def record_event(self_: LocalBackend, *args: Any, **kwargs: Any) -> Any:
            lines.append(_stack_lines(filename))
            return original_record(self_, *args, **kwargs)

        self._set(LocalBackend, "record", record_event)
        self._hand_over_lines(filename)
        for name in TRAINING_CALLS:
            self._set(LocalTrainingClient, name, lambda self_, *a, **k: None)

    def _hand_over_lines(self, filename: str) -> None:
        """A function the script hands to a thread pool or a thread runs with no script line on
        its stack: the call that handed it over (``pool.submit(...)``, ``pool.map(main, ...)``,
        ``Thread(...).start()``) is on the handing thread's stack then, and is the line that
        causes what the function provisions. A pool task carries the lines of its ``submit``
        (``Executor.map`` submits each item); a thread the lines of its ``start()``."""
        original_submit = ThreadPoolExecutor.submit
        original_start = threading.Thread.start

        def submit(self_: ThreadPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            handed = _stack_lines(filename)

            def task(*a: Any, **k: Any) -> Any:
                _HANDED.lines = handed
                try:
                    return fn(*a, **k)
                finally:
                    del _HANDED.lines

            return original_submit(self_, task, *args, **kwargs)

        def start(self_: threading.Thread) -> None:
            self_._corpus_handed = _stack_lines(filename)  # type: ignore[attr-defined]
            original_start(self_)

        self._set(ThreadPoolExecutor, "submit", submit)
        self._set(threading.Thread, "start", start)

    def remove(self) -> None:
        for owner, name, value in reversed(self.saved):
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        self.saved.clear()


_MISSING = object()


#: The lines that handed the running pool task over (see ``_Patches._hand_over_lines``).
_HANDED = threading.local()


def _stack_lines(filename: str) -> set[int]:
    """The script's lines on this thread's stack, and off the main thread the lines that handed
    the work over (the current pool task's, else the thread's)."""
    frame = sys._getframe(1)
    found = set()
    while frame is not None:
        if frame.f_code.co_filename == filename:
            found.add(frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    if threading.current_thread() is not threading.main_thread():
        handed = getattr(_HANDED, "lines", None)
        if handed is None:
            handed = getattr(threading.current_thread(), "_corpus_handed", set())
        found |= handed
    return found


def _script_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _resources(backend: LocalBackend, event_lines: list[set[int]], outcome: Outcome) -> None:
    """Trainers and deployments the run created or reattached, with their fate."""
    events = backend.events
    origin: dict[tuple[str, str], tuple[str | None, str]] = {}
    fate: dict[tuple[str, str], str] = {}
    for index, event in enumerate(events):
        key = (event.resource, event.id)
        if event.resource not in ("trainer", "deployment"):
            continue
        role = event.role if event.resource == "trainer" else None
        if event.kind in ("created", "reattached") and key not in origin:
            origin[key] = (role, event.kind)
        elif event.kind in RELEASES and key not in fate:
            fate[key] = event.kind
        if key in origin:
            lines = event_lines[index] if index < len(event_lines) else set()
            outcome.lines.setdefault((event.resource, origin[key][0]), set()).update(lines)
    for (resource, job), (role, how) in origin.items():
        outcome.resources[(resource, role, how, fate.get((resource, job), "running"))] += 1


def _run_tests(namespace: dict[str, Any], tmp_paths: dict[str, str]) -> None:
    """Call each ``test_*`` function with its fixtures, as pytest would (``tmp_paths``: each
    ``tmp_path`` handed out -> ``<tmp_path of test[i]>``)."""
    fixtures = {}
    for name, value in namespace.items():
        marker = getattr(value, "_fixture_function_marker", None)
        if marker is not None:
            fixtures[getattr(marker, "name", None) or name] = value._get_wrapped_function()
    for name, test in list(namespace.items()):
        if not (name.startswith("test_") and callable(test)):
            continue
        for index, params in enumerate(_parametrized(test)):
            teardown: list[Any] = []
            with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
                tmp_paths[tmp] = f"<tmp_path of {name}[{index}]>"
                cache: dict[str, Any] = {"tmp_path": Path(tmp), "monkeypatch": monkeypatch, **params}

                def value_of(fixture: str) -> Any:
                    if fixture not in cache:
                        fn = fixtures[fixture]
                        args = {p: value_of(p) for p in inspect.signature(fn).parameters}
                        result = fn(**args)
                        if inspect.isgenerator(result):
                            teardown.append(result)
                            result = next(result)
                        cache[fixture] = result
                    return cache[fixture]

                try:
                    test(**{p: value_of(p) for p in inspect.signature(test).parameters})
                finally:
                    for generator in reversed(teardown):
                        next(generator, None)


def _parametrized(test: Any) -> list[dict[str, Any]]:
    sets: list[dict[str, Any]] = [{}]
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        values = [v if len(names) > 1 else (v,) for v in mark.args[1]]
        sets = [{**s, **dict(zip(names, v))} for s in sets for v in values]
    return sets


def config_diff(
    expected: Any, got: Any, expected_tmp: dict[str, str] | None = None, got_tmp: dict[str, str] | None = None
) -> dict[str, tuple[Any, Any]]:
    """The fields where two recipe Configs differ (both dataclasses of one class).

    ``expected_tmp`` / ``got_tmp`` are the ``tmp_paths`` of the runs that built them: a
    string field under one of those directories is compared as its label plus the rest of
    the path (only a top-level string field: a path a script builds from ``tmp_path``)."""
    if type(expected) is not type(got):
        return {"<class>": (type(expected).__qualname__, type(got).__qualname__)}
    diff = {}
    for f in dataclasses.fields(expected):
        before = _under_tmp(getattr(expected, f.name), expected_tmp or {})
        after = _under_tmp(getattr(got, f.name), got_tmp or {})
        if before != after:
            diff[f.name] = (before, after)
    return diff


def _under_tmp(value: Any, tmp_paths: dict[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    for tmp, label in tmp_paths.items():
        if value == tmp or value.startswith(tmp + os.sep):
            return label + value[len(tmp) :]
    return value
