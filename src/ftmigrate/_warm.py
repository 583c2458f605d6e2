"""A warm engine for the lean lint of a directory: LibCST imported while the tree is walked.

Importing LibCST and the codemods costs about as much as walking and prefiltering a tree of
ten thousand files, and a CI gate usually needs it for a few files only, found late. So when
the lean lint is given a folder, it forks a helper process first (:func:`start`); the helper
imports the engine on the other core while this process walks, reads and prefilters. The files
that need parsing are then sent to it in one message, it runs the engine on them (its worker
pool forked from an already warm process) and sends the results back.

The helper never touches the user's files (lint writes nothing; it gets the bytes this process
read), holds none of this process's output streams (so a pipe reading our stdout sees its end
when we exit), is not this process's child (forked twice, so nothing is left to reap), and
exits on its own when we close our end of the pipe, or when we end in any way (a lifeline, see
``_lifeline``: Ctrl-C or ``kill -9`` on this process ends the helper and its workers at once). Anything that goes wrong with it (a fork
refused, the helper dead, a malformed reply) is answered by running the engine here, as
without it: :meth:`Warm.run` returns ``None``.
"""

from __future__ import annotations

import os
import pickle


class Warm:
    """This process's end of the two pipes to the helper."""

    def __init__(self, tasks: int, replies: int, lifeline: object = None) -> None:
        self._tasks = tasks
        self._replies = replies
        self._lifeline = lifeline

    def run(self, work: list[tuple[int, str, bytes]], settings: dict[str, object]) -> list | None:
        """The engine's outputs ``(index, FileResult, None)`` for ``work``, or ``None``."""
        try:
            with os.fdopen(self._tasks, "wb") as out:
                self._tasks = -1
                pickle.dump((work, settings), out, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._replies, "rb") as replies:
                self._replies = -1
                outputs = pickle.load(replies)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            return None
        if not isinstance(outputs, list) or len(outputs) != len(work):
            return None
        return outputs

    def close(self) -> None:
        """Let the helper go (it exits when it reads the end of the task pipe)."""
        for fd in (self._tasks, self._replies):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._tasks = self._replies = -1
        if self._lifeline is not None:
            self._lifeline.cut()  # type: ignore[attr-defined]
            self._lifeline = None


def start() -> Warm | None:
    """Fork the helper; ``None`` where that is not possible or not wanted."""
    if not hasattr(os, "fork") or os.environ.get("FTMIGRATE_NO_WARM"):
        return None
    from ftmigrate._lifeline import Lifeline

    try:
        lifeline = Lifeline()
    except OSError:
        return None
    try:
        task_r, task_w = os.pipe()
        reply_r, reply_w = os.pipe()
    except OSError:
        lifeline.cut()
        return None
    try:
        pid = os.fork()
    except OSError:
        for fd in (task_r, task_w, reply_r, reply_w):
            os.close(fd)
        lifeline.cut()
        return None
    if pid == 0:  # the intermediate process: fork the helper and leave at once
        code = 0
        try:
            os.close(task_w)
            os.close(reply_r)
            if os.fork() == 0:
                _helper(task_r, reply_w, lifeline.args())
        except BaseException:
            code = 1
        os._exit(code)
    os.close(task_r)
    os.close(reply_w)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    return Warm(task_w, reply_r, lifeline)


def _helper(tasks: int, replies: int, lifeline: tuple[int, int, int]) -> None:
    """The helper's life: import, wait for the work, do it, reply, exit. Never returns."""
    try:
        from ftmigrate._lifeline import attach

        attach(*lifeline, direct=False)  # the run ended, however: so do we, and our workers
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.setsid()  # a Ctrl-C on the terminal is for the run, which answers it; not for us
        from ftmigrate.codemods import CODEMODS  # noqa: F401  (what the workers need, warm)
        from ftmigrate.engine import lint_read

        with os.fdopen(tasks, "rb") as incoming:
            message = incoming.read()
        if message:
            outputs = lint_read(*pickle.loads(message))
            with os.fdopen(replies, "wb") as out:
                pickle.dump(outputs, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        pass
    finally:
        os._exit(0)  # nothing of this process's interpreter state is to be cleaned up


__all__ = ["Warm", "start"]
