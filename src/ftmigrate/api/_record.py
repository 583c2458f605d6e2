"""What a run built and provisioned, and where in the user's code: for ``ftmigrate verify``.

Off unless :func:`start` is called; ``ftmigrate verify``'s runner calls it in its own
subprocess, before the code under test runs. While on, every checked config the user's code
constructs (``TrainerConfig(...)``, a recipe ``Config(...)``, ``dataclasses.replace(...)`` of
one ...) and every event of the local backend's log is kept with its *site*: the file and the
lines of the user's call that caused it, read from the stack. When off, the hooks cost one
attribute test.

A construction's site is the closest frame in the user's tree. Frames of the standard library,
third-party packages and generated code (a dataclass ``__init__``, ``dataclasses.replace``,
a framework that builds configs) are walked through; a frame of the bundled API itself means
the API built the object for its own use (a default value, a dry run), which is not recorded.
An event's site is the closest user frame too, walking through the API: the ``main(cfg)`` or
``build_service_client(...)`` call that provisioned or released the resource.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

__all__ = ["Recorder", "Site", "active", "start", "stop"]

#: The bundled API's own folder (``ftmigrate/api``) and ftmigrate's.
_API = os.path.dirname(os.path.abspath(__file__))
_FTMIGRATE = os.path.dirname(_API)


@dataclass(frozen=True)
class Site:
    """Where in the user's code: a path under the recorded root, and the lines of the call."""

    path: str  # relative to the root, POSIX separators
    line: int
    end_line: int

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "end_line": self.end_line}


@dataclass
class Recorder:
    """The constructions and events of one run, in order."""

    root: str
    #: (config, site, the config it is a ``dataclasses.replace`` copy of, or None)
    configs: list[tuple[Any, Site, Any]] = field(default_factory=list)
    events: list[tuple[Any, Site | None]] = field(default_factory=list)
    #: id() of a config -> [(field, site)] for each field set after construction (the configs
    #: are kept alive in ``_assigned``, so that an id is never reused)
    assignments: dict[int, list[tuple[str, Site]]] = field(default_factory=dict)
    _assigned: list[Any] = field(default_factory=list)
    _recorded: set[int] = field(default_factory=set)
    #: id() of recorded configs that another recorded config took as a field value when it
    #: was built (``Config(trainer=TrainerConfig(...))``), even if replaced since
    held: set[int] = field(default_factory=set)
    paused: int = 0
    _paths: dict[str, str | None] = field(default_factory=dict)

    def _user_path(self, filename: str) -> str | None:
        """``filename`` relative to the root when it is in the user's tree, else None."""
        try:
            return self._paths[filename]
        except KeyError:
            pass
        path = None
        if filename and not filename.startswith("<"):
            real = os.path.realpath(filename)
            if real.startswith(self.root + os.sep):
                path = os.path.relpath(real, self.root).replace(os.sep, "/")
        self._paths[filename] = path
        return path

    def site(self, frame: FrameType | None, *, through_api: bool) -> Site | None:
        """The closest frame of the user's tree from ``frame`` outwards (see the module doc)."""
        while frame is not None:
            filename = frame.f_code.co_filename
            path = self._user_path(filename)
            if path is not None:
                return Site(path, *_lines(frame))
            if not through_api and filename.startswith(_FTMIGRATE + os.sep):
                return None
            frame = frame.f_back
        return None

    def constructed(self, obj: Any, frame: FrameType | None) -> None:
        if self.paused:
            return
        site = self.site(frame, through_api=False)
        if site is None:
            return
        for value in vars(obj).values():
            if id(value) in self._recorded:
                self.held.add(id(value))
        self._recorded.add(id(obj))
        self.configs.append((obj, site, _replaced(frame)))

    def assigned(self, obj: Any, name: str, frame: FrameType | None) -> None:
        if self.paused:
            return
        site = self.site(frame, through_api=True)
        if site is None:
            return
        if id(obj) not in self.assignments:
            self.assignments[id(obj)] = []
            self._assigned.append(obj)
        self.assignments[id(obj)].append((name, site))

    def event(self, event: Any, frame: FrameType | None) -> None:
        if not self.paused:
            self.events.append((event, self.site(frame, through_api=True)))


def _replaced(frame: FrameType | None) -> Any:
    """The object a ``dataclasses.replace(obj, ...)`` call on the stack copies, if any: the
    copy's values that were not changed were built where ``obj`` was."""
    import dataclasses

    for _ in range(3):  # the generated __init__, then replace (and its helper on 3.13+)
        if frame is None:
            return None
        code = frame.f_code
        if code.co_name in ("replace", "_replace") and code.co_filename == dataclasses.__file__:
            return frame.f_locals.get("obj")
        frame = frame.f_back
    return None


def _lines(frame: FrameType) -> tuple[int, int]:
    """The first and last line of the expression the frame is executing (the whole call)."""
    line = frame.f_lineno or 0
    try:
        start, end, _, _ = next(iter(list(frame.f_code.co_positions())[frame.f_lasti // 2 :]))
    except (IndexError, StopIteration, ValueError):
        return line, line
    if start is None:
        return line, line
    return start, end if end is not None else start


#: The recorder in force (``None``: recording is off).
active: Recorder | None = None


def start(root: str) -> Recorder:
    """Record what the code under ``root`` builds and provisions, from now on."""
    global active
    active = Recorder(root=os.path.realpath(root))
    return active


def stop() -> Recorder | None:
    """Stop recording; return what was recorded."""
    global active
    recorder, active = active, None
    return recorder


def constructed(obj: Any) -> None:
    """Hook: a checked config was constructed (called from its ``__init__``)."""
    if active is not None:
        # Frame 0 is this hook, 1 the checked __init__: the constructing code is above those.
        active.constructed(obj, sys._getframe(2))


def assigned(obj: Any, name: str) -> None:
    """Hook: a field of a checked config was set after its construction."""
    if active is not None:
        active.assigned(obj, name, sys._getframe(2))


def logged(event: Any) -> None:
    """Hook: the local backend appended ``event`` to its log."""
    if active is not None:
        active.event(event, sys._getframe(2))
