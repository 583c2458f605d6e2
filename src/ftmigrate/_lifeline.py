"""Helper processes that die with the process that started them, however it ends.

A worker that outlives its parent holds the parent's stdout open (so ``| tee``, a CI step or
pre-commit never see the end of the output) and burns a core for nothing. Two mechanisms, so
that a ``SIGKILL`` of the parent (which runs no cleanup) is covered too:

- On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker when the thread
  that forked it ends (for the pools here, the parent's main thread: the process).
- Everywhere with ``fork`` (and as the only one for a helper that is not a direct child, such as
  lint's warm helper): a *lifeline*, a pipe whose write end only the parent holds. The worker's
  daemon thread blocks reading the other end; the read returns (end of file) when the parent
  exits or dies, or closes the line on purpose (:meth:`Lifeline.cut`: how the parent ends its
  pool at once on Ctrl-C), and the worker leaves with ``os._exit``.

Workers ignore ``SIGINT``: a Ctrl-C on the terminal reaches the whole process group, and the
parent answers it (one line, then it cuts the line); a worker must not print a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
#: Exit status of a worker whose parent went away (never seen by anyone: nobody waits).
ORPHANED = 70


class Lifeline:
    """The parent's side: create it before forking, pass :meth:`args` to the children."""

    def __init__(self) -> None:
        self.parent = os.getpid()
        self._read, self._write = os.pipe()

    def args(self) -> tuple[int, int, int]:
        return (self._read, self._write, self.parent)

    def cut(self) -> None:
        """Let every child go: they see the end of the pipe and exit. Idempotent."""
        for name in ("_write", "_read"):
            fd = getattr(self, name)
            if fd >= 0:
                setattr(self, name, -1)
                try:
                    os.close(fd)
                except OSError:
                    pass

    def __del__(self) -> None:  # pragma: no cover - a safety net; callers cut explicitly
        self.cut()


def attach(read_fd: int, write_fd: int, parent: int, direct: bool = True) -> None:
    """In a freshly forked child: exit when ``parent`` ends or cuts the line.

    ``direct``: the child is ``parent``'s own child (a pool worker), so the kernel's
    parent-death signal applies too; lint's warm helper is a grandchild and relies on the pipe.
    """
    if sys.platform == "win32":  # pragma: no cover - no fork there; spawned workers get no fds
        return
    try:
        os.close(write_fd)  # only the parent may hold it, or the pipe never ends
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if direct:
        _parent_death_signal()
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(ORPHANED)
    threading.Thread(target=_watch, args=(read_fd,), name="ftmigrate-lifeline", daemon=True).start()


def _watch(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 1):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(ORPHANED)


def _parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no libc symbol: the lifeline alone does it
        pass


__all__ = ["Lifeline", "attach", "ORPHANED"]
