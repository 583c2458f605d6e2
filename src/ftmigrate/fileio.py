"""Reading sources and writing them back without ever losing one.

A rewrite goes to a temporary file in the same folder (so the final ``os.replace`` is atomic
on the same filesystem), is flushed to disk, gets the original's permission bits, and replaces
the original only if the original still has the bytes we read. Killing the process at any
moment leaves either the old bytes or the new ones, plus at worst a hidden temporary file that
the next run removes (``discovery`` knows its name). Encoding, BOM and line endings are the
parser's business: LibCST keeps them, and the engine refuses to rewrite a file it cannot
round-trip byte for byte.
"""

from __future__ import annotations

import os
import stat

from ftmigrate.discovery import TEMP_SUFFIX

#: Files larger than this are reported, not parsed (LibCST needs ~3 ms per KB).
MAX_BYTES = 20 * 1024 * 1024


class FileError(Exception):
    """A per-file problem, phrased for the user in one line (the path is added by the caller)."""


def read_bytes(path: str) -> bytes:
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            raise FileError("is a symlink; not followed")
        if stat.S_ISDIR(st.st_mode):
            raise FileError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise FileError("is not a regular file")
        if st.st_size > MAX_BYTES:
            raise FileError(f"is {st.st_size // (1024 * 1024)} MB; larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read()
    except FileError:
        raise
    except PermissionError:
        raise FileError("cannot read (permission denied)") from None
    except OSError as exc:
        raise FileError(f"cannot read ({exc.strerror or exc})") from None


def write_atomic(path: str, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds ``expected``; keep its mode."""
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FileError(f"cannot write ({exc.strerror or exc})") from None
    if stat.S_ISLNK(st.st_mode):
        raise FileError("is a symlink; never written through")
    tmp = os.path.join(folder, f".{name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IMODE(st.st_mode) | stat.S_IWUSR)
    except PermissionError:
        raise FileError("cannot write (permission denied)") from None
    except FileExistsError:
        raise FileError("cannot write (another ftmigrate run is writing it)") from None
    except OSError as exc:
        raise FileError(f"cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if not os.access(path, os.W_OK):
            raise FileError("cannot write (permission denied)")
        if read_bytes(path) != expected:
            raise FileError("changed while ftmigrate was working on it; left as it is")
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, FileError):
            raise
        if isinstance(exc, OSError):
            raise FileError(f"cannot write ({exc.strerror or exc})") from None
        raise
