"""Ctrl-C, ``kill`` and a closed terminal: one line, the conventional exit code, at once.

:func:`install` (called first thing by ``__main__``) makes ``SIGINT``, ``SIGTERM`` and
``SIGHUP`` raise :class:`Interrupted` in the main thread. It derives from ``BaseException``
and not ``KeyboardInterrupt``: nothing on the way (click turns a ``KeyboardInterrupt`` into
an ``Abort`` after printing an empty line; ``except Exception`` blocks) catches or rewords it.
The engine ends its worker pool when it passes (see ``engine._parse_all``), records how many
files it had written (``written``), and :func:`report` prints the one line:
``ftmigrate: interrupted; 3 files written, none partially`` (every write is atomic, and the
engine holds these signals back during one, so the count is exact).
"""

from __future__ import annotations

import signal
import sys


class Interrupted(BaseException):
    """The run was asked to stop by ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.written = 0


def _raise(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _names() -> list[str]:
    return ["SIGINT", "SIGTERM", "SIGHUP"]


def install() -> dict[int, object]:
    """Route the stop signals to :class:`Interrupted`, unless the caller ignores them (a
    ``nohup`` run keeps ignoring ``SIGHUP``, a background job ``SIGINT``). Returns the handlers
    it replaced, for :func:`restore`."""
    previous: dict[int, object] = {}
    for name in _names():
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            handler = signal.getsignal(signum)
            if handler in (signal.SIG_DFL, signal.default_int_handler):
                signal.signal(signum, _raise)
                previous[signum] = handler
        except (ValueError, OSError):  # not the main thread, or not settable here
            pass
    return previous


def restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        try:
            signal.signal(signum, handler)  # type: ignore[arg-type]
        except (ValueError, OSError, TypeError):
            pass


def signals() -> set[int]:
    """The signals :func:`install` routes (for holding them back around a write)."""
    return {getattr(signal, name) for name in _names() if hasattr(signal, name)}


def exit_code(exc: BaseException) -> int:
    signum = getattr(exc, "signum", signal.SIGINT)
    return 128 + int(signum)


#: Whether this process has reported an interruption (see :func:`exit_now`).
reported = False


def report(exc: BaseException) -> int:
    """Print the one line for an interrupted run; return its exit code (128 + the signal)."""
    global reported
    reported = True
    for signum in signals():  # a second Ctrl-C while exiting ends the process outright
        try:
            signal.signal(signum, signal.SIG_DFL)
        except (ValueError, OSError):
            pass
    written = getattr(exc, "written", 0)
    noun = "file" if written == 1 else "files"
    try:
        sys.stderr.write(f"ftmigrate: interrupted; {written} {noun} written, none partially\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed (the terminal went away)
        pass
    return exit_code(exc)


def exit_now(code: int) -> None:
    """End an interrupted program at once with ``code``, its output flushed. The interpreter's
    own exit would first join the worker pool's management thread (``concurrent.futures``
    registers that at exit), which can wait on a worker the interruption caught mid-start: the
    workers are ended already, and nothing else is left to run."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


__all__ = ["Interrupted", "install", "restore", "report", "signals", "exit_code", "exit_now"]
