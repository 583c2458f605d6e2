"""Find the Python files a run covers.

Directories are walked for ``.py`` / ``.pyi`` and Jupyter notebooks (``.ipynb``), or for what
``include`` / ``extend-include`` name (globs, as in ruff: ``*.pyw`` matches a file name, a glob
with a ``/`` a path from the config root); hidden folders, virtualenvs and the usual build
and cache folders are skipped; ``.gitignore`` files are honoured (matched with ``pathspec``'s
RE2 backend, in linear time; loaded only when one exists, read only when it is a regular file
of bounded size); ``exclude`` globs come from ``[tool.ftmigrate]`` and
``--exclude``. A file named explicitly is always processed unless ``force_exclude`` is set
(what the pre-commit hooks use, as with ruff).

Symlinks are never followed out of the tree: a symlink found while walking is skipped when it
points inside the given roots (its target is processed under its own name) and reported when it
points outside; a symlink named explicitly is reported, never followed or written through,
however it is spelled (``ext``, ``ext/``, ``ext/.``).
Symlinked folders are not entered. A folder whose name ends in ``.py`` is a folder: it is walked
like any other (Python cannot import it as a module, and its contents may well be sources).

Temporary files of a rewrite that was killed (``.<name>.<pid>.<random>.ftmigrate.tmp``) are
removed on the way: those of the folders walked, and those next to files named explicitly.
The walk is iterative, so a deeply nested tree cannot exhaust the recursion limit.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PYTHON_SUFFIXES = (".py", ".pyi")
#: Jupyter notebooks: their code cells are linted and rewritten as one module (``notebook``).
NOTEBOOK_SUFFIX = ".ipynb"
#: What a walk picks up unless ``include`` says otherwise (ruff's defaults, as globs).
DEFAULT_INCLUDE = ("*.py", "*.pyi", "*.ipynb")
_SUFFIX_GLOB = re.compile(r"\*(\.[A-Za-z0-9_]+)")


def is_notebook(path: str) -> bool:
    """A Jupyter notebook, by its name (``.ipynb``)."""
    return path[-6:].lower() == NOTEBOOK_SUFFIX

#: Folder names skipped while walking (ruff's defaults, minus the hidden ones we skip anyway).
SKIPPED_DIRS = frozenset(
    {"__pycache__", "__pypackages__", "_build", "buck-out", "dist", "node_modules", "site-packages", "venv"}
)

#: Temporary files of an interrupted rewrite: ``.<name>.<pid>.<random hex>.ftmigrate.tmp``.
TEMP_SUFFIX = ".ftmigrate.tmp"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)(?:\.[0-9a-f]+)?" + re.escape(TEMP_SUFFIX) + "$")

#: A temporary file older than this is stale even if a process with its pid is alive (the pid
#: was reused): a write keeps its temporary file for well under a second.
STALE_AFTER_S = 3600


@dataclass(frozen=True)
class Candidate:
    """A file to process, or a path that cannot be (``error`` set)."""

    path: str
    explicit: bool = False
    error: str | None = None


class PathError(Exception):
    """A path on the command line does not exist (a usage error: exit 2)."""


class _Included:
    """Whether a walked file is one to process: a suffix test for globs like ``*.py`` (the
    defaults; a walk of thousands of files must not pay a glob match each), pathspec for the
    rest, matched from the config root."""

    def __init__(self, include: tuple[str, ...], root: Path) -> None:
        suffixes = []
        others = []
        for glob in include:
            match = _SUFFIX_GLOB.fullmatch(glob)
            (suffixes.append(match.group(1)) if match else others.append(glob))  # type: ignore[func-returns-value]
        self.suffixes = tuple(suffixes)
        self._spec = compile_globs(others, "include") if others else None
        self.globs = self._spec is not None
        self._root = root

    def __call__(self, name: str, path: str) -> bool:
        if self.suffixes and name.endswith(self.suffixes):
            return True
        return self.matches(name, path)

    def matches(self, name: str, path: str) -> bool:
        """Whether a glob other than ``*.<suffix>`` takes the file."""
        if self._spec is None:
            return False
        rel = _relative(path, self._root)
        return bool(self._spec.match_file(rel if rel is not None else name))  # type: ignore[attr-defined]


class _Ignores:
    """``.gitignore`` files and exclude globs, each matched relative to its own folder."""

    def __init__(self, exclude: tuple[str, ...], root: Path) -> None:
        self._globs = exclude
        self._exclude = None
        self._root = root
        self._gitignores: dict[str, object | None] = {}

    def excluded(self, path: str, is_dir: bool) -> bool:
        if not self._globs:
            return False
        if self._exclude is None:
            # Compiled on first use: a run over explicit files (pre-commit without
            # --force-exclude) never matches them, and importing pathspec costs ~10 ms.
            self._exclude = compile_globs(self._globs)
        rel = _relative(path, self._root)
        if rel is None:
            return False
        return bool(self._exclude.match_file(rel + "/" if is_dir else rel))

    def gitignore(self, folder: str) -> object | None:
        if folder not in self._gitignores:
            spec = None
            gi = os.path.join(folder, ".gitignore")
            from ftmigrate.fileio import FileError, read_regular

            try:
                # A regular file of bounded size only: a FIFO would hang the walk for good,
                # a link to /dev/zero would read until memory runs out.
                lines = read_regular(gi).decode("utf-8", "replace").splitlines()
            except FileError as exc:
                raise PathError(f"{gi}: {exc}") from None
            except OSError:
                lines = None
            if lines:
                spec = compile_globs(lines, gi)
            self._gitignores[folder] = spec
        return self._gitignores[folder]

    def ignored_by_git(self, path: str, is_dir: bool, chain: list[tuple[str, object]]) -> bool:
        # As git does: the deepest .gitignore with a matching pattern decides, so a `!pattern`
        # in a sub-folder re-includes what a parent folder's .gitignore excluded.
        for folder, spec in reversed(chain):
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            verdict = spec.check_file(rel + "/" if is_dir else rel).include  # type: ignore[attr-defined]
            if verdict is not None:
                return bool(verdict)
        return False


def compile_globs(globs: tuple[str, ...] | list[str], what: str = "exclude") -> object:
    """gitignore-style globs as one pathspec matcher; a malformed glob is a ``PathError``.

    pathspec translates the globs (with git's full semantics) to regular expressions, and
    matches them with RE2 (``google-re2``): all of a file's patterns in one linear-time pass
    over the path. Python's backtracking ``re`` takes exponential time on patterns such as
    ``*?*?*?*?*?*?*?*?*?*?*?*?*!``, and the globs come from the tree being checked.
    """
    import warnings

    import pathspec

    try:
        with warnings.catch_warnings():  # `re`'s FutureWarning on `[[` in a user's pattern
            warnings.simplefilter("ignore")
            return pathspec.GitIgnoreSpec.from_lines(globs, backend="re2")
    except ValueError as exc:  # pathspec's GitWildMatchPatternError
        raise PathError(f"{what}: {exc}") from None
    except Exception as exc:  # RE2 rejecting a translation (a pattern too large for it)
        raise PathError(f"{what}: cannot use these patterns ({type(exc).__name__}: {' '.join(str(exc).split())})") from None


def _relative(path: str, root: Path) -> str | None:
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:
        return None
    if rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")


def _last_component(path: str) -> str:
    """``path`` without trailing separators and ``/.`` parts, so that ``lstat`` sees its last
    real component (``tree/ext/``, ``tree/ext/.`` and ``tree/ext`` all name ``tree/ext``)."""
    seps = os.sep + (os.altsep or "")
    while True:
        stripped = path.rstrip(seps)
        if not stripped:
            return path  # the root folder
        head, tail = os.path.split(stripped)
        if tail == "." and head:
            path = head
            continue
        return stripped


def _is_venv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _parent_gitignores(folder: str, ignores: _Ignores) -> list[tuple[str, object]]:
    """``.gitignore`` files of the folders above ``folder``, up to the repository root."""
    chain: list[tuple[str, object]] = []
    current = os.path.abspath(folder)
    while True:
        parent = os.path.dirname(current)
        if parent == current or os.path.isdir(os.path.join(current, ".git")):
            break
        current = parent
        spec = ignores.gitignore(current)
        if spec is not None:
            chain.append((current, spec))
    chain.reverse()
    return chain


def discover(
    paths: list[str],
    *,
    exclude: tuple[str, ...] = (),
    root: Path | None = None,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
    include: tuple[str, ...] = DEFAULT_INCLUDE,
) -> Iterator[Candidate]:
    """Yield candidates in a stable order: the paths in the order given, each folder sorted."""
    ignores = _Ignores(exclude, root or Path.cwd())
    included = _Included(include, root or Path.cwd())
    real_roots = [os.path.realpath(p) for p in paths]
    seen: set[str] = set()
    swept: set[str] = set()  # folders whose stale temporary files were looked for
    for path in paths:
        try:
            # `ext/` and `ext/.` name what `ext` names: lstat on them would follow a symlink
            # `ext` (the kernel resolves a path's every component but a plain last one).
            st = os.lstat(_last_component(path))
        except FileNotFoundError:
            raise PathError(f"{path}: no such file or directory") from None
        except OSError as exc:
            yield Candidate(path, explicit=True, error=f"cannot access ({exc.strerror})")
            continue
        if stat.S_ISLNK(st.st_mode):
            yield Candidate(path, explicit=True, error="is a symlink; not followed (name its target)")
            continue
        if stat.S_ISDIR(st.st_mode):
            chain = _parent_gitignores(path, ignores) if respect_gitignore else []
            if chain and ignores.ignored_by_git(os.path.abspath(path), True, chain):
                # A folder named on the command line that a .gitignore above it ignores (a
                # scratch copy, `demo/`): walked all the same, as named files are processed,
                # unless --force-exclude asks for ignores to win.
                if force_exclude:
                    continue
                chain = []
            if force_exclude and ignores.excluded(path, is_dir=True):
                continue
            yield from _walk(path, ignores, chain, real_roots, seen, respect_gitignore, included)
            continue
        if force_exclude and ignores.excluded(path, is_dir=False):
            continue
        key = os.path.abspath(path)
        _sweep(os.path.dirname(key), swept)
        if key not in seen:
            seen.add(key)
            yield Candidate(path, explicit=True)


def _walk(
    top: str,
    ignores: _Ignores,
    chain: list[tuple[str, object]],
    real_roots: list[str],
    seen: set[str],
    respect_gitignore: bool,
    included: _Included,
) -> Iterator[Candidate]:
    """Depth-first, each folder in name order; an explicit stack instead of recursion."""
    stack: list[tuple[Iterator[os.DirEntry[str]], list[tuple[str, object]], str]] = []
    suffixes, globs = included.suffixes, included.globs  # the per-file test, inlined
    opened = _open_folder(top, ignores, chain, respect_gitignore)
    if isinstance(opened, Candidate):
        yield opened
        return
    stack.append(opened)
    while stack:
        entries, chain, absolute = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        path = entry.path
        if name.endswith(TEMP_SUFFIX) and name.startswith("."):
            _remove_stale_temp(path)
            continue
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if name.startswith(".") or name in SKIPPED_DIRS or _is_venv(path):
                continue
            if ignores.excluded(path, is_dir=True):
                continue
            if chain and ignores.ignored_by_git(path, True, chain):
                continue
            opened = _open_folder(path, ignores, chain, respect_gitignore)
            if isinstance(opened, Candidate):
                yield opened
            else:
                stack.append(opened)
            continue
        if not name.endswith(suffixes) and not (globs and included.matches(name, path)):
            continue
        if ignores.excluded(path, is_dir=False):
            continue
        if chain and ignores.ignored_by_git(path, False, chain):
            continue
        if is_link:
            if not _inside(os.path.realpath(path), real_roots):
                yield Candidate(path, error="symlink points outside the given paths; not followed")
            continue  # inside the tree: its target is processed under its own name
        key = os.path.join(absolute, name)  # os.path.abspath(path), without its cost per file
        if key not in seen:
            seen.add(key)
            yield Candidate(path)


def _open_folder(
    folder: str, ignores: _Ignores, chain: list[tuple[str, object]], respect_gitignore: bool
) -> tuple[Iterator[os.DirEntry[str]], list[tuple[str, object]], str] | Candidate:
    """The sorted entries of ``folder`` with its ``.gitignore`` chain and its absolute path, or
    an error candidate."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return Candidate(folder, error=f"cannot list folder ({exc.strerror})")
    # Looked for among the entries: trying to open one in every folder costs a failed open each.
    if respect_gitignore and any(e.name == ".gitignore" for e in entries):
        spec = ignores.gitignore(folder)
        if spec is not None:
            chain = [*chain, (folder, spec)]
    return iter(entries), chain, os.path.abspath(folder)


def _sweep(folder: str, swept: set[str]) -> None:
    """Remove stale temporary files in ``folder`` (once per run): a file named explicitly is
    rewritten there, and no walk passes by."""
    if folder in swept:
        return
    swept.add(folder)
    try:
        with os.scandir(folder or ".") as it:
            stale = [e.path for e in it if e.name.endswith(TEMP_SUFFIX) and e.name.startswith(".")]
    except OSError:
        return
    for path in stale:
        _remove_stale_temp(path)


def _remove_stale_temp(path: str) -> None:
    """Remove a temporary file left by a rewrite that was killed.

    Stale: its process is gone, or is this very process (a pid reused, as happens in
    containers; this run has not written anything yet), or it is older than ``STALE_AFTER_S``.
    A live run's temporary file is left alone.
    """
    match = _TEMP_NAME.match(os.path.basename(path))
    if match is None:
        return
    try:
        st = os.lstat(path)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    pid = int(match["pid"])
    if pid != os.getpid() and time.time() - st.st_mtime < STALE_AFTER_S:
        try:
            os.kill(pid, 0)
            return  # still running: another ftmigrate is writing it right now
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError):
            return
    try:
        os.unlink(path)
    except OSError:
        pass
