"""What a clean lint needs from a ``[tool.ftmigrate]`` table, remembered between runs.

A pre-commit hook runs on every commit. Without a config it answers on ``os`` alone
(``fastpath._bare``); with one, reading the table (``tomllib``), checking its codes (the rule
catalog) and matching the exclude globs (``pathspec``) would cost more than starting Python.
So once a run has validated the table the slow way, it writes down what the next runs need:
the module roots the byte prefilter looks for, and, for files named with ``--force-exclude``,
whether the exclude globs drop each of them (pathspec decided; the cache only remembers). The
entry is keyed by the table's bytes (length and CRC32), ftmigrate's version and Python's, so
an edited pyproject, an upgrade or another interpreter simply misses.

Best effort throughout: the cache lives in ``$FTMIGRATE_CACHE_DIR``, else
``$XDG_CACHE_HOME/ftmigrate``, else ``~/.cache/ftmigrate``; ``FTMIGRATE_NO_CACHE=1`` turns it
off; any error reading or writing it is a miss. Standard library only (``marshal``, ``zlib``).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from ftmigrate import __version__

_VERSION = (__version__, sys.version_info[0], sys.version_info[1])


def _folder() -> str | None:
    if os.environ.get("FTMIGRATE_NO_CACHE"):
        return None
    folder = os.environ.get("FTMIGRATE_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "ftmigrate")
    return folder


def _path(pyproject: str) -> str | None:
    folder = _folder()
    if folder is None:
        return None
    return os.path.join(folder, f"config-{zlib.crc32(os.fsencode(pyproject)):08x}.marshal")


def _key(pyproject: str, content: bytes) -> tuple:
    return (_VERSION, pyproject, len(content), zlib.crc32(content))


def load(pyproject: str, content: bytes) -> dict | None:
    """The entry for this exact table, or ``None``."""
    path = _path(pyproject)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            entry = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != _key(pyproject, content):
        return None
    return entry


def store(pyproject: str, content: bytes, roots: list[bytes], has_excludes: bool, excluded: dict[str, bool]) -> None:
    """Remember a validated table (merging exclude verdicts already known for it)."""
    path = _path(pyproject)
    if path is None:
        return
    previous = load(pyproject, content)
    verdicts = dict(previous["excluded"]) if previous else {}
    verdicts.update(excluded)
    entry = {
        "key": _key(pyproject, content),
        "roots": sorted(roots),
        "has_excludes": has_excludes,
        "excluded": verdicts,
    }
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump(entry, fh)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
