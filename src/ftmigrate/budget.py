"""The per-file time budget: a pathological file costs one finding, never a stalled run.

A file built to be slow (tens of thousands of assignments to one name, a 200 KB chain of
comparisons) must not hold up a CI gate or a pre-commit hook. Each file the engine processes
gets a :class:`Deadline`; the analysis calls :func:`check` (or ``Deadline.check``) in its loops,
which raises :class:`TooSlow` once the budget is spent. The engine turns that into the file's
one-line result, "too slow to analyse (over N s); skipped, left as it is", and goes on with the
next file; nothing of the file is written.

Where a cooperative check cannot reach (inside one long call into LibCST's native parser, or
code that does not call it), the engine has a hard backstop on top: see
``engine._BigStack.run`` and the parent's timeouts in ``engine._parse_all``.

The budget is ``FTMIGRATE_FILE_BUDGET`` seconds (default :data:`DEFAULT_SECONDS`; ``0``
turns it off). :func:`check` costs one clock read and a comparison (~60 ns), so it can be called
per node.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from time import monotonic

#: Seconds one file may take. Real files take milliseconds (the largest real training scripts,
#: a few hundred ms); 20 s leaves a slow CI machine ample room.
DEFAULT_SECONDS = 20.0
ENV = "FTMIGRATE_FILE_BUDGET"


class TooSlow(BaseException):
    """The file's budget is spent. A ``BaseException``, so that no ``except Exception`` in
    the analysis (or in LibCST) swallows it on its way to the engine."""

    def __init__(self, seconds: float = 0.0) -> None:  # (0: raised asynchronously, see engine._BigStack)
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        return f"too slow to analyse (over {_shown(self.seconds)} s); skipped, left as it is"


def _shown(seconds: float) -> str:
    return f"{seconds:g}"


class Deadline:
    """``seconds`` from now (``None`` or ``0``: never). ``check()`` raises :class:`TooSlow`
    once they have passed."""

    __slots__ = ("seconds", "end")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = float(seconds or 0)
        self.end = monotonic() + self.seconds if self.seconds > 0 else math.inf

    def check(self) -> None:
        if monotonic() > self.end:
            raise TooSlow(self.seconds)

    def remaining(self) -> float:
        """Seconds left (``inf`` without a budget; negative once spent)."""
        return self.end - monotonic()

    @property
    def unlimited(self) -> bool:
        return self.end == math.inf


_NEVER = Deadline(None)
_current: Deadline = _NEVER


def check() -> None:
    """Raise :class:`TooSlow` if the file being processed is over its budget (cheap)."""
    if monotonic() > _current.end:
        raise TooSlow(_current.seconds)


def current() -> Deadline:
    """The deadline of the file being processed in this process (a never-expiring one outside
    the engine)."""
    return _current


@contextmanager
def armed(deadline: Deadline) -> Iterator[Deadline]:
    """Make ``deadline`` the one :func:`check` consults, for the ``with`` block."""
    global _current
    previous, _current = _current, deadline
    try:
        yield deadline
    finally:
        _current = previous


def seconds_from_env(environ: dict[str, str] | os._Environ[str] | None = None) -> float:
    """The budget ``FTMIGRATE_FILE_BUDGET`` asks for (``0``: none); ``ValueError`` with a
    one-line reason for a value that is not a number of seconds."""
    raw = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENV}={raw!r} is not a number of seconds (0 turns the budget off)") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{ENV}={raw!r} is not a number of seconds (0 turns the budget off)")
    return value


def hard_limit(seconds: float) -> float:
    """When the engine stops waiting for a file whose analysis does not check its deadline:
    the budget plus a grace (a quarter of it, at least a second)."""
    return seconds + max(1.0, seconds / 4)


__all__ = ["DEFAULT_SECONDS", "ENV", "Deadline", "TooSlow", "armed", "check", "current", "hard_limit", "seconds_from_env"]
