"""One side of ``ftmigrate verify``: run a file of the user's code and record what it built.

``ftmigrate verify`` starts this module in a subprocess per file and side::

    python -P -m ftmigrate.verify_runner SPEC.json RESULT.json

``SPEC.json`` says which copy of the project (``root``), which file, which surface
(``legacy``: the code before the migration, under ``mount(surface="legacy")``; ``target``: after
it, under ``mount(target=...)``) and what to run: import the module and call its config
builders, run it as ``__main__`` with arguments, call named functions, or run its tests with
pytest. ``RESULT.json`` receives what the run built -- every recipe ``Config``,
``TrainerConfig`` / ``InfraConfig`` and ``DeployConfig`` with the lines that built it and its
values under their *target* names (``ftmigrate.api.config.migration_target`` and the recipe
keyword table say where each legacy value went) -- the local backend's event log with the line
that caused each event, and how each step ended.

This runs the user's code. Before it does, sockets are refused (an internet socket or a DNS
lookup raises :class:`NetworkRefused`, one line naming the call); the working directory,
``HOME`` and ``TMPDIR`` are temporary folders the parent set up, and so is the copy of the
project the code runs in.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import importlib.util
import inspect
import json
import os
import re
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

#: A value the parent reads as "no default" (JSON has no MISSING).
_NO_DEFAULT = "__ftmigrate_no_default__"


class NetworkRefused(ConnectionRefusedError):
    """The code under ``ftmigrate verify`` tried to reach the network."""


# --- no network ---------------------------------------------------------------------------------


class _NetworkGuard:
    """Refuse internet sockets and name lookups; remember the first attempt and where."""

    def __init__(self, site: Callable[[], dict[str, Any] | None]) -> None:
        self.site = site
        self.attempts: list[dict[str, Any]] = []

    def refuse(self, what: str) -> None:
        where = self.site()
        self.attempts.append({"what": what, "site": where})
        at = f" at {where['path']}:{where['line']}" if where else ""
        raise NetworkRefused(f"network access refused: the code called {what}{at}; ftmigrate verify runs code offline")

    def install(self) -> None:
        import _socket
        import socket

        guard = self
        real_init = socket.socket.__init__
        local = {getattr(socket, "AF_UNIX", None)}

        def __init__(self: Any, family: int = -1, type: int = -1, proto: int = -1, fileno: Any = None) -> None:
            # AF_UNIX stays: asyncio's event loop talks to itself over a socketpair.
            if fileno is None and (socket.AF_INET if family == -1 else family) not in local:
                guard.refuse(f"socket.socket({_family(family)})")
            real_init(self, family, type, proto, fileno)

        socket.socket.__init__ = __init__  # type: ignore[method-assign]

        class _Refusing(_socket.socket):  # type: ignore[misc,name-defined]
            def __init__(self, family: int = -1, *args: Any, **kwargs: Any) -> None:
                if (socket.AF_INET if family == -1 else family) not in local:
                    guard.refuse(f"_socket.socket({_family(family)})")
                super().__init__(family, *args, **kwargs)

        _socket.socket = _Refusing  # type: ignore[misc]
        for module in (socket, _socket):
            for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo"):
                if hasattr(module, name):
                    setattr(module, name, self._refusing(f"socket.{name}"))
        socket.getfqdn = lambda name="": name or socket.gethostname()  # no reverse lookup

    def _refusing(self, what: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            shown = ", ".join(repr(a) for a in args[:2])
            self.refuse(f"{what}({shown})")

        return call


def _family(family: int) -> str:
    import socket

    if family == -1:
        return "AF_INET"
    try:
        return socket.AddressFamily(family).name
    except ValueError:
        return str(family)


# --- what a value is, under its target name ----------------------------------------------------


def kind_of(obj: Any) -> str | None:
    """What a recorded object is compared as: ``TrainerConfig`` (``InfraConfig`` too),
    ``DeployConfig``, ``<recipe>.Config``, ``cadence`` (``WeightSyncConfig`` / ``HotloadConfig``,
    spread into the recipe Config at the target), or None (not compared on its own)."""
    from ftmigrate.api.recipes import RECIPES

    cls = type(obj)
    if not cls.__module__.startswith("ftmigrate.api"):
        return None
    name = cls.__name__
    if name in ("TrainerConfig", "InfraConfig"):
        return "TrainerConfig"
    if name == "DeployConfig":
        return "DeployConfig"
    if name in ("WeightSyncConfig", "HotloadConfig"):
        return "cadence"
    recipe = cls.__module__.rsplit(".", 1)[-1]
    if name == "Config" and recipe in RECIPES:
        return f"{recipe}.Config"
    return None


def _is_legacy_field(f: dataclasses.Field) -> bool:
    from ftmigrate.api.config import TARGET

    return TARGET in f.metadata


def _is_legacy_recipe(obj: Any) -> bool:
    return type(obj).__module__.startswith("ftmigrate.api.legacy.recipes.")


class Views:
    """Flattened ``path -> value`` views of recorded objects, at their target names."""

    def __init__(self, tokens: dict[str, str], index: dict[int, int], assignments: dict[int, list]) -> None:
        # Strings that differ between the two copies of the project but mean the same place.
        self.tokens = sorted(tokens.items(), key=lambda kv: -len(kv[0]))
        #: id() of each recorded config -> its index in the result
        self.index = index
        self.assignments = assignments

    def written(self, obj: Any, name: str, inherited: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Where ``obj.name`` was set after construction, and where what holds it was."""
        own = [site.to_json() for field_name, site in self.assignments.get(id(obj), ()) if field_name == name]
        return inherited + [s for s in own if s not in inherited]

    def plain(self, value: Any, depth: int = 0) -> Any:
        """A JSON value that compares equal for equal values in the two runs."""
        if depth > 20:
            return "..."
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, float):
            return value if value == value and abs(value) != float("inf") else repr(value)
        if isinstance(value, str):
            for text, token in self.tokens:
                value = value.replace(text, token)
            return value
        if isinstance(value, enum.Enum):
            return self.plain(value.value, depth + 1)
        if isinstance(value, (list, tuple)):
            return [self.plain(v, depth + 1) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted((self.plain(v, depth + 1) for v in value), key=repr)
        if isinstance(value, dict):
            return {str(self.plain(k, depth + 1)): self.plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, os.PathLike):
            return self.plain(os.fspath(value), depth + 1)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: self.plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
        text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
        return {"repr": self.plain(text if len(text) <= 200 else text[:197] + "...")}

    @staticmethod
    def default(f: dataclasses.Field) -> Any:
        if f.default is not dataclasses.MISSING:
            return f.default
        if f.default_factory is not dataclasses.MISSING:
            return f.default_factory()
        return _NO_DEFAULT

    def _entry(self, value: Any, default: Any, legacy: str | None = None, dropped: bool = False, via: int | None = None, written: list | None = None) -> dict[str, Any]:
        entry: dict[str, Any] = {"value": self.plain(value)}
        if default is not _NO_DEFAULT:
            entry["default"] = self.plain(default)
        if legacy is not None:
            entry["legacy"] = legacy
        if dropped:
            entry["dropped"] = True
        if via is not None:
            entry["via"] = via  # the value is held by that recorded config (where it was built)
        if written:
            entry["written"] = written  # set by an assignment there, after construction
        return entry

    def put(
        self, out: dict[str, Any], path: str, value: Any, f: dataclasses.Field | None,
        legacy: str | None = None, via: int | None = None, written: list | None = None,
    ) -> None:
        """``value`` at ``path``; a nested config is spread into its fields."""
        from ftmigrate.api.recipes._base import KeywordConfig

        written = written or []
        if via is None:
            via = self.index.get(id(value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if any(_is_legacy_field(g) for g in dataclasses.fields(value)):
                self.legacy_fields(out, value, path + ".", legacy or path, via, written)
                return
            for g in dataclasses.fields(value):
                self.put(
                    out, f"{path}.{g.name}", getattr(value, g.name), g, f"{legacy}.{g.name}" if legacy else None,
                    via, self.written(value, g.name, written),
                )
            return
        if isinstance(value, KeywordConfig):
            for name, item in vars(value).items():
                self.put(out, f"{path}.{name}", item, None, f"{legacy}.{name}" if legacy else None, via, written)
            return
        default = self.default(f) if f is not None else _NO_DEFAULT
        out[path] = self._entry(value, default, legacy if legacy != path else None, via=via, written=written)

    def legacy_fields(
        self, out: dict[str, Any], obj: Any, prefix: str, legacy_prefix: str,
        via: int | None = None, written: list | None = None,
    ) -> None:
        """A legacy ``InfraConfig`` / ``WeightSyncConfig`` / ``HotloadConfig``: each value at the
        name ``migration_target`` gives it (``trainer.<name>`` is ``<name>`` under ``prefix``),
        or dropped."""
        from ftmigrate.api.config import migration_target

        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            legacy = f"{legacy_prefix}.{f.name}" if legacy_prefix else f.name
            target = migration_target(type(obj), f.name)
            sites = self.written(obj, f.name, written or [])
            if target is None:
                out[legacy] = self._entry(value, self.default(f), legacy, dropped=True, via=via, written=sites)
                continue
            name = target.split(".", 1)[1] if target.startswith("trainer.") else target
            path = f"{prefix}{name}" if target.startswith("trainer.") else name
            out[path] = self._entry(value, self.default(f), legacy if legacy != path else None, via=via, written=sites)

    def legacy_recipe(self, out: dict[str, Any], cfg: Any) -> None:
        """A legacy recipe ``Config``, at the target's names: ``infra`` is ``trainer``, the
        nested cadence spread to top level, the top-level job ids in ``trainer``; values with no
        replacement are dropped, and keywords the legacy recipe ignored are left out."""
        from ftmigrate.api.recipes._base import IGNORED_LEGACY_KEYWORDS, LEGACY_KEYWORDS

        for f in dataclasses.fields(cfg):
            value = getattr(cfg, f.name)
            written = self.written(cfg, f.name, [])
            if f.name not in LEGACY_KEYWORDS:
                self.put(out, f.name, value, f, written=written)
                continue
            where = LEGACY_KEYWORDS[f.name]
            if f.name in IGNORED_LEGACY_KEYWORDS:
                continue
            if where == "trainer":
                self.legacy_fields(out, value, "trainer.", f.name, self.index.get(id(value)), written)
            elif where == "<cadence>":
                # gen0's hotload=, when given, is the cadence the recipe used
                if value is None or (f.name == "weight_sync" and getattr(cfg, "hotload", None) is not None):
                    continue
                self.legacy_fields(out, value, "", f.name, self.index.get(id(value)), written)
            elif where is None:
                out[f.name] = self._entry(value, self.default(f), f.name, dropped=True, written=written)
            else:
                out[where] = self._entry(value, self.default(f), f.name, written=written)

    def view(self, obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if _is_legacy_recipe(obj):
            self.legacy_recipe(out, obj)
        elif any(_is_legacy_field(f) for f in dataclasses.fields(obj)):
            self.legacy_fields(out, obj, "", "")
        else:
            for f in dataclasses.fields(obj):
                self.put(out, f.name, getattr(obj, f.name), f, written=self.written(obj, f.name, []))
        return out


def _nested(obj: Any, index: dict[int, int]) -> dict[str, int]:
    """Recorded configs held by ``obj``, by the target path they sit at (``trainer`` ...)."""
    from ftmigrate.api.recipes._base import LEGACY_KEYWORDS

    out = {}
    legacy = _is_legacy_recipe(obj)
    for f in dataclasses.fields(obj):
        child = getattr(obj, f.name)
        if id(child) not in index:
            continue
        if legacy and f.name in LEGACY_KEYWORDS:
            if LEGACY_KEYWORDS[f.name] != "trainer":
                continue  # the cadence is spread at top level: no single place
            out["trainer"] = index[id(child)]
        else:
            out[f.name] = index[id(child)]
    return out


# --- sites and errors ---------------------------------------------------------------------------


def _frame_site(recorder: Any) -> dict[str, Any] | None:
    site = recorder.site(sys._getframe(1), through_api=True)
    return site.to_json() if site is not None else None


def _traceback_site(exc: BaseException, recorder: Any) -> dict[str, Any] | None:
    """The innermost line of the user's tree in ``exc``'s traceback."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        path = recorder._user_path(tb.tb_frame.f_code.co_filename)
        if path is not None:
            line = tb.tb_lineno
            end = line
            try:
                start, stop, _, _ = list(tb.tb_frame.f_code.co_positions())[tb.tb_lasti // 2]
                if start is not None:
                    line, end = start, stop or start
            except (IndexError, ValueError):
                pass
            found = {"path": path, "line": line, "end_line": end}
        tb = tb.tb_next
    return found


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error(exc: BaseException, recorder: Any) -> dict[str, Any]:
    # The first line says what happened (pytest's assertion rewriting explains on the next ones).
    first = next((line for line in str(exc).splitlines() if line.strip()), "")
    error: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": _one_line(first, 200),
        "site": _traceback_site(exc, recorder),
    }
    if isinstance(exc, ModuleNotFoundError):
        error["missing"] = exc.name or _one_line(str(exc))
    if isinstance(exc, NetworkRefused):
        error["network"] = True
    if isinstance(exc, SystemExit):
        code = exc.code
        if code is None or code == 0:
            return {}
        error["message"] = f"exited with status {code}" if isinstance(code, int) else _one_line(str(code))
    return error


# --- what runs ------------------------------------------------------------------------------------


#: Module-level functions called after the import: builders of configs.
BUILDER = re.compile(r"^(build|make)_\w*(config|cfg)\w*$", re.I)
#: A return annotation that names a config class.
CONFIG_ANNOTATION = re.compile(r"(^|\.)(\w*Config)$")
#: A placeholder for each simply-typed required parameter, the same in both runs.
PLACEHOLDERS: dict[str, Callable[[str], Any]] = {
    "str": lambda name: f"verify-{name}",
    "int": lambda name: 1,
    "float": lambda name: 1.0,
    "bool": lambda name: False,
}


def _annotation_name(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation.strip().strip("'\"")
    return getattr(annotation, "__qualname__", None) or str(annotation)


def _unwrap_fixture(obj: Any) -> Callable[..., Any] | None:
    """The function under a ``@pytest.fixture``, or None if ``obj`` is not a fixture."""
    if hasattr(obj, "_fixture_function_marker") or hasattr(obj, "_pytestfixturefunction"):
        return getattr(obj, "__wrapped__", None) or getattr(obj, "_fixture_function", None)
    return None


def _returns_config(fn: Callable[..., Any]) -> bool:
    annotation = getattr(fn, "__annotations__", {}).get("return")
    if annotation is None:
        return False
    text = _annotation_name(annotation).split("[")[0].split("|")[0].strip()
    return bool(CONFIG_ANNOTATION.search(text))


def _placeholder_arguments(fn: Callable[..., Any]) -> tuple[dict[str, Any] | None, str]:
    """Keyword arguments for a builder's required parameters, or None (and why) when one has no
    simple type to make a placeholder of."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None, "its signature cannot be read"
    kwargs = {}
    for param in signature.parameters.values():
        if param.default is not inspect.Parameter.empty or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        make = PLACEHOLDERS.get(_annotation_name(param.annotation).replace("builtins.", ""))
        if make is None or param.kind is param.POSITIONAL_ONLY:
            return None, f"parameter {param.name!r} needs a value"
        kwargs[param.name] = make(param.name)
    return kwargs, ""


def builders(module: Any) -> list[tuple[str, Callable[..., Any]]]:
    """The module's own functions that build configs: named ``build_*config*`` /
    ``make_*config*``, annotated to return a ``...Config``, or pytest fixtures of either kind."""
    found = []
    for name, obj in list(vars(module).items()):
        fixture = _unwrap_fixture(obj)
        fn = fixture or obj
        if not inspect.isfunction(fn) or getattr(fn, "__module__", None) != module.__name__:
            continue
        if BUILDER.match(name) or _returns_config(fn) or (fixture is not None and re.search("config|cfg|infra", name, re.I)):
            found.append((name, fn))
    return found


def _call(fn: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    value = fn(**kwargs)
    if inspect.isgenerator(value):  # a yield fixture: set up, then tear down as pytest does
        generator = value
        value = next(generator, None)
        next(generator, None)
    return value


def _describe(name: str, kwargs: dict[str, Any]) -> str:
    return f"{name}(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ")"


def _module_name(path: str) -> tuple[str, str]:
    """The dotted module name of ``path`` and the folder to import it from: inside a package
    (folders with ``__init__.py``), from above the top package; else the file's own folder."""
    folder, filename = os.path.split(path)
    parts = [os.path.splitext(filename)[0]]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts), folder


def _import(path: str) -> Any:
    name, base = _module_name(path)
    sys.path.insert(0, base)
    parent = name.rpartition(".")[0]
    if parent:
        importlib.import_module(parent)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class Run:
    """The steps of one run, each ``{"step": ..., "error": {...}}`` (no error: it finished)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.steps: list[dict[str, Any]] = []
        self.tests: dict[str, dict[str, Any]] = {}

    def step(self, name: str, action: Callable[[], Any]) -> tuple[bool, Any]:
        entry: dict[str, Any] = {"step": name}
        self.steps.append(entry)
        try:
            return True, action()
        except (Exception, SystemExit) as exc:
            error = _error(exc, self.recorder)
            if error:
                entry["error"] = error
            return not error, None

    def import_and_build(self, path: str, calls: list[str]) -> None:
        rel = os.path.relpath(path, self.recorder.root)
        ok, module = self.step(f"import {rel}", lambda: _import(path))
        if not ok or module is None:
            return
        if calls:
            for name in calls:
                fn = getattr(module, name, None)
                if not callable(fn):
                    self.steps.append({"step": f"{name}()", "error": {"type": "AttributeError", "message": f"{rel} has no function {name!r}", "site": None}})
                    continue
                self.step(f"{name}()", fn)
            return
        for name, fn in builders(module):
            kwargs, why = _placeholder_arguments(fn)
            if kwargs is None:
                self.steps.append({"step": f"{name}(...)", "skipped": f"not called: {why}"})
                continue
            self.step(_describe(name, kwargs), lambda fn=fn, kwargs=kwargs: _call(fn, kwargs))

    def run_main(self, path: str, args: list[str]) -> None:
        import runpy

        rel = os.path.relpath(path, self.recorder.root)
        sys.argv = [path, *args]
        sys.path.insert(0, os.path.dirname(path))
        shown = " ".join([rel, *args])
        self.step(f"python {shown}", lambda: runpy.run_path(path, run_name="__main__"))

    def pytest(self, path: str) -> None:
        rel = os.path.relpath(path, self.recorder.root)
        ok, pytest = self.step("import pytest", lambda: importlib.import_module("pytest"))
        if not ok:
            return
        collector = _TestOutcomes(self)
        args = [path, "-q", "-p", "no:cacheprovider", "--rootdir", self.recorder.root, "-W", "ignore::DeprecationWarning"]
        ok, code = self.step(f"pytest {rel}", lambda: pytest.main(args, plugins=[collector]))
        if ok and int(code) not in (0, 1, 5):  # 1: tests failed (compared test by test)
            self.steps[-1]["error"] = {"type": "pytest", "message": f"pytest exited with status {int(code)}", "site": None}


class _TestOutcomes:
    """A pytest plugin that keeps each test's outcome and, for a failure, where it failed."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def pytest_runtest_makereport(self, item: Any, call: Any) -> None:
        if call.excinfo is None:
            return
        exc = call.excinfo.value
        if call.excinfo.errisinstance(BaseException) and type(exc).__name__ not in ("Skipped", "XFailed"):
            entry = self.run.tests.setdefault(item.nodeid, {})
            entry.setdefault("error", _error(exc, self.run.recorder))

    def pytest_runtest_logreport(self, report: Any) -> None:
        entry = self.run.tests.setdefault(report.nodeid, {})
        outcome = report.outcome if report.when == "call" else ("error" if report.failed else None)
        if outcome is not None and entry.get("outcome") in (None, "passed"):
            entry["outcome"] = outcome


# --- the run ----------------------------------------------------------------------------------


def run(spec: dict[str, Any]) -> dict[str, Any]:
    from ftmigrate.api import _record
    from ftmigrate.api.backend import LocalBackend
    from ftmigrate.api.mount import mount

    root = os.path.realpath(spec["root"])
    path = os.path.join(root, spec["file"])
    recorder = _record.start(root)
    guard = _NetworkGuard(lambda: _frame_site(recorder))
    guard.install()
    # Code that resumes trainer jobs by id: on this dry run, those jobs exist.
    LocalBackend.assume_existing = True
    sys.path.insert(0, root)
    os.environ.setdefault("FIREWORKS_API_KEY", "ftmigrate-verify")
    run = Run(recorder)
    mount_args: dict[str, Any] = {"surface": spec["surface"], "bundled_sdk": True, "force": True}
    if spec["surface"] == "target" and spec.get("target") not in (None, spec.get("default_target")):
        mount_args["target"] = spec["target"]
    from ftmigrate.api._checked import ConfigWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConfigWarning)
        # Legacy code builds InfraConfig, which warns by design.
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(**mount_args):
            if spec["mode"] == "run":
                run.run_main(path, spec.get("args", []))
            elif spec["mode"] == "pytest":
                run.pytest(path)
            else:
                run.import_and_build(path, spec.get("calls", []))
    _record.stop()  # the views below call default factories: those are not the user's
    # Values the real cookbook accepts but that will not work as written (never an error there).
    config_warnings = []
    for w in caught:
        if issubclass(w.category, ConfigWarning):
            where = recorder._user_path(w.filename)
            entry = {"message": _one_line(str(w.message), 200), "site": {"path": where, "line": w.lineno, "end_line": w.lineno} if where else None}
            if entry not in config_warnings:
                config_warnings.append(entry)
    kept = [(obj, site, source, kind_of(obj)) for obj, site, source in recorder.configs]
    kept = [(obj, site, source, kind) for obj, site, source, kind in kept if kind is not None]
    index = {id(obj): i for i, (obj, _, _, _) in enumerate(kept)}
    tokens = {root: "<project>", os.environ.get("HOME", root): "<home>"}
    if spec.get("tmp"):
        tokens[spec["tmp"]] = "<tmp>"
    views = Views(tokens, index, recorder.assignments)
    configs = []
    held = {index[i] for i in recorder.held if i in index}
    for obj, site, source, kind in kept:
        nested = _nested(obj, index)
        held.update(nested.values())
        record = {"kind": kind, "site": site.to_json(), "view": views.view(obj), "nested": nested}
        if id(source) in index:
            record["copy_of"] = index[id(source)]
        configs.append(record)
    for i in held:
        configs[i]["held"] = True
    events = [
        {
            "kind": e.kind,
            "resource": e.resource,
            "id": e.id,
            "role": e.role,
            "detail": e.detail,
            "source": e.source,
            "site": site.to_json() if site is not None else None,
        }
        for e, site in recorder.events
    ]
    # Modules of the project must come from the copy this run is in: one imported from the
    # user's own tree (an editable install, a PYTHONPATH entry) runs the current code on both
    # sides, and would hide a difference.
    user_root = os.path.realpath(spec["user_root"]) if spec.get("user_root") else None
    outside = sorted(
        name for name, module in list(sys.modules.items())
        if user_root and (os.path.realpath(getattr(module, "__file__", None) or "/") + os.sep).startswith(user_root + os.sep)
    )
    return {
        "steps": run.steps,
        "tests": run.tests,
        "configs": configs,
        "events": events,
        "network": guard.attempts,
        "config_warnings": config_warnings,
        "imported_from_tree": outside,
    }


def main(argv: list[str]) -> None:
    spec_path, result_path = argv
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    try:
        result = run(spec)
    except BaseException as exc:  # a failure of the runner itself, not of the user's code
        result = {"internal": f"{type(exc).__name__}: {_one_line(str(exc))}", "traceback": traceback.format_exc()}
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    sys.stdout.flush()
    sys.stderr.flush()
    # Threads the user's code left running must not keep the process (and verify) waiting.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
