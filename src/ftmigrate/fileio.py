"""Reading sources and writing them back without ever losing one.

Reading: only regular files are opened (a FIFO, a device or a socket named ``x.py`` is reported,
not opened; symlinks are never followed), and files over ``MAX_BYTES`` are reported unread.

Writing: a rewrite goes to a temporary file in the same folder (so the final ``os.replace`` is
atomic on the same filesystem), is flushed to disk, gets the original's owner, group and
permission bits, and replaces the original only if the original still holds the bytes that were
read. Killing the process at any moment leaves either the old bytes or the new ones, plus at
worst a hidden temporary file that the next run removes (``discovery`` knows its name). A file
without owner-write permission is read-only on purpose and is never rewritten, even by root.
Files that are not rewritten are never opened for writing, so they keep their mtime.

Extended attributes (ACLs and SELinux labels among them) are copied to the new file where the
system lets this process set them; one that cannot be copied is named in a note on the file's
result. A hard link cannot survive a rename: the other names of a hard-linked file keep the old
bytes, and the run says so in a note (``write_atomic`` returns it). Encoding, BOM and line
endings are the parser's business: LibCST keeps them, and the engine refuses to rewrite a file
it cannot round-trip byte for byte.
"""

from __future__ import annotations

import errno
import os
import stat

from ftmigrate.discovery import TEMP_SUFFIX

#: Files larger than this are reported, not parsed (LibCST needs ~3 ms per KB).
MAX_BYTES = 20 * 1024 * 1024

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class FileError(Exception):
    """A per-file problem, phrased for the user in one line (the path is added by the caller)."""


def read_bytes(path: str) -> bytes:
    """The bytes of the regular file ``path``; ``FileError`` for anything else."""
    try:
        st = os.lstat(path)
        _check_regular(st)
        if st.st_size > MAX_BYTES:
            raise FileError(_too_large(st.st_size))
        # O_NONBLOCK: should the path turn into a FIFO after the lstat, open must not hang.
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK)
        try:
            opened = os.fstat(fd)
            _check_regular(opened)
            data = _read_fd(fd, opened.st_size)
        finally:
            os.close(fd)
        if len(data) > MAX_BYTES:
            raise FileError(_too_large(len(data)))
        return data
    except FileError:
        raise
    except PermissionError:
        raise FileError("cannot read (permission denied)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileError("is a symlink; not followed") from None
        raise FileError(f"cannot read ({exc.strerror or exc})") from None


#: Configuration files (``pyproject.toml``, ``.gitignore``) larger than this are refused: real
#: ones are a few KB, and a hostile tree must not make a run read a device until memory runs out.
CONFIG_MAX_BYTES = 1024 * 1024


def read_regular(path: str, limit: int = CONFIG_MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is (or links to) a regular file of at most ``limit`` bytes.

    For the files a run reads besides sources (configuration, ignore files, baselines): a
    symlink to a regular file is followed, as git and TOML readers do, but a FIFO, a device or
    a socket is never read (it could block for good, or never end), nor a file over ``limit``.
    ``FileNotFoundError`` and ``IsADirectoryError`` come through as such (callers skip a
    missing file); anything else is a one-line ``FileError``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _O_CLOEXEC | _O_NONBLOCK)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise
    except OSError as exc:
        raise FileError(f"cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        if not stat.S_ISREG(st.st_mode):
            raise FileError("is not a regular file (a FIFO, socket or device); not read")
        if st.st_size > limit:
            raise FileError(f"is {_size(st.st_size)}, larger than the {_size(limit)} limit for this file; not read")
        data = os.read(fd, st.st_size + 1)
        while len(data) <= limit:  # a short read, or a file that grows while it is read
            chunk = os.read(fd, limit + 1 - len(data))
            if not chunk:
                break
            data += chunk
        if len(data) > limit:
            raise FileError(f"is larger than the {_size(limit)} limit for this file; not read")
        return data
    except OSError as exc:
        if isinstance(exc, IsADirectoryError):
            raise
        raise FileError(f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _read_fd(fd: int, size: int) -> bytes:
    """Up to ``MAX_BYTES + 1`` bytes of ``fd``, whose size ``fstat`` gave as ``size``.

    One read of the known size (plus a byte, to see a file that grew), not a read of
    ``MAX_BYTES``: that would allocate 20 MB per file, and over thousands of files the
    allocator keeps the peak (60 MB of RSS instead of 12 on a lint of 8,000 files).
    """
    data = os.read(fd, min(size, MAX_BYTES) + 1)
    if len(data) == size:
        return data
    parts = [data]  # a short read, or the file grew since fstat: read on to the end
    total = len(data)
    while total <= MAX_BYTES:
        chunk = os.read(fd, 1024 * 1024)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _check_regular(st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise FileError("is a symlink; not followed")
    if stat.S_ISDIR(st.st_mode):
        raise FileError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise FileError("is not a regular file (a FIFO, socket or device); not opened")


def _too_large(size: int) -> str:
    return f"is {size / (1024 * 1024):.0f} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit; not processed"


def write_atomic(path: str, data: bytes, expected: bytes) -> list[str]:
    """Replace ``path`` with ``data`` if it still holds ``expected``; keep its mode, owner and
    extended attributes. Returns notes for the person running it: what could not be carried
    over (the other names of a hard link, an extended attribute this process may not set).

    ``FileError`` (nothing changed) when the file is a symlink or read-only, when its folder
    does not let a temporary file be created, or when it changed since it was read.
    """
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FileError(f"cannot write ({exc.strerror or exc})") from None
    if stat.S_ISLNK(st.st_mode):
        raise FileError("is a symlink; never written through")
    if not stat.S_ISREG(st.st_mode):
        raise FileError("is not a regular file; not written")
    mode = stat.S_IMODE(st.st_mode)
    if not mode & stat.S_IWUSR:
        raise FileError("cannot write (read-only: its mode has no owner-write bit); left as it is, `chmod u+w` it to rewrite it")
    if not os.access(path, os.W_OK):
        raise FileError("cannot write (permission denied)")
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600)
    except PermissionError:
        raise FileError("cannot write (no permission to create a temporary file in its folder)") from None
    except OSError as exc:
        raise FileError(f"cannot write ({exc.strerror or exc})") from None
    notes: list[str] = []
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _copy_owner(fh.fileno(), st)
            os.fchmod(fh.fileno(), mode)  # after the chown, which clears set-id bits
            notes.extend(_copy_xattrs(path, fh.fileno()))
            os.fsync(fh.fileno())
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or read_bytes(path) != expected:
            raise FileError("changed while ftmigrate was working on it; left as it is, run again")
        os.replace(tmp, path)
        if st.st_nlink > 1:
            others = st.st_nlink - 1
            notes.append(
                f"was hard-linked ({others} other name{'s' if others != 1 else ''}): this name now holds the rewrite,"
                f" the other{'s' if others != 1 else ''} still hold{'' if others != 1 else 's'} the old code; rewrite them too, or re-link them"
            )
        return notes
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


def _copy_xattrs(path: str, fd: int) -> list[str]:
    """Copy ``path``'s extended attributes to ``fd``; notes for those that could not be."""
    if not hasattr(os, "listxattr"):
        return []
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:  # no xattr support on this filesystem
        return []
    lost = []
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(path, name, follow_symlinks=False))
        except OSError:
            lost.append(name)
    if not lost:
        return []
    return [f"extended attribute{'s' if len(lost) > 1 else ''} {', '.join(lost)} could not be copied to the rewritten file (not permitted here); set {'them' if len(lost) > 1 else 'it'} again if needed"]


def _copy_owner(fd: int, st: os.stat_result) -> None:
    """Give the temporary file the original's owner and group, or refuse the rewrite."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        raise FileError(
            f"cannot write without changing its owner or group (uid {st.st_uid}, gid {st.st_gid});"
            " left as it is, rewrite it as its owner"
        ) from None
